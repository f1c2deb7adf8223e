//! What the collection kit's own files say about a kit folder: the manifest's SHA-256 checked
//! against the files present, and the sections the kit could not run. Typed here, worded by the
//! renderers.

use serde::{Deserialize, Serialize};

/// How a section of the kit ended, as `sections.csv` says (`ok` sections make no note).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionStatus {
    Failed,
    Skipped,
}

/// One thing the kit's manifest or section list says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KitNote {
    /// Every file the manifest lists is present with its SHA-256.
    ManifestVerified { files: u64 },
    /// A listed file's bytes are not those the kit wrote (changed, or damaged in transit).
    ManifestMismatch {
        path: String,
        listed: String,
        found: String,
    },
    /// A listed file is not in the folder.
    ManifestMissing { path: String },
    /// A manifest row that names no file inside the kit folder, or no SHA-256.
    ManifestBadRow { line: u64 },
    /// A section of the kit that failed or was skipped, and why (the kit's own words).
    Section {
        section: String,
        status: SectionStatus,
        detail: String,
    },
}

impl KitNote {
    /// Whether the note is a problem with the inputs (the files are not what the kit wrote),
    /// rather than information.
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            KitNote::ManifestMismatch { .. }
                | KitNote::ManifestMissing { .. }
                | KitNote::ManifestBadRow { .. }
        )
    }
}
