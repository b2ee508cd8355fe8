//! The quarantine: where evicted files are kept (never deleted by an eviction), with a manifest
//! per eviction; listing it and purging it.

use super::error::{EvictError, fail};
use crate::cache::memo_file::modscope_cache_dir;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The directory under the modscope cache directory that holds one directory per eviction.
pub(crate) const QUARANTINE_DIR: &str = "quarantine";
const MANIFEST: &str = "manifest.json";

/// `$MODSCOPE_CACHE_DIR/quarantine`, or `~/.cache/modscope/quarantine`.
pub fn default_quarantine_root() -> Option<PathBuf> {
    modscope_cache_dir().map(|d| d.join(QUARANTINE_DIR))
}

/// `manifest.json` of one eviction: written before anything moves (`complete: false`) and
/// again once every step ran (`complete: true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvictionManifest {
    /// Version of this JSON shape (1).
    pub format: u32,
    /// The module path, unescaped.
    pub module: String,
    /// The version, unescaped.
    pub version: String,
    /// Why it was evicted (the problems found).
    pub reason: String,
    /// When the eviction was planned, UTC.
    pub when: String,
    /// The module cache's root (absolute) the files came from.
    pub gomodcache: String,
    /// Every step ran: the version is out of the cache.
    pub complete: bool,
    /// Every file planned to move (`<ver>.lock` included), in no particular order.
    pub files: Vec<ManifestFile>,
}

/// One file of an eviction: where it was and where it is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Where it was in the module cache.
    pub original: String,
    /// Where it is in the quarantine.
    pub stored: String,
}

/// Writes the manifest atomically (temporary file, then rename).
pub(super) fn write_manifest(dir: &Path, manifest: &EvictionManifest) -> Result<(), EvictError> {
    let path = dir.join(MANIFEST);
    let tmp = dir.join(format!("{MANIFEST}.tmp"));
    let json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| fail("cannot encode the manifest for", &path, e))?;
    std::fs::write(&tmp, json).map_err(|e| fail("cannot write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| fail("cannot write", &path, e))
}

/// Moves a file, a directory or a symlink (as the link) from `original` to `stored`, creating
/// `stored`'s parents. A rename when both are on one file system; across file systems (EXDEV)
/// a copy, then the original is removed (a kill in between leaves both, never neither).
pub(crate) fn move_path(original: &Path, stored: &Path) -> Result<(), EvictError> {
    if let Some(parent) = stored.parent() {
        std::fs::create_dir_all(parent).map_err(|e| fail("cannot create", parent, e))?;
    }
    match std::fs::rename(original, stored) {
        Ok(()) => Ok(()),
        // Gone since the plan (another go cleaned it): nothing to keep.
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && std::fs::symlink_metadata(original).is_err() =>
        {
            Ok(())
        }
        Err(e) if e.raw_os_error() == Some(nix::libc::EXDEV) => copy_then_remove(original, stored),
        Err(e) => Err(EvictError(format!(
            "cannot move {} to {}: {e}",
            original.display(),
            stored.display()
        ))),
    }
}

/// The EXDEV fallback of [`move_path`]: copy everything (symlinks as links), then remove the
/// original.
pub(super) fn copy_then_remove(original: &Path, stored: &Path) -> Result<(), EvictError> {
    copy_tree(original, stored)?;
    let meta =
        std::fs::symlink_metadata(original).map_err(|e| fail("cannot look at", original, e))?;
    let removed = if meta.is_dir() {
        std::fs::remove_dir_all(original)
    } else {
        std::fs::remove_file(original)
    };
    removed.map_err(|e| fail("copied to the quarantine, but cannot remove", original, e))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), EvictError> {
    let meta = std::fs::symlink_metadata(from).map_err(|e| fail("cannot look at", from, e))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(|e| fail("cannot read the link", from, e))?;
        std::os::unix::fs::symlink(&target, to).map_err(|e| fail("cannot create", to, e))
    } else if meta.is_dir() {
        std::fs::create_dir(to).map_err(|e| fail("cannot create", to, e))?;
        for entry in std::fs::read_dir(from).map_err(|e| fail("cannot list", from, e))? {
            let entry = entry.map_err(|e| fail("cannot list", from, e))?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to)
            .map(|_| ())
            .map_err(|e| fail("cannot copy", from, e))
    }
}

/// One eviction kept in the quarantine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineEntry {
    /// The eviction's directory under the quarantine root.
    pub dir: PathBuf,
    /// Its manifest; `None` when missing or unreadable (the directory is still listed).
    pub manifest: Option<EvictionManifest>,
    /// Bytes of the files it holds.
    pub bytes: u64,
}

/// Every eviction directory under `root`, oldest first (their names start with the time).
pub fn list_quarantine(root: &Path) -> Result<Vec<QuarantineEntry>, EvictError> {
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(fail("cannot list the quarantine", root, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| fail("cannot list the quarantine", root, e))?;
        let dir = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let manifest =
            crate::fs::read::read_regular_file(&dir.join(MANIFEST), crate::fs::read::limits::TEXT)
                .ok()
                .and_then(|d| serde_json::from_slice(&d).ok());
        let bytes = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        out.push(QuarantineEntry {
            dir,
            manifest,
            bytes,
        });
    }
    out.sort_by(|a, b| a.dir.cmp(&b.dir));
    Ok(out)
}

/// Removes every eviction directory under `root` (making read-only directories writable
/// first); returns what was removed. `root` itself stays.
pub fn purge_quarantine(root: &Path) -> Result<Vec<QuarantineEntry>, EvictError> {
    let entries = list_quarantine(root)?;
    for e in &entries {
        super::paths::make_tree_writable(&e.dir)?;
        std::fs::remove_dir_all(&e.dir).map_err(|err| fail("cannot remove", &e.dir, err))?;
    }
    Ok(entries)
}
