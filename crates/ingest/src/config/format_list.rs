//! `Format-List` text, as people paste it from a console: `Name : Value` lines, objects
//! separated by blank lines, long values wrapped onto lines indented to the value's column,
//! lists as `{a, b}` (cut to `$FormatEnumerationLimit` items with `...`).

use super::{Object, Prop, Value};

/// A property line: its name (letters, digits, `_`, `.`, `-`, no blank inside) and the value
/// after ` : `; `None` for any other line.
fn property(line: &str) -> Option<(&str, &str, usize)> {
    let colon = line.find(" :")?;
    let name = line[..colon].trim_end();
    let ok = !name.is_empty()
        && !line.starts_with([' ', '\t'])
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !ok {
        return None;
    }
    let after = &line[colon + 2..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let value_column = colon + 3;
    Some((name, after.strip_prefix(' ').unwrap_or(after), value_column))
}

/// Whether a text reads as `Format-List` output: most of its non-blank lines are properties or
/// their continuations, and at least two are properties.
pub fn looks_like(text: &str) -> bool {
    let (mut props, mut other) = (0usize, 0usize);
    for line in text.lines().take(200) {
        if line.trim().is_empty() {
            continue;
        }
        if property(line).is_some() {
            props += 1;
        } else if line.starts_with(' ') && props > 0 {
            // A wrapped value.
        } else {
            other += 1;
        }
    }
    props >= 2 && other * 10 <= props
}

/// The objects of a `Format-List` text, as a list.
pub fn parse(text: &str) -> Value {
    let mut objects: Vec<Value> = Vec::new();
    let mut current: Vec<Prop> = Vec::new();
    // The raw value of the last property, extended by its wrapped lines.
    let mut raw: Option<String> = None;
    let finish_prop = |current: &mut Vec<Prop>, raw: &mut Option<String>| {
        if let (Some(r), Some(p)) = (raw.take(), current.last_mut()) {
            p.value = value(&r);
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            finish_prop(&mut current, &mut raw);
            if !current.is_empty() {
                objects.push(Value::Object(Object {
                    props: std::mem::take(&mut current),
                    to_string: None,
                }));
            }
            continue;
        }
        if let Some((name, v, _)) = property(line) {
            finish_prop(&mut current, &mut raw);
            current.push(Prop {
                name: name.to_string(),
                value: Value::Null,
                line: i as u64 + 1,
            });
            raw = Some(v.trim_end().to_string());
        } else if let Some(r) = raw.as_mut() {
            // A wrapped value goes on where the line broke, without a blank of its own.
            r.push_str(line.trim());
        }
    }
    finish_prop(&mut current, &mut raw);
    if !current.is_empty() {
        objects.push(Value::Object(Object {
            props: current,
            to_string: None,
        }));
    }
    Value::List(objects)
}

/// A value as `Format-List` shows it: empty is null, `{a, b}` a list (`{a, b...}` a list cut
/// short, kept as text so that it is never taken for the whole list), else text.
fn value(raw: &str) -> Value {
    let t = raw.trim();
    if t.is_empty() {
        return Value::Null;
    }
    if let Some(inner) = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        if inner.ends_with("...") || inner.ends_with('…') {
            return Value::Text(t.to_string());
        }
        return Value::List(
            inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::Text(s.to_string()))
                .collect(),
        );
    }
    Value::Text(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_wrapped_values_and_lists() {
        let text = "\r\n\r\nIdentity          : Global\r\nAllowedDomains    : {contoso.com, fabr\r\n                    ikam.com}\r\nBlockedDomains    : {}\r\nDescription       :\r\nMany              : {a, b, c, d...}\r\n\r\nIdentity          : Tag:Other\r\n";
        assert!(looks_like(text));
        let Value::List(objs) = parse(text) else {
            panic!()
        };
        assert_eq!(objs.len(), 2);
        let Value::Object(o) = &objs[0] else { panic!() };
        assert_eq!(o.props[0].value, Value::Text("Global".into()));
        assert_eq!(
            o.props[1].value,
            Value::List(vec![
                Value::Text("contoso.com".into()),
                Value::Text("fabrikam.com".into())
            ])
        );
        assert_eq!(o.props[1].line, 4);
        assert_eq!(o.props[2].value, Value::List(vec![]));
        assert_eq!(o.props[3].value, Value::Null);
        assert_eq!(o.props[4].value, Value::Text("{a, b, c, d...}".into()));
    }

    #[test]
    fn csv_is_not_format_list() {
        assert!(!looks_like("Name,Value\nAllowFederatedUsers,True\nx,y\n"));
        assert!(!looks_like("Name\tValue\nA : B\n"));
    }
}
