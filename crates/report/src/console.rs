//! What `assess` prints once it has written the assessment: the verdict, the score and the key
//! figures of the executive page, and where the files are, in the report's language. The
//! consultant sees at once whether the deployment is ready without opening a file.

use crate::i18n::Lang;
use crate::view;
use crate::words;
use hybridready_assessment::{Assessment, Comparison};
use std::fmt::Write;
use std::path::Path;

/// `text` safe to print on a terminal: control characters (ANSI and OSC escape sequences start
/// with one), DEL, C1 controls and the bidirectional overrides and isolates a directory value
/// or a file name may carry are shown as `<U+001B>`, so nothing from the inputs can move the
/// cursor, retitle the window or reverse the text around it. Line breaks and tabs stay.
pub fn terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(
                c,
                '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            )
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The summary as lines of text (no colour, no terminal codes: it may go to a log).
pub fn summary(a: &Assessment, lang: Lang, out: &Path, report: bool) -> String {
    let t = lang.catalog();
    let score = view::score_view(t, a);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} · {} {}",
        words::verdict(t, a.verdict),
        t.get("cover.score"),
        score.text
    );
    let _ = writeln!(s, "{}", view::verdict_sentence(t, a));
    let _ = writeln!(s, "{}", score.note);
    let figures = view::key_figures(t, a);
    let width = figures
        .iter()
        .map(|f| f.value.chars().count())
        .max()
        .unwrap_or(0);
    for f in &figures {
        let pad = width - f.value.chars().count();
        let _ = write!(s, "  {}{}  {}", " ".repeat(pad), f.value, f.label);
        if let Some(n) = &f.note {
            let _ = write!(s, " ({n})");
        }
        s.push('\n');
    }
    // What the ingest left out is listed by `inspect`, not here; a count says it is there.
    let values: u64 = a.inputs.iter().map(|i| i.value_errors).sum();
    let rows: u64 = a.inputs.iter().map(|i| i.rejected).sum();
    // "no bad values and 1 rejected row" read oddly: only what was found is named.
    let problems = match (values, rows) {
        (0, 0) => None,
        (_, 0) => Some("console.input_problems.values"),
        (0, _) => Some("console.input_problems.rows"),
        _ => Some("console.input_problems.both"),
    };
    if let Some(key) = problems {
        let _ = writeln!(
            s,
            "{}",
            t.msg(key, &[("values", values.into()), ("rows", rows.into())])
        );
    }
    if !a.scenario.conflicts.is_empty() {
        let _ = writeln!(s, "{}", t.get("console.setting_conflicts"));
        for c in &a.scenario.conflicts {
            let _ = writeln!(s, "  {}", words::setting_conflict(t, c));
        }
    }
    let passed_over = a
        .inputs
        .iter()
        .filter(|i| i.status == hybridready_assessment::InputStatus::Ignored)
        .count() as u64;
    if passed_over > 0 {
        let _ = writeln!(
            s,
            "{}",
            t.msg("console.passed_over", &[("count", passed_over.into())])
        );
    }
    let key = if report {
        "console.written"
    } else {
        "console.written_no_report"
    };
    let _ = writeln!(
        s,
        "{}",
        t.msg(key, &[("dir", out.display().to_string().into())])
    );
    s
}

/// What `batch` prints once it has written the comparison: one line per variant with its
/// verdict, score and the figures the variants are compared on.
pub fn comparison(c: &Comparison, lang: Lang, out: &Path, report: bool) -> String {
    let t = lang.catalog();
    let head = [
        t.get("col.variant").to_string(),
        t.get("col.verdict").to_string(),
        t.get("cmp.score").to_string(),
        t.get("cmp.coverage").to_string(),
        t.get("cmp.sfb_unsynced").to_string(),
        t.get("cmp.broken_end").to_string(),
    ];
    let rows: Vec<[String; 6]> = c
        .variants
        .iter()
        .map(|v| {
            [
                v.name.clone(),
                words::verdict(t, v.verdict),
                t.int(u64::from(v.score)),
                t.pct(v.sync.coverage),
                t.int(v.sync.sfb_unsynced),
                t.int(v.breaks.end.broken_pairs),
            ]
        })
        .collect();
    let mut width = head.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    for r in std::iter::once(&head).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(width).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            // Names and verdicts to the left, figures to the right.
            if i < 2 {
                let _ = write!(line, "{cell}{pad}  ");
            } else {
                let _ = write!(line, "{pad}{cell}  ");
            }
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
    let key = if report {
        "console.compared"
    } else {
        "console.compared_no_report"
    };
    let _ = writeln!(
        s,
        "{}",
        t.msg(key, &[("dir", out.display().to_string().into())])
    );
    s
}

#[cfg(test)]
mod tests {
    use super::terminal;

    #[test]
    fn escapes_and_overrides_are_shown_not_obeyed() {
        assert_eq!(terminal("Zoë Ünal\tok\n"), "Zoë Ünal\tok\n");
        assert_eq!(
            terminal("\u{1b}[31mred\u{1b}]0;title\u{7}"),
            "<U+001B>[31mred<U+001B>]0;title<U+0007>"
        );
        assert_eq!(terminal("a\u{202E}cba\u{2066}"), "a<U+202E>cba<U+2066>");
        assert_eq!(terminal("\r\u{85}\u{7f}"), "<U+000D><U+0085><U+007F>");
    }
}
