//! TEMPORARY (replaced by the typed messages of the typed-findings branch): severity, effect and
//! the finding message.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    BlocksSync,
    AltersValue,
    Advisory,
    Excluded,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::BlocksSync => "blocks-sync",
            Effect::AltersValue => "alters-value",
            Effect::Advisory => "advisory",
            Effect::Excluded => "excluded",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Message(pub String);
