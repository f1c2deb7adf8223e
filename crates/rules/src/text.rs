//! Character classes, address syntax and the value repairs the suggested fixes are made of.
//!
//! Hand-written rather than regexes: each class is a documented character list, checked byte by
//! byte on the ASCII fast path, and the same list both finds the problem and repairs it.

use hybridready_assessment::finding::{AddressProblem, DomainProblem};
use std::borrow::Cow;

/// Length in characters (what the documented limits count), not bytes.
#[inline]
pub fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The first `max` characters of `s`.
pub fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whitespace or a control character (a line break, a tab, a NUL).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Characters a UPN may hold besides letters and digits (prepare-for-directory-synchronization:
/// "Allowed characters: A–Z a–z 0–9 ' . - _ ! # ^ ~"), plus the one `@`.
pub fn upn_allowed(c: char) -> bool {
    c.is_ascii() && !ascii_in(c, class::UPN_BAD)
}

/// An ASCII character the UPN rules reject (non-ASCII letters are UPN-NONASCII's).
pub fn upn_invalid(c: char) -> bool {
    ascii_in(c, class::UPN_BAD)
}

/// `[ ] \ " | , / : < > + = ; ? * '` and control characters.
pub fn sam_invalid(c: char) -> bool {
    if c.is_ascii() {
        ascii_in(c, class::SAM_BAD)
    } else {
        c.is_control()
    }
}

/// The mailNickname characters the cloud replaces with `_`, and non-ASCII letters.
pub fn nick_invalid(c: char) -> bool {
    !c.is_ascii() || ascii_in(c, class::NICK_BAD)
}

/// Invalid in the address of an `smtp:` proxy: whitespace, `< > ( ) ; , [ ] "`, non-ASCII.
pub fn smtp_proxy_invalid(c: char) -> bool {
    !c.is_ascii() || ascii_in(c, class::SMTP_BAD)
}

/// Invalid in other proxies (SIP:, EUM:, …): whitespace, `< > ( ) , [ ] "`.
pub fn other_proxy_invalid(c: char) -> bool {
    if c.is_ascii() {
        ascii_in(c, class::OTHER_PROXY_BAD)
    } else {
        is_space(c)
    }
}

/// Invalid in X400/X500 proxies (RFC 2253 after IdFix issues #12, #16, #79): form feed, line
/// breaks, tabs, vertical tab, `[ ] "`. Spaces, parentheses and apostrophes are fine.
pub fn x500_invalid(c: char) -> bool {
    ascii_in(c, class::X500_BAD)
}

/// Invalid in a targetAddress: whitespace, `\ < > ( ) ; , [ ] "`; `;` is allowed in non-SMTP
/// (X400) addresses.
pub fn target_invalid(c: char, smtp: bool) -> bool {
    if c.is_ascii() {
        ascii_in(
            c,
            if smtp {
                class::TARGET_SMTP_BAD
            } else {
                class::TARGET_BAD
            },
        )
    } else {
        smtp || is_space(c)
    }
}

/// RFC 2822 `atext`: the characters of a dot-atom local part besides `.`.
pub fn atext(c: char) -> bool {
    c.is_ascii() && !ascii_in(c, class::NOT_ADDRESS) && c != '.' && c != '@'
}

/// Whether `c` is an ASCII character of one of the `mask` classes. The character predicates
/// above read the class table, so each documented list is written once, in [`byte_classes`].
fn ascii_in(c: char, mask: u16) -> bool {
    c.is_ascii() && CLASSES[c as usize] & mask != 0
}

/// Byte classes, so a value is scanned once and each rule tests a bit: a million users carry tens
/// of millions of values, and most of them are clean.
pub mod class {
    /// ASCII whitespace or control character.
    pub const SPACE: u16 = 1 << 0;
    /// ASCII character a UPN may not hold.
    pub const UPN_BAD: u16 = 1 << 1;
    pub const SAM_BAD: u16 = 1 << 2;
    /// ASCII character mailNickname may not hold.
    pub const NICK_BAD: u16 = 1 << 3;
    pub const SMTP_BAD: u16 = 1 << 4;
    pub const OTHER_PROXY_BAD: u16 = 1 << 5;
    pub const X500_BAD: u16 = 1 << 6;
    pub const TARGET_SMTP_BAD: u16 = 1 << 7;
    pub const TARGET_BAD: u16 = 1 << 8;
    /// Neither RFC 2822 atext, nor `.`, nor `@`.
    pub const NOT_ADDRESS: u16 = 1 << 9;
    /// A byte of a non-ASCII character.
    pub const NON_ASCII: u16 = 1 << 10;
    pub const COLON: u16 = 1 << 11;
}

const fn byte_classes(b: u8) -> u16 {
    use class::*;
    if b >= 0x80 {
        return NON_ASCII;
    }
    let c = b as char;
    let mut m = 0;
    if c.is_ascii_whitespace() || c.is_ascii_control() {
        m |= SPACE
            | UPN_BAD
            | NICK_BAD
            | SMTP_BAD
            | OTHER_PROXY_BAD
            | TARGET_SMTP_BAD
            | TARGET_BAD
            | NOT_ADDRESS;
        if matches!(c, '\u{c}' | '\n' | '\r' | '\t' | '\u{b}') {
            m |= X500_BAD;
        }
        if c.is_ascii_control() {
            m |= SAM_BAD;
        }
        return m;
    }
    let upn_ok = c.is_ascii_alphanumeric()
        || matches!(c, '\'' | '.' | '-' | '_' | '!' | '#' | '^' | '~' | '@');
    if !upn_ok {
        m |= UPN_BAD;
    }
    if matches!(
        c,
        '[' | ']'
            | '\\'
            | '"'
            | '|'
            | ','
            | '/'
            | ':'
            | '<'
            | '>'
            | '+'
            | '='
            | ';'
            | '?'
            | '*'
            | '\''
    ) {
        m |= SAM_BAD;
    }
    if matches!(
        c,
        '\\' | '!'
            | '#'
            | '$'
            | '%'
            | '&'
            | '*'
            | '+'
            | '/'
            | '='
            | '?'
            | '^'
            | '`'
            | '{'
            | '}'
            | '|'
            | '~'
            | '<'
            | '>'
            | '('
            | ')'
            | '\''
            | ';'
            | ':'
            | ','
            | '['
            | ']'
            | '"'
            | '@'
    ) {
        m |= NICK_BAD;
    }
    if matches!(c, '<' | '>' | '(' | ')' | ';' | ',' | '[' | ']' | '"') {
        m |= SMTP_BAD;
    }
    if matches!(c, '<' | '>' | '(' | ')' | ',' | '[' | ']' | '"') {
        m |= OTHER_PROXY_BAD;
    }
    if matches!(c, '[' | ']' | '"') {
        m |= X500_BAD;
    }
    if matches!(c, '\\' | '<' | '>' | '(' | ')' | ',' | '[' | ']' | '"') {
        m |= TARGET_BAD | TARGET_SMTP_BAD;
    }
    if c == ';' {
        m |= TARGET_SMTP_BAD;
    }
    let atext = c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '/'
                | '='
                | '?'
                | '^'
                | '_'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | '-'
        );
    if !(atext || c == '.' || c == '@') {
        m |= NOT_ADDRESS;
    }
    if c == ':' {
        m |= COLON;
    }
    m
}

static CLASSES: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = byte_classes(i as u8);
        i += 1;
    }
    t
};

/// The union of the classes of a value's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classes(u16);

impl Classes {
    #[inline]
    pub fn of(s: &str) -> Classes {
        Classes(s.bytes().fold(0, |m, b| m | CLASSES[b as usize]))
    }
    /// Whether any byte is in one of the `mask` classes.
    #[inline]
    pub fn any(self, mask: u16) -> bool {
        self.0 & mask != 0
    }
    /// Length in characters, without counting when the value is ASCII.
    #[inline]
    pub fn char_len(self, s: &str) -> usize {
        if self.any(class::NON_ASCII) {
            s.chars().count()
        } else {
            s.len()
        }
    }
}

/// Whether an address has the shape `local@domain`: exactly one `@`, a local part without
/// leading, trailing or doubled dots, and a domain of hostname labels. Characters of the local
/// part are not judged here.
pub fn address_shape_ok(addr: &str) -> bool {
    // One pass over the bytes (every UPN, mail and proxy address of a directory comes here):
    // the local part's dots, then the domain's labels, each byte looked at once.
    let b = addr.as_bytes();
    let Some(at) = memchr::memchr(b'@', b) else {
        return false;
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if local.first().is_none_or(|&c| c == b'.') || local.last() == Some(&b'.') {
        return false;
    }
    let mut prev = 0u8;
    for &c in local {
        if c == b'.' && prev == b'.' {
            return false;
        }
        prev = c;
    }
    // Domain: labels of 1 to 63 letters, digits and hyphens, no hyphen at either end.
    let mut label = 0usize;
    prev = b'.';
    for &c in domain {
        if c == b'.' {
            if label == 0 || prev == b'-' {
                return false;
            }
            label = 0;
        } else if c.is_ascii_alphanumeric() || (c == b'-' && label > 0) {
            label += 1;
            if label > 63 {
                return false;
            }
        } else {
            return false;
        }
        prev = c;
    }
    label > 0 && prev != b'-'
}

/// The distinct characters of `s` that `bad` rejects, in order of appearance.
pub fn offending(s: &str, bad: impl Fn(char) -> bool) -> String {
    let mut found = String::new();
    for c in s.chars() {
        if bad(c) && !found.contains(c) {
            found.push(c);
        }
    }
    found
}

/// `s` without the characters `bad` rejects (borrowed when it has none: a suggestion is built
/// for every flagged value of a million objects, and most repairs leave most parts alone).
pub fn strip(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    match s.char_indices().find(|&(_, c)| bad(c)) {
        None => Cow::Borrowed(s),
        Some((i, _)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..i]);
            out.extend(s[i..].chars().filter(|&c| !bad(c)));
            Cow::Owned(out)
        }
    }
}

/// Latin letters with diacritics as their plain ASCII letters (é → e, ß → ss, æ → ae); other
/// non-ASCII characters are dropped. What a consultant would type instead.
pub fn ascii_fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let plain = match lower {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ß' => "ss",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => "",
        };
        if c.is_uppercase() {
            let mut chars = plain.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(plain);
        }
    }
    Cow::Owned(out)
}

/// The address split at its only `@`; `None` unless there is exactly one.
pub fn split_address(addr: &str) -> Option<(&str, &str)> {
    let (local, domain) = addr.split_once('@')?;
    (!domain.contains('@')).then_some((local, domain))
}

/// `type:address` split at the first colon.
pub fn split_prefix(v: &str) -> Option<(&str, &str)> {
    v.split_once(':')
}

/// Whether `v` starts with `prefix` (given in lower case), ignoring ASCII case. For the short
/// prefixes of address types a plain byte loop: the standard comparison works in chunks, which
/// costs more than the five bytes of `smtp:` on every proxy address.
#[inline]
pub fn has_prefix_ignore_case(v: &str, prefix: &[u8]) -> bool {
    let v = v.as_bytes();
    v.len() >= prefix.len()
        && v.iter()
            .zip(prefix)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
}

/// Whether a proxy or target address is an SMTP one (`SMTP:` primary or `smtp:` secondary).
#[inline]
pub fn is_smtp(v: &str) -> bool {
    has_prefix_ignore_case(v, b"smtp:")
}

/// Whether a proxy is an X400 or X500 address (`X500:`, `x.500:`, …; IdFix's `^x\.?[45]00`).
#[inline]
pub fn is_x400_or_x500(v: &str) -> bool {
    let b = v.as_bytes();
    if b.is_empty() || !b[0].eq_ignore_ascii_case(&b'x') {
        return false;
    }
    let rest = if b.get(1) == Some(&b'.') {
        &b[2..]
    } else {
        &b[1..]
    };
    rest.starts_with(b"400") || rest.starts_with(b"500")
}

/// What is wrong with the structure of a dot-atom local part, given that its characters are
/// judged elsewhere.
pub fn local_part_problem(local: &str) -> Option<AddressProblem> {
    if local.is_empty() {
        Some(AddressProblem::NothingBeforeAt)
    } else if local.starts_with('.') {
        Some(AddressProblem::LocalStartsWithDot)
    } else if local.ends_with('.') {
        Some(AddressProblem::LocalEndsWithDot)
    } else if local.contains("..") {
        Some(AddressProblem::LocalDoubleDot)
    } else {
        None
    }
}

/// The longest label of a domain name.
pub const MAX_LABEL: usize = 63;

/// What is wrong with the syntax of a domain name (letters, digits and hyphens in dot-separated
/// labels of at most 63, no label starting or ending with `-`), or `None`.
pub fn domain_problem(domain: &str) -> Option<DomainProblem> {
    if domain.is_empty() {
        return Some(DomainProblem::Empty);
    }
    if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return Some(DomainProblem::EmptyLabel {
            domain: domain.to_string(),
        });
    }
    for label in domain.split('.') {
        if label.len() > MAX_LABEL {
            return Some(DomainProblem::LabelTooLong {
                label: label.to_string(),
                max: MAX_LABEL as u64,
            });
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Some(DomainProblem::Character {
                domain: domain.to_string(),
                character: c,
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(DomainProblem::LabelHyphen {
                label: label.to_string(),
            });
        }
    }
    None
}

/// Tidies a local part after characters were removed: no leading, trailing or doubled dots.
pub fn tidy_dots(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    if b.first() != Some(&b'.') && b.last() != Some(&b'.') && !b.windows(2).any(|w| w == b"..") {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.split('.')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// Tidies a domain after characters were removed: no empty labels, no hyphen at a label's ends.
pub fn tidy_domain(s: &str) -> Cow<'_, str> {
    // Every label non-empty and without a hyphen at either end, told from the bytes around each
    // dot (splitting cost more than the rest of a suggested UPN).
    let b = s.as_bytes();
    let at_an_end = |c: Option<&u8>| matches!(c, None | Some(b'.') | Some(b'-'));
    if !at_an_end(b.first())
        && !at_an_end(b.last())
        && !b
            .windows(2)
            .any(|w| matches!(w, [b'.', b'.'] | [b'.', b'-'] | [b'-', b'.']))
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.split('.')
            .map(|l| l.trim_matches('-'))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The domain of an address as a suggestion would have it: letters, digits, hyphens and dots
/// kept, then tidied (see [`tidy_domain`]).
pub fn repaired_domain(s: &str) -> Cow<'_, str> {
    match strip(s, |c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
        Cow::Borrowed(kept) => tidy_domain(kept),
        Cow::Owned(kept) => Cow::Owned(tidy_domain(&kept).into_owned()),
    }
}

/// `name` made unique by a number: `ann@x.com` → `ann2@x.com`, `ann` → `ann2`, keeping the
/// result within `max_local` characters before the `@` (or in all, without one).
pub fn numbered(name: &str, n: u32, max_local: usize) -> Option<String> {
    let digits = n.to_string();
    let (local, rest) = match name.rfind('@') {
        Some(i) => (&name[..i], &name[i..]),
        None => (name, ""),
    };
    let keep = max_local.checked_sub(digits.len())?;
    let base = truncate_chars(local, keep).trim_end_matches('.');
    if base.is_empty() {
        return None;
    }
    Some(format!("{base}{digits}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition [`address_shape_ok`] is held to, written plainly.
    fn address_shape_as_defined(addr: &str) -> bool {
        let b = addr.as_bytes();
        let Some(at) = b.iter().position(|&c| c == b'@') else {
            return false;
        };
        let (local, domain) = (&b[..at], &b[at + 1..]);
        if local.is_empty()
            || local[0] == b'.'
            || local[local.len() - 1] == b'.'
            || local.windows(2).any(|w| w == b"..")
        {
            return false;
        }
        !domain.is_empty()
            && domain.split(|&c| c == b'.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l[0] != b'-'
                    && l[l.len() - 1] != b'-'
                    && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            })
    }

    /// Every string of at most `max` characters from `alphabet`, the empty one included.
    fn every_string(alphabet: &[char], max: usize) -> Vec<String> {
        let mut strings = vec![String::new()];
        let mut last = strings.clone();
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        strings
    }

    #[test]
    fn address_shape_matches_its_definition() {
        // Every string of up to 7 of these bytes, and labels around the 63-character limit.
        let mut strings = every_string(&['a', '.', '-', '@', '_'], 7);
        for n in [62, 63, 64] {
            let label = "a".repeat(n);
            strings.push(format!("x@{label}.com"));
            strings.push(format!("x@b.{label}"));
            strings.push(format!("x@{label}-.com"));
        }
        strings.push("ann@x.com".into());
        strings.push("ann@xn--fiqs8s.cn".into());
        strings.push("ann@é.com".into());
        for s in &strings {
            assert_eq!(address_shape_ok(s), address_shape_as_defined(s), "{s:?}");
        }
    }

    #[test]
    fn address_type_prefixes_ignore_ascii_case_only() {
        for (v, smtp) in [
            ("SMTP:a@x.com", true),
            ("smtp:a@x.com", true),
            ("SmTp:", true),
            ("smtp", false),
            ("smtp a@x.com", false),
            ("ſmtp:a@x.com", false),
            ("", false),
            ("X500:/o=x", false),
        ] {
            assert_eq!(is_smtp(v), smtp, "{v}");
        }
        assert!(has_prefix_ignore_case("SIP:ann@x.com", b"sip:"));
        assert!(!has_prefix_ignore_case("SIPP:ann@x.com", b"sip:"));
    }

    #[test]
    fn character_classes_follow_the_documented_lists() {
        // The apostrophe: valid in a UPN (microsoft-365-docs #3251), invalid in sAMAccountName.
        assert!(!upn_invalid('\''));
        assert!(sam_invalid('\''));
        for c in "\\%&*+/=?{}|<>();:,[]\" ".chars() {
            assert!(upn_invalid(c), "{c:?}");
        }
        assert!(!upn_invalid('é'), "non-ASCII is UPN-NONASCII's");
        assert!(!x500_invalid(' ') && !x500_invalid('(') && !x500_invalid('\''));
        assert!(x500_invalid('"') && x500_invalid('\t'));
        assert!(!other_proxy_invalid(';') && smtp_proxy_invalid(';'));
        assert!(!target_invalid(';', false) && target_invalid(';', true));
    }

    #[test]
    fn the_class_table_agrees_with_the_predicates() {
        for b in 0u8..128 {
            let c = b as char;
            let cl = Classes::of(&c.to_string());
            assert_eq!(cl.any(class::UPN_BAD), upn_invalid(c), "{c:?}");
            assert_eq!(cl.any(class::SAM_BAD), sam_invalid(c), "{c:?}");
            assert_eq!(cl.any(class::NICK_BAD), nick_invalid(c), "{c:?}");
            assert_eq!(cl.any(class::SMTP_BAD), smtp_proxy_invalid(c), "{c:?}");
            assert_eq!(
                cl.any(class::OTHER_PROXY_BAD),
                other_proxy_invalid(c),
                "{c:?}"
            );
            assert_eq!(cl.any(class::X500_BAD), x500_invalid(c), "{c:?}");
            assert_eq!(
                cl.any(class::TARGET_SMTP_BAD),
                target_invalid(c, true),
                "{c:?}"
            );
            assert_eq!(cl.any(class::TARGET_BAD), target_invalid(c, false), "{c:?}");
            assert_eq!(
                cl.any(class::NOT_ADDRESS),
                !(atext(c) || c == '.' || c == '@'),
                "{c:?}"
            );
            assert_eq!(cl.any(class::SPACE), is_space(c), "{c:?}");
        }
        assert!(Classes::of("é").any(class::NON_ASCII));
        assert!(address_shape_ok("a.b@x-y.com") && !address_shape_ok("a..b@x.com"));
        assert!(
            !address_shape_ok("a@b@c.com")
                && !address_shape_ok(".a@x.com")
                && !address_shape_ok("a@-x.com")
        );
    }

    #[test]
    fn repairs() {
        assert_eq!(ascii_fold("Jürgen Ørsted-Straße"), "Jurgen Orsted-Strasse");
        assert_eq!(ascii_fold("Æsa"), "Aesa");
        assert_eq!(tidy_dots(".a..b."), "a.b");
        // The borrowing fast paths against the definitions, on every string of up to six
        // characters from `a`, `.` and `-`.
        for s in &every_string(&['a', '.', '-'], 6) {
            let dots: Vec<&str> = s.split('.').filter(|p| !p.is_empty()).collect();
            assert_eq!(tidy_dots(s), dots.join("."), "{s:?}");
            let labels: Vec<&str> = s
                .split('.')
                .map(|l| l.trim_matches('-'))
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(tidy_domain(s), labels.join("."), "{s:?}");
        }
        assert_eq!(tidy_domain("-x-..contoso.com."), "x.contoso.com");
        assert_eq!(numbered("ann@x.com", 2, 64).as_deref(), Some("ann2@x.com"));
        assert_eq!(
            numbered("abcdefghij", 12, 10).as_deref(),
            Some("abcdefgh12")
        );
        assert_eq!(truncate_chars("Müller", 2), "Mü");
        assert_eq!(char_len("Müller"), 6);
        assert!(is_x400_or_x500("X500:/o=Org") && is_x400_or_x500("x.400:c=US"));
        assert!(!is_x400_or_x500("x5:y"));
        assert_eq!(split_address("a@b@c"), None);
        assert!(domain_problem("contoso.com").is_none());
        assert!(domain_problem("-x.com").is_some());
        assert!(domain_problem("x_y.com").is_some());
    }
}
