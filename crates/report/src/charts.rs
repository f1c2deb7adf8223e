//! The charts: standalone SVG files drawn with `plotters`, embedded as vectors in the PDF and
//! inline in the HTML.
//!
//! Owns: chart layout, the palette and text fitting. Must not touch: data selection (each chart
//! gets bounded, already-chosen rows) or wording (every label comes from the catalogue).
//!
//! Text widths are measured with the metrics of the embedded DejaVu Sans (plotters alone only
//! estimates them without its font-kit feature, which needs system libraries), so a label that
//! would overflow is shortened with "…" instead of being clipped. Every text names its font
//! explicitly: usvg, which typst uses to place SVG into the PDF, silently drops text whose font
//! it cannot resolve.

use super::i18n::Catalog;
use hybridready_assessment::{Breaks, CoverageRow, Status, Step, Variant};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The font every chart text names. Fallbacks serve browsers without DejaVu (Verdana has
/// nearly the same metrics, so the measured fit still holds).
pub const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// The palette, shared with the PDF template and the HTML style sheet.
pub mod palette {
    pub const NAVY: (u8, u8, u8) = (0x1b, 0x36, 0x5d);
    pub const INK: (u8, u8, u8) = (0x26, 0x32, 0x38);
    pub const MUTED: (u8, u8, u8) = (0x60, 0x6f, 0x7b);
    pub const GRID: (u8, u8, u8) = (0xe1, 0xe6, 0xeb);
    pub const GREEN: (u8, u8, u8) = (0x2e, 0x7d, 0x32);
    pub const AMBER: (u8, u8, u8) = (0xb4, 0x53, 0x09);
    pub const RED: (u8, u8, u8) = (0xc6, 0x28, 0x28);
    pub const GREY: (u8, u8, u8) = (0xa7, 0xb1, 0xba);
    pub const BLUE: (u8, u8, u8) = (0x1e, 0x6f, 0xb8);
    pub const LIGHT_BLUE: (u8, u8, u8) = (0x9c, 0xc3, 0xe6);
    pub const TEAL: (u8, u8, u8) = (0x00, 0x79, 0x8a);
    pub const HOUSING: (u8, u8, u8) = (0x37, 0x47, 0x4f);
    pub const DIM: (u8, u8, u8) = (0x55, 0x64, 0x6c);

    pub fn hex(c: (u8, u8, u8)) -> String {
        format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
    }
}

fn rgb(c: (u8, u8, u8)) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub fn status_color(s: Status) -> (u8, u8, u8) {
    match s {
        Status::Pass => palette::GREEN,
        Status::Warn => palette::AMBER,
        Status::Fail => palette::RED,
    }
}

/// A chart ready to write: its file name under `charts/`, and the SVG text.
#[derive(Clone, Debug)]
pub struct Chart {
    pub file: &'static str,
    pub title: String,
    pub svg: String,
}

type DrawResult<T = ()> = Result<T, String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart drawing failed: {e:?}")
}

// ---------------------------------------------------------------------------------------------
// Text measurement

fn face(bold: bool) -> Option<&'static ttf_parser::Face<'static>> {
    static REGULAR: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, dejavu::sans::bold())
    } else {
        (&REGULAR, dejavu::sans::regular())
    };
    cell.get_or_init(|| ttf_parser::Face::parse(bytes, 0).ok())
        .as_ref()
}

/// The advance width of `s` in DejaVu Sans at `px` pixels.
pub fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    let Some(f) = face(bold) else {
        // Without metrics, a generous estimate keeps text inside its box.
        return s.chars().count() as f64 * px * 0.62;
    };
    let upem = f64::from(f.units_per_em());
    let fallback = f64::from(f.units_per_em()) * 0.6;
    s.chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map(f64::from)
                .unwrap_or(fallback)
        })
        .sum::<f64>()
        * px
        / upem
}

/// `s` shortened with "…" so that it fits `max` pixels.
pub fn fit(s: &str, px: f64, bold: bool, max: f64) -> String {
    let s = clean(s);
    if text_width(&s, px, bold) <= max {
        return s;
    }
    let ell = text_width("…", px, bold);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), px, bold);
        if w + cw + ell > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}

/// Control characters are not allowed in XML and mean nothing in a label.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Splits `s` into at most `lines` lines of at most `max` pixels, the last one shortened with "…".
fn wrap(s: &str, px: f64, bold: bool, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let cand = if cur.is_empty() {
            words[i].to_string()
        } else {
            format!("{cur} {}", words[i])
        };
        if text_width(&cand, px, bold) <= max || cur.is_empty() {
            cur = cand;
            i += 1;
        } else {
            out.push(std::mem::take(&mut cur));
            if out.len() == lines - 1 {
                break;
            }
        }
    }
    let rest = if i < words.len() {
        let mut r = cur.clone();
        for w in &words[i..] {
            if !r.is_empty() {
                r.push(' ');
            }
            r.push_str(w);
        }
        r
    } else {
        cur
    };
    if !rest.is_empty() {
        out.push(fit(&rest, px, bold, max));
    }
    out.into_iter().map(|l| fit(&l, px, bold, max)).collect()
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers over a plotters drawing area

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

struct Canvas<'a> {
    area: Area<'a>,
    w: i32,
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
}

impl<'a> Canvas<'a> {
    fn new(buf: &'a mut String, w: u32, h: u32) -> DrawResult<Canvas<'a>> {
        let area = SVGBackend::with_string(buf, (w, h)).into_drawing_area();
        area.fill(&WHITE).map_err(err)?;
        Ok(Canvas { area, w: w as i32 })
    }

    fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, c: (u8, u8, u8)) -> DrawResult {
        let (x0, x1) = (x0.round() as i32, x1.round() as i32);
        let (y0, y1) = (y0.round() as i32, y1.round() as i32);
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], rgb(c).filled()))
            .map_err(err)
    }

    /// A rectangle with rounded corners (plotters has none: a polygon with arc points).
    fn rounded(&self, x0: f64, y0: f64, x1: f64, y1: f64, r: f64, c: (u8, u8, u8)) -> DrawResult {
        let mut pts = Vec::new();
        let corners = [
            (x1 - r, y0 + r, -90.0),
            (x1 - r, y1 - r, 0.0),
            (x0 + r, y1 - r, 90.0),
            (x0 + r, y0 + r, 180.0),
        ];
        for (cx, cy, start) in corners {
            for k in 0..=6 {
                let a: f64 = (start + 15.0 * f64::from(k)).to_radians();
                pts.push((
                    (cx + r * a.cos()).round() as i32,
                    (cy + r * a.sin()).round() as i32,
                ));
            }
        }
        self.area
            .draw(&Polygon::new(pts, rgb(c).filled()))
            .map_err(err)
    }

    fn circle(&self, x: f64, y: f64, r: f64, c: (u8, u8, u8), opacity: f64) -> DrawResult {
        self.area
            .draw(&Circle::new(
                (x.round() as i32, y.round() as i32),
                r.round() as i32,
                rgb(c).mix(opacity).filled(),
            ))
            .map_err(err)
    }

    fn line(&self, x0: f64, y0: f64, x1: f64, y1: f64, c: (u8, u8, u8), wid: u32) -> DrawResult {
        self.area
            .draw(&PathElement::new(
                vec![
                    (x0.round() as i32, y0.round() as i32),
                    (x1.round() as i32, y1.round() as i32),
                ],
                rgb(c).stroke_width(wid),
            ))
            .map_err(err)
    }

    /// Text vertically centred on `y`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        s: &str,
        x: f64,
        y: f64,
        px: f64,
        bold: bool,
        c: (u8, u8, u8),
        align: Align,
    ) -> DrawResult {
        let s = clean(s);
        if s.trim().is_empty() {
            return Ok(());
        }
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        // plotters writes font-size = size / 1.24; this gives `px` in the SVG.
        let font: FontDesc = (FONT, px * 1.24, style).into();
        let h = match align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
        };
        let color = rgb(c);
        let ts = TextStyle::from(font)
            .color(&color)
            .pos(Pos::new(h, VPos::Center));
        self.area
            .draw(&Text::new(s, (x.round() as i32, y.round() as i32), ts))
            .map_err(err)
    }

    /// The chart title, top left, shortened to the width.
    fn title(&self, s: &str) -> DrawResult {
        let t = fit(s, 15.0, true, f64::from(self.w) - 24.0);
        self.text(&t, 12.0, 18.0, 15.0, true, palette::NAVY, Align::Left)
    }

    /// A row of legend entries (colour square + label) starting at (x, y). Returns the end x.
    fn legend(&self, x: f64, y: f64, items: &[(&str, (u8, u8, u8))]) -> DrawResult<f64> {
        let mut x = x;
        for (label, c) in items {
            self.rect(x, y - 5.0, x + 10.0, y + 5.0, *c)?;
            self.text(label, x + 15.0, y, 11.0, false, palette::INK, Align::Left)?;
            x += 15.0 + text_width(label, 11.0, false) + 18.0;
        }
        Ok(x)
    }

    fn empty(&self, msg: &str, y: f64) -> DrawResult {
        self.text(
            msg,
            f64::from(self.w) / 2.0,
            y,
            13.0,
            false,
            palette::MUTED,
            Align::Center,
        )
    }

    fn finish(self) -> DrawResult {
        self.area.present().map_err(err)
    }
}

/// A "nice" axis step for a maximum (1, 2, 2.5 or 5 × 10^k), aiming at about five ticks.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let m = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 2.5 {
        2.5
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    (m * mag).max(1.0)
}

/// Adds `<title>` (accessibility, and the name shown on hover) after the opening `<svg …>` tag.
fn with_title(svg: String, title: &str) -> String {
    let esc = super::html::escape(title);
    match svg.find('>') {
        Some(i) => format!("{}<title>{esc}</title>{}", &svg[..=i], &svg[i + 1..]),
        None => svg,
    }
}

// ---------------------------------------------------------------------------------------------
// Horizontal stacked bars: coverage by domain/OU, findings by rule, unsynced users

struct Series<'s> {
    label: &'s str,
    color: (u8, u8, u8),
}

struct BarRow {
    label: String,
    values: Vec<u64>,
}

/// Horizontal bars, one row per item, stacked (or side by side when `grouped`) by series.
fn hbars(
    t: &Catalog,
    title: &str,
    axis: &str,
    series: &[Series],
    rows: &[BarRow],
    grouped: bool,
) -> DrawResult<String> {
    const W: u32 = 720;
    let row_h = if grouped { 27.0 } else { 24.0 };
    let top = 58.0;
    let n = rows.len().max(1) as f64;
    let plot_h = n * row_h;
    let h = (top + plot_h + 46.0).round() as u32;
    let mut buf = String::new();
    {
        let cv = Canvas::new(&mut buf, W, h)?;
        cv.title(title)?;
        cv.legend(
            12.0,
            40.0,
            &series
                .iter()
                .map(|s| (s.label, s.color))
                .collect::<Vec<_>>(),
        )?;
        if rows.is_empty() {
            cv.empty(t.get("chart.empty"), top + plot_h / 2.0)?;
            cv.finish()?;
            return Ok(with_title(buf, title));
        }
        let label_px = 12.0;
        let widest = rows
            .iter()
            .map(|r| text_width(&r.label, label_px, false))
            .fold(0.0, f64::max);
        let label_w = widest.clamp(60.0, f64::from(W) * 0.38);
        let x0 = 12.0 + label_w + 10.0;
        let total_of = |r: &BarRow| -> u64 {
            if grouped {
                r.values.iter().copied().max().unwrap_or(0)
            } else {
                r.values.iter().sum()
            }
        };
        let max = rows.iter().map(total_of).max().unwrap_or(0) as f64;
        // Room on the right for the value printed after the longest bar.
        let value_room = text_width(&t.int(max as u64), 11.0, true) + 12.0;
        let x1 = f64::from(W) - 12.0 - value_room;
        let step = nice_step(max);
        let axis_max = ((max / step).ceil() * step).max(step);
        let sx = |v: f64| x0 + (x1 - x0) * v / axis_max;
        // Grid and tick labels.
        let mut v = 0.0;
        while v <= axis_max + 1e-9 {
            let x = sx(v);
            cv.line(x, top - 4.0, x, top + plot_h, palette::GRID, 1)?;
            cv.text(
                &t.int(v as u64),
                x,
                top + plot_h + 12.0,
                10.5,
                false,
                palette::MUTED,
                Align::Center,
            )?;
            v += step;
        }
        cv.text(
            axis,
            (x0 + x1) / 2.0,
            top + plot_h + 32.0,
            11.0,
            false,
            palette::MUTED,
            Align::Center,
        )?;
        for (i, r) in rows.iter().enumerate() {
            let yc = top + row_h * (i as f64 + 0.5);
            let label = fit(&r.label, label_px, false, label_w);
            cv.text(&label, 12.0, yc, label_px, false, palette::INK, Align::Left)?;
            if grouped {
                let k = r.values.len().max(1) as f64;
                let bh = (row_h - 8.0) / k;
                for (j, (val, s)) in r.values.iter().zip(series).enumerate() {
                    let y = yc - (row_h - 8.0) / 2.0 + bh * j as f64;
                    cv.rect(sx(0.0), y, sx(*val as f64), y + bh - 1.0, s.color)?;
                    cv.text(
                        &t.int(*val),
                        sx(*val as f64) + 5.0,
                        y + bh / 2.0,
                        10.0,
                        j + 1 == r.values.len(),
                        palette::INK,
                        Align::Left,
                    )?;
                }
            } else {
                let bh = row_h - 9.0;
                let mut acc = 0.0;
                for (val, s) in r.values.iter().zip(series) {
                    let (a, b) = (sx(acc), sx(acc + *val as f64));
                    cv.rect(a, yc - bh / 2.0, b, yc + bh / 2.0, s.color)?;
                    // A segment's own figure only when it fits inside it.
                    let lbl = t.int(*val);
                    if *val > 0
                        && r.values.iter().filter(|x| **x > 0).count() > 1
                        && text_width(&lbl, 10.0, false) + 8.0 < b - a
                    {
                        cv.text(
                            &lbl,
                            (a + b) / 2.0,
                            yc,
                            10.0,
                            false,
                            (255, 255, 255),
                            Align::Center,
                        )?;
                    }
                    acc += *val as f64;
                }
                cv.text(
                    &t.int(total_of(r)),
                    sx(acc) + 6.0,
                    yc,
                    11.0,
                    true,
                    palette::INK,
                    Align::Left,
                )?;
            }
        }
        cv.line(x0, top - 4.0, x0, top + plot_h, palette::MUTED, 1)?;
        cv.finish()?;
    }
    Ok(with_title(buf, title))
}

/// Keeps the first `max` rows and folds the rest into one "Others (n)" row.
fn cap_rows(mut rows: Vec<BarRow>, max: usize, t: &Catalog) -> Vec<BarRow> {
    if rows.len() <= max {
        return rows;
    }
    let rest = rows.split_off(max - 1);
    let k = rows.first().map(|r| r.values.len()).unwrap_or(0);
    let mut values = vec![0u64; k];
    for r in &rest {
        for (a, b) in values.iter_mut().zip(&r.values) {
            *a += *b;
        }
    }
    rows.push(BarRow {
        label: t.fmt("chart.others", &[("count", &t.int(rest.len() as u64))]),
        values,
    });
    rows
}

fn coverage_rows(rows: &[CoverageRow]) -> Vec<BarRow> {
    let mut v: Vec<&CoverageRow> = rows.iter().collect();
    // Largest first; ties by name so the order never depends on the input order.
    v.sort_by(|a, b| b.sfb_users.cmp(&a.sfb_users).then(a.name.cmp(&b.name)));
    v.into_iter()
        .map(|r| BarRow {
            // An OU by its place (`contoso.com/Staff/Contractors`), a domain by its name.
            label: r.path.clone().unwrap_or_else(|| r.name.clone()),
            values: vec![r.synced, r.out_of_scope, r.blocked],
        })
        .collect()
}

fn coverage_series(t: &Catalog) -> Vec<Series<'_>> {
    vec![
        Series {
            label: t.get("chart.legend.synced"),
            color: palette::GREEN,
        },
        Series {
            label: t.get("chart.legend.out_of_scope"),
            color: palette::GREY,
        },
        Series {
            label: t.get("chart.legend.blocked"),
            color: palette::RED,
        },
    ]
}

/// SfB sync coverage by domain: synced, out of scope, blocked by errors.
pub fn coverage_by_domain(t: &Catalog, rows: &[CoverageRow]) -> DrawResult<Chart> {
    let title = t.get("chart.coverage_domain.title").to_string();
    let rows = cap_rows(coverage_rows(rows), 12, t);
    let svg = hbars(
        t,
        &title,
        t.get("chart.axis.users"),
        &coverage_series(t),
        &rows,
        false,
    )?;
    Ok(Chart {
        file: "coverage-by-domain.svg",
        title,
        svg,
    })
}

/// The number of OUs the OU chart shows.
pub const TOP_OUS: usize = 12;

/// SfB sync coverage for the OUs with the most SfB users.
pub fn coverage_by_ou(t: &Catalog, rows: &[CoverageRow]) -> DrawResult<Chart> {
    let mut rows = coverage_rows(rows);
    rows.truncate(TOP_OUS);
    let title = t.fmt(
        "chart.coverage_ou.title",
        &[("count", &t.int(rows.len() as u64))],
    );
    let svg = hbars(
        t,
        &title,
        t.get("chart.axis.users"),
        &coverage_series(t),
        &rows,
        false,
    )?;
    Ok(Chart {
        file: "coverage-by-ou.svg",
        title,
        svg,
    })
}

/// One rule's findings, by its severity (a rule has one).
pub struct RuleBar {
    pub rule: String,
    pub severity: hybridready_assessment::Severity,
    pub count: u64,
}

/// How many rules the findings chart shows by name; the others are folded into one bar, but a
/// rule whose findings are errors (they block sync) is never folded.
const RULE_BARS: usize = 15;

/// Findings by rule, coloured by severity, largest first.
pub fn findings_by_rule(t: &Catalog, rules: &[RuleBar]) -> DrawResult<Chart> {
    use hybridready_assessment::Severity;
    let title = t.get("chart.findings.title").to_string();
    let mut v: Vec<&RuleBar> = rules.iter().filter(|r| r.count > 0).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
    let values = |r: &RuleBar| match r.severity {
        Severity::Error => vec![r.count, 0, 0],
        Severity::Warning => vec![0, r.count, 0],
        Severity::Info => vec![0, 0, r.count],
    };
    let errors = v.iter().filter(|r| r.severity == Severity::Error).count();
    let named = RULE_BARS.max(errors + 1);
    let mut rows: Vec<BarRow> = Vec::new();
    let mut rest: Vec<&RuleBar> = Vec::new();
    for r in v {
        if r.severity == Severity::Error || rows.len() + 1 < named {
            rows.push(BarRow {
                label: r.rule.clone(),
                values: values(r),
            });
        } else {
            rest.push(r);
        }
    }
    if rest.len() == 1 {
        rows.push(BarRow {
            label: rest[0].rule.clone(),
            values: values(rest[0]),
        });
    } else if !rest.is_empty() {
        let mut sum = vec![0u64; 3];
        for r in &rest {
            for (a, b) in sum.iter_mut().zip(values(r)) {
                *a += b;
            }
        }
        rows.push(BarRow {
            label: t.msg(
                "chart.other_rules",
                &[("count", crate::i18n::Arg::N(rest.len() as u64))],
            ),
            values: sum,
        });
    }
    let series = [
        Series {
            label: t.get("severity.error"),
            color: palette::RED,
        },
        Series {
            label: t.get("severity.warning"),
            color: palette::AMBER,
        },
        Series {
            label: t.get("severity.info"),
            color: palette::BLUE,
        },
    ];
    let svg = hbars(
        t,
        &title,
        t.get("chart.axis.findings"),
        &series,
        &rows,
        false,
    )?;
    Ok(Chart {
        file: "findings-by-rule.svg",
        title,
        svg,
    })
}

/// One unsynchronised user in the impact chart: its label, its impact after the pilot and at
/// the end.
pub struct ImpactBar {
    pub label: String,
    pub after_pilot: u64,
    pub at_end: u64,
}

/// The unsynced users with the most impact: after the pilot and at the end, side by side.
pub fn top_unsynced(t: &Catalog, users: &[ImpactBar]) -> DrawResult<Chart> {
    let title = t.get("chart.unsynced.title").to_string();
    let rows: Vec<BarRow> = users
        .iter()
        .take(10)
        .map(|u| BarRow {
            label: u.label.clone(),
            values: vec![u.after_pilot, u.at_end],
        })
        .collect();
    let series = [
        Series {
            label: t.get("chart.legend.after_pilot"),
            color: palette::LIGHT_BLUE,
        },
        Series {
            label: t.get("chart.legend.at_end"),
            color: palette::BLUE,
        },
    ];
    let svg = hbars(
        t,
        &title,
        t.get("chart.axis.online_users"),
        &series,
        &rows,
        true,
    )?;
    Ok(Chart {
        file: "top-unsynced.svg",
        title,
        svg,
    })
}

// ---------------------------------------------------------------------------------------------
// Readiness by step: six traffic lights

pub fn readiness(t: &Catalog, steps: &[Step]) -> DrawResult<Chart> {
    const W: u32 = 720;
    const H: u32 = 262;
    let title = t.get("chart.readiness.title").to_string();
    let mut buf = String::new();
    {
        let cv = Canvas::new(&mut buf, W, H)?;
        cv.title(&title)?;
        if steps.is_empty() {
            cv.empty(t.get("chart.empty"), 130.0)?;
        }
        let n = steps.len().max(1) as f64;
        let col = (f64::from(W) - 24.0) / n;
        // One font size for every title, small enough that no single word has to be cut
        // ("Synchronisation" in French), and never below 10 px.
        let widest_word = steps
            .iter()
            .flat_map(|s| {
                t.get(&format!("step.{}.title", s.id.as_str()))
                    .split_whitespace()
                    .map(|w| text_width(w, 1.0, true))
                    .collect::<Vec<_>>()
            })
            .fold(0.0, f64::max);
        let title_px = if widest_word > 0.0 {
            ((col - 8.0) / widest_word).clamp(10.0, 12.0)
        } else {
            12.0
        };
        for (i, s) in steps.iter().enumerate() {
            let cx = 12.0 + col * (i as f64 + 0.5);
            // Housing and three lamps: red, amber, green from the top, the lit one in colour.
            let (hw, hh, top) = (40.0, 104.0, 56.0);
            cv.rounded(
                cx - hw / 2.0,
                top,
                cx + hw / 2.0,
                top + hh,
                9.0,
                palette::HOUSING,
            )?;
            for (k, st) in [Status::Fail, Status::Warn, Status::Pass]
                .iter()
                .enumerate()
            {
                let y = top + 18.0 + 34.0 * k as f64;
                if *st == s.status {
                    cv.circle(cx, y, 14.0, status_color(*st), 0.25)?;
                    cv.circle(cx, y, 12.0, status_color(*st), 1.0)?;
                } else {
                    cv.circle(cx, y, 12.0, palette::DIM, 1.0)?;
                }
            }
            // "Step n" above the light, the title (up to two lines) below it.
            cv.text(
                &t.fmt("chart.step", &[("n", &(i + 1).to_string())]),
                cx,
                top - 9.0,
                11.0,
                false,
                palette::MUTED,
                Align::Center,
            )?;
            let title = t.get(&format!("step.{}.title", s.id.as_str())).to_string();
            let lines = wrap(&title, title_px, true, col - 8.0, 2);
            let mut y = top + hh + 18.0;
            for l in &lines {
                cv.text(l, cx, y, title_px, true, palette::INK, Align::Center)?;
                y += 15.0;
            }
            let y = top + hh + 18.0 + 15.0 * 2.0 + 4.0;
            let label = t.get(status_key(s.status));
            cv.text(
                &fit(label, 12.0, true, col - 8.0),
                cx,
                y,
                12.0,
                true,
                status_color(s.status),
                Align::Center,
            )?;
            let nb = s.blockers().count() as u64;
            if nb > 0 {
                let b = t.msg(
                    "chart.blockers_count",
                    &[("count", crate::i18n::Arg::N(nb))],
                );
                cv.text(
                    &fit(&b, 11.0, false, col - 8.0),
                    cx,
                    y + 16.0,
                    11.0,
                    false,
                    palette::MUTED,
                    Align::Center,
                )?;
            }
        }
        cv.finish()?;
    }
    Ok(Chart {
        file: "readiness.svg",
        svg: with_title(buf, &title),
        title,
    })
}

pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Pass => "status.pass",
        Status::Warn => "status.warn",
        Status::Fail => "status.fail",
    }
}

// ---------------------------------------------------------------------------------------------
// Breaks after the pilot and at the end: the three figures on one scale, with an axis

pub fn breaks(t: &Catalog, b: &Breaks) -> DrawResult<Chart> {
    let title = t.get("chart.breaks.title").to_string();
    let rows: Vec<BarRow> = [
        (
            "breaks.broken_pairs",
            b.pilot.broken_pairs,
            b.end.broken_pairs,
        ),
        (
            "breaks.unsynced_users_breaking",
            b.pilot.unsynced_users_breaking,
            b.end.unsynced_users_breaking,
        ),
        (
            "breaks.online_users_affected",
            b.pilot.online_users_affected,
            b.end.online_users_affected,
        ),
    ]
    .into_iter()
    .map(|(k, p, e)| BarRow {
        label: t.get(k).to_string(),
        values: vec![p, e],
    })
    .collect();
    let series = [
        Series {
            label: t.get("chart.legend.after_pilot"),
            color: palette::LIGHT_BLUE,
        },
        Series {
            label: t.get("chart.legend.at_end"),
            color: palette::NAVY,
        },
    ];
    let svg = hbars(t, &title, t.get("chart.axis.count"), &series, &rows, true)?;
    Ok(Chart {
        file: "breaks.svg",
        svg,
        title,
    })
}

// ---------------------------------------------------------------------------------------------
// Move waves over time: users online before each slot, and the users it moves, on one scale

/// One slot of the timeline: a wave, a week of waves, or a run of waves when there are many.
pub struct TimelineSlot {
    pub label: String,
    /// Users online before the slot (already online, and moved by earlier slots).
    pub before: u64,
    pub moved: u64,
}

/// Slots the timeline draws at most (runs of waves are merged above that).
pub const TIMELINE_SLOTS: usize = 40;

/// `by_week`: the slots are calendar weeks (else waves).
pub fn timeline(t: &Catalog, slots: &[TimelineSlot], by_week: bool) -> DrawResult<Chart> {
    const W: u32 = 720;
    const H: u32 = 300;
    let title = t.get("chart.timeline.title").to_string();
    let mut buf = String::new();
    {
        let cv = Canvas::new(&mut buf, W, H)?;
        cv.title(&title)?;
        cv.legend(
            12.0,
            40.0,
            &[
                (t.get("chart.legend.online_before"), palette::LIGHT_BLUE),
                (t.get("chart.legend.moved"), palette::NAVY),
            ],
        )?;
        let (top, bottom) = (62.0, f64::from(H) - 44.0);
        if slots.is_empty() {
            cv.empty(t.get("chart.empty"), (top + bottom) / 2.0)?;
            cv.finish()?;
            return Ok(Chart {
                file: "waves.svg",
                svg: with_title(buf, &title),
                title,
            });
        }
        let max = slots.iter().map(|s| s.before + s.moved).max().unwrap_or(0) as f64;
        let step = nice_step(max);
        let axis_max = ((max / step).ceil() * step).max(step);
        let x0 = 16.0 + text_width(&t.int(axis_max as u64), 10.5, false);
        let x1 = f64::from(W) - 12.0;
        let sy = |v: f64| bottom - (bottom - top) * v / axis_max;
        let mut v = 0.0;
        while v <= axis_max + 1e-9 {
            let y = sy(v);
            cv.line(x0, y, x1, y, palette::GRID, 1)?;
            cv.text(
                &t.int(v as u64),
                x0 - 4.0 - text_width(&t.int(v as u64), 10.5, false),
                y,
                10.5,
                false,
                palette::MUTED,
                Align::Left,
            )?;
            v += step;
        }
        let slot_w = (x1 - x0) / slots.len() as f64;
        let bar_w = (slot_w * 0.7).max(1.0);
        // Every label when they fit, else every k-th.
        let widest = slots
            .iter()
            .map(|s| text_width(&s.label, 10.0, false))
            .fold(0.0, f64::max);
        let every = ((widest + 6.0) / slot_w).ceil().max(1.0) as usize;
        for (i, s) in slots.iter().enumerate() {
            let xc = x0 + slot_w * (i as f64 + 0.5);
            let (a, b) = (xc - bar_w / 2.0, xc + bar_w / 2.0);
            cv.rect(a, sy(s.before as f64), b, sy(0.0), palette::LIGHT_BLUE)?;
            cv.rect(
                a,
                sy((s.before + s.moved) as f64),
                b,
                sy(s.before as f64),
                palette::NAVY,
            )?;
            if i % every == 0 {
                cv.text(
                    &s.label,
                    xc,
                    bottom + 12.0,
                    10.0,
                    false,
                    palette::INK,
                    Align::Center,
                )?;
            }
        }
        cv.line(x0, bottom, x1, bottom, palette::MUTED, 1)?;
        cv.text(
            t.get(if by_week {
                "chart.axis.timeline_weeks"
            } else {
                "chart.axis.timeline_waves"
            }),
            (x0 + x1) / 2.0,
            bottom + 30.0,
            11.0,
            false,
            palette::MUTED,
            Align::Center,
        )?;
        cv.finish()?;
    }
    Ok(Chart {
        file: "waves.svg",
        svg: with_title(buf, &title),
        title,
    })
}

// ---------------------------------------------------------------------------------------------
// Variant comparison: a table of bars, one row per variant, one column per measure

pub fn comparison(t: &Catalog, rows: &[Variant]) -> DrawResult<Chart> {
    const W: u32 = 720;
    let title = t.get("chart.comparison.title").to_string();
    let rows: Vec<&Variant> = rows.iter().take(24).collect();
    type Metric<'m> = (
        &'m str,
        Box<dyn Fn(&Variant) -> Option<f64> + 'm>,
        bool,
        bool,
    );
    // (label, value, is a ratio, higher is better)
    let metrics: Vec<Metric> = vec![
        (
            "cmp.coverage",
            Box::new(|r| Some(r.sync.coverage)),
            true,
            true,
        ),
        (
            "cmp.sfb_unsynced",
            Box::new(|r| Some(r.sync.sfb_unsynced as f64)),
            false,
            false,
        ),
        (
            "cmp.broken_pilot",
            Box::new(|r| Some(r.breaks.pilot.broken_pairs as f64)),
            false,
            false,
        ),
        (
            "cmp.broken_end",
            Box::new(|r| Some(r.breaks.end.broken_pairs as f64)),
            false,
            false,
        ),
        (
            "cmp.blockers",
            Box::new(|r| Some(r.steps.iter().map(|s| s.blockers.len()).sum::<usize>() as f64)),
            false,
            false,
        ),
        (
            "cmp.score",
            Box::new(|r| Some(f64::from(r.score))),
            false,
            true,
        ),
    ];
    let name_w = 150.0;
    let x_cols = 12.0 + name_w + 10.0;
    let col_w = (f64::from(W) - 12.0 - x_cols) / metrics.len() as f64;
    let head_top = 40.0;
    // Headers wrap between words; the font steps down until the longest word of any header
    // fits its column (`unsynchronised`, `synchronisées`), so no header is cut.
    let head_max = col_w - 6.0;
    let head_px = [10.0, 9.0, 8.0]
        .into_iter()
        .find(|&px| {
            metrics.iter().all(|(k, ..)| {
                t.get(k)
                    .split_whitespace()
                    .all(|w| text_width(w, px, true) <= head_max)
            })
        })
        .unwrap_or(8.0);
    let heads: Vec<Vec<String>> = metrics
        .iter()
        .map(|(k, ..)| wrap(t.get(k), head_px, true, head_max, 4))
        .collect();
    let head_lines = heads.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let body_top = head_top + head_lines * 13.0 + 10.0;
    // A variant name takes two lines rather than being cut; rows grow to hold them.
    let names: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(j, r)| wrap(&r.name, 11.0, j == 0, name_w, 2))
        .collect();
    let row_h = if names.iter().any(|l| l.len() > 1) {
        30.0
    } else {
        22.0
    };
    let n = rows.len().max(1) as f64;
    let h = (body_top + n * row_h + 14.0).round() as u32;
    let mut buf = String::new();
    {
        let cv = Canvas::new(&mut buf, W, h)?;
        cv.title(&title)?;
        if rows.is_empty() {
            cv.empty(t.get("chart.empty"), body_top + row_h / 2.0)?;
        }
        for (k, lines) in heads.iter().enumerate() {
            let cx = x_cols + col_w * (k as f64 + 0.5);
            for (j, l) in lines.iter().enumerate() {
                cv.text(
                    l,
                    cx,
                    head_top + 6.0 + 13.0 * j as f64,
                    head_px,
                    true,
                    palette::NAVY,
                    Align::Center,
                )?;
            }
        }
        cv.line(
            12.0,
            body_top - 4.0,
            f64::from(W) - 12.0,
            body_top - 4.0,
            palette::MUTED,
            1,
        )?;
        for (j, lines) in names.iter().enumerate() {
            let y0 = body_top + row_h * j as f64;
            let yc = y0 + row_h / 2.0;
            if j % 2 == 1 {
                cv.rect(
                    12.0,
                    y0,
                    f64::from(W) - 12.0,
                    y0 + row_h,
                    (0xf3, 0xf6, 0xf9),
                )?;
            }
            for (k, l) in lines.iter().enumerate() {
                let dy = 12.0 * (k as f64 - (lines.len() as f64 - 1.0) / 2.0);
                cv.text(l, 12.0, yc + dy, 11.0, j == 0, palette::INK, Align::Left)?;
            }
        }
        for (k, (_, get, ratio, higher)) in metrics.iter().enumerate() {
            let x0 = x_cols + col_w * k as f64 + 4.0;
            let vals: Vec<Option<f64>> = rows.iter().map(|r| get(r)).collect();
            // Ratios are drawn against 100 %, counts against the largest variant.
            let max = if *ratio {
                1.0
            } else {
                vals.iter()
                    .flatten()
                    .fold(0.0, |a: f64, b| a.max(*b))
                    .max(1.0)
            };
            let best = vals.iter().flatten().fold(None, |a: Option<f64>, v| {
                Some(match a {
                    None => *v,
                    Some(a) if *higher => a.max(*v),
                    Some(a) => a.min(*v),
                })
            });
            let bar_max = col_w - 8.0 - 44.0;
            for (j, v) in vals.iter().enumerate() {
                let yc = body_top + row_h * (j as f64 + 0.5);
                let color = if j == 0 { palette::NAVY } else { palette::TEAL };
                match v {
                    Some(v) => {
                        let xe = x0 + bar_max * v / max;
                        cv.rect(x0, yc - 5.0, xe.max(x0 + 1.0), yc + 5.0, color)?;
                        let lbl = if *ratio { t.pct(*v) } else { t.int(*v as u64) };
                        let is_best = rows.len() > 1 && Some(*v) == best;
                        cv.text(
                            &lbl,
                            xe.max(x0 + 1.0) + 4.0,
                            yc,
                            10.0,
                            is_best,
                            palette::INK,
                            Align::Left,
                        )?;
                    }
                    None => {
                        cv.text(
                            t.get("kf.na"),
                            x0,
                            yc,
                            10.0,
                            false,
                            palette::MUTED,
                            Align::Left,
                        )?;
                    }
                }
            }
        }
        cv.finish()?;
    }
    Ok(Chart {
        file: "comparison.svg",
        svg: with_title(buf, &title),
        title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_shortens_with_an_ellipsis() {
        let long = "OU=Very long organisational unit name,OU=Paris,DC=contoso,DC=com";
        let s = fit(long, 12.0, false, 120.0);
        assert!(s.ends_with('…'), "{s}");
        assert!(text_width(&s, 12.0, false) <= 120.0);
        assert_eq!(fit("short", 12.0, false, 120.0), "short");
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(100.0), 20.0);
        assert_eq!(nice_step(12.0), 2.5);
        assert_eq!(nice_step(3.0), 1.0);
        assert_eq!(nice_step(123_456.0), 25_000.0);
    }
}
