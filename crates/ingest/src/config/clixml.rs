//! `Export-Clixml` output (PowerShell's CLIXML): `<Objs>` of `<Obj>`, each with its properties
//! in `<Props>` and `<MS>` (`<B N="AllowFederatedUsers">true</B>`, `<S N="ProxyFqdn">…</S>`),
//! enums as an `<Obj>` with their name in `<ToString>`, lists in `<LST>`, dictionaries in
//! `<DCT>`, and `<Ref RefId>` to an object already written.
//!
//! Read with `quick-xml` (already in the tree through calamine), which expands no entity: a
//! document declaring a DTD is refused, as is any entity but XML's five and character
//! references. A `<Ref>` stands for the text of the object it names, never a copy of a whole
//! object, so references cannot multiply a small file.

use super::{Object, Prop, Syntax, Value};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Nesting deeper than this is not a cmdlet's output.
const MAX_DEPTH: usize = 256;

/// Why a CLIXML document was not read.
pub enum Failure {
    Syntax(Syntax),
    /// A `<!DOCTYPE>`, at this line.
    Dtd(u64),
}

/// Whether a text is CLIXML: PowerShell's `<Objs` root.
pub fn is_clixml(text: &str) -> bool {
    let head: String = text.chars().take(512).collect();
    head.contains("<Objs") && head.contains("schemas.microsoft.com/powershell")
}

/// An `<Obj>` being read.
#[derive(Default)]
struct Open {
    name: Option<String>,
    line: u64,
    ref_id: Option<String>,
    to_string: Option<String>,
    props: Vec<Prop>,
    items: Option<Vec<Value>>,
    entries: Option<Vec<Prop>>,
    primitive: Option<Value>,
}

enum Frame {
    Objs,
    Obj(Open),
    /// `<Props>` or `<MS>`: children are properties of the object below.
    Members,
    /// `<LST>`, `<IE>`, `<STK>`, `<QUE>`: children are items of the object below.
    Items,
    /// `<DCT>`: children are `<En>` entries of the object below.
    Dict,
    Entry {
        key: Option<String>,
        value: Option<Value>,
        line: u64,
    },
    Scalar {
        tag: String,
        name: Option<String>,
        line: u64,
        text: String,
    },
    /// `<TN>` and anything else: content not read.
    Skip,
}

pub fn parse(text: &str) -> Result<Value, Failure> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut top: Vec<Value> = Vec::new();
    let mut refs: std::collections::HashMap<String, Value> = Default::default();
    let (mut line, mut counted) = (1u64, 0usize);
    loop {
        let before = reader.buffer_position() as usize;
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..before.min(text.len())])
            .count() as u64;
        counted = before.min(text.len());
        let column = || {
            let start = text[..counted].rfind('\n').map_or(0, |i| i + 1);
            (counted - start + 1) as u64
        };
        let syntax = |error: String| {
            Failure::Syntax(Syntax {
                line,
                column: column(),
                error,
            })
        };
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => return Err(syntax(e.to_string())),
        };
        if stack.len() > MAX_DEPTH {
            return Err(syntax("nested more than 256 levels deep".into()));
        }
        match event {
            Event::Eof => break,
            Event::DocType(_) => return Err(Failure::Dtd(line)),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Text(t) => {
                if let Some(Frame::Scalar { text, .. }) = stack.last_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(Frame::Scalar { text, .. }) = stack.last_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => {
                            return Err(syntax(format!(
                                "the entity &{other}; is not one of XML's own"
                            )));
                        }
                    },
                };
                if let Some(Frame::Scalar { text, .. }) = stack.last_mut() {
                    text.push_str(&c);
                }
            }
            Event::Start(e) => {
                let tag = e.local_name().as_ref().to_string();
                let name = attr(&e, "N");
                let frame = match tag.as_str() {
                    "Objs" => Frame::Objs,
                    "Obj" => Frame::Obj(Open {
                        name,
                        line,
                        ref_id: attr(&e, "RefId"),
                        ..Open::default()
                    }),
                    "Props" | "MS" => Frame::Members,
                    "LST" | "IE" | "STK" | "QUE" => {
                        if let Some(Frame::Obj(o)) = stack.last_mut() {
                            o.items.get_or_insert_with(Vec::new);
                        }
                        Frame::Items
                    }
                    "DCT" => {
                        if let Some(Frame::Obj(o)) = stack.last_mut() {
                            o.entries.get_or_insert_with(Vec::new);
                        }
                        Frame::Dict
                    }
                    "En" => Frame::Entry {
                        key: None,
                        value: None,
                        line,
                    },
                    "TN" => Frame::Skip,
                    t if t == "ToString" || scalar(t, "").is_some() => Frame::Scalar {
                        tag,
                        name,
                        line,
                        text: String::new(),
                    },
                    _ => Frame::Skip,
                };
                stack.push(frame);
            }
            Event::Empty(e) => {
                let tag = e.local_name().as_ref().to_string();
                let name = attr(&e, "N");
                let value = match tag.as_str() {
                    "Nil" | "Obj" => Value::Null,
                    "Ref" => attr(&e, "RefId")
                        .and_then(|id| refs.get(&id).cloned())
                        .unwrap_or(Value::Null),
                    "LST" | "IE" | "STK" | "QUE" => {
                        if let Some(Frame::Obj(o)) = stack.last_mut() {
                            o.items.get_or_insert_with(Vec::new);
                        }
                        continue;
                    }
                    t => match scalar(t, "") {
                        Some(v) => v,
                        None => continue,
                    },
                };
                deliver(&mut stack, &mut top, name, line, value);
            }
            Event::End(_) => match stack.pop() {
                Some(Frame::Scalar {
                    tag,
                    name,
                    line,
                    text,
                }) => {
                    if tag == "ToString" {
                        if let Some(Frame::Obj(o)) = stack.last_mut() {
                            o.to_string = Some(unescape(&text));
                        }
                    } else if let Some(v) = scalar(&tag, &text) {
                        deliver(&mut stack, &mut top, name, line, v);
                    }
                }
                Some(Frame::Obj(o)) => {
                    let (name, at, id) = (o.name.clone(), o.line, o.ref_id.clone());
                    let value = close(o);
                    if let Some(id) = id {
                        // What a `<Ref>` to it stands for: its text, never the whole object.
                        let text = match &value {
                            Value::Object(x) => {
                                x.to_string.clone().map_or(Value::Null, Value::Text)
                            }
                            Value::List(_) => Value::Null,
                            v => v.clone(),
                        };
                        refs.insert(id, text);
                    }
                    deliver(&mut stack, &mut top, name, at, value);
                }
                Some(Frame::Entry { key, value, line }) => {
                    let n = stack.len();
                    if n >= 2
                        && let Some(Frame::Obj(o)) = stack.get_mut(n - 2)
                    {
                        o.entries.get_or_insert_with(Vec::new).push(Prop {
                            name: key.unwrap_or_default(),
                            value: value.unwrap_or(Value::Null),
                            line,
                        });
                    }
                }
                _ => {}
            },
        }
    }
    Ok(Value::List(top))
}

/// The value of an attribute, unescaped.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// A primitive element's value, `None` for a tag that is not one.
fn scalar(tag: &str, text: &str) -> Option<Value> {
    Some(match tag {
        "B" => Value::Bool(text.trim().eq_ignore_ascii_case("true")),
        "I32" | "I64" | "U32" | "U64" | "I16" | "U16" | "By" | "SB" | "Db" | "Sg" | "D" => {
            text.trim().parse().map_or(Value::Null, Value::Number)
        }
        "S" | "DT" | "TS" | "G" | "URI" | "Version" | "C" | "XD" | "SBK" => {
            Value::Text(unescape(text))
        }
        _ => return None,
    })
}

/// PowerShell's escapes in CLIXML strings: `_xHHHH_` for a character XML cannot hold (a line
/// feed is `_x000A_`, an underscore before `x` is `_x005F_`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let code = rest
            .get(i + 2..i + 7)
            .filter(|h| h.ends_with('_'))
            .and_then(|h| u32::from_str_radix(&h[..4], 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &rest[i + 7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[i + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A finished `<Obj>`: an object if it has properties, a list if it has items, else its text
/// (an enum's name) or its primitive value.
fn close(o: Open) -> Value {
    if !o.props.is_empty() || o.entries.as_ref().is_some_and(|e| !e.is_empty()) {
        let mut props = o.props;
        props.extend(o.entries.unwrap_or_default());
        return Value::Object(Object {
            props,
            to_string: o.to_string,
        });
    }
    if let Some(items) = o.items {
        return Value::List(items);
    }
    if o.entries.is_some() {
        return Value::Object(Object::default());
    }
    match (o.to_string, o.primitive) {
        (Some(t), _) => Value::Text(t),
        (None, Some(v)) => v,
        (None, None) => Value::Null,
    }
}

/// Hands a finished value to the element it sits in.
fn deliver(
    stack: &mut [Frame],
    top: &mut Vec<Value>,
    name: Option<String>,
    line: u64,
    value: Value,
) {
    let n = stack.len();
    match stack.last_mut() {
        Some(Frame::Objs) => top.push(value),
        Some(Frame::Members) => {
            if n >= 2
                && let Frame::Obj(o) = &mut stack[n - 2]
            {
                o.props.push(Prop {
                    name: name.unwrap_or_default(),
                    value,
                    line,
                });
            }
        }
        Some(Frame::Items) => {
            if n >= 2
                && let Frame::Obj(o) = &mut stack[n - 2]
            {
                o.items.get_or_insert_with(Vec::new).push(value);
            }
        }
        Some(Frame::Entry { key, value: v, .. }) => match name.as_deref() {
            Some("Key") => {
                *key = Some(match value {
                    Value::Text(t) => t,
                    other => other.text().unwrap_or_default(),
                })
            }
            _ => *v = Some(value),
        },
        Some(Frame::Obj(o)) => o.primitive = Some(value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Rtc.Management.WritableConfig.Policy.Edge.HostingProvider</T></TN>
    <ToString>LyncOnline</ToString>
    <Props>
      <S N="Identity">LyncOnline</S>
      <S N="ProxyFqdn">sipfed.online.lync.com</S>
      <B N="EnabledSharedAddressSpace">true</B>
      <Obj N="VerificationLevel" RefId="1">
        <TN RefId="1"><T>Deserialized.Microsoft.Rtc.Management.WritableConfig.Policy.Edge.VerificationLevelType</T></TN>
        <ToString>UseSourceVerification</ToString>
        <I32>2</I32>
      </Obj>
      <Obj N="Domains" RefId="2"><LST><S>a_x005F_x.com</S><S>b&amp;c.com</S></LST></Obj>
      <Nil N="AutodiscoverUrl" />
    </Props>
  </Obj>
  <Obj RefId="3">
    <MS><Ref N="VerificationLevel" RefId="1" /><I32 N="Port">5061</I32></MS>
  </Obj>
</Objs>"#;

    fn get<'a>(v: &'a Value, i: usize, name: &str) -> &'a Value {
        let Value::List(items) = v else { panic!() };
        let Value::Object(o) = &items[i] else {
            panic!()
        };
        &o.props.iter().find(|p| p.name == name).unwrap().value
    }

    #[test]
    fn objects_enums_lists_and_refs() {
        let Ok(v) = parse(DOC) else { panic!() };
        assert!(is_clixml(DOC));
        assert_eq!(get(&v, 0, "EnabledSharedAddressSpace"), &Value::Bool(true));
        assert_eq!(
            get(&v, 0, "VerificationLevel"),
            &Value::Text("UseSourceVerification".into())
        );
        assert_eq!(
            get(&v, 0, "Domains"),
            &Value::List(vec![
                Value::Text("a_x.com".into()),
                Value::Text("b&c.com".into())
            ])
        );
        assert_eq!(get(&v, 0, "AutodiscoverUrl"), &Value::Null);
        assert_eq!(
            get(&v, 1, "VerificationLevel"),
            &Value::Text("UseSourceVerification".into())
        );
        assert_eq!(get(&v, 1, "Port"), &Value::Number(5061.0));
        let Value::List(items) = &v else { panic!() };
        let Value::Object(o) = &items[0] else {
            panic!()
        };
        assert_eq!(o.props[1].line, 7);
    }

    #[test]
    fn dtds_and_unknown_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<Objs><Obj><Props><S N=\"A\">&lol;</S></Props></Obj></Objs>";
        assert!(matches!(parse(bomb), Err(Failure::Dtd(2))));
        let unknown = "<Objs><Obj><Props><S N=\"A\">&lol;</S></Props></Obj></Objs>";
        assert!(matches!(parse(unknown), Err(Failure::Syntax(_))));
        assert!(matches!(
            parse(&"<Obj>".repeat(1000)),
            Err(Failure::Syntax(_))
        ));
    }
}
