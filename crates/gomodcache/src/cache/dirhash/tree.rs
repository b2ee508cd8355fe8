//! Hashing an extracted module directory as x/mod `HashDir` does for `go mod verify`, without
//! hanging or reading without end on what go itself never extracts: symlinks (a loop, a link
//! to nothing or to a directory), named pipes, devices and sockets.

use super::digest::{
    Budget, Digested, HashError, PAR_MIN_FILES, ReadFail, digest_reader, hash_results, io_err,
};
use crate::cache::zipcheck::check_file_path;
use crate::fs::read::{open_nonblocking, special_kind};
use crate::progress::{CancelFlag, HashProgress};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One non-directory entry of an extracted tree.
#[derive(Debug, Clone)]
pub(crate) struct TreeFile {
    /// The path relative to the tree root, `/`-separated raw bytes.
    pub rel: Vec<u8>,
    pub path: PathBuf,
    /// The entry's own metadata (a symlink's, not its target's), when listed with metadata.
    pub meta: Option<std::fs::Metadata>,
}

impl TreeFile {
    pub fn is_symlink(&self) -> bool {
        self.meta
            .as_ref()
            .is_some_and(|m| m.file_type().is_symlink())
    }
}

/// Every non-directory entry under `dir`, as x/mod `HashDir` walks it: directories are entered
/// (not through symlinks), symlinks are listed as files (and hashing reads through them). A
/// symlink to a directory, a symlink that cannot be followed (a loop, or a link to nothing) and
/// a file that is not a regular file are errors: go fails on the first two too, and would block
/// forever on a named pipe or read a device without end; go never extracts any of them. With
/// `with_meta`, each entry's `lstat` too (one `statx` relative to its directory, no path walk).
/// Order: unspecified.
pub(crate) fn list_tree(
    dir: &Path,
    with_meta: bool,
    cancel: &CancelFlag,
) -> Result<Vec<TreeFile>, HashError> {
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, Vec<u8>)> = vec![(dir.to_path_buf(), Vec::new())];
    while let Some((path, rel)) = stack.pop() {
        if cancel.is_cancelled() {
            return Err(HashError::Cancelled);
        }
        for entry in std::fs::read_dir(&path).map_err(io_err(&path))? {
            let entry = entry.map_err(io_err(&path))?;
            let file_type = entry.file_type().map_err(io_err(&entry.path()))?;
            let mut child_rel = rel.clone();
            if !child_rel.is_empty() {
                child_rel.push(b'/');
            }
            child_rel.extend_from_slice(os_bytes(&entry.file_name()));
            let full = entry.path();
            if file_type.is_dir() {
                stack.push((full, child_rel));
                continue;
            }
            if let Some(kind) = special_kind(file_type) {
                return Err(HashError::NotRegular { path: full, kind });
            }
            if file_type.is_symlink() {
                // One stat through the link, for symlinks only (go never extracts one).
                match std::fs::metadata(&full) {
                    Ok(m) if m.is_dir() => {
                        return Err(HashError::SymlinkToDirectory { path: full });
                    }
                    Ok(m) => {
                        if let Some(kind) = special_kind(m.file_type()) {
                            return Err(HashError::NotRegular { path: full, kind });
                        }
                    }
                    Err(source) => {
                        let target = std::fs::read_link(&full).unwrap_or_default();
                        return Err(HashError::BadSymlink {
                            path: full,
                            target,
                            source,
                        });
                    }
                }
            }
            let meta = if with_meta {
                Some(entry.metadata().map_err(io_err(&full))?)
            } else {
                None
            };
            out.push(TreeFile {
                rel: child_rel,
                path: full,
                meta,
            });
        }
    }
    Ok(out)
}

/// Opens a listed file for hashing without ever blocking: `O_NONBLOCK` makes opening a named
/// pipe return at once (it is a no-op for regular files), and the opened file must be a regular
/// file (the listing checked that, but a file can be replaced in between). With its size.
pub(super) fn open_regular(path: &Path) -> Result<(std::fs::File, u64), HashError> {
    let (file, meta) = open_nonblocking(path).map_err(io_err(path))?;
    match special_kind(meta.file_type()) {
        Some(kind) => Err(HashError::NotRegular {
            path: path.to_path_buf(),
            kind,
        }),
        None if meta.is_dir() => Err(HashError::SymlinkToDirectory {
            path: path.to_path_buf(),
        }),
        None => Ok((file, meta.len())),
    }
}

/// The h1 of the files listed from `dir` with names `prefix/rel` and the bytes hashed; files are
/// read in parallel (see [`PAR_MIN_FILES`]).
pub(crate) fn hash_tree_files(
    dir: &Path,
    files: &[TreeFile],
    prefix: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_listed_files(dir, files, prefix, None, &Budget::new(), cancel, progress)
}

/// [`hash_tree_files`], taking the digest of the files `matched` found equal to their zip entry
/// instead of reading them again, all files counted against `budget`.
pub(super) fn hash_listed_files(
    dir: &Path,
    files: &[TreeFile],
    prefix: &str,
    matched: Option<&TreeMatch<'_>>,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    let results: Vec<Result<Digested, HashError>> = files
        .par_iter()
        .enumerate()
        .with_min_len(PAR_MIN_FILES)
        .map(|(i, f)| {
            let mut name = Vec::with_capacity(prefix.len() + 1 + f.rel.len());
            name.extend_from_slice(prefix.as_bytes());
            name.push(b'/');
            name.extend_from_slice(&f.rel);
            if let Some((digest, n)) = matched.and_then(|m| m.found(i)) {
                return Ok((name, digest, n));
            }
            let (mut file, _) = open_regular(&f.path)?;
            match digest_reader(&mut file, u64::MAX, budget, cancel, progress) {
                Ok((digest, n)) => Ok((name, digest, n)),
                Err(ReadFail::Cancelled) => Err(HashError::Cancelled),
                Err(ReadFail::Io(e)) => Err(HashError::Io {
                    path: f.path.clone(),
                    source: e,
                }),
                Err(ReadFail::TooLarge | ReadFail::Oversize) => Err(HashError::TooLarge {
                    path: dir.to_path_buf(),
                    what: "the extracted files add up to more than go's 500 MiB limit for a module"
                        .into(),
                }),
            }
        })
        .collect();
    hash_results(results)
}

/// The h1 of an extracted module directory with names `prefix/rel/path` (prefix is the
/// *unescaped* `module@version`), as x/mod `HashDir` does for `go mod verify`: every non-directory
/// entry counts, symlinks are listed as files and read through.
pub fn hash_dir(
    dir: &Path,
    prefix: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<String, HashError> {
    let files = list_tree(dir, false, cancel)?;
    hash_tree_files(dir, &files, prefix, cancel, progress).map(|(h1, _)| h1)
}

/// Entries of an extracted tree go would never have written, in words (at most `limit`): names
/// a module zip cannot hold (x/mod `CheckFilePath`: not UTF-8, a character go refuses, ...) and
/// symlinks. Only looked at to explain a tree whose hash is wrong.
pub(crate) fn foreign_entries(dir: &Path, limit: usize) -> Vec<String> {
    let Ok(files) = list_tree(dir, true, &CancelFlag::new()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let shown = String::from_utf8_lossy(&f.rel);
            let why = match std::str::from_utf8(&f.rel) {
                Err(_) => Some("its name is not valid UTF-8".to_string()),
                Ok(name) => check_file_path(name)
                    .err()
                    .map(|e| format!("go refuses the name: {e}")),
            };
            let why = why.or_else(|| {
                f.is_symlink()
                    .then(|| "a symbolic link, which go never extracts".to_string())
            })?;
            Some(format!("{shown} ({why})"))
        })
        .collect();
    out.sort();
    out.truncate(limit);
    out
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    s.to_str().map(str::as_bytes).unwrap_or(b"\xef\xbf\xbd")
}

/// The files of an extracted tree, offered the zip's entries as they are inflated.
pub(crate) struct TreeMatch<'a> {
    pub(super) files: &'a [TreeFile],
    /// `module@version/`: the zip's entry names are this followed by a tree file's `rel`.
    pub(super) entry_prefix: Vec<u8>,
    pub(super) by_rel: HashMap<&'a [u8], usize, foldhash::fast::RandomState>,
    /// The digest and size of file `i`, once it was found equal to its zip entry.
    pub(super) found: Vec<OnceLock<([u8; 32], u64)>>,
    /// Go's 500 MiB limit for the tree, shared with the files hashed on their own afterwards.
    pub(super) budget: Budget,
}
