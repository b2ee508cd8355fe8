//! Versions, two kinds: module versions (x/mod `semver`) and Go release
//! and language versions (cmd/go's `gover`).

pub(crate) mod gover;
pub mod semver;
