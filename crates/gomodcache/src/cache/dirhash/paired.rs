//! Hashing a module's zip and its extracted tree in one pass: as each zip entry is inflated, the
//! tree file of the same name is read and compared with it byte for byte; when they are equal,
//! the file's SHA-256 is the entry's, so it is not computed a second time (about half of the
//! SHA-256 of a full check). Anything else (a file that differs, is missing from the zip, cannot
//! be opened, an entry too large to hold in memory) is left to [`hash_tree_files`]'s own reading,
//! so the tree's h1 and errors are exactly those of hashing it on its own.

use super::digest::{Budget, HashError, with_buf};
use super::tree::TreeFile;
use super::tree::{TreeMatch, hash_listed_files, open_regular};
use crate::fs::read::open_nonblocking_unchecked;
use crate::progress::{CancelFlag, HashProgress};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

impl<'a> TreeMatch<'a> {
    /// `files` as listed from the tree of `module` (`path@version`, unescaped: the zip's prefix).
    pub fn new(files: &'a [TreeFile], module: &str) -> Self {
        let mut entry_prefix = module.as_bytes().to_vec();
        entry_prefix.push(b'/');
        TreeMatch {
            files,
            entry_prefix,
            by_rel: files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.rel.as_slice(), i))
                .collect(),
            found: (0..files.len()).map(|_| OnceLock::new()).collect(),
            budget: Budget::new(),
        }
    }

    /// The digest and size of file `i` if it was found equal to its zip entry.
    pub(super) fn found(&self, i: usize) -> Option<([u8; 32], u64)> {
        self.found.get(i).and_then(|f| f.get().copied())
    }

    /// A zip entry named `name`, whose content is `data` with SHA-256 `digest`: the tree file of
    /// the same name takes that digest if its content is `data`, byte for byte.
    pub(super) fn offer(
        &self,
        name: &[u8],
        data: &[u8],
        digest: &[u8; 32],
        cancel: &CancelFlag,
        progress: &dyn HashProgress,
    ) {
        let Some(&i) = name
            .strip_prefix(self.entry_prefix.as_slice())
            .and_then(|rel| self.by_rel.get(rel))
        else {
            return;
        };
        if self.found[i].get().is_some() || cancel.is_cancelled() {
            return;
        }
        let n = data.len() as u64;
        if same_content(&self.files[i], data) && self.budget.take(n) {
            // A zip never names a file twice (its directory is refused first), so this is the
            // only offer for file `i`.
            let _ = self.found[i].set((*digest, n));
            progress.on_bytes(n);
        }
    }
}

/// Whether the listed `file` holds exactly `data`, read through a symlink and never blocking, as
/// [`hash_tree_files`] reads it. Any error is "no": the file's own hashing then reports it.
///
/// When the listing has the file's metadata (a full check always lists with it), a regular file
/// of another size is "no" without opening it, and a non-empty one is not `fstat`ed again once
/// opened (one `statx` per file of a real cache saved): it must then read as exactly `data` and
/// end there, so a file grown, shrunk or swapped for a FIFO or a device since it was listed
/// compares unequal. An empty file is still checked to be one: a FIFO with no writer or
/// `/dev/null` also reads as nothing.
fn same_content(file: &TreeFile, data: &[u8]) -> bool {
    let checked = || match open_regular(&file.path) {
        Ok((f, len)) if len == data.len() as u64 => Some(f),
        _ => None,
    };
    let opened = match &file.meta {
        Some(m) if m.is_file() && m.len() != data.len() as u64 => return false,
        Some(m) if m.is_file() && !data.is_empty() => open_nonblocking_unchecked(&file.path).ok(),
        // A symlink (read through, as go reads it), an empty file, or no metadata.
        _ => checked(),
    };
    let Some(mut opened) = opened else {
        return false;
    };
    with_buf(|buf| {
        let mut pos = 0usize;
        loop {
            let n = match opened.read(buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return false,
            };
            if n == 0 {
                return pos == data.len();
            }
            match data.get(pos..pos + n) {
                Some(expected) if expected == &buf[..n] => pos += n,
                _ => return false,
            }
        }
    })
}

/// [`super::hash_tree_files`] for a tree whose files were offered the zip's entries: the files
/// found equal to their entry take its digest, the others are read and hashed.
pub(crate) fn hash_matched_tree(
    dir: &Path,
    matched: &TreeMatch<'_>,
    prefix: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_listed_files(
        dir,
        matched.files,
        prefix,
        Some(matched),
        &matched.budget,
        cancel,
        progress,
    )
}

#[cfg(test)]
mod tests;
