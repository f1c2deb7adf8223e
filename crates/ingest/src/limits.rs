//! The limits the ingest puts on hostile input, each declared once here ([`Limit::spec`]): its
//! name on the command line (`--limit NAME=VALUE`), its default and what it bounds.
//!
//! An input over a limit on the file as a whole (`file-size`, the `xlsx-*`, `sheet-cells`,
//! `cell-size`) is refused, which makes the run exit with 2 while the other inputs are still
//! assessed; a value over a limit on one value (`field-size`, `dn-*`) is a value error of its
//! row, which is read without it. Every refusal names the limit, its value and the flag that
//! raises it.
//!
//! | name              | default     | bounds                                                  |
//! |-------------------|-------------|---------------------------------------------------------|
//! | `file-size`       | `16GiB`     | each input file, looked at before it is read            |
//! | `xlsx-part-size`  | `4GiB`      | each part of a zipped workbook, as its zip directory says |
//! | `xlsx-part-ratio` | `100`       | how many times its zipped size a part over 64 MiB expands |
//! | `zip-size`        | `16GiB`     | what the entries of a zip (and of zips in it) expand to   |
//! | `zip-ratio`       | `100`       | how many times its zipped size a zip entry over 64 MiB expands |
//! | `zip-entries`     | `10000`     | the entries of one zip                                  |
//! | `sheet-cells`     | `100000000` | the cells a sheet lays out from the cells present       |
//! | `cell-size`       | `1MiB`      | the text of one workbook cell                           |
//! | `field-size`      | `1MiB`      | one attribute value (reference lists excepted)          |
//! | `dn-length`       | `16KiB`     | one distinguished name, in bytes                        |
//! | `dn-depth`        | `256`       | the levels (RDNs) of one distinguished name             |
//!
//! By format: `file-size`, `field-size` and the `dn-*` limits bound every input. The `xlsx-*`
//! limits bound the zipped workbooks (.xlsx, .xlsm, .xlsb, .ods) before they are opened; the
//! `zip-*` limits bound a zip of exports (read as a folder, its entries inflated into memory,
//! never onto the disk) before any entry is inflated, and `file-size` bounds each entry too.
//! `sheet-cells` and `cell-size` bound every sheet: .xlsx, .xlsm and .xlsb sheets are read cell
//! by cell, so a sheet over `sheet-cells` is refused before its grid is built; .xls and .ods
//! sheets are parsed whole by `calamine` when the workbook opens (.xls into a dense range of up
//! to 65,536 × 65,536 cells, .ods within calamine's own caps), so for them the limit refuses the
//! sheet before its text grid is built, not before calamine's range is.

use hybridready_assessment::Refusal;
use hybridready_directory::dn::{DnError, DnLimits};

/// One limit on hostile input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    FileSize,
    XlsxPartSize,
    XlsxPartRatio,
    ZipSize,
    ZipRatio,
    ZipEntries,
    SheetCells,
    CellSize,
    FieldSize,
    DnLength,
    DnDepth,
}

/// What a limit's values count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Bytes, written `16KiB`, `4GiB` or as a plain number.
    Bytes,
    /// A plain number of things (cells, levels, times its zipped size).
    Count,
}

/// A limit's declaration.
pub struct Spec {
    /// Its name on the command line.
    pub name: &'static str,
    pub unit: Unit,
    pub default: u64,
    /// What it bounds, and why the default.
    pub doc: &'static str,
}

/// A zipped part under this size is never refused for its ratio: small XML parts (a sheet of
/// empty styled rows, shared strings repeated) legitimately compress hundreds of times.
pub const RATIO_FROM_BYTES: u64 = 64 << 20;

impl Limit {
    pub const ALL: [Limit; 11] = [
        Limit::FileSize,
        Limit::XlsxPartSize,
        Limit::XlsxPartRatio,
        Limit::ZipSize,
        Limit::ZipRatio,
        Limit::ZipEntries,
        Limit::SheetCells,
        Limit::CellSize,
        Limit::FieldSize,
        Limit::DnLength,
        Limit::DnDepth,
    ];

    pub const fn spec(self) -> Spec {
        match self {
            Limit::FileSize => Spec {
                name: "file-size",
                unit: Unit::Bytes,
                default: 16 << 30,
                doc: "the size of each input file, looked at before it is read: a million-user \
                      export is about 1 GB",
            },
            Limit::XlsxPartSize => Spec {
                name: "xlsx-part-size",
                unit: Unit::Bytes,
                default: 4 << 30,
                doc: "what each part of a zipped workbook (.xlsx, .xlsb, .ods) expands to, from \
                      the sizes its zip directory declares, before anything is inflated: a \
                      million-user sheet is about 1 GB of XML",
            },
            Limit::XlsxPartRatio => Spec {
                name: "xlsx-part-ratio",
                unit: Unit::Count,
                default: 100,
                doc: "how many times its zipped size a workbook part over 64 MiB may expand: real \
                      sheets compress 5-20 times, a zip bomb hundreds of times",
            },
            Limit::ZipSize => Spec {
                name: "zip-size",
                unit: Unit::Bytes,
                default: 16 << 30,
                doc: "what the entries of a zip of exports, and of the zips inside it, expand to \
                      in all, from the sizes its zip directory declares, before anything is \
                      inflated (an entry that inflates past its declared size is refused): as \
                      much as the file-size of the files it stands for",
            },
            Limit::ZipRatio => Spec {
                name: "zip-ratio",
                unit: Unit::Count,
                default: 100,
                doc: "how many times its zipped size an entry over 64 MiB of a zip of exports may \
                      expand: exports compress 5-30 times, a zip bomb hundreds of times",
            },
            Limit::ZipEntries => Spec {
                name: "zip-entries",
                unit: Unit::Count,
                default: 10_000,
                doc: "the entries of one zip of exports, looked at before any is read: a \
                      collection kit's zip or an ADRecon folder holds a few dozen",
            },
            Limit::SheetCells => Spec {
                name: "sheet-cells",
                unit: Unit::Count,
                default: 100_000_000,
                doc: "the cells a sheet lays out, each row up to its last cell present: a single \
                      cell at XFD1048576 once asked for a grid of 17 billion",
            },
            Limit::CellSize => Spec {
                name: "cell-size",
                unit: Unit::Bytes,
                default: 1 << 20,
                doc: "the text of one workbook cell: Excel itself holds 32,767 characters",
            },
            Limit::FieldSize => Spec {
                name: "field-size",
                unit: Unit::Bytes,
                default: 1 << 20,
                doc: "one attribute value: a multi-valued attribute joined whole (a user's \
                      certificates) stays far below it; lists of references (members, memberOf) \
                      are not bounded by it",
            },
            Limit::DnLength => Spec {
                name: "dn-length",
                unit: Unit::Bytes,
                default: DnLimits::DEFAULT.bytes as u64,
                doc: "one distinguished name: each of its parents is interned whole, so memory \
                      grows with the square of its length",
            },
            Limit::DnDepth => Spec {
                name: "dn-depth",
                unit: Unit::Count,
                default: DnLimits::DEFAULT.depth as u64,
                doc: "the levels of one distinguished name: real directories nest OUs a dozen \
                      deep",
            },
        }
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn by_name(name: &str) -> Option<Limit> {
        Limit::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name.trim()))
    }

    /// A value of this limit as `--limit` takes it and the messages show it (`16KiB`, `256`).
    pub fn show(self, v: u64) -> String {
        match self.spec().unit {
            Unit::Bytes => show_bytes(v),
            Unit::Count => v.to_string(),
        }
    }

    /// Parses a value of this limit: sizes take `KiB`, `MiB`, `GiB` and `TiB`.
    pub fn parse_value(self, text: &str) -> Result<u64, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '_'))
            .unwrap_or(text.len());
        let (digits, suffix) = text.split_at(split);
        let digits: String = digits.chars().filter(|&c| c != '_').collect();
        let expected = match self.spec().unit {
            Unit::Bytes => "a size such as 512, 16KiB, 4GiB (binary units: 1KiB is 1,024 bytes)",
            Unit::Count => "a whole number",
        };
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("{text:?}: expected {expected}"))?;
        let suffix = suffix.trim();
        let scale = match self.spec().unit {
            Unit::Bytes => BINARY
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(suffix))
                .map(|&(_, scale)| scale),
            Unit::Count => suffix.is_empty().then_some(1),
        };
        let Some(scale) = scale else {
            return Err(format!("{text:?}: expected {expected}"));
        };
        // A limit of 0 would refuse every file or value: never what a consultant means.
        if n == 0 {
            return Err(format!(
                "{text:?}: a limit of 0 refuses everything; expected at least 1"
            ));
        }
        n.checked_mul(scale)
            .ok_or_else(|| format!("{text:?} is too large"))
    }

    /// The value to suggest when `found` is over the limit: the next power of two at least
    /// `found` (every check refuses only what is over).
    fn raise_to(self, found: u64) -> u64 {
        found.checked_next_power_of_two().unwrap_or(u64::MAX)
    }

    /// How to let a value of `found` through, for messages: `raise it with --limit …`.
    pub fn hint(self, found: u64) -> String {
        format!(
            "raise it with --limit {}={}",
            self.name(),
            self.show(self.raise_to(found))
        )
    }
}

const BINARY: [(&str, u64); 5] = [
    ("", 1),
    ("KiB", 1 << 10),
    ("MiB", 1 << 20),
    ("GiB", 1 << 30),
    ("TiB", 1 << 40),
];

/// `16KiB` when a whole number of a binary unit, else the bytes.
fn show_bytes(v: u64) -> String {
    BINARY
        .iter()
        .rev()
        .find(|&&(_, scale)| v >= scale && v.is_multiple_of(scale))
        .map_or_else(|| v.to_string(), |&(s, scale)| format!("{}{s}", v / scale))
}

/// The value of every limit for one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    values: [u64; Limit::ALL.len()],
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            values: Limit::ALL.map(|l| l.spec().default),
        }
    }
}

impl Limits {
    pub fn get(&self, limit: Limit) -> u64 {
        self.values[limit as usize]
    }

    pub fn set(&mut self, limit: Limit, value: u64) {
        self.values[limit as usize] = value;
    }

    /// `found` within `limit`, or over it (say where with [`OverLimit::at`]).
    pub fn check(&self, limit: Limit, found: u64) -> Result<(), OverLimit> {
        let max = self.get(limit);
        if found > max {
            return Err(OverLimit {
                limit,
                max,
                found,
                sheet: None,
                at: String::new(),
            });
        }
        Ok(())
    }

    /// The limits of a DN, for the directory's batches.
    pub fn dn(&self) -> DnLimits {
        let usize_of = |l| usize::try_from(self.get(l)).unwrap_or(usize::MAX);
        DnLimits {
            bytes: usize_of(Limit::DnLength),
            depth: usize_of(Limit::DnDepth),
        }
    }

    /// A limit as a `usize`, for the comparisons of the hot loops.
    pub fn bytes(&self, limit: Limit) -> usize {
        usize::try_from(self.get(limit)).unwrap_or(usize::MAX)
    }
}

/// Parses one `NAME=VALUE` of `--limit`; the error lists the limits.
pub fn parse_setting(text: &str) -> Result<(Limit, u64), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("expected NAME=VALUE\n\n{}", help()));
    };
    let Some(limit) = Limit::by_name(name) else {
        return Err(format!("unknown limit {:?}\n\n{}", name.trim(), help()));
    };
    let value = limit.parse_value(value)?;
    Ok((limit, value))
}

/// The limits with their defaults and what they bound, for `--help` and usage errors.
pub fn help() -> String {
    let mut out = String::from("the limits (NAME=VALUE; sizes in bytes or KiB, MiB, GiB):\n");
    for l in Limit::ALL {
        let s = l.spec();
        out.push_str(&format!(
            "  {:<16} default {:<12} {}\n",
            s.name,
            l.show(s.default),
            s.doc
        ));
    }
    out
}

/// What a cell was expected to hold instead of a value that is not a DN, as the input report
/// reads it: a DN over a limit says which, and how to raise it.
pub fn expected_dn(e: &DnError) -> String {
    let over = match *e {
        DnError::TooLong { bytes, .. } => Some((Limit::DnLength, bytes)),
        DnError::TooDeep { levels, .. } => Some((Limit::DnDepth, levels)),
        _ => None,
    };
    match over {
        Some((limit, found)) => format!(
            "{e} (the {} limit: {})",
            limit.name(),
            limit.hint(found as u64)
        ),
        None => e.to_string(),
    }
}

/// An input found over a limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverLimit {
    pub limit: Limit,
    pub max: u64,
    pub found: u64,
    pub sheet: Option<String>,
    /// Where in the file: the workbook part, the cell (`C2`) or the cells (`A1:C2`).
    pub at: String,
}

impl OverLimit {
    /// Says where it was found.
    pub fn at(mut self, sheet: Option<&str>, at: String) -> Self {
        self.sheet = sheet.map(str::to_string);
        self.at = at;
        self
    }

    pub fn refusal(&self) -> Refusal {
        Refusal::OverLimit(Box::new(hybridready_assessment::OverLimit {
            limit: self.limit.name().to_string(),
            max: self.limit.show(self.max),
            found: self.found,
            sheet: self.sheet.clone(),
            at: self.at.clone(),
            raise_to: self.limit.show(self.limit.raise_to(self.found)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_show_in_binary_units() {
        let l = Limit::FileSize;
        assert_eq!(l.parse_value("16KiB"), Ok(16 << 10));
        assert_eq!(l.parse_value("4 gib"), Ok(4 << 30));
        assert_eq!(l.parse_value("1_000"), Ok(1000));
        assert!(l.parse_value("4GB").is_err());
        assert!(l.parse_value("KiB").is_err());
        assert_eq!(l.show(16 << 30), "16GiB");
        assert_eq!(l.show(1500), "1500");
        assert!(Limit::DnDepth.parse_value("1KiB").is_err());
        // 0 would refuse every file or value.
        assert!(Limit::DnDepth.parse_value("0").is_err());
        assert!(l.parse_value("0KiB").is_err());
        assert_eq!(Limit::XlsxPartRatio.show(100), "100");
    }

    #[test]
    fn a_setting_names_a_limit_and_a_value() {
        assert_eq!(parse_setting("dn-depth=512"), Ok((Limit::DnDepth, 512)));
        let unknown = parse_setting("dn-deep=5").unwrap_err();
        assert!(
            unknown.contains("dn-depth") && unknown.contains("file-size"),
            "{unknown}"
        );
        assert!(parse_setting("dn-depth").is_err());
    }

    #[test]
    fn the_hint_lets_the_value_through() {
        assert_eq!(
            Limit::DnDepth.hint(300),
            "raise it with --limit dn-depth=512"
        );
        assert_eq!(
            Limit::FileSize.hint(3000),
            "raise it with --limit file-size=4KiB"
        );
        assert_eq!(
            Limit::FileSize.hint(4096),
            "raise it with --limit file-size=4KiB"
        );
    }

    /// The table of the module's doc, and of the README, shows each limit with its default.
    #[test]
    fn the_documented_defaults_are_the_declared_ones() {
        let readme = include_str!("../../../README.md");
        for (doc, text) in [
            ("limits.rs", include_str!("limits.rs")),
            ("README.md", readme),
        ] {
            for l in Limit::ALL {
                let row = format!("`{}`", l.name());
                let default = format!("`{}`", l.show(l.spec().default));
                assert!(
                    text.lines()
                        .any(|line| line.contains(&row) && line.contains(&default)),
                    "{doc} does not show {row} with its default {default}"
                );
            }
        }
    }

    #[test]
    fn the_defaults_are_the_declared_ones() {
        let d = Limits::default();
        for l in Limit::ALL {
            assert_eq!(d.get(l), l.spec().default);
            assert_eq!(Limit::by_name(l.name()), Some(l));
        }
        assert_eq!(d.dn(), DnLimits::DEFAULT);
    }
}
