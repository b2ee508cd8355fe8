//! Evicting one `path@version` from the module cache into a quarantine, in an order that a kill
//! at any point cannot turn into a cache go trusts wrongly (spec §2.3):
//!
//! 1. the quarantine's `manifest.json` is written (outside the cache: a record of what is about
//!    to move, even if modscope dies next);
//! 2. `<ver>.partial` is created: from now on go treats the extracted tree as incomplete, and
//!    its next `go mod download` deletes the tree and extracts it again;
//! 3. the tree is made writable (go leaves it 0555/0444; a directory must be writable to move
//!    it to another parent);
//! 4. the files move out, those go would trust without re-checking first: the zip (go never
//!    re-hashes an existing zip), the `.ziphash`, the `.mod` (go stops on a wrong one instead of
//!    fetching it again), then the tree, the `.info` and stray `*.tmp` files;
//! 5. `.partial` is removed: the version is then simply not in the cache;
//! 6. go's lock file `<ver>.lock` moves, after `.partial` is gone (a `go` that started after
//!    the lock file moved would otherwise lock another file and race the removal of `.partial`);
//! 7. the manifest is rewritten as complete.
//!
//! Nothing else is touched: no other version, no other module. A path that leads out of the
//! cache root through a symlinked parent is refused; a symlinked tree is moved as the link.
//! While it runs, the eviction holds go's own lock on the version (`<ver>.lock`), so it never
//! races a `go` command extracting that version.

mod error;
mod paths;
mod quarantine;

use super::layout::{ModuleCache, ModuleFiles};
use crate::fs::timestamp::rfc3339_utc;
pub use error::EvictError;
use error::fail;
use nix::fcntl::{Flock, FlockArg};
pub(crate) use paths::make_tree_writable;
use paths::{ensure_inside_cache, existing_files, is_inside, unused_dir};
pub(crate) use quarantine::move_path;
pub use quarantine::{
    EvictionManifest, ManifestFile, QuarantineEntry, default_quarantine_root, list_quarantine,
    purge_quarantine,
};
use std::fmt;
use std::path::{Path, PathBuf};

/// One step of an eviction, in the order they run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvictionStep {
    /// Create the quarantine directory and write its manifest (nothing in the cache changes).
    WriteManifest,
    /// Create `<ver>.partial` (and the download directory, if there is none).
    MarkPartial,
    /// Give the owner write permission on the extracted tree, not following symlinks.
    MakeTreeWritable,
    /// Move one file, directory or symlink from the cache into the quarantine.
    Move {
        /// Where it is in the cache.
        original: PathBuf,
        /// Where it goes: the same path relative to the cache root, under the quarantine
        /// directory.
        stored: PathBuf,
    },
    /// Remove `<ver>.partial`, last.
    RemovePartial,
    /// Rewrite the manifest with `complete: true`.
    CompleteManifest,
}

impl fmt::Display for EvictionStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvictionStep::WriteManifest => write!(f, "write the quarantine manifest"),
            EvictionStep::MarkPartial => write!(f, "create the .partial marker"),
            EvictionStep::MakeTreeWritable => write!(f, "make the extracted tree writable"),
            EvictionStep::Move { original, stored } => {
                write!(f, "move {} to {}", original.display(), stored.display())
            }
            EvictionStep::RemovePartial => write!(f, "remove the .partial marker"),
            EvictionStep::CompleteManifest => write!(f, "mark the manifest complete"),
        }
    }
}

/// The eviction of one module version: planned by [`Eviction::plan`] (which only reads), run
/// step by step by [`Eviction::run_steps`].
#[derive(Debug)]
pub struct Eviction {
    cache_root: PathBuf,
    files: ModuleFiles,
    quarantine_dir: PathBuf,
    steps: Vec<EvictionStep>,
    done: usize,
    manifest: EvictionManifest,
}

impl Eviction {
    /// Plans the eviction of `path@version` from `cache` into a new directory under
    /// `quarantine_root` (`<UTC time>-<escaped path>@<version>`), with `reason` for the manifest.
    /// Only the files that exist now are planned to move. Refuses a quarantine inside the cache
    /// and a cache file whose parent directory lies outside the cache root (a symlinked parent).
    pub fn plan(
        cache: &ModuleCache,
        path: &str,
        version: &str,
        quarantine_root: &Path,
        reason: &str,
    ) -> Result<Eviction, EvictError> {
        // Absolute paths: the plan, the manifest and the quarantine's layout name them.
        let cache_root = std::path::absolute(&cache.root)
            .map_err(|e| fail("cannot resolve the module cache", &cache.root, e))?;
        let files = ModuleCache::new(&cache_root)
            .files(path, version)
            .map_err(|e| EvictError(format!("cannot evict {path}@{version}: {e}")))?;
        let canonical_root = std::fs::canonicalize(&cache_root)
            .map_err(|e| fail("cannot resolve the module cache", &cache_root, e))?;
        let quarantine_root = std::path::absolute(quarantine_root)
            .map_err(|e| fail("cannot resolve the quarantine", quarantine_root, e))?;
        if is_inside(&quarantine_root, &cache_root, &canonical_root) {
            return Err(EvictError(format!(
                "the quarantine {} is inside the module cache {}: choose a directory outside it (set MODSCOPE_CACHE_DIR)",
                quarantine_root.display(),
                cache_root.display()
            )));
        }
        let lock = files
            .download_dir
            .join(format!("{}.lock", files.escaped_version));
        let mut originals = existing_files(&files)?;
        for original in originals.iter().chain([&files.partial, &lock]) {
            ensure_inside_cache(original, &cache_root, &canonical_root)?;
        }
        let stamp = rfc3339_utc(std::time::SystemTime::now()).replace(['-', ':'], "");
        let label = format!(
            "{}@{}",
            crate::cache::escape::escape_path(path)
                .unwrap_or_default()
                .replace('/', "_"),
            files.escaped_version
        );
        let quarantine_dir = unused_dir(&quarantine_root, &format!("{stamp}-{label}"));
        let stored_of = |original: &Path| {
            quarantine_dir.join(original.strip_prefix(&cache_root).unwrap_or(original))
        };
        let mut steps = vec![
            EvictionStep::WriteManifest,
            EvictionStep::MarkPartial,
            EvictionStep::MakeTreeWritable,
        ];
        steps.extend(originals.iter().map(|original| EvictionStep::Move {
            original: original.clone(),
            stored: stored_of(original),
        }));
        steps.push(EvictionStep::RemovePartial);
        // Always planned: taking go's lock creates the file if it was not there.
        steps.push(EvictionStep::Move {
            stored: stored_of(&lock),
            original: lock.clone(),
        });
        steps.push(EvictionStep::CompleteManifest);
        originals.push(lock);
        let manifest = EvictionManifest {
            format: 1,
            module: path.to_string(),
            version: version.to_string(),
            reason: reason.to_string(),
            when: rfc3339_utc(std::time::SystemTime::now()),
            gomodcache: cache_root.display().to_string(),
            complete: false,
            files: originals
                .iter()
                .map(|o| ManifestFile {
                    original: o.display().to_string(),
                    stored: stored_of(o).display().to_string(),
                })
                .collect(),
        };
        Ok(Eviction {
            cache_root,
            files,
            quarantine_dir,
            steps,
            done: 0,
            manifest,
        })
    }

    /// Every step, in order.
    pub fn steps(&self) -> &[EvictionStep] {
        &self.steps
    }

    /// How many steps have run.
    pub fn steps_done(&self) -> usize {
        self.done
    }

    /// Where the evicted files go (created by the first step).
    pub fn quarantine_dir(&self) -> &Path {
        &self.quarantine_dir
    }

    /// The files that move, as `(original, stored)`.
    pub fn moves(&self) -> Vec<(&Path, &Path)> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                EvictionStep::Move { original, stored } => {
                    Some((original.as_path(), stored.as_path()))
                }
                _ => None,
            })
            .collect()
    }

    /// The manifest as the first step writes it (`complete: false`).
    pub fn manifest(&self) -> &EvictionManifest {
        &self.manifest
    }

    /// Runs every remaining step.
    pub fn run(&mut self) -> Result<(), EvictError> {
        self.run_steps(None).map(|_| ())
    }

    /// Runs the remaining steps until `limit` steps in all have run (all of them with `None`),
    /// and returns how many have run. Stopping early leaves the cache exactly as a kill at that
    /// point would. go's lock on the version is held while the steps run; a version locked by a
    /// running `go` command is refused before anything changes.
    pub fn run_steps(&mut self, limit: Option<usize>) -> Result<usize, EvictError> {
        self.run_steps_with(limit, &mut |_| {})
    }

    /// [`run_steps`](Self::run_steps), calling `on_step` before each step runs (all under the
    /// one lock: progress for a front end, e.g. `modscope cache prune`).
    pub(crate) fn run_steps_with(
        &mut self,
        limit: Option<usize>,
        on_step: &mut dyn FnMut(&EvictionStep),
    ) -> Result<usize, EvictError> {
        let end = limit.unwrap_or(self.steps.len()).min(self.steps.len());
        let touches_cache = self.steps[self.done.min(end)..end]
            .iter()
            .any(|s| *s != EvictionStep::WriteManifest && *s != EvictionStep::CompleteManifest);
        let _lock = if touches_cache {
            Some(self.lock_version()?)
        } else {
            None
        };
        while self.done < end {
            let step = self.steps[self.done].clone();
            on_step(&step);
            self.run_step(&step).map_err(|e| {
                EvictError(format!(
                    "{e} (step {} of {}: {step}){}",
                    self.done + 1,
                    self.steps.len(),
                    if self.touched_cache() {
                        "; the .partial marker tells go to download this version again"
                    } else {
                        "; the module cache was not changed"
                    }
                ))
            })?;
            self.done += 1;
        }
        Ok(self.done)
    }

    /// Whether the steps that ran so far changed the module cache (from `.partial` on): then
    /// even a failed eviction should be followed by `go mod download`.
    pub fn touched_cache(&self) -> bool {
        self.steps[..self.done].contains(&EvictionStep::MarkPartial)
    }

    fn run_step(&mut self, step: &EvictionStep) -> Result<(), EvictError> {
        match step {
            EvictionStep::WriteManifest => {
                std::fs::create_dir_all(&self.quarantine_dir)
                    .map_err(|e| fail("cannot create the quarantine", &self.quarantine_dir, e))?;
                quarantine::write_manifest(&self.quarantine_dir, &self.manifest)
            }
            EvictionStep::MarkPartial => {
                std::fs::create_dir_all(&self.files.download_dir)
                    .map_err(|e| fail("cannot create", &self.files.download_dir, e))?;
                std::fs::write(&self.files.partial, b"")
                    .map_err(|e| fail("cannot create", &self.files.partial, e))
            }
            EvictionStep::MakeTreeWritable => make_tree_writable(&self.files.dir),
            EvictionStep::Move { original, stored } => move_path(original, stored),
            EvictionStep::RemovePartial => match std::fs::remove_file(&self.files.partial) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(fail("cannot remove", &self.files.partial, e))
                }
                _ => Ok(()),
            },
            EvictionStep::CompleteManifest => {
                self.manifest.complete = true;
                quarantine::write_manifest(&self.quarantine_dir, &self.manifest)
            }
        }
    }

    /// go's `lockVersion`: an exclusive flock on `<ver>.lock` (created if absent, as go does).
    fn lock_version(&self) -> Result<Flock<std::fs::File>, EvictError> {
        let lock_path = self
            .files
            .download_dir
            .join(format!("{}.lock", self.files.escaped_version));
        std::fs::create_dir_all(&self.files.download_dir)
            .map_err(|e| fail("cannot create", &self.files.download_dir, e))?;
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| fail("cannot open go's lock file", &lock_path, e))?;
        Flock::lock(file, FlockArg::LockExclusiveNonblock).map_err(|(_, e)| {
            if e == nix::errno::Errno::EWOULDBLOCK {
                EvictError(format!(
                    "a go command is working on {}@{} right now (it holds {}); nothing was changed: try again when it is done",
                    self.manifest.module,
                    self.manifest.version,
                    lock_path.display()
                ))
            } else {
                fail("cannot lock", &lock_path, e)
            }
        })
    }

    /// The cache root the paths were planned under (absolute).
    pub fn cache_root(&self) -> &Path {
        &self.cache_root
    }
}

#[cfg(test)]
mod tests;
