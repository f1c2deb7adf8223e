//! TEMPORARY (replaced by the typed-findings branch): the finding message as the rules wrote it.

use crate::i18n::Catalog;
use hybridready_assessment::Message;

pub fn finding_message(_t: &Catalog, m: &Message) -> String {
    m.0.clone()
}
