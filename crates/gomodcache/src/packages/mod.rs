//! Go packages as `go build ./...` sees them: the files a build uses (build constraints), a source
//! file's header and imports, the source tree of a module (directory or zip), which module
//! provides each import (and which package directories go refuses to load).

pub mod constraints;
pub mod gosrc;
pub mod imports;
pub mod source_tree;
