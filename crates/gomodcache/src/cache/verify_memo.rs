//! Incremental verify: remembers the h1 of zips and extracted trees that were hashed
//! successfully, keyed by what identifies their files on disk, so an unchanged module is not
//! re-hashed on the next check.
//!
//! - a zip is identified by its path, size, mtime, ctime, inode, device and mode, and the content
//!   of its `.ziphash`;
//! - an extracted tree by the same of **every** file in it (path relative to the tree, type,
//!   size, mtime, ctime, inode, device, mode), plus its path, its `module@version` and the
//!   `.ziphash` content.
//!
//! What that trusts: a file whose size, mtime, ctime, inode and mode are all unchanged is taken
//! to have unchanged content. Any write through the file system moves ctime (which, unlike mtime,
//! cannot be set back), so an edit is always seen, even one that keeps the size and restores the
//! mtime; what defeats it is writing the disk behind the file system's back, or changing the
//! system clock to replay a ctime. `check --full` ignores the memo. A file changed in the same
//! clock tick as the hash could be missed, so results for files changed less than
//! [`RACY_WINDOW`] ago are never remembered (git's "racy clean" rule). Trees holding symlinks
//! (whose targets can change without the link changing) are never remembered. Errors are never
//! remembered, only successful hashes.
//!
//! The memo is one small text file per GOMODCACHE, under the user's cache directory
//! (`$MODSCOPE_CACHE_DIR/verify-memo-v2/` or `~/.cache/modscope/verify-memo-v2/`), never inside
//! the module cache, written atomically (a temporary file renamed over it). A missing, foreign or
//! garbled memo is ignored, line by line.

use super::dirhash::{
    HashError, TreeFile, TreeMatch, hash_matched_tree, hash_module_zip_counted,
    hash_module_zip_matched, hash_tree_files, list_tree,
};
use super::file_identity::{ctime_ns, meta_bytes};
use super::layout::Ziphash;
pub use super::memo_file::{CACHE_DIR_ENV, RACY_WINDOW, modscope_cache_dir};
use super::memo_file::{MemoCounters, mac, memo_file_for, memo_key, take_learned, write_memo};
use crate::progress::{CancelFlag, HashProgress};
use load::{Entry, HEADER, load};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The directory under the modscope cache directory holding one memo per GOMODCACHE.
pub const MEMO_DIR: &str = "verify-memo-v2";

/// Whether remembered results are used, or only refreshed (`check --full`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoMode {
    /// Look results up, hash what is not remembered, remember new results.
    Use,
    /// Hash everything and remember the results, ignoring what was remembered.
    Refresh,
}

/// An extracted tree listed by [`VerifyMemo::list_dir`].
pub(crate) struct ListedDir {
    /// Its files, with their metadata.
    pub files: Vec<TreeFile>,
    /// Its memo key and fingerprint, when it can be remembered.
    known: Option<(String, [u8; 32])>,
    /// The h1 and bytes remembered for exactly this listing.
    remembered: Option<(String, u64)>,
}

impl ListedDir {
    /// A tree listed without a memo: always hashed, never remembered.
    pub(crate) fn unremembered(files: Vec<TreeFile>) -> Self {
        ListedDir {
            files,
            known: None,
            remembered: None,
        }
    }

    /// Whether the tree must be hashed (the memo does not know this listing).
    pub(crate) fn needs_hashing(&self) -> bool {
        self.remembered.is_none()
    }
}

/// The memo of one GOMODCACHE. Shared by the hashing threads; [`save`](Self::save) at the end.
pub struct VerifyMemo {
    /// The module cache as the caller names it (cache paths are relative to this).
    root: PathBuf,
    /// The module cache with symlinks and `..` resolved: names the memo file, so every spelling
    /// of one cache shares one memo.
    canonical: PathBuf,
    file: PathBuf,
    mode: MemoMode,
    old: HashMap<String, Entry>,
    new: Mutex<HashMap<String, Entry>>,
    counters: MemoCounters,
    /// The user's memo key, or why there is none (then the memo is neither read nor written).
    key: Result<[u8; 32], String>,
}

/// How the `.ziphash` enters a key: its state and text.
pub fn ziphash_key(z: &Ziphash) -> String {
    match z {
        Ziphash::Absent => "absent".into(),
        Ziphash::Valid(s) => format!("valid:{s}"),
        Ziphash::Invalid(s) => format!("invalid:{s}"),
        Ziphash::Unreadable(_) => "unreadable".into(),
    }
}

impl VerifyMemo {
    /// The memo of `gomodcache` in the default location (see [`modscope_cache_dir`]). `None` when
    /// there is no cache directory, when it lies inside the module cache, or off Unix.
    pub fn open(gomodcache: &Path, mode: MemoMode) -> Option<VerifyMemo> {
        Self::open_in(&modscope_cache_dir()?.join(MEMO_DIR), gomodcache, mode)
    }

    /// The memo of `gomodcache` kept in `memo_dir`.
    pub fn open_in(memo_dir: &Path, gomodcache: &Path, mode: MemoMode) -> Option<VerifyMemo> {
        let root = std::path::absolute(gomodcache).ok()?;
        let (canonical, file) = memo_file_for(memo_dir, gomodcache)?;
        let key = memo_key(memo_dir).map_err(|e| e.to_string());
        let old = match &key {
            Ok(k) => load(&file, &canonical, k),
            Err(_) => HashMap::new(),
        };
        Some(VerifyMemo {
            root,
            canonical,
            file,
            mode,
            old,
            new: Mutex::new(HashMap::new()),
            counters: MemoCounters::new(),
            key,
        })
    }

    /// Changes how recent a change must be for a result not to be remembered (tests).
    pub fn with_racy_window(mut self, window: Duration) -> Self {
        self.counters.set_racy_window(window);
        self
    }

    /// The memo file.
    pub fn path(&self) -> &Path {
        &self.file
    }

    pub(crate) fn mode(&self) -> MemoMode {
        self.mode
    }

    /// Results taken from the memo, and results hashed, so far.
    pub fn stats(&self) -> (usize, usize) {
        self.counters.stats()
    }

    fn key(&self, kind: char, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?.to_str()?;
        (!rel.is_empty() && !rel.contains('\n')).then(|| format!("{kind} {rel}"))
    }

    fn lookup(&self, key: &str, fingerprint: &[u8; 32]) -> Option<&Entry> {
        if self.mode == MemoMode::Refresh {
            return None;
        }
        self.old.get(key).filter(|e| &e.fingerprint == fingerprint)
    }

    fn remember(&self, key: String, fingerprint: [u8; 32], bytes: u64, h1: &str) {
        let entry = Entry {
            fingerprint,
            bytes,
            h1: h1.to_string(),
        };
        if self.old.get(&key) == Some(&entry) {
            return;
        }
        if let Ok(mut new) = self.new.lock() {
            new.insert(key, entry);
        }
    }

    /// Whether a file changed (ctime) within the racy window before now.
    fn is_racy(&self, meta: &std::fs::Metadata) -> bool {
        self.counters.is_racy(ctime_ns(meta))
    }

    /// [`hash_module_zip`](super::dirhash::hash_module_zip) of the zip of `module`
    /// (`path@version`) through the memo. `ziphash` is [`ziphash_key`] of the module's `.ziphash`.
    /// Only zips that passed go's checks are remembered (errors never are).
    pub fn hash_zip(
        &self,
        zip: &Path,
        module: &str,
        ziphash: &str,
        cancel: &CancelFlag,
        progress: &dyn HashProgress,
    ) -> Result<String, HashError> {
        self.hash_zip_matched(zip, module, ziphash, None, cancel, progress)
    }

    /// [`hash_zip`](Self::hash_zip), offering each entry it inflates to the tree `matched`.
    pub(crate) fn hash_zip_matched(
        &self,
        zip: &Path,
        module: &str,
        ziphash: &str,
        matched: Option<&TreeMatch<'_>>,
        cancel: &CancelFlag,
        progress: &dyn HashProgress,
    ) -> Result<String, HashError> {
        let known = self.key('z', zip).and_then(|key| {
            let meta = std::fs::metadata(zip).ok()?;
            let mut h = Sha256::new();
            // Not the "zip" of memos written before go's checks on entry names were made: those
            // results were never checked, so they no longer match.
            h.update(b"module-zip\0");
            h.update(module.as_bytes());
            h.update(b"\0");
            h.update(key.as_bytes());
            h.update(b"\0");
            h.update(ziphash.as_bytes());
            h.update(b"\0");
            h.update(meta_bytes(&meta));
            Some((key, h.finalize().into(), meta))
        });
        if let Some((key, fingerprint, _)) = &known
            && let Some(e) = self.lookup(key, fingerprint)
        {
            self.counters.hit();
            progress.on_bytes(e.bytes);
            return Ok(e.h1.clone());
        }
        self.counters.miss();
        let (h1, bytes) = match matched {
            Some(m) => hash_module_zip_matched(zip, module, m, cancel, progress)?,
            None => hash_module_zip_counted(zip, module, cancel, progress)?,
        };
        if let Some((key, fingerprint, meta)) = known
            && !self.is_racy(&meta)
        {
            self.remember(key, fingerprint, bytes, &h1);
        }
        Ok(h1)
    }

    /// [`hash_dir`](super::dirhash::hash_dir) through the memo: the tree is listed with every
    /// file's metadata (a `statx` per file, no read), and re-hashed unless that listing is the one
    /// remembered.
    pub fn hash_dir(
        &self,
        dir: &Path,
        prefix: &str,
        ziphash: &str,
        cancel: &CancelFlag,
        progress: &dyn HashProgress,
    ) -> Result<String, HashError> {
        let listed = self.list_dir(dir, prefix, ziphash, cancel)?;
        self.hash_listed_dir(dir, prefix, &listed, None, cancel, progress)
    }

    /// The first half of [`hash_dir`](Self::hash_dir): the tree listed with every file's
    /// metadata, and whether that listing is the one remembered.
    pub(crate) fn list_dir(
        &self,
        dir: &Path,
        prefix: &str,
        ziphash: &str,
        cancel: &CancelFlag,
    ) -> Result<ListedDir, HashError> {
        let mut files = list_tree(dir, true, cancel)?;
        let memoizable = !files.iter().any(TreeFile::is_symlink);
        let known = self.key('d', dir).filter(|_| memoizable).map(|key| {
            files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
            let mut h = Sha256::new();
            h.update(b"tree\0");
            h.update(key.as_bytes());
            h.update(b"\0");
            h.update(prefix.as_bytes());
            h.update(b"\0");
            h.update(ziphash.as_bytes());
            h.update(b"\0");
            h.update((files.len() as u64).to_le_bytes());
            for f in &files {
                h.update(&f.rel);
                h.update(b"\0");
                if let Some(m) = &f.meta {
                    h.update(meta_bytes(m));
                }
            }
            (key, <[u8; 32]>::from(h.finalize()))
        });
        let remembered = known
            .as_ref()
            .and_then(|(key, fingerprint)| self.lookup(key, fingerprint))
            .map(|e| (e.h1.clone(), e.bytes));
        Ok(ListedDir {
            files,
            known,
            remembered,
        })
    }

    /// The second half of [`hash_dir`](Self::hash_dir): the remembered h1 of a tree listed
    /// unchanged, or its hash (taking the files `matched` found equal to their zip entry, when
    /// `matched` was made from `listed.files`), remembered.
    pub(crate) fn hash_listed_dir(
        &self,
        dir: &Path,
        prefix: &str,
        listed: &ListedDir,
        matched: Option<&TreeMatch<'_>>,
        cancel: &CancelFlag,
        progress: &dyn HashProgress,
    ) -> Result<String, HashError> {
        if let Some((h1, bytes)) = &listed.remembered {
            self.counters.hit();
            progress.on_bytes(*bytes);
            return Ok(h1.clone());
        }
        self.counters.miss();
        let files = &listed.files;
        let (h1, bytes) = match matched {
            Some(m) => hash_matched_tree(dir, m, prefix, cancel, progress)?,
            None => hash_tree_files(dir, files, prefix, cancel, progress)?,
        };
        let racy = files
            .iter()
            .any(|f| f.meta.as_ref().is_none_or(|m| self.is_racy(m)));
        if let Some((key, fingerprint)) = &listed.known
            && !racy
        {
            self.remember(key.clone(), *fingerprint, bytes, &h1);
        }
        Ok(h1)
    }

    /// Writes the memo if this run remembered anything new: the old entries, minus those for
    /// files that no longer exist, plus the new ones. Returns whether it wrote. Also removes the
    /// memos of module caches that no longer exist.
    pub fn save(&self) -> std::io::Result<bool> {
        let Some(new) = take_learned(&self.new) else {
            return Ok(false);
        };
        let key = match &self.key {
            Ok(key) => key,
            Err(why) => {
                return Err(std::io::Error::other(format!("no private memo key: {why}")));
            }
        };
        let mut all: Vec<(&String, &Entry)> = self
            .old
            .iter()
            .filter(|(k, _)| !new.contains_key(*k) && self.root.join(&k[2..]).exists())
            .chain(new.iter())
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = format!("{HEADER}\nroot {}\n", self.canonical.display());
        for (key, e) in all {
            let (kind, rel) = key.split_at(1);
            text.push_str(&format!(
                "{kind} {} {} {}{rel}\n",
                hex::encode(e.fingerprint),
                e.bytes,
                e.h1
            ));
        }
        let signature = hex::encode(mac(key, text.as_bytes()));
        text.push_str(&format!("mac {signature}\n"));
        write_memo(&self.file, text.as_bytes(), HEADER)?;
        Ok(true)
    }
}

mod load;

#[cfg(test)]
mod tests;
