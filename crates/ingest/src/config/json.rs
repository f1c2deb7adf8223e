//! `ConvertTo-Json` output: one object or an array of them, as PowerShell 5.1 and 7 write it
//! (`"\/Date(1700000000000)\/"` dates, enums as numbers or names, nested objects for
//! identities). A small reader of its own rather than `serde_json`: it keeps the line of every
//! property, so a setting is pointed at as `file:line`, and it walks nesting with a stack.

use super::{Object, Prop, Syntax, Value};

/// Nesting deeper than this is not a cmdlet's output (`-Depth 5` is the kit's).
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Value, Syntax> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
    };
    p.blank();
    let v = p.document()?;
    p.blank();
    if p.i < p.s.len() {
        return Err(p.err("text after the end of the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    line: u64,
    line_start: usize,
}

/// A container being read.
enum Open {
    List(Vec<Value>),
    /// The object, and the name (with its line) whose value comes next.
    Object(Object, Option<(String, u64)>),
}

impl Parser<'_> {
    fn err(&self, what: &str) -> Syntax {
        Syntax {
            line: self.line,
            column: (self.i - self.line_start + 1) as u64,
            error: what.to_string(),
        }
    }

    fn blank(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            match b {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.blank();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// A whole value, containers on an explicit stack.
    fn document(&mut self) -> Result<Value, Syntax> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            // Where a value is expected: in an object, first its name.
            if let Some(Open::Object(_, pending)) = stack.last_mut()
                && pending.is_none()
            {
                self.blank();
                if self.s.get(self.i) != Some(&b'"') {
                    return Err(self.err("expected a property name in double quotes"));
                }
                let line = self.line;
                let name = self.string()?;
                if !self.eat(b':') {
                    return Err(self.err("expected ':' after the property name"));
                }
                *pending = Some((name, line));
            }
            self.blank();
            let mut value = match self.s.get(self.i) {
                Some(b'{') | Some(b'[') => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.err("nested more than 64 levels deep"));
                    }
                    let list = self.s[self.i] == b'[';
                    self.i += 1;
                    let empty = self.eat(if list { b']' } else { b'}' });
                    match (list, empty) {
                        (true, true) => Value::List(Vec::new()),
                        (false, true) => Value::Object(Object::default()),
                        (true, false) => {
                            stack.push(Open::List(Vec::new()));
                            continue;
                        }
                        (false, false) => {
                            stack.push(Open::Object(Object::default(), None));
                            continue;
                        }
                    }
                }
                Some(b'"') => Value::Text(self.string()?),
                Some(b't') => self.word("true", Value::Bool(true))?,
                Some(b'f') => self.word("false", Value::Bool(false))?,
                Some(b'n') => self.word("null", Value::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return Err(self.err("expected a JSON value")),
                None => return Err(self.err("the file ends where a value was expected")),
            };
            // Put the value in its container; close every container that ends here.
            loop {
                match stack.last_mut() {
                    None => return Ok(value),
                    Some(Open::List(items)) => {
                        items.push(value);
                        if self.eat(b',') {
                            break;
                        }
                        if !self.eat(b']') {
                            return Err(self.err("expected ',' or ']'"));
                        }
                    }
                    Some(Open::Object(o, pending)) => {
                        let (name, line) = pending.take().unwrap_or_default();
                        o.props.push(Prop { name, value, line });
                        if self.eat(b',') {
                            break;
                        }
                        if !self.eat(b'}') {
                            return Err(self.err("expected ',' or '}'"));
                        }
                    }
                }
                value = match stack.pop() {
                    Some(Open::List(items)) => Value::List(items),
                    Some(Open::Object(o, _)) => Value::Object(o),
                    None => unreachable!("a container was just looked at"),
                };
            }
        }
    }

    fn word(&mut self, w: &str, v: Value) -> Result<Value, Syntax> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Value, Syntax> {
        let start = self.i;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        let t = std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default();
        t.parse::<f64>()
            .map(Value::Number)
            .map_err(|_| self.err("not a number"))
    }

    fn string(&mut self) -> Result<String, Syntax> {
        self.i += 1; // The opening quote.
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // The text is UTF-8 (decoded before): a run between ASCII bytes is whole.
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default());
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let c = self.unicode()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.err("unknown escape in a string")),
                    };
                    self.i += 1;
                    out.push(c);
                }
                _ => return Err(self.err("a string does not end on its line")),
            }
        }
    }

    /// `\uXXXX` (the `u` under `i`), with a surrogate pair's second half.
    fn unicode(&mut self) -> Result<char, Syntax> {
        let hex = |p: &mut Self| -> Result<u32, Syntax> {
            let h =
                p.s.get(p.i + 1..p.i + 5)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .ok_or_else(|| p.err("expected four hexadecimal digits after \\u"))?;
            p.i += 5;
            Ok(h)
        };
        let hi = hex(self)?;
        if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
            self.i += 1;
            let lo = hex(self)?;
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
            return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_arrays_and_lines() {
        let v = parse("[\n {\n  \"A\": true,\n  \"B\": \"x\\/y\\u00e9\",\n  \"C\": [1, {\"D\": null}]\n },\n {}\n]")
            .unwrap();
        let Value::List(items) = v else { panic!() };
        let Value::Object(o) = &items[0] else {
            panic!()
        };
        assert_eq!(o.props[0].line, 3);
        assert_eq!(o.props[1].value, Value::Text("x/yé".into()));
        assert_eq!(o.props[2].line, 5);
        assert_eq!(items[1], Value::Object(Object::default()));
    }

    #[test]
    fn errors_say_where() {
        let e = parse("{\n  \"A\": tru\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        assert!(parse("{\"A\": 1} x").is_err());
        assert!(parse(&"[".repeat(100_000)).is_err());
        assert!(parse("\"\\ud83d\\ude00\"").is_ok_and(|v| v == Value::Text("😀".into())));
    }
}
