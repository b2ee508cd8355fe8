//! Go's module files, module cache layout, h1 hashing, module graph, offline verdict and
//! checksum database, read as the go command reads them.
//!
//! This is the engine of modscope, and a library of its own: no terminal, async runtime or
//! network crate. It reads go.mod, go.work, go.sum and vendor/modules.txt ([`modfile`]), finds
//! a project as go does ([`project`]), resolves GOMODCACHE and the other settings like
//! `go env` ([`goenv`]), and tells for every module of the build list whether the cache holds
//! what go needs and whether it agrees with go.sum ([`analysis::check`]), with the command that
//! fixes it. It never writes to the module cache.
//!
//! A project that requires one module the (empty) cache does not hold:
//!
//! ```
//! use gomodcache::analysis::check::{CheckOptions, CheckScope, run_check};
//! use gomodcache::project::load_project;
//! use gomodcache::analysis::report::{CheckMode, Status};
//! use gomodcache::cache::layout::ModuleCache;
//! use gomodcache::goenv::env::ValueSource;
//! use gomodcache::progress::{CancelFlag, NoProgress};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let go_mod = "module example.com/hello\n\ngo 1.22\n\nrequire golang.org/x/text v0.14.0\n";
//! std::fs::write(dir.path().join("go.mod"), go_mod)?;
//! std::fs::write(
//!     dir.path().join("go.sum"),
//!     "golang.org/x/text v0.14.0 h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=\n\
//!      golang.org/x/text v0.14.0/go.mod h1:18ZOQIKpY8NJVqYksKHtTdi31H5itFRjB5/qKTNYzSU=\n",
//! )?;
//! std::fs::create_dir(dir.path().join("modcache"))?;
//!
//! let project = load_project(dir.path(), Some("off"))?;
//! let cache = ModuleCache::new(dir.path().join("modcache"));
//! let opts = CheckOptions {
//!     mode: CheckMode::Quick,
//!     cancel: &CancelFlag::new(),
//!     progress: &NoProgress,
//!     gomodcache_source: ValueSource::CommandLine,
//!     scope: CheckScope::Required,
//! };
//! let report = run_check(&project, &cache, &opts);
//! let text = &report.modules[0];
//! assert_eq!((text.path.as_str(), text.status), ("golang.org/x/text", Status::Missing));
//! assert_eq!(text.fix.as_deref(), Some("go mod download golang.org/x/text@v0.14.0"));
//! # Ok(())
//! # }
//! ```
//!
//! `examples/check_project.rs` does the same for the project in the current directory, with the
//! module cache and settings go would use.
#![warn(missing_docs)]

pub mod analysis;
pub mod bundle;
pub mod cache;
pub mod demo;
pub mod edit;
pub mod fix;
pub mod fs;
pub mod goenv;
pub mod graph;
pub mod inventory;
pub mod modfile;
pub mod offline;
pub mod packages;
pub mod progress;
pub mod project;
pub mod proxy;
pub mod sumdb;
pub mod synth;
pub mod toolchain;
pub mod version;

/// The README's example, compiled with the doctests so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctest;
