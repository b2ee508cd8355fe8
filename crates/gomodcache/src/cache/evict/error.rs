//! An eviction's error: one sentence naming the path it concerns.

use std::fmt;
use std::path::Path;

/// What went wrong, with the path it concerns in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvictError(pub String);

impl fmt::Display for EvictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EvictError {}

pub(super) fn fail(what: &str, path: &Path, e: impl fmt::Display) -> EvictError {
    EvictError(format!("{what} {}: {e}", path.display()))
}
