//! Go packages as `go build ./...` sees them: the files a build uses (build constraints), a source
//! file's header and imports, the source tree of a module (directory or zip), which module
//! provides each import, and the directories go refuses to load packages from.

pub mod constraints;
pub mod gosrc;
pub mod imports;
pub mod package_dirs;
pub mod source_tree;
