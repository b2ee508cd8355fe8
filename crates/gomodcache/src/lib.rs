//! The pure engine: no terminal, no async runtime. Everything here is callable from tests and
//! the CLI alike.
pub mod analysis;
pub mod cache;
pub mod demo;
pub mod files;
pub mod fs_util;
pub mod graph;
pub mod offline;
pub mod progress;
pub mod proxy;
pub mod semver;
pub mod sumdb;
pub mod synth;
pub mod tidy_backup;
pub mod unified_diff;
