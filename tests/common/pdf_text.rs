//! A small PDF text extractor for the report tests: decodes each page's text through the fonts'
//! ToUnicode maps, following form XObjects (typst places SVG charts in them). lopdf's own
//! `extract_text` cannot parse the CMaps typst writes (their PostScript header), hence this.

#![allow(dead_code)]

use lopdf::{Dictionary, Document, Object, content::Content};
use std::collections::HashMap;

type CMap = HashMap<u32, String>;

fn hex(s: &str) -> Option<(u32, usize)> {
    let s = s.trim().trim_start_matches('<').trim_end_matches('>');
    u32::from_str_radix(s, 16).ok().map(|v| (v, s.len() / 2))
}

fn utf16(s: &str) -> String {
    let s = s.trim().trim_start_matches('<').trim_end_matches('>');
    let units: Vec<u16> = (0..s.len() / 4)
        .filter_map(|i| u16::from_str_radix(&s[i * 4..i * 4 + 4], 16).ok())
        .collect();
    String::from_utf16_lossy(&units)
}

fn parse_cmap(text: &str) -> CMap {
    let mut map = CMap::new();
    let mut mode = "";
    for line in text.lines() {
        let l = line.trim();
        if l.ends_with("beginbfchar") {
            mode = "char";
            continue;
        }
        if l.ends_with("beginbfrange") {
            mode = "range";
            continue;
        }
        if l.starts_with("end") {
            mode = "";
            continue;
        }
        let toks: Vec<&str> = l
            .split(['<', '>', '[', ']', ' '])
            .filter(|t| !t.is_empty())
            .collect();
        match mode {
            "char" if toks.len() >= 2 => {
                if let Some((k, _)) = hex(toks[0]) {
                    map.insert(k, utf16(toks[1]));
                }
            }
            "range" if toks.len() >= 3 => {
                if let (Some((lo, _)), Some((hi, _))) = (hex(toks[0]), hex(toks[1])) {
                    if toks.len() == 3 {
                        let base: Vec<u16> = utf16(toks[2]).encode_utf16().collect();
                        for (i, code) in (lo..=hi).enumerate() {
                            let mut b = base.clone();
                            if let Some(last) = b.last_mut() {
                                *last += i as u16;
                            }
                            map.insert(code, String::from_utf16_lossy(&b));
                        }
                    } else {
                        for (i, code) in (lo..=hi).enumerate() {
                            if let Some(t) = toks.get(2 + i) {
                                map.insert(code, utf16(t));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    map
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, o)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn fonts(doc: &Document, res: &Dictionary) -> HashMap<Vec<u8>, CMap> {
    let mut out = HashMap::new();
    let Some(fd) = res.get(b"Font").ok().and_then(|f| dict(doc, f)) else {
        return out;
    };
    for (name, f) in fd.iter() {
        let Some(font) = dict(doc, f) else { continue };
        let Some(tu) = font.get(b"ToUnicode").ok().and_then(|t| resolve(doc, t)) else {
            continue;
        };
        if let Object::Stream(s) = tu {
            let bytes = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            out.insert(name.clone(), parse_cmap(&String::from_utf8_lossy(&bytes)));
        }
    }
    out
}

fn decode(bytes: &[u8], cmap: Option<&CMap>) -> String {
    match cmap {
        Some(m) => bytes
            .chunks(2)
            .map(|c| {
                let code = if c.len() == 2 {
                    (u32::from(c[0]) << 8) | u32::from(c[1])
                } else {
                    u32::from(c[0])
                };
                m.get(&code).cloned().unwrap_or_default()
            })
            .collect(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn walk(doc: &Document, content: &[u8], res: &Dictionary, out: &mut String, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(content) = Content::decode(content) else {
        return;
    };
    let fonts = fonts(doc, res);
    let mut cur: Option<&CMap> = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                if let Some(Object::Name(n)) = op.operands.first() {
                    cur = fonts.get(n);
                }
            }
            "Tj" | "'" | "\"" => {
                if let Some(Object::String(b, _)) = op.operands.last() {
                    out.push_str(&decode(b, cur));
                }
            }
            "TJ" => {
                if let Some(Object::Array(a)) = op.operands.first() {
                    for x in a {
                        match x {
                            Object::String(b, _) => out.push_str(&decode(b, cur)),
                            Object::Integer(n) if *n < -250 => out.push(' '),
                            Object::Real(n) if *n < -250.0 => out.push(' '),
                            _ => {}
                        }
                    }
                }
            }
            "Td" | "TD" | "Tm" | "T*" => out.push(' '),
            "ET" => out.push('\n'),
            "Do" => {
                let Some(Object::Name(n)) = op.operands.first() else {
                    continue;
                };
                let Some(xo) = res.get(b"XObject").ok().and_then(|x| dict(doc, x)) else {
                    continue;
                };
                let Some(Object::Stream(s)) = xo.get(n).ok().and_then(|o| resolve(doc, o)) else {
                    continue;
                };
                let sub_res = s
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| dict(doc, r))
                    .unwrap_or(res);
                let bytes = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                walk(doc, &bytes, sub_res, out, depth + 1);
            }
            _ => {}
        }
    }
}

/// The text of every page, in page order.
pub fn pages(path: &std::path::Path) -> Vec<String> {
    let doc = Document::load(path).expect("the PDF parses");
    doc.get_pages()
        .values()
        .map(|&id| {
            let mut out = String::new();
            let content = doc.get_page_content(id).unwrap_or_default();
            let empty = Dictionary::new();
            let res = doc
                .get_object(id)
                .ok()
                .and_then(|p| p.as_dict().ok())
                .and_then(|p| p.get(b"Resources").ok())
                .and_then(|r| dict(&doc, r))
                .unwrap_or(&empty);
            walk(&doc, &content, res, &mut out, 0);
            out
        })
        .collect()
}
