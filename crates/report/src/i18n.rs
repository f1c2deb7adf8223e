//! The message catalogues and the formatting of numbers and dates, per language.
//!
//! Owns: every sentence a report or chart shows (`lang/en.txt`, `lang/fr.txt`), and how numbers,
//! percentages and dates are written in each language. Must not touch: data; callers hand in
//! values and get text back.
//!
//! A missing key never panics: the key itself is shown and recorded, so a test can render every
//! report in every language and fail if anything was missing ([`Catalog::missing`]).

use std::collections::BTreeMap;
use std::sync::Mutex;

/// A report language (`--lang en|fr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            other => Err(format!("unknown language `{other}`: use en or fr")),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn source(self) -> &'static str {
        match self {
            // Finding messages (`finding_words`) live in files of their own.
            Lang::En => concat!(
                include_str!("lang/en.txt"),
                "\n",
                include_str!("lang/findings.en.txt")
            ),
            // The rule documentation is long enough to live in its own file.
            Lang::Fr => concat!(
                include_str!("lang/fr.txt"),
                "\n",
                include_str!("lang/rules.fr.txt"),
                "\n",
                include_str!("lang/findings.fr.txt")
            ),
        }
    }

    /// The language's catalogue (parsed once, on first use).
    pub fn catalog(self) -> &'static Catalog {
        static EN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        static FR: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        let cell = match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        };
        cell.get_or_init(|| Catalog::parse(self, self.source()))
    }
}

/// `template` with each `{name}` replaced by its value (no plural forms: see [`Catalog::msg`]).
pub fn fill<'a>(template: &str, args: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = template.to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// A value for a message: a count (written with the language's grouping, and choosing the
/// plural form of `{name|one|other}`) or a text.
#[derive(Clone, Debug)]
pub enum Arg {
    N(u64),
    T(String),
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::N(n)
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::T(s)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::T(s.to_string())
    }
}

/// One language's messages, plus the keys asked for but absent.
#[derive(Debug)]
pub struct Catalog {
    pub lang: Lang,
    messages: BTreeMap<String, String>,
    missing: Mutex<std::collections::BTreeSet<String>>,
}

impl Catalog {
    /// Parses `key = value` lines; `#` starts a comment line.
    pub fn parse(lang: Lang, text: &str) -> Catalog {
        let mut messages = BTreeMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((k, v)) = line.split_once(" = ") {
                // Rule documentation quotes character lists and values (`' ; ! ?`) that must
                // stay exactly as written: no typography there.
                if k.trim().starts_with("rule.") {
                    messages.insert(k.trim().to_string(), v.trim().to_string());
                    continue;
                }
                // Typographic apostrophes: translators type the ASCII one.
                let v = v.trim().replace('\'', "\u{2019}");
                let v = match lang {
                    Lang::Fr => french_spacing(&v),
                    Lang::En => v,
                };
                messages.insert(k.trim().to_string(), v);
            }
        }
        Catalog {
            lang,
            messages,
            missing: Mutex::new(Default::default()),
        }
    }

    /// The message for `key`, or the key itself (recorded as missing).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.messages.get(key) {
            Some(v) => v,
            None => {
                if let Ok(mut m) = self.missing.lock() {
                    m.insert(key.to_string());
                }
                // The key itself shows in the output, where a reader or a test notices it.
                key
            }
        }
    }

    /// The message for `key` when the catalogue has one (for ids that may be unknown, such as a
    /// check id a later version of the simulation adds).
    pub fn opt(&self, key: &str) -> Option<&str> {
        self.messages.get(key).map(String::as_str)
    }

    /// `get` with `{name}` placeholders replaced.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(key), args.iter().copied())
    }

    /// The message for `key` with its arguments. A template holds `{name}` (the argument,
    /// numbers grouped as the language writes them), `{name|one|other}` or
    /// `{name|zero|one|other}` (the form for the count `name`: French takes the singular for 0
    /// and 1, English for 1 only; a form may hold placeholders itself), and `{{`/`}}` for
    /// braces.
    pub fn msg(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.render(self.get(key), args)
    }

    /// [`Catalog::msg`] on a template rather than a key.
    pub fn render(&self, template: &str, args: &[(&str, Arg)]) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let brace = rest.as_bytes()[i];
            if rest[i + 1..].starts_with(brace as char) {
                // `{{` or `}}`: a literal brace.
                out.push(brace as char);
                rest = &rest[i + 2..];
                continue;
            }
            if brace == b'}' {
                out.push('}');
                rest = &rest[i + 1..];
                continue;
            }
            let Some(len) = closing(&rest[i..]) else {
                out.push_str(&rest[i..]);
                return out;
            };
            let inner = &rest[i + 1..i + len];
            rest = &rest[i + len + 1..];
            let parts = split_top(inner);
            let name = parts[0].trim();
            let arg = args.iter().find(|(n, _)| *n == name).map(|(_, a)| a);
            match (parts.len(), arg) {
                (1, Some(Arg::N(n))) => out.push_str(&self.int(*n)),
                (1, Some(Arg::T(t))) => out.push_str(t),
                (1, None) => {
                    // Left as written, where a reader (or a test) sees it.
                    out.push('{');
                    out.push_str(inner);
                    out.push('}');
                }
                (k, a) => {
                    let n = match a {
                        Some(Arg::N(n)) => *n,
                        _ => 0,
                    };
                    let singular = match self.lang {
                        Lang::En => n == 1,
                        Lang::Fr => n <= 1,
                    };
                    let form = if k >= 4 && n == 0 {
                        parts[1]
                    } else if singular {
                        parts[k - 2]
                    } else {
                        parts[k - 1]
                    };
                    out.push_str(&self.render(form, args));
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Items joined as the language lists them.
    pub fn list(&self, items: impl IntoIterator<Item = String>) -> String {
        items.into_iter().collect::<Vec<_>>().join(", ")
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    /// Every message (handed to the PDF template, which looks labels up by key).
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.messages
    }

    /// Keys asked for that the catalogue lacks, since the start of the process.
    pub fn missing(&self) -> Vec<String> {
        self.missing
            .lock()
            .map(|m| m.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// An integer with the language's digit grouping: `1,234,567` / `1 234 567`.
    pub fn int(&self, n: u64) -> String {
        group(&n.to_string(), self.group_sep())
    }

    /// A signed integer.
    pub fn signed(&self, n: i64) -> String {
        let s = self.int(n.unsigned_abs());
        if n < 0 { format!("−{s}") } else { s }
    }

    /// A decimal with `digits` decimals: `1,234.5` / `1 234,5`.
    pub fn dec(&self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return self.get("kf.na").to_string();
        }
        let s = format!("{:.*}", digits, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('−');
        }
        out.push_str(&group(int, self.group_sep()));
        if !frac.is_empty() {
            out.push(match self.lang {
                Lang::En => '.',
                Lang::Fr => ',',
            });
            out.push_str(frac);
        }
        out
    }

    /// A ratio (0–1) as a percentage with one decimal, never rounding a partial figure to 100:
    /// `87.5%` / `87,5 %`.
    pub fn pct(&self, ratio: f64) -> String {
        if !ratio.is_finite() {
            return self.get("kf.na").to_string();
        }
        let mut p = (ratio * 1000.0).round() / 10.0;
        // 99.96 % must not read as 100 %: a customer would take it for full coverage.
        if p >= 100.0 && ratio < 1.0 {
            p = 99.9;
        }
        if p <= 0.0 && ratio > 0.0 {
            p = 0.1;
        }
        let digits = if p.fract() == 0.0 { 0 } else { 1 };
        let n = self.dec(p, digits);
        match self.lang {
            Lang::En => format!("{n}%"),
            Lang::Fr => format!("{n}\u{a0}%"),
        }
    }

    /// A date written out: `26 November 2026` / `26 novembre 2026` (1er in French).
    pub fn date(&self, d: Date) -> String {
        let month = self.get(&format!("month.{}", d.month)).to_string();
        match self.lang {
            Lang::En => format!("{} {} {}", d.day, month, d.year),
            Lang::Fr if d.day == 1 => format!("1er {} {}", month, d.year),
            Lang::Fr => format!("{} {} {}", d.day, month, d.year),
        }
    }

    fn group_sep(&self) -> &'static str {
        match self.lang {
            Lang::En => ",",
            // French groups digits with a narrow no-break space (U+202F), so a figure never wraps.
            Lang::Fr => "\u{202f}",
        }
    }
}

/// The length up to the `}` that closes the `{` at the start of `s` (braces nest), if any.
fn closing(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `s` split on the `|` that are not inside braces.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Inserts `sep` every three digits from the right of a run of ASCII digits.
fn group(digits: &str, sep: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// French typography: a no-break space before `: ; ? !` and inside « », so the sign never starts a
/// line. Applied when the catalogue loads, so translators type ordinary spaces.
fn french_spacing(s: &str) -> String {
    let mut out = s
        .replace(" :", "\u{a0}:")
        .replace(" ;", "\u{202f};")
        .replace(" ?", "\u{202f}?")
        .replace(" !", "\u{202f}!")
        .replace(" %", "\u{a0}%");
    out = out.replace("« ", "«\u{a0}").replace(" »", "\u{a0}»");
    out
}

/// A calendar date (UTC): the assessment's, so the scenario's dates are checked by the same
/// code that lays them out.
pub use hybridready_assessment::Date;

#[cfg(test)]
mod tests {
    use super::*;

    /// The names a template fills: `{name}` and the `name` of `{name|…}`, sorted.
    fn holes(s: &str) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for (i, _) in s.match_indices('{') {
            let rest = &s[i + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with(['}', '|']) {
                v.push(name);
            }
        }
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn both_catalogues_have_the_same_keys_and_placeholders() {
        let en = Lang::En.catalog();
        let fr = Lang::Fr.catalog();
        let ek: Vec<_> = en.keys().collect();
        let fk: Vec<_> = fr.keys().collect();
        let only_en: Vec<_> = ek.iter().filter(|k| fr.opt(k).is_none()).collect();
        // `rule.*` (rule docs) exist only in the other languages: the English ones are the
        // rule registry's own words, checked below.
        let only_fr: Vec<_> = fk
            .iter()
            .filter(|k| !k.starts_with("rule.") && en.opt(k).is_none())
            .collect();
        assert!(only_en.is_empty(), "keys missing in fr.txt: {only_en:?}");
        assert!(only_fr.is_empty(), "keys missing in en.txt: {only_fr:?}");
        for k in ek {
            assert_eq!(
                holes(en.get(k)),
                holes(fr.get(k)),
                "placeholders differ for {k}"
            );
            assert!(!en.get(k).is_empty() && !fr.get(k).is_empty(), "{k} empty");
        }
        // Every rule's documentation in French, with as many code spans.
        for r in hybridready_rules::registry::all() {
            for (field, english) in [
                ("summary", r.summary),
                ("explanation", r.explanation),
                ("fix", r.fix),
            ] {
                let key = format!("rule.{}.{field}", r.id);
                let french = fr
                    .opt(&key)
                    .unwrap_or_else(|| panic!("{key} missing in rules.fr.txt"));
                assert_eq!(
                    english.matches('`').count(),
                    french.matches('`').count(),
                    "code spans differ in {key}"
                );
            }
        }
    }

    #[test]
    fn no_key_is_defined_twice() {
        for lang in Lang::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for line in lang.source().lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some((k, _)) = line.split_once(" = ") {
                    assert!(seen.insert(k.trim()), "{lang}: {k} is defined twice");
                }
            }
        }
    }

    #[test]
    fn numbers_and_dates_per_language() {
        let en = Lang::En.catalog();
        let fr = Lang::Fr.catalog();
        assert_eq!(en.int(1_234_567), "1,234,567");
        assert_eq!(fr.int(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(en.int(999), "999");
        assert_eq!(en.dec(1234.5, 1), "1,234.5");
        assert_eq!(fr.dec(1234.5, 1), "1\u{202f}234,5");
        assert_eq!(en.pct(0.875), "87.5%");
        assert_eq!(fr.pct(0.875), "87,5\u{a0}%");
        assert_eq!(en.pct(0.99996), "99.9%");
        assert_eq!(en.pct(1.0), "100%");
        assert_eq!(en.signed(-1234), "−1,234");
        let d = Date::from_unix(1_795_651_200); // 2026-11-26
        assert_eq!(d.iso(), "2026-11-26");
        assert_eq!(en.date(d), "26 November 2026");
        assert_eq!(fr.date(d), "26 novembre 2026");
        assert_eq!(fr.date(Date::from_unix(0)), "1er janvier 1970");
        assert_eq!(Date::from_unix(951_782_400).iso(), "2000-02-29");
    }

    #[test]
    fn french_spacing_is_applied() {
        let fr = Lang::Fr.catalog();
        assert!(fr.get("exec.line.fail").starts_with("Non satisfait\u{a0}:"));
        assert!(fr.get("report.subtitle").ends_with("empêche\u{202f}?"));
        assert!(fr.get("step.sync.title").contains("d\u{2019}annuaire"));
        assert_eq!(fr.pct(0.0), "0\u{a0}%");
    }
}
