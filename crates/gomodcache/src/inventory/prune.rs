//! Carrying out a [`PrunePlan`]: one item at a time, each reported through [`PruneProgress`],
//! stopping between items when cancelled.
//!
//! - A version is evicted with [`Eviction`]: manifest, `.partial` first, the tree made
//!   writable, zip, `.ziphash`, `.mod`, tree, `.info`, temporary files, `.partial` removed,
//!   go's `.lock` last, all while holding go's lock on the version. The files move to the
//!   quarantine (outside the cache): their bytes stay on disk until
//!   `modscope repair --purge-quarantine` removes them.
//! - A dropped zip moves to the quarantine too, under go's lock on its version.
//! - Leftovers are deleted: a temporary file under go's lock on its version (when the lock file
//!   exists: go creates it before it writes a temporary zip), a `.partial` with no tree under
//!   that lock after checking again that there is no tree, a lone `.lock` while holding it
//!   (after checking again that nothing else of the version appeared), a temporary tree made
//!   writable first. A lock a running go holds makes the item fail with a message; nothing else
//!   is tried for it.
//! - A `cache/vcs` clone moves to the quarantine while holding go's `<clone>.lock`.

use super::plan::PrunePlan;
use super::{Bytes, LeftoverKind};
use crate::cache::evict::{Eviction, move_path};
use crate::cache::layout::ModuleCache;
use crate::progress::CancelFlag;
use nix::fcntl::{Flock, FlockArg};
use std::path::{Path, PathBuf};

/// Hooks called while a plan runs (on the calling thread).
pub trait PruneProgress: Send + Sync {
    /// `items` items, `bytes` bytes on disk in all.
    fn on_start(&self, _items: usize, _bytes: u64) {}
    /// One step of the item `item` (an eviction step in words).
    fn on_step(&self, _item: &str, _step: &str) {}
    /// The item is done (`error` when it failed), `bytes` on disk.
    fn on_item_done(&self, _item: &str, _bytes: u64, _error: Option<&str>) {}
}

/// Reports nothing.
pub struct NoPruneProgress;
impl PruneProgress for NoPruneProgress {}

/// Which list of the [`PrunePlan`] an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// A version evicted whole.
    Version,
    /// A dropped zip.
    Zip,
    /// A deleted leftover.
    Leftover,
    /// A `cache/vcs` clone.
    Vcs,
}

/// What became of one item of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemOutcome {
    /// What kind of item it was.
    pub kind: ItemKind,
    /// `path@version`, or the file's path.
    pub item: String,
    /// Its bytes, as planned.
    pub bytes: Bytes,
    /// Where its files went, when they moved to the quarantine.
    pub quarantine_dir: Option<PathBuf>,
    /// Why it failed; `None` when it was done.
    pub error: Option<String>,
}

/// What [`execute`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneOutcome {
    /// Every item that ran, in order.
    pub items: Vec<ItemOutcome>,
    /// Moved to the quarantine (still on disk).
    pub quarantined: Bytes,
    /// Deleted (freed now).
    pub deleted: Bytes,
    /// How many items failed.
    pub failed: usize,
    /// Stopped before the end: the items not listed did not run.
    pub cancelled: bool,
}

/// Runs `plan` against `cache`, moving what is kept to `quarantine_root`.
pub fn execute(
    plan: &PrunePlan,
    cache: &ModuleCache,
    quarantine_root: &Path,
    progress: &dyn PruneProgress,
    cancel: &CancelFlag,
) -> PruneOutcome {
    let items = plan.versions.len() + plan.zips.len() + plan.leftovers.len() + plan.vcs.len();
    progress.on_start(items, plan.total.disk);
    let mut out = PruneOutcome::default();
    let record = |out: &mut PruneOutcome, o: ItemOutcome| {
        progress.on_item_done(&o.item, o.bytes.disk, o.error.as_deref());
        match (&o.error, &o.quarantine_dir) {
            (Some(_), _) => out.failed += 1,
            (None, Some(_)) => out.quarantined += o.bytes,
            (None, None) => out.deleted += o.bytes,
        }
        out.items.push(o);
    };
    for v in &plan.versions {
        if cancel.is_cancelled() {
            out.cancelled = true;
            return out;
        }
        let item = format!("{}@{}", v.path, v.version);
        let reason = format!("modscope cache prune: {:?}", v.reason).to_lowercase();
        let result = Eviction::plan(cache, &v.path, &v.version, quarantine_root, &reason).and_then(
            |mut e| {
                e.run_steps_with(None, &mut |step| progress.on_step(&item, &step.to_string()))?;
                Ok(e.quarantine_dir().to_path_buf())
            },
        );
        let (quarantine_dir, error) = match result {
            Ok(d) => (Some(d), None),
            Err(e) => (None, Some(e.to_string())),
        };
        record(
            &mut out,
            ItemOutcome {
                kind: ItemKind::Version,
                item,
                bytes: v.bytes,
                quarantine_dir,
                error,
            },
        );
    }
    let stamp =
        crate::fs::timestamp::rfc3339_utc(std::time::SystemTime::now()).replace(['-', ':'], "");
    for z in &plan.zips {
        if cancel.is_cancelled() {
            out.cancelled = true;
            return out;
        }
        let item = format!("{}@{} (zip)", z.path, z.version);
        progress.on_step(&item, "move the zip to the quarantine");
        let dir = quarantine_root.join(format!("{stamp}-zips"));
        let result = drop_zip(cache, &z.path, &z.version, &dir);
        let (quarantine_dir, error) = match result {
            Ok(()) => (Some(dir), None),
            Err(e) => (None, Some(e)),
        };
        record(
            &mut out,
            ItemOutcome {
                kind: ItemKind::Zip,
                item,
                bytes: z.bytes,
                quarantine_dir,
                error,
            },
        );
    }
    // Lone lock files last: a `.partial` beside one goes first, then the lock finds the
    // version empty.
    let mut leftovers: Vec<&super::Leftover> = plan.leftovers.iter().collect();
    leftovers.sort_by_key(|l| l.kind == LeftoverKind::LoneLock);
    for l in leftovers {
        if cancel.is_cancelled() {
            out.cancelled = true;
            return out;
        }
        let item = l.path.display().to_string();
        progress.on_step(&item, "remove");
        let error = remove_leftover(cache, l).err();
        record(
            &mut out,
            ItemOutcome {
                kind: ItemKind::Leftover,
                item,
                bytes: l.bytes,
                quarantine_dir: None,
                error,
            },
        );
    }
    for c in &plan.vcs {
        if cancel.is_cancelled() {
            out.cancelled = true;
            return out;
        }
        let item = format!("cache/vcs/{}", c.name);
        progress.on_step(&item, "move the clone to the quarantine");
        let dir = quarantine_root.join(format!("{stamp}-vcs-{}", c.name));
        let (quarantine_dir, error) = match move_clone(cache, &c.name, &dir) {
            Ok(()) => (Some(dir), None),
            Err(e) => (None, Some(e)),
        };
        record(
            &mut out,
            ItemOutcome {
                kind: ItemKind::Vcs,
                item,
                bytes: c.bytes,
                quarantine_dir,
                error,
            },
        );
    }
    out
}

/// go's lock on `lock`, when the file exists (not created: a lock file nobody made means no go
/// works there). Fails when a running go holds it.
fn lock_existing(lock: &Path) -> Result<Option<Flock<std::fs::File>>, String> {
    let file = match std::fs::File::options().write(true).open(lock) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot open go's lock {}: {e}", lock.display())),
    };
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(l) => Ok(Some(l)),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Err(format!(
            "a go command holds {} right now; left alone (try again when it is done)",
            lock.display()
        )),
        Err((_, e)) => Err(format!("cannot lock {}: {e}", lock.display())),
    }
}

fn version_lock(
    cache: &ModuleCache,
    path: &str,
    version: &str,
) -> Result<(crate::cache::layout::ModuleFiles, PathBuf), String> {
    let files = cache.files(path, version).map_err(|e| e.to_string())?;
    let lock = files
        .download_dir
        .join(format!("{}.lock", files.escaped_version));
    Ok((files, lock))
}

fn drop_zip(cache: &ModuleCache, path: &str, version: &str, qdir: &Path) -> Result<(), String> {
    let (files, lock) = version_lock(cache, path, version)?;
    let _held = lock_existing(&lock)?;
    let stored = qdir.join(files.zip.strip_prefix(&cache.root).unwrap_or(&files.zip));
    move_path(&files.zip, &stored).map_err(|e| e.to_string())
}

fn remove_leftover(cache: &ModuleCache, l: &super::Leftover) -> Result<(), String> {
    let gone_ok = |r: std::io::Result<()>| match r {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", l.path.display()))
        }
        _ => Ok(()),
    };
    let Some((path, version)) = &l.module else {
        // A temporary tree: no lock guards it (go before 1.16 used none), only its age.
        crate::cache::evict::make_tree_writable(&l.path).map_err(|e| e.to_string())?;
        return gone_ok(std::fs::remove_dir_all(&l.path));
    };
    let (files, lock) = version_lock(cache, path, version)?;
    match l.kind {
        LeftoverKind::LoneLock => {
            let _held = lock_existing(&lock)?;
            let others = std::fs::read_dir(&files.download_dir)
                .map(|d| {
                    d.filter_map(Result::ok).any(|e| {
                        let n = e.file_name();
                        let n = n.to_string_lossy();
                        n.starts_with(&format!("{}.", files.escaped_version))
                            && !n.ends_with(".lock")
                    })
                })
                .unwrap_or(true);
            if others || files.dir.symlink_metadata().is_ok() {
                return Err(format!(
                    "{}: the version has files again; left alone",
                    l.path.display()
                ));
            }
            gone_ok(std::fs::remove_file(&l.path))
        }
        LeftoverKind::OrphanPartial => {
            let _held = lock_existing(&lock)?;
            if files.dir.symlink_metadata().is_ok() {
                return Err(format!(
                    "{}: its tree exists now; left alone",
                    l.path.display()
                ));
            }
            gone_ok(std::fs::remove_file(&l.path))
        }
        LeftoverKind::TempFile | LeftoverKind::TempTree => {
            let _held = lock_existing(&lock)?;
            gone_ok(std::fs::remove_file(&l.path))
        }
    }
}

fn move_clone(cache: &ModuleCache, name: &str, qdir: &Path) -> Result<(), String> {
    let vcs = cache.root.join("cache/vcs");
    if name.is_empty() || name.contains('/') || name.starts_with('.') {
        return Err(format!("cache/vcs/{name}: not a clone name"));
    }
    let _held = lock_existing(&vcs.join(format!("{name}.lock")))?;
    for p in [vcs.join(name), vcs.join(format!("{name}.info"))] {
        if p.symlink_metadata().is_err() {
            continue;
        }
        let stored = qdir.join(p.strip_prefix(&cache.root).unwrap_or(&p));
        crate::cache::evict::make_tree_writable(&p).map_err(|e| e.to_string())?;
        move_path(&p, &stored).map_err(|e| e.to_string())?;
    }
    Ok(())
}
