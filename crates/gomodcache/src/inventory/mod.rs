//! The whole module cache: what it holds, who uses it, and what can go .
//!
//! The engine behind `modscope cache` and the inspector's cache view. Nothing here knows about
//! terminals or async; nothing here writes to the module cache except [`prune::execute`], and
//! that only through go's lock and the crash-safe [`Eviction`](crate::cache::evict::Eviction).
//!
//! The pieces, in the order a front end calls them:
//! 1. [`scan`] walks the cache in parallel (std threads) and returns a [`CacheInventory`]:
//!    every module version from both halves of the layout (`cache/download/<path>/@v` and the
//!    extracted `<path>@<version>` trees), `cache/download/sumdb`, the `cache/vcs` clones and
//!    the leftovers of interrupted downloads, each with its bytes on disk (allocated blocks,
//!    `st_blocks * 512`, a file with several hard links counted once) and its apparent size.
//!    The total is what `du -s -B1` (and `du -s -B1 --apparent-size`) says of the same cache.
//!    Each measured part (a tree, an `@v` directory, a clone, …) is reported as it is done
//!    through [`ScanProgress::on_part`]; the scan stops early when its [`CancelFlag`] is set.
//! 2. [`usage`] finds the projects that use the cache (`--projects` directories and the
//!    [`registry`] of projects modscope inspected) and, for each, every version its module
//!    graph reads and whether the build needs the zip or only the `.mod`.
//! 3. [`plan::plan_prune`] is a pure function of the inventory, the usage and the options:
//!    the versions, zips and leftovers that can go, each with its bytes.
//! 4. [`prune::execute`] carries a plan out, one item at a time, reporting each step through
//!    [`prune::PruneProgress`] and stopping between items when cancelled.
//!
//! [`CancelFlag`]: crate::progress::CancelFlag

mod assemble;
mod model;
pub(crate) mod names;
pub mod plan;
pub mod prune;
pub mod registry;
pub mod usage;
mod walk;

use crate::cache::layout::ModuleCache;
use crate::progress::CancelFlag;

pub use model::{
    Bytes, CacheInventory, Leftover, LeftoverKind, ModuleEntry, NoScanProgress, PartKind,
    ScanProgress, ScannedPart, VcsClone, VersionEntry, VersionFiles,
};

/// How many threads the scan uses by default: the cores, at least two (a stat waiting for the
/// disk leaves the core free for another).
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 16)
}

/// Walks the whole cache; never writes to it and never follows a symbolic link.
pub fn scan(
    cache: &ModuleCache,
    progress: &dyn ScanProgress,
    cancel: &CancelFlag,
) -> CacheInventory {
    scan_with_threads(cache, default_threads(), progress, cancel)
}

/// [`scan`] with `threads` workers.
pub(crate) fn scan_with_threads(
    cache: &ModuleCache,
    threads: usize,
    progress: &dyn ScanProgress,
    cancel: &CancelFlag,
) -> CacheInventory {
    let out = walk::walk(&cache.root, threads, progress, cancel);
    let mut inv = assemble::assemble(out);
    inv.root = cache.root.clone();
    inv.cancelled = cancel.is_cancelled();
    inv
}

#[cfg(test)]
mod tests;
