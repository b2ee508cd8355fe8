//! Which files of a version an eviction moves, and the checks that keep it inside the module
//! cache: no path through a symlinked parent out of it, no quarantine inside it.

use super::error::{EvictError, fail};
use crate::cache::layout::ModuleFiles;
use std::path::{Path, PathBuf};

/// The version's files that exist, in the order they must move: first what go would trust
/// without checking again (zip, `.ziphash`, `.mod`), then the tree (which `.partial` already
/// disowns), the `.info` and stray temporary files. Not go's lock file: it moves last.
pub(super) fn existing_files(files: &ModuleFiles) -> Result<Vec<PathBuf>, EvictError> {
    let exists = |p: &Path| match std::fs::symlink_metadata(p) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) if e.raw_os_error() == Some(nix::libc::ENOTDIR) => Ok(false),
        Err(e) => Err(fail("cannot look at", p, e)),
    };
    let mut out = Vec::new();
    for p in [
        &files.zip,
        &files.ziphash,
        &files.go_mod,
        &files.dir,
        &files.info,
    ] {
        if exists(p)? {
            out.push(p.clone());
        }
    }
    let mut tmp = Vec::new();
    let stem = format!("{}.", files.escaped_version);
    match std::fs::read_dir(&files.download_dir) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(|e| fail("cannot list", &files.download_dir, e))?;
                let name = entry.file_name();
                let Some(ext) = name.to_str().and_then(|n| n.strip_prefix(&stem)) else {
                    continue;
                };
                let is_temp = ["zip", "mod", "info"]
                    .iter()
                    .any(|kind| ext.starts_with(kind) && ext.ends_with(".tmp"));
                if is_temp {
                    tmp.push(entry.path());
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail("cannot list", &files.download_dir, e)),
    }
    tmp.sort();
    out.extend(tmp);
    Ok(out)
}

/// `dir` is `root` or below it, spelled either way or through symlinks.
pub(super) fn is_inside(dir: &Path, root: &Path, canonical_root: &Path) -> bool {
    let resolved = dir
        .ancestors()
        .find_map(|a| std::fs::canonicalize(a).ok().map(|c| (a, c)))
        .map(|(a, c)| c.join(dir.strip_prefix(a).unwrap_or(Path::new(""))));
    dir.starts_with(root) || resolved.is_some_and(|r| r.starts_with(canonical_root))
}

/// Refuses a cache file whose parent directory resolves outside the cache root (a symlinked
/// `<root>/example.com` pointing elsewhere): moving it would move something that is not the
/// cache's. The file itself may be a symlink; it is moved as the link.
pub(super) fn ensure_inside_cache(
    original: &Path,
    root: &Path,
    canonical_root: &Path,
) -> Result<(), EvictError> {
    let escapes = || {
        EvictError(format!(
            "refusing to evict {}: it lies outside the module cache {} (a symlinked directory on the way leads out of it)",
            original.display(),
            root.display()
        ))
    };
    if !original.starts_with(root) {
        return Err(escapes());
    }
    let parent = original.parent().unwrap_or(root);
    // The nearest existing ancestor must resolve inside the root (parents that do not exist yet
    // are created under it by `MarkPartial`).
    let resolved = parent
        .ancestors()
        .find_map(|a| std::fs::canonicalize(a).ok());
    match resolved {
        Some(r) if r.starts_with(canonical_root) => Ok(()),
        _ => Err(escapes()),
    }
}

/// `<root>/<base>`, or `<base>-2`, … : a name not taken yet.
pub(super) fn unused_dir(root: &Path, base: &str) -> PathBuf {
    (1..10_000u32)
        .map(|n| match n {
            1 => root.join(base),
            n => root.join(format!("{base}-{n}")),
        })
        .find(|d| std::fs::symlink_metadata(d).is_err())
        .unwrap_or_else(|| root.join(format!("{base}-{}", std::process::id())))
}

/// Adds the owner's write bit to every directory and file of the tree (go leaves them 0555 and
/// 0444), never following a symlink: a symlinked tree is left alone (it moves as the link).
pub fn make_tree_writable(dir: &Path) -> Result<(), EvictError> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(fail("cannot look at", dir, e)),
    }
    // Directories first, top down: a read-only directory must become writable (and searchable)
    // before what is inside it can be listed and changed.
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            fail("cannot walk", &path, e)
        })?;
        let meta = entry
            .metadata()
            .map_err(|e| fail("cannot look at", entry.path(), e))?;
        if meta.file_type().is_symlink() {
            continue;
        }
        let mut perms = meta.permissions();
        let wanted = perms.mode() | if meta.is_dir() { 0o700 } else { 0o600 };
        if wanted != perms.mode() {
            perms.set_mode(wanted);
            std::fs::set_permissions(entry.path(), perms)
                .map_err(|e| fail("cannot make writable", entry.path(), e))?;
        }
    }
    Ok(())
}
