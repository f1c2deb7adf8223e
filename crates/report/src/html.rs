//! `report.html` and `comparison.html`: one self-contained file each (inline CSS, inline SVG, one
//! small inline script for sorting and filtering; no network, enforced by a Content Security
//! Policy), laid out from the same [`View`] as the PDF.
//!
//! Owns: HTML markup and escaping. Must not touch: wording (the view) or data.
//!
//! Every string that comes from the customer's directory goes through [`escape`] and sits in a
//! `<bdi>` so a right-to-left name cannot reorder the text around it. The script reads cells with
//! `textContent` and never writes markup, so nothing in the data can become code.
//!
//! The page fits a 1280 px window and an A4 page with no horizontal overflow: table cells wrap
//! customer data at its punctuation ([`data_cell`]) and never inside a word, the comparison's
//! many columns have their headers on their side, and print shrinks type and padding. Sortable
//! headers are buttons carrying `aria-sort`; statuses sort by rank; all text meets WCAG AA
//! contrast. `tests/html_browser.rs` checks all of this in Chromium.

use super::charts::{Chart, palette};
use super::view::{CheckView, ComparisonView, EXEC_ACTIONS, View};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values (and for XML).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        // Control characters mean nothing in a report and are not allowed in XML.
        c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
        c => out.push(c),
    }
}

/// Customer data: escaped, isolated for bidirectional text.
fn data(s: &str) -> String {
    format!("<bdi>{}</bdi>", escape(s))
}

/// Customer data in a table cell: as [`data`], with line-break opportunities (`<wbr>`, which
/// copied text does not contain) inside long tokens, so that a table fits its page without
/// breaking a word between two letters: before `@` `.` `(` `[` `{` and after `,` `;` `/` `\`
/// `|` `-` `_` `:` inside a token (a distinguished name, an address, a path), then between the
/// words of a camel-case name longer than [`CAMEL_RUN`] characters (`Primary|User|Address`),
/// and last into equal parts a run longer than [`MAX_RUN`] (a 47-letter local part, a digest).
fn data_cell(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let solid = |i: usize| chars.get(i).is_some_and(|c| !c.is_whitespace());
    let mut cuts = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 || !solid(i - 1) || !solid(i + 1) {
            continue;
        }
        if matches!(c, '@' | '.' | '(' | '[' | '{') {
            cuts.push(i);
        } else if matches!(c, ',' | ';' | '/' | '\\' | '|' | '-' | '_' | ':') {
            cuts.push(i + 1);
        }
    }
    // The runs between two opportunities (a space or a cut so far, in order): cut those that
    // are still too long.
    let mut more = Vec::new();
    let mut run = 0;
    for i in 0..=chars.len() {
        let space = chars.get(i).is_some_and(|c| c.is_whitespace());
        if i == chars.len() || space || cuts.binary_search(&i).is_ok() {
            more.extend(long_run_cuts(&chars[run..i], run));
            run = if space { i + 1 } else { i };
        }
    }
    cuts.extend(more);
    cuts.sort_unstable();
    cuts.dedup();
    format!("<bdi>{}</bdi>", escape_with_breaks(&chars, &cuts))
}

/// The characters, escaped, with a `<wbr>` before each of the sorted `cuts`.
fn escape_with_breaks(chars: &[char], cuts: &[usize]) -> String {
    let mut out = String::with_capacity(chars.len() + 8 + cuts.len() * 5);
    for (i, &c) in chars.iter().enumerate() {
        if cuts.binary_search(&i).is_ok() {
            out.push_str("<wbr>");
        }
        push_escaped(&mut out, c);
    }
    out
}

/// The longest run of characters that a table cell keeps unbroken: longer than any ordinary
/// English or French word.
const MAX_RUN: usize = 20;

/// The longest camel-case name that a table cell keeps unbroken (`userCertificate`).
const CAMEL_RUN: usize = 16;

/// Where to cut a run with no break opportunity (its characters, at `offset` in the text): at
/// its camel-case boundaries when it is longer than [`CAMEL_RUN`], then into equal parts what
/// is longer than [`MAX_RUN`].
fn long_run_cuts(run: &[char], offset: usize) -> Vec<usize> {
    if run.len() <= CAMEL_RUN {
        return Vec::new();
    }
    let mut bounds = vec![0];
    bounds.extend((1..run.len()).filter(|&i| run[i - 1].is_lowercase() && run[i].is_uppercase()));
    bounds.push(run.len());
    let mut cuts = Vec::new();
    for w in bounds.windows(2) {
        if w[0] > 0 {
            cuts.push(offset + w[0]);
        }
        cuts.extend(equal_cuts(w[1] - w[0], MAX_RUN).map(|k| offset + w[0] + k));
    }
    cuts
}

/// The inner cuts that divide `len` characters into the fewest equal parts of at most `max`.
fn equal_cuts(len: usize, max: usize) -> impl Iterator<Item = usize> {
    let parts = len.div_ceil(max).max(1);
    let size = len.div_ceil(parts);
    (1..parts).map(move |k| k * size)
}

/// A fingerprint in groups of eight digits that may wrap between them.
fn fingerprint(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let cuts: Vec<usize> = equal_cuts(chars.len(), 8).collect();
    escape_with_breaks(&chars, &cuts)
}

fn style() -> String {
    let navy = palette::hex(palette::NAVY);
    let green = palette::hex(palette::GREEN);
    let amber = palette::hex(palette::AMBER);
    let red = palette::hex(palette::RED);
    let ink = palette::hex(palette::INK);
    let muted = palette::hex(palette::MUTED);
    let dark_labels = chart_dark_labels();
    // Amber is the one status colour light enough for dark text to read better than white.
    let amber_text = if contrast(palette::AMBER, (255, 255, 255)) >= 4.5 {
        "#fff"
    } else {
        "var(--ink)"
    };
    format!(
        r#"
:root{{--navy:{navy};--green:{green};--amber:{amber};--red:{red};--ink:{ink};--muted:{muted};--line:#dde3e9;--zebra:#f3f6f9}}
*{{box-sizing:border-box}}
body{{margin:0;font-family:"DejaVu Sans",Verdana,"Segoe UI",Arial,sans-serif;font-size:14px;line-height:1.5;color:var(--ink);background:#eef1f4;overflow-wrap:break-word}}
.page{{max-width:1040px;margin:0 auto;background:#fff;padding:0 40px 48px;box-shadow:0 0 12px rgba(0,0,0,.08)}}
header.cover{{background:var(--navy);color:#fff;margin:0 -40px 24px;padding:32px 40px 28px}}
header.cover .kind{{text-transform:uppercase;letter-spacing:.12em;font-size:12px;opacity:.8}}
header.cover h1{{margin:6px 0 4px;font-size:30px;line-height:1.2}}
header.cover .sub{{opacity:.9;margin:0 0 18px}}
header.cover dl{{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}}
header.cover dt{{opacity:.75}} header.cover dd{{margin:0;font-weight:bold}}
nav.toc{{border-bottom:1px solid var(--line);padding:0 0 12px;margin-bottom:8px;font-size:13px}}
nav.toc a{{color:var(--navy);margin-right:14px;text-decoration:none;white-space:nowrap}}
h2{{color:var(--navy);font-size:22px;border-bottom:2px solid var(--navy);padding-bottom:4px;margin:36px 0 12px}}
h3{{color:var(--navy);font-size:17px;margin:24px 0 8px}}
h4{{font-size:14px;margin:16px 0 6px}}
p.lead{{font-size:15px}}
.muted{{color:var(--muted)}}
.pill{{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:bold;color:#fff;white-space:nowrap}}
.pill.pass{{background:var(--green)}} .pill.warn{{background:var(--amber);color:{amber_text}}} .pill.fail{{background:var(--red)}} .pill.none{{background:var(--muted)}}
.verdict{{display:flex;gap:20px;align-items:center;border:1px solid var(--line);border-left:8px solid var(--muted);padding:14px 18px;margin:12px 0}}
.verdict.pass{{border-left-color:var(--green)}} .verdict.warn{{border-left-color:var(--amber)}} .verdict.fail{{border-left-color:var(--red)}}
.verdict .score{{font-size:30px;font-weight:bold;color:var(--navy);white-space:nowrap}}
.tiles{{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:12px 0}}
@media (max-width:700px){{.tiles{{grid-template-columns:repeat(2,1fr)}}}}
.tile{{border:1px solid var(--line);border-top:4px solid var(--navy);padding:10px 12px}}
.tile .v{{font-size:22px;font-weight:bold}} .tile .l{{font-size:12px;color:var(--muted)}}
.tile.good{{border-top-color:var(--green)}} .tile.bad{{border-top-color:var(--red)}} .tile.warn{{border-top-color:var(--amber)}}
.tile.good .v{{color:var(--green)}} .tile.bad .v{{color:var(--red)}}
table{{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:13px}}
th{{background:var(--navy);color:#fff;text-align:left;padding:6px 6px;font-weight:bold;vertical-align:bottom}}
td{{padding:5px 6px;border-bottom:1px solid var(--line);vertical-align:top}}
tbody tr:nth-child(even){{background:var(--zebra)}}
td.n,th.n{{text-align:right}} td.n{{white-space:nowrap}}
tfoot td{{font-weight:bold;border-top:2px solid var(--navy)}}
th button{{display:block;width:100%;font:inherit;color:inherit;text-align:inherit;background:none;border:0;margin:0;padding:0;cursor:pointer}}
th button:focus-visible{{outline:2px solid #fff;outline-offset:2px}}
th[aria-sort=ascending] button::after{{content:" ▲";font-size:10px}}
th[aria-sort=descending] button::after{{content:" ▼";font-size:10px}}
table.matrix th:not(:first-child){{padding:6px 4px;text-align:left}}
table.matrix th .v{{display:inline-block;writing-mode:vertical-rl;transform:rotate(180deg);max-height:12em}}
table.matrix td{{padding:5px 4px}} table.matrix td:first-child{{padding-left:6px}}
table.matrix .pill{{display:block;white-space:normal;text-align:center;border-radius:4px;padding:1px 4px}}
.filter{{display:flex;gap:12px;align-items:center;margin:10px 0 0;font-size:12px;color:var(--muted)}}
.filter input{{font:inherit;font-size:13px;padding:4px 8px;border:1px solid #b8c2cc;border-radius:4px;min-width:240px}}
figure{{margin:14px 0}} figure svg{{width:100%;max-width:900px;height:auto;display:block}}
{dark_labels}{{fill:var(--ink)}}
ul.objects{{margin:4px 0 8px;padding-left:20px;font-size:12px}}
.check{{border-left:3px solid var(--line);padding:2px 0 2px 12px;margin:10px 0}}
.check.fail{{border-left-color:var(--red)}} .check.warn{{border-left-color:var(--amber)}}
.mono{{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:11px}}
.rule{{border:1px solid var(--line);padding:8px 14px;margin:10px 0}}
ul.causes{{margin:4px 0 6px;padding-left:20px}}
dl.scope{{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}} dl.scope dt{{color:var(--muted)}} dl.scope dd{{margin:0}}
.bar{{display:inline-block;width:4px;height:1em;vertical-align:middle;margin-right:6px;background:var(--muted)}} .bar.fail{{background:var(--red)}} .bar.warn{{background:var(--amber)}}
.rule h4{{margin:4px 0}}
footer{{margin-top:40px;border-top:1px solid var(--line);padding-top:10px;font-size:12px;color:var(--muted)}}
@media print{{
body{{background:#fff}} .page{{box-shadow:none;max-width:none;padding:0}} header.cover{{margin:0 0 20px;padding:20px 24px}}
.filter,nav.toc{{display:none}} h2{{break-after:avoid}} tr{{break-inside:avoid}}
table{{font-size:10px}} th,td,table.matrix td:first-child{{padding:3px 4px}} .pill,table.matrix .pill{{font-size:10px;padding:0 5px}}
header.cover,th,.pill{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
th button{{display:contents}} /* Chromium paints no button in a header repeated on the next page */
}}
"#
    )
}

/// The selector of the charts' white figures that sit on a bar too light for white text (the
/// charts are shared with the PDF, so the page darkens them rather than the chart).
fn chart_dark_labels() -> String {
    use palette::*;
    [
        NAVY, GREEN, AMBER, RED, MUTED, GREY, BLUE, LIGHT_BLUE, TEAL, HOUSING, DIM, GRID,
    ]
    .iter()
    .filter(|c| contrast(**c, (255, 255, 255)) < 4.5)
    .map(|c| {
        format!(
            r##"figure svg rect[fill="{}" i]+text[fill="#ffffff" i]"##,
            hex(*c)
        )
    })
    .collect::<Vec<_>>()
    .join(",")
}

/// WCAG's contrast ratio of two sRGB colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |c: (u8, u8, u8)| {
        let ch = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Sorting and filtering. Reads cells with textContent only: never parses or writes markup.
///
/// Each header holds a `<button>` (focusable; Enter and Space click it) and carries `aria-sort`:
/// `none`, or `ascending`/`descending` on the column the rows are sorted by. A cell's `data-v`
/// (a number, or the rank of a status: fail 3, warn 2, info 1, pass 0) sorts before its text; a
/// status column sorts the worst first on its first click.
const SCRIPT: &str = r#"
(function(){
  var lang=document.documentElement.lang||undefined;
  function val(td){var v=td?td.getAttribute('data-v'):null;return v!==null?parseFloat(v):(td?td.textContent.trim():'');}
  function cmp(x,y){
    if(typeof x==='number'&&typeof y==='number')return x-y;
    return String(x).localeCompare(String(y),lang,{numeric:true,sensitivity:'base'});
  }
  document.querySelectorAll('table.data').forEach(function(tb){
    if(!tb.tHead||!tb.tBodies.length)return;
    var heads=Array.prototype.slice.call(tb.tHead.rows[0].cells);
    heads.forEach(function(th,i){
      var b=th.querySelector('button');
      if(!b)return;
      b.addEventListener('click',function(){
        var body=tb.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        var first=rows.length&&rows[0].cells[i]&&rows[0].cells[i].querySelector('.pill')?'descending':'ascending';
        var cur=th.getAttribute('aria-sort');
        var dir=cur==='ascending'?'descending':cur==='descending'?'ascending':first;
        var sign=dir==='ascending'?1:-1;
        rows.sort(function(a,c){return sign*cmp(val(a.cells[i]),val(c.cells[i]));});
        rows.forEach(function(r){body.appendChild(r);});
        heads.forEach(function(o){o.setAttribute('aria-sort',o===th?dir:'none');});
      });
    });
  });
  document.querySelectorAll('input[data-filter]').forEach(function(inp){
    var tb=document.getElementById(inp.getAttribute('data-filter'));
    var out=document.getElementById(inp.getAttribute('data-filter')+'-count');
    if(!tb)return;
    inp.addEventListener('input',function(){
      var q=inp.value.toLowerCase(),shown=0,rows=tb.tBodies[0].rows;
      Array.prototype.forEach.call(rows,function(r){var ok=r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!ok;if(ok)shown++;});
      if(out)out.textContent=out.getAttribute('data-template').replace('{shown}',shown).replace('{total}',rows.length);
    });
  });
})();
"#;

/// A sortable header cell: its label in a `<button>`, `aria-sort="none"` until the script sorts
/// by it. `class` is the cell's class (`n` for figures); `vertical` sets the label on its side,
/// for a table of many narrow columns.
fn sort_header(out: &mut String, label: &str, class: &str, vertical: bool) {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(r#" class="{class}""#)
    };
    let label = if vertical {
        format!(r#"<span class="v">{}</span>"#, escape(label))
    } else {
        escape(label)
    };
    let _ = write!(
        out,
        r#"<th scope="col" aria-sort="none"{class}><button type="button">{label}</button></th>"#
    );
}

/// A status or severity as a table cell: its pill, and its rank for sorting.
fn status_cell(out: &mut String, status: &str, label: &str) {
    let _ = write!(
        out,
        r#"<td data-v="{}">{}</td>"#,
        rank(status),
        pill(status, label)
    );
}

/// How bad a status or severity is: fail or error 3, warn or warning 2, info (or none) 1,
/// pass 0.
fn rank(status: &str) -> u8 {
    match pill_class(status) {
        "fail" => 3,
        "warn" => 2,
        "pass" => 0,
        _ => 1,
    }
}

/// A sortable, filterable table.
struct Table<'a> {
    id: String,
    t: &'a View,
    head: Vec<(String, bool)>,
    rows: Vec<Vec<Cell>>,
    /// A total row, kept below the rows whatever their order.
    foot: Option<Vec<Cell>>,
}

enum Cell {
    /// Customer data (escaped, in `<bdi>`).
    Data(String),
    /// Our own text (escaped).
    Text(String),
    /// A number: shown formatted, sorted by value.
    Num(String, f64),
    /// Trusted markup built here (links, lists of examples).
    Html(String),
    /// A status or severity (`pass`, `warn`, `fail`, `error`, `warning`, `info`…) and its
    /// label: shown as a pill, sorted by rank.
    Status(String, String),
}

impl<'a> Table<'a> {
    fn new(id: &str, t: &'a View, head: &[(&str, bool)]) -> Table<'a> {
        Table {
            id: id.into(),
            t,
            head: head
                .iter()
                .map(|(k, n)| (t.t.get(*k).cloned().unwrap_or_default(), *n))
                .collect(),
            rows: Vec::new(),
            foot: None,
        }
    }

    fn render(&self, out: &mut String, filter: bool) {
        if filter && self.rows.len() > 5 {
            let tpl = self.t.t.get("html.rows_shown").cloned().unwrap_or_default();
            let total = self.rows.len().to_string();
            let _ = write!(
                out,
                r#"<div class="filter"><input type="search" data-filter="{id}" placeholder="{ph}" aria-label="{ph}"><span id="{id}-count" data-template="{tpl}">{shown}</span></div>"#,
                id = escape(&self.id),
                ph = escape(
                    self.t
                        .t
                        .get("html.filter")
                        .map(String::as_str)
                        .unwrap_or("")
                ),
                tpl = escape(&tpl),
                shown = escape(&tpl.replace("{shown}", &total).replace("{total}", &total)),
            );
        }
        let _ = write!(
            out,
            r#"<table class="data" id="{}"><thead><tr>"#,
            escape(&self.id)
        );
        for (h, n) in &self.head {
            sort_header(out, h, if *n { "n" } else { "" }, false);
        }
        out.push_str("</tr></thead><tbody>");
        for r in &self.rows {
            out.push_str("<tr>");
            cells(out, r);
            out.push_str("</tr>");
        }
        out.push_str("</tbody>");
        if let Some(f) = &self.foot {
            out.push_str("<tfoot><tr>");
            cells(out, f);
            out.push_str("</tr></tfoot>");
        }
        out.push_str("</table>");
    }
}

/// A row's cells.
fn cells(out: &mut String, r: &[Cell]) {
    {
        {
            for c in r {
                match c {
                    Cell::Data(s) => {
                        let _ = write!(out, r#"<td dir="auto">{}</td>"#, data_cell(s));
                    }
                    Cell::Text(s) => {
                        let _ = write!(out, "<td>{}</td>", escape(s));
                    }
                    Cell::Num(s, v) => {
                        let _ = write!(out, r#"<td class="n" data-v="{v}">{}</td>"#, escape(s));
                    }
                    Cell::Html(s) => {
                        let _ = write!(out, "<td>{s}</td>");
                    }
                    Cell::Status(st, label) => status_cell(out, st, label),
                }
            }
        }
    }
}

fn pill_class(status: &str) -> &str {
    match status {
        "pass" | "warn" | "fail" => status,
        "error" => "fail",
        "warning" => "warn",
        _ => "none",
    }
}

fn pill(status: &str, label: &str) -> String {
    format!(
        r#"<span class="pill {}">{}</span>"#,
        pill_class(status),
        escape(label)
    )
}

/// The number behind a formatted figure (for sorting): its digits.
fn num_of(s: &str) -> f64 {
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    // Figures here are integers or percentages with one decimal in either locale.
    let norm = if digits.contains(',')
        && !digits.contains('.')
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits
            .rsplit(',')
            .next()
            .map(|x| x.len() == 1)
            .unwrap_or(false)
    {
        digits.replace(',', ".")
    } else {
        digits.replace(',', "")
    };
    norm.parse().unwrap_or(0.0)
}

fn inline_svg(c: &Chart) -> String {
    // plotters writes no XML declaration; strip one defensively so the SVG can sit inline.
    let s = c.svg.trim_start();
    let s = if s.starts_with("<?xml") {
        s.find("?>").map(|i| &s[i + 2..]).unwrap_or(s)
    } else {
        s
    };
    format!(
        r#"<figure role="img" aria-label="{}">{}</figure>"#,
        escape(&c.title),
        s
    )
}

fn msg<'v>(v: &'v View, k: &str) -> &'v str {
    v.t.get(k).map(String::as_str).unwrap_or("")
}

/// The whole readiness report.
pub fn report(v: &View, charts: &[Chart]) -> String {
    let chart = |key: &str| -> Option<String> {
        let file = v
            .charts
            .get(key)?
            .file
            .trim_start_matches("charts/")
            .to_string();
        charts.iter().find(|c| c.file == file).map(inline_svg)
    };
    let mut o = String::with_capacity(256 * 1024);
    let title = format!("{} · {}", msg(v, "report.title"), v.customer);
    let _ = write!(
        o,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="{tool}">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<div class="page">
<header class="cover">
<div class="kind">{kind}</div>
<h1>{h1}</h1>
<p class="sub">{sub}</p>
<dl>
<dt>{l_customer}</dt><dd dir="auto">{customer}</dd>
<dt>{l_scenario}</dt><dd dir="auto">{scenario}</dd>
<dt>{l_date}</dt><dd>{date}</dd>
<dt>{l_tool}</dt><dd>{tool}</dd>
</dl>
</header>
"#,
        lang = escape(&v.lang),
        tool = escape(&v.tool),
        title = escape(&title),
        style = style(),
        kind = escape(msg(v, "report.kind")),
        h1 = escape(msg(v, "report.title")),
        sub = escape(msg(v, "report.subtitle")),
        l_customer = escape(msg(v, "cover.customer")),
        customer = data(&v.customer),
        l_scenario = escape(msg(v, "cover.scenario")),
        scenario = data(&v.scenario),
        l_date = escape(msg(v, "cover.date")),
        date = escape(&v.date),
        l_tool = escape(msg(v, "cover.tool")),
    );

    // Table of contents.
    let toc = [
        ("exec", msg(v, "exec.title")),
        ("steps", msg(v, "steps.title")),
        ("plan", msg(v, "plan.title")),
        ("breaks", msg(v, "breaks.title")),
        ("quality", msg(v, "quality.title")),
        ("score", msg(v, "score.title")),
        ("rules", msg(v, "rules.title")),
        ("method", msg(v, "method.title")),
    ];
    let _ = write!(
        o,
        r#"<nav class="toc" aria-label="{}">"#,
        escape(msg(v, "html.contents"))
    );
    for (id, label) in &toc {
        // The space lets the line wrap between two entries, never inside one.
        let _ = write!(o, r##"<a href="#{id}">{}</a> "##, escape(label));
    }
    let _ = write!(
        o,
        r#"<noscript><span class="muted">{}</span></noscript></nav>"#,
        escape(msg(v, "html.noscript"))
    );

    // Executive summary: the verdict, the figures, what to do, the steps.
    let _ = write!(
        o,
        r#"<section id="exec"><h2>{}</h2><div class="verdict {st}"><div><div class="muted">{}</div><div class="score">{}</div></div><div>{} <p class="lead">{}</p><p class="muted">{}</p></div></div>"#,
        escape(msg(v, "exec.title")),
        escape(msg(v, "cover.score")),
        escape(&v.score.text),
        pill(&v.verdict.status, &v.verdict.label),
        escape(&v.verdict.sentence),
        escape(&v.score.note),
        st = escape(&v.verdict.status),
    );
    let _ = write!(
        o,
        "<h3>{}</h3><div class=\"tiles\">",
        escape(msg(v, "exec.key_figures"))
    );
    for f in &v.figures {
        let _ = write!(
            o,
            r#"<div class="tile {}"><div class="v">{}</div><div class="l">{}{}</div></div>"#,
            escape(&f.tone),
            escape(&f.value),
            escape(&f.label),
            f.note
                .as_ref()
                .map(|n| format!(" · {}", escape(n)))
                .unwrap_or_default()
        );
    }
    o.push_str("</div>");
    let _ = write!(o, "<h3>{}</h3>", escape(msg(v, "exec.steps")));
    let mut tb = Table::new(
        "t-steps",
        v,
        &[
            ("col.step", false),
            ("col.status", false),
            ("col.score", true),
            ("col.summary", false),
        ],
    );
    for s in &v.steps {
        tb.rows.push(vec![
            Cell::Html(format!(
                r##"<a href="#step-{}">{}. {}</a>"##,
                escape(&s.id),
                s.n,
                escape(&s.title)
            )),
            Cell::Status(s.status.clone(), s.status_label.clone()),
            Cell::Num(s.score.clone(), num_of(&s.score)),
            Cell::Text(s.line.clone()),
        ]);
    }
    tb.render(&mut o, false);
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        escape(msg(v, "exec.actions")),
        escape(msg(v, "exec.actions_intro"))
    );
    actions_html(&mut o, v, EXEC_ACTIONS, "t-actions-exec");
    if let Some(m) = &v.actions_more {
        let _ = write!(
            o,
            r##"<p class="muted"><a href="#plan">{}</a></p>"##,
            escape(m)
        );
    }
    let _ = write!(
        o,
        "<h3>{}</h3><dl class=\"scope\">",
        escape(msg(v, "cover.scope"))
    );
    for p in &v.scope {
        let _ = write!(
            o,
            r#"<dt>{}</dt><dd dir="auto">{}</dd>"#,
            escape(&p.title),
            data(&p.text)
        );
    }
    o.push_str("</dl>");
    if !v.assumptions.is_empty() {
        let _ = write!(o, "<h4>{}</h4><ul>", escape(msg(v, "cover.assumptions")));
        for a in &v.assumptions {
            let _ = write!(o, "<li>{}</li>", escape(a));
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>");

    // Steps.
    let _ = write!(
        o,
        r#"<section id="steps"><h2>{}</h2><p>{}</p>"#,
        escape(msg(v, "steps.title")),
        escape(msg(v, "steps.intro"))
    );
    if let Some(c) = chart("readiness") {
        o.push_str(&c);
    }
    for s in &v.steps {
        let _ = write!(
            o,
            r#"<h3 id="step-{id}">{} {} <span class="muted">{}</span></h3><p>{}</p>"#,
            escape(&s.heading),
            pill(&s.status, &s.status_label),
            escape(&s.score),
            escape(&s.what),
            id = escape(&s.id),
        );
        if s.checks.is_empty() {
            let _ = write!(
                o,
                r#"<p class="muted">{}</p>"#,
                escape(msg(v, "step.no_checks"))
            );
        } else {
            let _ = write!(o, "<h4>{}</h4>", escape(msg(v, "step.checks")));
            for c in &s.checks {
                check_html(&mut o, v, c);
            }
        }
        if s.id == "sync" {
            sync_html(&mut o, v, &chart);
        }
        if s.id == "manage" {
            waves_html(&mut o, v, &chart);
        }
    }
    o.push_str("</section>");

    // The action plan, whole.
    let _ = write!(
        o,
        r#"<section id="plan"><h2>{}</h2><p>{}</p>"#,
        escape(msg(v, "plan.title")),
        escape(msg(v, "exec.actions_intro"))
    );
    actions_html(&mut o, v, usize::MAX, "t-actions");
    o.push_str("</section>");

    // Communication breaks.
    let _ = write!(
        o,
        r#"<section id="breaks"><h2>{}</h2><p>{}</p>"#,
        escape(msg(v, "breaks.title")),
        escape(msg(v, "breaks.intro"))
    );
    if let Some(c) = chart("breaks") {
        o.push_str(&c);
    }
    let mut tb = Table::new(
        "t-breaks",
        v,
        &[
            ("breaks.metric", false),
            ("breaks.pilot", true),
            ("breaks.end", true),
        ],
    );
    for r in &v.breaks.rows {
        tb.rows.push(vec![
            Cell::Text(r.metric.clone()),
            Cell::Num(r.pilot.clone(), num_of(&r.pilot)),
            Cell::Num(r.end.clone(), num_of(&r.end)),
        ]);
    }
    tb.render(&mut o, false);
    let _ = write!(o, "<h3>{}</h3>", escape(msg(v, "breaks.top")));
    match &v.unsynced.none {
        Some(n) => {
            let _ = write!(o, "<p>{}</p>", escape(n));
        }
        None => {
            let _ = write!(o, "<p>{}</p>", escape(&v.unsynced.sentence));
            if let Some(c) = chart("unsynced") {
                o.push_str(&c);
            }
            let _ = write!(
                o,
                r#"<p class="muted">{}</p>"#,
                escape(msg(v, "breaks.top_note"))
            );
            let mut tb = Table::new(
                "t-unsynced",
                v,
                &[
                    ("col.sip", false),
                    ("col.home", false),
                    ("col.upn", false),
                    ("col.reasons", false),
                    ("col.impact_pilot", true),
                    ("col.impact_end", true),
                ],
            );
            for u in &v.unsynced.rows {
                tb.rows.push(vec![
                    Cell::Data(u.label.clone()),
                    Cell::Text(u.home.clone()),
                    Cell::Data(u.upn.clone()),
                    Cell::Data(u.reasons.clone()),
                    Cell::Num(u.pilot.clone(), num_of(&u.pilot)),
                    Cell::Num(u.end.clone(), u.end_n as f64),
                ]);
            }
            tb.render(&mut o, true);
            if let Some(m) = &v.unsynced.more {
                let _ = write!(o, r#"<p class="muted">{}</p>"#, escape(m));
            }
        }
    }
    o.push_str("</section>");

    // Data quality.
    let q = &v.quality;
    let _ = write!(
        o,
        r#"<section id="quality"><h2>{}</h2><p>{}</p><h3>{}</h3>"#,
        escape(msg(v, "quality.title")),
        escape(msg(v, "quality.intro")),
        escape(msg(v, "quality.inputs"))
    );
    let mut tb = Table::new(
        "t-inputs",
        v,
        &[
            ("col.file", false),
            ("col.status", false),
            ("col.format", false),
            ("col.rows", true),
            ("col.accepted", true),
            ("col.merged", true),
            ("col.rejected", true),
            ("col.value_errors", true),
            ("col.sha256", false),
        ],
    );
    for i in &q.inputs {
        let mut name = data_cell(&i.name);
        if let Some(r) = &i.refusal {
            let _ = write!(
                name,
                r#"<br><span class="muted" dir="auto">{}</span>"#,
                data_cell(r)
            );
        }
        let enc = [i.encoding.as_str(), i.delimiter.as_str()]
            .into_iter()
            .filter(|x| *x != "–")
            .collect::<Vec<_>>()
            .join(" · ");
        tb.rows.push(vec![
            Cell::Html(format!(r#"<span dir="auto">{name}</span>"#)),
            Cell::Status(
                match i.status.as_str() {
                    "read" => "pass",
                    "refused" => "fail",
                    _ => "none",
                }
                .into(),
                i.status_label.clone(),
            ),
            Cell::Html(format!(
                r#"{}<br><span class="muted">{}</span>"#,
                escape(&i.format),
                escape(&enc)
            )),
            Cell::Num(i.rows.clone(), num_of(&i.rows)),
            Cell::Num(i.accepted.clone(), num_of(&i.accepted)),
            Cell::Num(i.merged.clone(), num_of(&i.merged)),
            Cell::Num(i.rejected.clone(), num_of(&i.rejected)),
            Cell::Num(i.value_errors.clone(), num_of(&i.value_errors)),
            Cell::Html(format!(
                r#"<span class="mono">{}</span>"#,
                fingerprint(&i.sha256)
            )),
        ]);
    }
    tb.render(&mut o, true);
    if !q.pair_files.is_empty() {
        let _ = write!(o, "<h3>{}</h3>", escape(msg(v, "quality.pairs")));
        let mut tb = Table::new(
            "t-pairs",
            v,
            &[
                ("col.file", false),
                ("col.rows", true),
                ("col.accepted", true),
                ("col.rejected", true),
            ],
        );
        for p in &q.pair_files {
            tb.rows.push(vec![
                Cell::Data(p.file.clone()),
                Cell::Num(p.rows.clone(), num_of(&p.rows)),
                Cell::Num(p.accepted.clone(), num_of(&p.accepted)),
                Cell::Num(p.rejected.clone(), num_of(&p.rejected)),
            ]);
        }
        tb.render(&mut o, false);
    }
    let _ = write!(o, "<h3>{}</h3>", escape(msg(v, "quality.missing")));
    if q.missing.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(msg(v, "quality.missing_none")));
    } else {
        let mut tb = Table::new(
            "t-missing",
            v,
            &[
                ("col.file", false),
                ("col.column", false),
                ("col.leaves_unchecked", false),
            ],
        );
        for m in &q.missing {
            tb.rows.push(vec![
                Cell::Data(m.file.clone()),
                Cell::Data(m.column.clone()),
                Cell::Text(m.leaves_unchecked.clone()),
            ]);
        }
        tb.render(&mut o, true);
    }
    let _ = write!(o, "<h3>{}</h3>", escape(msg(v, "quality.directory")));
    let mut tb = Table::new(
        "t-directory",
        v,
        &[("col.figure", false), ("col.value_n", true)],
    );
    for (k, val) in &q.directory {
        tb.rows.push(vec![
            Cell::Text(k.clone()),
            Cell::Num(val.clone(), num_of(val)),
        ]);
    }
    tb.render(&mut o, false);
    let _ = write!(o, "<h4>{}</h4>", escape(msg(v, "quality.cycles")));
    if q.cycles.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(msg(v, "quality.cycles_none")));
    } else {
        o.push_str(r#"<ul class="objects">"#);
        for c in &q.cycles {
            let _ = write!(o, r#"<li dir="auto">{}</li>"#, data(c));
        }
        o.push_str("</ul>");
        if let Some(m) = &q.cycles_more {
            let _ = write!(o, r#"<p class="muted">{}</p>"#, escape(m));
        }
    }
    o.push_str("</section>");

    // What the score is made of.
    let _ = write!(
        o,
        r#"<section id="score"><h2>{}</h2><p>{}</p>"#,
        escape(msg(v, "score.title")),
        escape(msg(v, "score.intro"))
    );
    if v.score.costs.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(msg(v, "score.none")));
    } else {
        let mut tb = Table::new(
            "t-costs",
            v,
            &[
                ("col.step", false),
                ("col.check", false),
                ("col.status", false),
                ("col.points", true),
            ],
        );
        for c in &v.score.costs {
            tb.rows.push(vec![
                Cell::Text(c.step.clone()),
                Cell::Text(c.check.clone()),
                Cell::Status(c.status.clone(), c.status_label.clone()),
                Cell::Num(c.points.clone(), num_of(&c.points)),
            ]);
        }
        tb.render(&mut o, false);
    }
    let _ = write!(o, "<h3>{}</h3>", escape(msg(v, "score.by_step")));
    let mut tb = Table::new(
        "t-step-scores",
        v,
        &[("col.step", false), ("col.score", true)],
    );
    for (step, score) in &v.score.steps {
        tb.rows.push(vec![
            Cell::Text(step.clone()),
            Cell::Num(score.clone(), num_of(score)),
        ]);
    }
    tb.render(&mut o, false);
    let _ = write!(
        o,
        r#"<p class="lead">{}</p></section>"#,
        escape(&v.score.note)
    );

    // Appendix A: rules.
    let _ = write!(
        o,
        r#"<section id="rules"><h2>{}</h2>"#,
        escape(msg(v, "rules.title"))
    );
    if v.rules.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(msg(v, "rules.none")));
    } else {
        let _ = write!(o, "<p>{}</p>", escape(msg(v, "rules.intro")));
    }
    for r in &v.rules {
        let _ = write!(
            o,
            r#"<div class="rule" id="rule-{id}"><h4>{id_t} · {sev} · {eff} · {count}</h4>"#,
            id = escape(&r.id),
            id_t = escape(&r.id),
            sev = escape(&r.severity_label),
            eff = escape(&r.effect_label),
            count = escape(&r.count),
        );
        let _ = write!(
            o,
            "<p><strong>{}</strong></p><p><em>{}.</em> {}</p><p><em>{}.</em> {}</p><p class=\"muted\"><em>{}.</em> {}</p>",
            escape(&r.summary),
            escape(msg(v, "rules.why")),
            escape(&r.explanation),
            escape(msg(v, "rules.fix")),
            escape(&r.fix),
            escape(msg(v, "rules.source")),
            r.sources
                .iter()
                .map(|s| source_html(s))
                .collect::<Vec<_>>()
                .join(" · "),
        );
        o.push_str("</div>");
    }
    o.push_str("</section>");

    // Appendix B: method.
    let _ = write!(
        o,
        r#"<section id="method"><h2>{}</h2>"#,
        escape(msg(v, "method.title"))
    );
    for p in &v.method {
        let _ = write!(o, "<h4>{}</h4><p>{}</p>", escape(&p.title), escape(&p.text));
    }
    let _ = write!(
        o,
        r#"</section><footer>{} · {} · {} · {}</footer></div><script>{SCRIPT}</script></body></html>"#,
        escape(msg(v, "report.header")),
        data(&v.customer),
        escape(&v.date),
        escape(msg(v, "report.footer.confidential")),
    );
    o.push('\n');
    o
}

/// The action plan as a table: the first `max` actions.
fn actions_html(o: &mut String, v: &View, max: usize, id: &str) {
    if v.actions.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(msg(v, "exec.actions_none")));
        return;
    }
    let mut tb = Table::new(
        id,
        v,
        &[
            ("col.n", true),
            ("col.action", false),
            ("col.users_affected", true),
            ("col.objects", true),
            ("col.owner", false),
            ("col.unblocks", false),
            ("col.effort", false),
        ],
    );
    for a in v.actions.iter().take(max) {
        tb.rows.push(vec![
            Cell::Num(a.n.to_string(), a.n as f64),
            Cell::Html(format!(
                r#"<span class="bar {}"></span><bdi>{}</bdi> <span class="muted">({})</span>"#,
                escape(&a.status),
                escape(&a.action),
                escape(&a.checks)
            )),
            Cell::Num(a.users.clone(), num_of(&a.users)),
            Cell::Num(a.objects.clone(), num_of(&a.objects)),
            Cell::Text(a.owner.clone()),
            Cell::Text(a.step.clone()),
            Cell::Text(a.effort.clone()),
        ]);
    }
    tb.render(o, max == usize::MAX && v.actions.len() > 10);
}

/// A public source: a link (from the rules catalogue, not the customer's data).
fn source_html(s: &str) -> String {
    if s.starts_with("https://") && !s.contains(char::is_whitespace) {
        format!(
            r#"<a href="{}" rel="noopener noreferrer">{}</a>"#,
            escape(s),
            data_cell(s)
        )
    } else {
        escape(s)
    }
}

fn check_html(o: &mut String, v: &View, c: &CheckView) {
    let _ = write!(
        o,
        r#"<div class="check {st}"><div>{} <strong>{}</strong> {} <span class="muted">{}</span></div><div dir="auto">{}</div>"#,
        pill(&c.status, &c.status_label),
        escape(&c.id),
        escape(&c.title),
        escape(&c.cost),
        data(&c.message),
        st = escape(&c.status),
    );
    if !c.causes.is_empty() {
        o.push_str(r#"<ul class="causes">"#);
        for k in &c.causes {
            let _ = write!(o, r#"<li dir="auto">{}</li>"#, data(k));
        }
        o.push_str("</ul>");
    }
    if !c.objects.is_empty() {
        let _ = write!(
            o,
            r#"<div class="muted">{}</div><ul class="objects">"#,
            escape(
                &v.t.get("step.objects")
                    .cloned()
                    .unwrap_or_default()
                    .replace("{check}", &c.id)
            )
        );
        for ob in &c.objects {
            let _ = write!(o, r#"<li dir="auto">{}</li>"#, data(ob));
        }
        o.push_str("</ul>");
        if let Some(m) = &c.objects_more {
            let _ = write!(o, r#"<div class="muted">{}</div>"#, escape(m));
        }
    }
    o.push_str("</div>");
}

fn sync_html(o: &mut String, v: &View, chart: &dyn Fn(&str) -> Option<String>) {
    let s = &v.sync;
    let _ = write!(
        o,
        r#"<h3>{}</h3><p class="lead">{}</p><p>{}</p>"#,
        escape(msg(v, "sync.title")),
        escape(&s.sentence),
        escape(&s.in_scope)
    );
    for (key, rows, title, id) in [
        (
            "coverage_domain",
            &s.domains,
            msg(v, "sync.by_domain").to_string(),
            "t-domains",
        ),
        ("coverage_ou", &s.ous, s.ous_title.clone(), "t-ous"),
    ] {
        if rows.is_empty() {
            continue;
        }
        let _ = write!(o, "<h4>{}</h4>", escape(&title));
        if let Some(c) = chart(key) {
            o.push_str(&c);
        }
        let mut tb = Table::new(
            id,
            v,
            &[
                (
                    if key == "coverage_ou" {
                        "col.ou"
                    } else {
                        "col.domain"
                    },
                    false,
                ),
                ("col.sfb_users", true),
                ("col.synced", true),
                ("col.out_of_scope", true),
                ("col.blocked", true),
                ("col.coverage", true),
            ],
        );
        for r in rows {
            tb.rows.push(vec![
                Cell::Data(r.name.clone()),
                Cell::Num(r.sfb_users.clone(), num_of(&r.sfb_users)),
                Cell::Num(r.synced.clone(), num_of(&r.synced)),
                Cell::Num(r.out_of_scope.clone(), num_of(&r.out_of_scope)),
                Cell::Num(r.blocked.clone(), num_of(&r.blocked)),
                Cell::Num(r.coverage.clone(), num_of(&r.coverage)),
            ]);
        }
        tb.render(o, true);
        if key == "coverage_ou"
            && let Some(m) = &s.ous_more
        {
            let _ = write!(o, r#"<p class="muted">{}</p>"#, escape(m));
        }
    }
    if !s.reasons.is_empty() {
        let _ = write!(
            o,
            r#"<h4>{}</h4><p class="muted">{}</p>"#,
            escape(msg(v, "sync.reasons")),
            escape(msg(v, "sync.reasons_note"))
        );
        let mut tb = Table::new(
            "t-reasons",
            v,
            &[
                ("sync.reason", false),
                ("col.objects", true),
                ("col.objects_sfb", true),
            ],
        );
        for r in &s.reasons {
            tb.rows.push(vec![
                Cell::Data(r.reason.clone()),
                Cell::Num(r.objects.clone(), num_of(&r.objects)),
                Cell::Num(r.sfb_users.clone(), num_of(&r.sfb_users)),
            ]);
        }
        let t = &s.reasons_total;
        tb.foot = Some(vec![
            Cell::Html(format!("<strong>{}</strong>", escape(&t.reason))),
            Cell::Num(t.objects.clone(), num_of(&t.objects)),
            Cell::Num(t.sfb_users.clone(), num_of(&t.sfb_users)),
        ]);
        tb.render(o, false);
    }
    // Attribute findings.
    let f = &v.findings;
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        escape(msg(v, "findings.title")),
        escape(&f.sentence)
    );
    if !f.any {
        return;
    }
    if let Some(c) = chart("findings") {
        o.push_str(&c);
    }
    let _ = write!(
        o,
        r#"<h4>{}</h4><p class="muted">{}</p>"#,
        escape(msg(v, "findings.by_rule")),
        escape(msg(v, "findings.rules_note"))
    );
    let mut tb = Table::new(
        "t-rules",
        v,
        &[
            ("col.rule", false),
            ("col.severity", false),
            ("col.effect", false),
            ("col.count", true),
            ("findings.objects", true),
            ("col.summary", false),
            ("findings.examples", false),
        ],
    );
    for r in &f.rules {
        let mut ex = r
            .examples
            .iter()
            .map(|e| data_cell(e))
            .collect::<Vec<_>>()
            .join("<br>");
        if let Some(m) = &r.more {
            let _ = write!(ex, r#"<br><span class="muted">{}</span>"#, escape(m));
        }
        tb.rows.push(vec![
            Cell::Html(format!(r##"<a href="#rule-{0}">{0}</a>"##, escape(&r.id))),
            Cell::Status(r.severity.clone(), r.severity_label.clone()),
            Cell::Text(r.effect_label.clone()),
            Cell::Num(r.count.clone(), r.count_n as f64),
            Cell::Num(r.objects.clone(), num_of(&r.objects)),
            Cell::Text(r.summary.clone()),
            Cell::Html(format!(r#"<span dir="auto" class="mono">{ex}</span>"#)),
        ]);
    }
    tb.render(o, true);
    let _ = write!(o, "<h4>{}</h4>", escape(&f.sample_caption));
    let mut tb = Table::new(
        "t-findings",
        v,
        &[
            ("col.rule", false),
            ("col.severity", false),
            ("col.object", false),
            ("col.attribute", false),
            ("col.value", false),
            ("col.suggested", false),
            ("col.message", false),
        ],
    );
    for r in &f.sample {
        tb.rows.push(vec![
            Cell::Text(r.rule.clone()),
            Cell::Status(r.severity.clone(), r.severity_label.clone()),
            Cell::Data(r.object.clone()),
            Cell::Data(r.attribute.clone()),
            Cell::Data(r.value.clone()),
            Cell::Data(r.suggested.clone()),
            Cell::Data(r.message.clone()),
        ]);
    }
    tb.render(o, true);
}

fn waves_html(o: &mut String, v: &View, chart: &dyn Fn(&str) -> Option<String>) {
    let w = &v.waves;
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        escape(msg(v, "waves.title")),
        escape(&w.sentence)
    );
    if w.rows.is_empty() {
        return;
    }
    if let Some(split) = &w.split {
        let _ = write!(o, "<p>{}</p>", escape(split));
    }
    if let Some(c) = chart("waves") {
        o.push_str(&c);
    }
    let mut cols = vec![("col.wave", false)];
    if w.weeks {
        cols.push(("col.week", true));
    }
    if w.dates {
        cols.push(("col.starts", false));
    }
    cols.extend([
        ("col.users", true),
        ("col.pairs_across", true),
        ("col.broken_unsynced", true),
    ]);
    let mut tb = Table::new("t-waves", v, &cols);
    for r in &w.rows {
        let mut row = vec![Cell::Text(r.wave.clone())];
        if w.weeks {
            row.push(Cell::Num(r.week.clone(), num_of(&r.week)));
        }
        if w.dates {
            row.push(Cell::Text(r.starts.clone()));
        }
        for x in [&r.users, &r.across, &r.broken] {
            row.push(Cell::Num(x.clone(), num_of(x)));
        }
        tb.rows.push(row);
    }
    tb.render(o, true);
}

/// The comparison report of a batch.
pub fn comparison(v: &ComparisonView, chart: Option<&Chart>) -> String {
    let t = |k: &str| v.t.get(k).map(String::as_str).unwrap_or("");
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{style}</style>
</head>
<body><div class="page">
<header class="cover"><div class="kind">{kind}</div><h1>{title}</h1><dl><dt>{l_date}</dt><dd>{date}</dd><dt>{l_tool}</dt><dd>{tool}</dd></dl></header>
<p>{intro}</p>
"#,
        lang = escape(&v.lang),
        title = escape(t("cmp.title")),
        style = style(),
        kind = escape(t("report.title")),
        l_date = escape(t("cover.date")),
        date = escape(&v.date),
        l_tool = escape(t("cover.tool")),
        tool = escape(&v.tool),
        intro = escape(t("cmp.intro")),
    );
    if v.rows.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(t("cmp.none")));
    }
    if let Some(c) = chart {
        o.push_str(&inline_svg(c));
    }
    // The measures, then the steps: two tables, each of which fits the page; the steps'
    // headers stand on their side.
    let _ = write!(
        o,
        r#"<h2>{}</h2><table class="data" id="t-variants"><thead><tr>"#,
        escape(t("cmp.measures")),
    );
    sort_header(&mut o, t("col.variant"), "", false);
    sort_header(&mut o, t("col.verdict"), "", false);
    for k in [
        "cmp.coverage",
        "cmp.sfb_unsynced",
        "cmp.broken_pilot",
        "cmp.broken_end",
        "cmp.blockers",
        "cmp.score",
    ] {
        sort_header(&mut o, t(k), "n", true);
    }
    o.push_str("</tr></thead><tbody>");
    for r in &v.rows {
        let _ = write!(o, r#"<tr><td dir="auto">{}</td>"#, data_cell(&r.name));
        status_cell(&mut o, &r.verdict_status, &r.verdict);
        for (k, val) in [
            &r.coverage,
            &r.sfb_unsynced,
            &r.broken_pilot,
            &r.broken_end,
            &r.blockers,
            &r.score,
        ]
        .iter()
        .enumerate()
        {
            let b = r.best.get(k).copied().unwrap_or(false);
            let _ = write!(
                o,
                r#"<td class="n" data-v="{}">{}{}{}</td>"#,
                num_of(val),
                if b { "<strong>" } else { "" },
                escape(val),
                if b { "</strong>" } else { "" }
            );
        }
        o.push_str("</tr>");
    }
    let _ = write!(
        o,
        r#"</tbody></table><h2>{}</h2><table class="data matrix" id="t-variant-steps"><thead><tr>"#,
        escape(t("cmp.steps")),
    );
    sort_header(&mut o, t("col.variant"), "", false);
    for s in &v.step_titles {
        sort_header(&mut o, s, "", true);
    }
    o.push_str("</tr></thead><tbody>");
    for r in &v.rows {
        let _ = write!(o, r#"<tr><td dir="auto">{}</td>"#, data_cell(&r.name));
        for (st, label) in &r.steps {
            status_cell(&mut o, st, label);
        }
        o.push_str("</tr>");
    }
    let _ = write!(
        o,
        r#"</tbody></table><footer>{} · {}</footer></div><script>{SCRIPT}</script></body></html>"#,
        escape(t("report.header")),
        escape(&v.date)
    );
    o.push('\n');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_markup_inert() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("a\u{0}b"), "a\u{fffd}b");
    }

    #[test]
    fn cells_wrap_long_tokens_at_punctuation_never_inside_a_word() {
        assert_eq!(
            data_cell("CN=Jane Doe,OU=Staff,DC=contoso,DC=com"),
            "<bdi>CN=Jane Doe,<wbr>OU=Staff,<wbr>DC=contoso,<wbr>DC=com</bdi>"
        );
        assert_eq!(
            data_cell("jane.doe@contoso.com"),
            "<bdi>jane<wbr>.doe<wbr>@contoso<wbr>.com</bdi>"
        );
        // Ordinary words, a leading or trailing sign, and short camel case stay whole.
        for s in [
            "Directory synchronisation",
            "Synchronisation de l’annuaire",
            ".william collins.",
            "userCertificate",
        ] {
            assert_eq!(data_cell(s), data(s), "{s}");
        }
        assert_eq!(
            data_cell("msExchRecipientTypeDetails"),
            "<bdi>ms<wbr>Exch<wbr>Recipient<wbr>Type<wbr>Details</bdi>"
        );
        // A run with no opportunity at all is cut into equal parts of at most MAX_RUN.
        let long = "longlocalpart".repeat(4);
        let cell = data_cell(&format!("a.{long}@x.com"));
        let parts: Vec<&str> = cell
            .trim_start_matches("<bdi>")
            .trim_end_matches("</bdi>")
            .split("<wbr>")
            .collect();
        assert!(
            parts.iter().all(|p| p.chars().count() <= MAX_RUN),
            "{parts:?}"
        );
        assert_eq!(parts.concat(), format!("a.{long}@x.com"));
        // Escaped as ever: without its breaks, a cell is the data's escaped text.
        let hostile = r#"<script>alert("x")</script>,o'brien@x.com"#;
        assert_eq!(
            data_cell(hostile).replace("<wbr>", ""),
            data(hostile),
            "{hostile}"
        );
    }

    #[test]
    fn fingerprints_wrap_in_groups_of_eight() {
        let sha = "0123456789abcdef".repeat(4);
        assert_eq!(fingerprint(&sha).split("<wbr>").count(), 8);
        assert_eq!(fingerprint(&sha).replace("<wbr>", ""), sha);
    }

    #[test]
    fn statuses_rank_worst_highest() {
        assert!(rank("fail") > rank("warn") && rank("warn") > rank("pass"));
        assert!(rank("error") > rank("warning") && rank("warning") > rank("info"));
    }

    #[test]
    fn numbers_for_sorting() {
        assert_eq!(num_of("1,234"), 1234.0);
        assert_eq!(num_of("1\u{202f}234"), 1234.0);
        assert_eq!(num_of("87.5%"), 87.5);
        assert_eq!(num_of("87,5\u{a0}%"), 87.5);
    }
}
