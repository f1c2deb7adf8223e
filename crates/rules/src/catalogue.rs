//! The catalogue's text forms, generated from the rule declarations: the `hybridready rules`
//! table, its JSON and Markdown forms, and `hybridready explain RULE-ID`. Strings only; the CLI
//! prints them.

use super::registry::{Rule, all};
use super::tld::TLD_LIST_DATE;
use serde::Serialize;
use std::fmt::Write;

/// A rule as the JSON catalogue shows it.
#[derive(Serialize)]
pub struct RuleDoc {
    pub id: &'static str,
    pub severity: &'static str,
    pub effect: &'static str,
    pub kinds: Vec<&'static str>,
    pub reads: Vec<&'static str>,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
    pub source: &'static str,
    pub since: &'static str,
}

impl RuleDoc {
    pub fn of(r: &Rule) -> RuleDoc {
        RuleDoc {
            id: r.id,
            severity: r.severity.as_str(),
            effect: r.effect.as_str(),
            kinds: r.kinds.iter().map(|k| k.as_str()).collect(),
            reads: r.reads.iter().map(|f| f.name()).collect(),
            summary: r.summary,
            explanation: r.explanation,
            fix: r.fix,
            source: r.source,
            since: r.since,
        }
    }
}

/// The catalogue as JSON: `{tld_list_date, rules: [...]}`.
pub fn json() -> String {
    #[derive(Serialize)]
    struct Catalogue {
        tld_list_date: &'static str,
        rules: Vec<RuleDoc>,
    }
    let c = Catalogue {
        tld_list_date: TLD_LIST_DATE,
        rules: all().iter().map(|r| RuleDoc::of(r)).collect(),
    };
    serde_json::to_string_pretty(&c).unwrap_or_default() + "\n"
}

/// The catalogue as a terminal table: one line per rule, its source on the next.
pub fn table() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<15} {:<8} {:<13} {:<21} SUMMARY",
        "ID", "SEVERITY", "EFFECT", "APPLIES TO"
    );
    for r in all() {
        let kinds: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
        let _ = writeln!(
            out,
            "{:<15} {:<8} {:<13} {:<21} {}",
            r.id,
            r.severity.as_str(),
            r.effect.as_str(),
            kinds.join(","),
            r.summary
        );
        let _ = writeln!(out, "{:<15} source: {}", "", r.source);
    }
    let _ = writeln!(
        out,
        "\n{} rules. `hybridready explain RULE-ID` gives the full text. Top-level domains: Public Suffix List of {TLD_LIST_DATE}.",
        all().len()
    );
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The catalogue as Markdown: a summary table, then one section per rule.
pub fn markdown() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# hybridready sync-readiness rules\n");
    let _ = writeln!(
        out,
        "Generated from the rule declarations in `src/rules/` by `hybridready rules --format markdown`. \
         Top-level domains are checked against the Public Suffix List of {TLD_LIST_DATE}.\n"
    );
    let _ = writeln!(
        out,
        "| id | severity | effect | applies to | reads | summary |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for r in all() {
        let kinds: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
        let reads: Vec<&str> = r.reads.iter().map(|f| f.name()).collect();
        let _ = writeln!(
            out,
            "| [{id}](#{anchor}) | {} | {} | {} | {} | {} |",
            r.severity.as_str(),
            r.effect.as_str(),
            kinds.join(", "),
            reads.join(", "),
            md_cell(r.summary),
            id = r.id,
            anchor = r.id.to_ascii_lowercase(),
        );
    }
    for r in all() {
        let _ = writeln!(out, "\n## {}\n\n{}\n", r.id, r.summary);
        let _ = writeln!(
            out,
            "Severity **{}**, effect **{}**, since {}.\n",
            r.severity.as_str(),
            r.effect.as_str(),
            r.since
        );
        let _ = writeln!(
            out,
            "**Why.** {}\n\n**Fix.** {}\n\n**Source.** {}",
            r.explanation, r.fix, r.source
        );
    }
    out
}

/// Everything about one rule, for `hybridready explain`.
pub fn explain(r: &Rule) -> String {
    let mut out = String::new();
    let kinds: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
    let reads: Vec<&str> = r.reads.iter().map(|f| f.name()).collect();
    let _ = writeln!(out, "{}: {}\n", r.id, r.summary);
    let _ = writeln!(out, "  severity    {}", r.severity.as_str());
    let _ = writeln!(out, "  effect      {}", r.effect.as_str());
    let _ = writeln!(out, "  applies to  {}", kinds.join(", "));
    let _ = writeln!(out, "  reads       {}", reads.join(", "));
    let _ = writeln!(out, "  since       {}\n", r.since);
    let _ = writeln!(out, "Why\n{}", wrap(r.explanation, 96, "  "));
    let _ = writeln!(out, "Fix\n{}", wrap(r.fix, 96, "  "));
    let _ = writeln!(out, "Source");
    for s in r.source.split("; ") {
        let _ = writeln!(out, "  {s}");
    }
    out
}

/// Words wrapped to `width` columns, each line indented.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.chars().count() > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::by_id;

    #[test]
    fn every_form_lists_every_rule_with_its_source() {
        let (t, m, j) = (table(), markdown(), json());
        let parsed: serde_json::Value = serde_json::from_str(&j).unwrap();
        let rules = parsed["rules"].as_array().unwrap();
        assert_eq!(rules.len(), all().len());
        for r in all() {
            assert!(t.contains(r.id) && t.contains(r.source), "{}", r.id);
            assert!(m.contains(&format!("## {}", r.id)), "{}", r.id);
            assert!(
                rules
                    .iter()
                    .any(|x| x["id"] == r.id && x["source"] == r.source)
            );
        }
    }

    #[test]
    fn explain_shows_the_tld_list_date() {
        let text = explain(by_id("UPN-TLD").unwrap());
        assert!(text.contains(TLD_LIST_DATE), "{text}");
        assert!(text.contains("Why") && text.contains("Fix") && text.contains("Source"));
    }
}
