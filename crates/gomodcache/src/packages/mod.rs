//! Go packages as `go build ./...` sees them: the files a build uses (build constraints), a source
//! file's header and imports, the source tree of a module (directory or zip), which module
//! provides each import (and which package directories go refuses to load).

pub(crate) mod constraints;
pub(crate) mod gosrc;
pub(crate) mod imports;
pub(crate) mod source_tree;

pub use constraints::BuildContext;
pub use imports::{ModuleNeed, PackageUse};
