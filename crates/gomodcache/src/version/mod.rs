//! Versions, two kinds: module versions (x/mod `semver`, with module path checks) and Go release
//! and language versions (cmd/go's `gover`).

pub(crate) mod gover;
pub(crate) mod module_path;
pub mod semver;
