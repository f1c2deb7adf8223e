//! `report.pdf` and `comparison.pdf`: typst lays out a template (`report.typ`,
//! `comparison.typ`) fed with the view as `data.json` and the charts as SVG files, and
//! typst-pdf writes A4 pages with the DejaVu fonts embedded and the charts as vectors (their
//! text stays selectable).
//!
//! Owns: the typst engine, its fonts and the PDF options. Must not touch: content (the view) or
//! layout (the templates).
//!
//! Determinism: the template never reads the clock (no `datetime.today()`); the PDF's creation
//! date is the report's generation time (`SOURCE_DATE_EPOCH` when set), and its document id is a
//! hash of title and author, so identical inputs give identical bytes.

use std::sync::OnceLock;
use typst::foundations::{Datetime, Smart};
use typst::text::Font;
use typst_as_lib::TypstEngine;

/// The embedded fonts, parsed once: DejaVu Sans (regular, bold, oblique, bold oblique) for text
/// and charts, DejaVu Sans Mono for fingerprints. DejaVu covers Latin, Greek, Cyrillic, Hebrew
/// and Arabic, so customer names in those scripts render.
fn fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
            dejavu::sans::bold_oblique(),
            dejavu::sans_mono::regular(),
        ]
        .into_iter()
        .flat_map(|b| Font::iter(typst::foundations::Bytes::new(b)))
        .collect()
    })
}

/// Compiles `template` with `data.json` and the given files, and writes the PDF.
pub fn compile(
    template: &'static str,
    data_json: Vec<u8>,
    files: Vec<(String, Vec<u8>)>,
    generated_at: i64,
) -> Result<Vec<u8>, String> {
    let mut statics: Vec<(String, Vec<u8>)> = vec![("data.json".to_string(), data_json)];
    statics.extend(files);
    let engine = TypstEngine::builder()
        .main_file(template)
        .fonts(fonts().iter().cloned())
        .with_static_file_resolver(statics.iter().map(|(k, v)| (k.as_str(), v.clone())))
        .build();
    let warned = engine.compile();
    let doc = warned
        .output
        .map_err(|e| format!("PDF layout failed: {e}"))?;
    let options = typst_pdf::PdfOptions {
        creator: Smart::Custom(Some(format!(
            "hybridready {} (typst)",
            env!("CARGO_PKG_VERSION")
        ))),
        timestamp: timestamp(generated_at),
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|diags| {
        let msgs: Vec<String> = diags.iter().map(|d| d.message.to_string()).collect();
        format!("PDF export failed: {}", msgs.join("; "))
    })
}

fn timestamp(secs: i64) -> Option<typst_pdf::Timestamp> {
    let d = super::i18n::Date::from_unix(secs);
    let s = secs.rem_euclid(86_400);
    let dt = Datetime::from_ymd_hms(
        d.year,
        u8::try_from(d.month).ok()?,
        u8::try_from(d.day).ok()?,
        u8::try_from(s / 3600).ok()?,
        u8::try_from(s % 3600 / 60).ok()?,
        u8::try_from(s % 60).ok()?,
    )?;
    Some(typst_pdf::Timestamp::new_utc(dt))
}
