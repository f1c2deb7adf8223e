//! The assessment as data: the typed value every output of hybridready renders.

pub mod finding;
pub mod scenario;
pub mod summary;
