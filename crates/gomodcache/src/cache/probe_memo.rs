//! The quick scan's memo: what [`ModuleCache::probe`] found for a module (which files exist, the
//! `.ziphash` text, the zip's size, stray temporary files) and the h1 of its `.mod`, kept with a
//! fingerprint of the metadata of the places that answer depends on, so the next scan confirms
//! an unchanged module with four `stat`s (and one per parent directory) instead of listing a
//! directory and reading two files (about 15 system calls). It makes the inspector's first
//! classified frame fast on large caches; the answer is the same as without it, except for the
//! zip's size when the memo is opened with [`ZipSizes::Remembered`] (see there).
//!
//! The fingerprint covers, for `path@version`: the download directory `cache/download/<path>/@v`
//! (any file created, removed or renamed in it changes its mtime and ctime: that covers `.info`,
//! `.partial`, stray `.tmp` files and every file's presence), the `.ziphash`, `.mod` and `.zip`
//! themselves (an edit in place changes their ctime; a symlinked zip is followed too; the zip is
//! fingerprinted apart, as only the size depends on it), and the extracted directory: through
//! the directory that holds it when it is a real directory or absent, by itself (followed) when
//! it is anything else (`fingerprint::DirCover`). Each is taken by size, mtime, ctime, inode,
//! device, mode and type, or as absent.
//!
//! What that trusts is what the verify memo trusts (see [`super::verify_memo`]): a file or
//! directory whose metadata, ctime included, is unchanged has unchanged content. Results are
//! never remembered when anything involved changed within
//! [`RACY_WINDOW`](super::memo_file::RACY_WINDOW), when any place could not be looked at, or when
//! the probe met an error. The metadata is taken *before* the probe, so a change during the
//! probe shows as a mismatch next time. Lookups go through handles on the cache root held for
//! the scan: a cache replaced during a scan can mix old and new answers in that scan (as any
//! scan racing `go clean -modcache` would), and nothing of it is saved. The memo lives beside
//! the verify memo (`probe-memo-v3/`), never in the module cache; its lines are described in
//! its `memo_lines` module.

use super::dirhash::hash_go_mod;
use super::escape::EscapeError;
use super::layout::{CacheProbe, ModuleCache, Ziphash};
use super::memo_file::{MemoCounters, memo_file_for, modscope_cache_dir, take_learned, write_memo};
use crate::fs::read::{limits, read_regular_file};
use fingerprint::Places;
use fingerprint::{DirCover, ZipKind};
use memo_lines::{Entry, MemoLines, fingerprint_fields, plain};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The directory under the modscope cache directory holding one probe memo per GOMODCACHE.
pub const PROBE_MEMO_DIR: &str = "probe-memo-v3";
/// Where the previous formats were kept (v1 JSON; v2 without the zip's own fingerprint): a
/// cache's old memos are removed when its new one is written.
const OLD_PROBE_MEMO_DIRS: [&str; 2] = ["probe-memo-v1", "probe-memo-v2"];
const HEADER: &str = "modscope probe-memo v3";
/// A memo file larger than this is not ours: ignored.
const MAX_MEMO_BYTES: u64 = 64 << 20;

/// Whether an unchanged module's zip is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipSizes {
    /// Its identity is checked like the other places': the answer is exactly a probe's.
    Checked,
    /// Not looked at (unless it was a symlink, whose target can change with nothing in the
    /// download directory changing): when everything else is unchanged, its presence is (the
    /// download directory covers it) and only its size could be out of date, if the zip was
    /// rewritten in place (go never does that: it writes a new file and renames it). One `stat`
    /// in four fewer. For the inspector's quick scan, whose verify pass looks at every zip right
    /// after the first frame (through this memo, checked, which corrects its line) and replaces
    /// each module's row with what it saw.
    Remembered,
}

/// The probe memo of one GOMODCACHE: the lines read when it was opened and those learned since,
/// written back by [`save`](Self::save).
pub struct ProbeMemo {
    file: PathBuf,
    canonical: PathBuf,
    old: MemoLines,
    new: Mutex<HashMap<String, Entry>>,
    places: Places,
    counters: MemoCounters,
    zip_sizes: ZipSizes,
}

impl std::fmt::Debug for ProbeMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeMemo")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl ProbeMemo {
    /// The memo of `gomodcache` in the default location; `None` when there is no cache
    /// directory, when it lies inside the module cache, or off Unix.
    pub fn open(gomodcache: &Path) -> Option<ProbeMemo> {
        Self::open_in(&modscope_cache_dir()?.join(PROBE_MEMO_DIR), gomodcache)
    }

    /// The memo of `gomodcache` kept in `memo_dir`.
    pub fn open_in(memo_dir: &Path, gomodcache: &Path) -> Option<ProbeMemo> {
        let (canonical, file) = memo_file_for(memo_dir, gomodcache)?;
        let old = load(&file, &canonical);
        Some(ProbeMemo {
            file,
            canonical,
            old,
            new: Mutex::new(HashMap::new()),
            places: Places::open(gomodcache),
            counters: MemoCounters::new(),
            zip_sizes: ZipSizes::Checked,
        })
    }

    /// Changes whether unchanged modules' zips are looked at (checked when opened).
    pub fn with_zip_sizes(mut self, zip_sizes: ZipSizes) -> Self {
        self.zip_sizes = zip_sizes;
        self
    }

    /// Changes how recent a change must be for a probe not to be remembered (tests).
    pub fn with_racy_window(mut self, window: Duration) -> Self {
        self.counters.set_racy_window(window);
        self
    }

    /// The memo file.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Probes answered from the memo, and probes made, so far.
    pub fn stats(&self) -> (usize, usize) {
        self.counters.stats()
    }

    /// [`ModuleCache::probe`] of `path@version` with the h1 of its `.mod` filled in, from the memo
    /// when nothing it depends on changed.
    pub fn probe(
        &self,
        cache: &ModuleCache,
        path: &str,
        version: &str,
    ) -> Result<CacheProbe, EscapeError> {
        let files = cache.files(path, version)?;
        let module = format!("{path}@{version}");
        if let Some(line) = self.old.find(&module)
            && let (remembered, remembered_zip) = fingerprint_fields(line)
            && let check_zip = (self.zip_sizes == ZipSizes::Checked
                || ZipKind::of_digest(remembered_zip) == ZipKind::Symlink)
            && let Some(cover) = DirCover::of_digest(remembered)
            && let Some(fp) = self.places.fingerprint(&files, cover, check_zip)
            && remembered == fp.digest.as_bytes()
            && fp
                .zip_digest
                .is_none_or(|zip| zip.as_bytes() == remembered_zip)
            && let Some(e) = Entry::parse_found(line)
        {
            self.counters.hit();
            return Ok(CacheProbe {
                stray_tmp: e.stray_paths(&files.download_dir),
                files,
                has_info: e.info,
                has_go_mod: e.go_mod,
                has_zip: e.zip,
                has_partial: e.partial,
                dir_exists: e.dir,
                ziphash: e.ziphash,
                zip_size: e.zip_size,
                errors: Vec::new(),
                unknown: false,
                go_mod_h1: e.go_mod_h1,
            });
        }
        self.counters.miss();
        // Taken before the probe: a change while probing shows as a mismatch next time.
        let seen = self.places.fingerprint_before_probe(&files);
        let mut probe = cache.probe(path, version)?;
        if probe.has_go_mod
            && let Ok(bytes) = read_regular_file(&probe.files.go_mod, limits::GO_MOD)
        {
            probe.go_mod_h1 = Some(hash_go_mod(&bytes));
        }
        let readable = !probe.has_go_mod || probe.go_mod_h1.is_some();
        let stray_tmp: Option<Vec<_>> = probe
            .stray_tmp
            .iter()
            .map(|p| {
                (p.parent() == Some(probe.files.download_dir.as_path()))
                    .then(|| p.file_name().map(|n| n.to_os_string()))
                    .flatten()
            })
            .collect();
        // Taken with the zip (`fingerprint_before_probe` always looks at it): a line is always
        // complete, whichever way the next scan reads it.
        if let (Some(fp), Some(stray_tmp), true) = (seen, stray_tmp, readable)
            && let Some(zip_fingerprint) = fp.zip_digest.clone()
            && !matches!(probe.ziphash, Ziphash::Unreadable(_))
            && plain(&module)
            && probe.errors.is_empty()
            && !probe.unknown
            && !self.counters.is_racy(fp.newest)
            && fp.agrees_with(&probe)
        {
            let entry = Entry {
                module: module.clone(),
                fingerprint: fp.digest,
                zip_fingerprint,
                info: probe.has_info,
                go_mod: probe.has_go_mod,
                zip: probe.has_zip,
                partial: probe.has_partial,
                dir: probe.dir_exists,
                ziphash: probe.ziphash.clone(),
                zip_size: probe.zip_size,
                stray_tmp,
                go_mod_h1: probe.go_mod_h1.clone(),
            };
            if let Ok(mut new) = self.new.lock() {
                new.insert(module, entry);
            }
        }
        Ok(probe)
    }

    /// Writes the memo if this run learned anything: a module probed in this run gets its new
    /// line, every other line is kept (projects sharing the cache ask about other modules).
    /// Returns whether it wrote.
    pub fn save(&self) -> std::io::Result<bool> {
        let Some(new) = take_learned(&self.new) else {
            return Ok(false);
        };
        // Fingerprints were taken through the root handle, probes by path: if the cache was
        // replaced meanwhile, the two saw different directories and nothing learned is kept.
        if !self.places.root_unchanged() {
            return Ok(false);
        }
        let mut new: Vec<Entry> = new.into_values().collect();
        new.sort_unstable_by(|a, b| a.module.cmp(&b.module));
        // Two text lines first, as the verify memo, so pruning reads whose cache it is.
        let mut data = header(&self.canonical).into_bytes();
        // A merge of two sorted lists: the old lines are copied as they are, a module probed
        // again in this run takes its new line.
        let mut old = self.old.iter().peekable();
        for entry in &new {
            while let Some((_, line)) = old.next_if(|(key, _)| *key < entry.module.as_bytes()) {
                data.extend_from_slice(line);
                data.push(b'\n');
            }
            old.next_if(|(key, _)| *key == entry.module.as_bytes());
            entry.write_line(&mut data);
        }
        for (_, line) in old {
            data.extend_from_slice(line);
            data.push(b'\n');
        }
        write_memo(&self.file, &data, HEADER)?;
        remove_old_format(&self.file);
        Ok(true)
    }
}

fn header(root: &Path) -> String {
    format!("{HEADER}\nroot {}\n", root.display())
}

/// Removes this cache's memos of the previous formats, if any (they would never be read again).
fn remove_old_format(file: &Path) {
    if let (Some(dir), Some(name)) = (file.parent().and_then(Path::parent), file.file_name()) {
        for old in OLD_PROBE_MEMO_DIRS {
            let _ = std::fs::remove_file(dir.join(old).join(name));
            // Only when empty: other caches' old memos may still be there.
            let _ = std::fs::remove_dir(dir.join(old));
        }
    }
}

/// Reads a memo file; anything unexpected (absent, too large, another root, not ours) gives an
/// empty memo, never an error.
fn load(file: &Path, root: &Path) -> MemoLines {
    let Ok(data) = read_regular_file(file, MAX_MEMO_BYTES) else {
        return MemoLines::default();
    };
    let expected = header(root);
    if !data.starts_with(expected.as_bytes()) {
        return MemoLines::default();
    }
    MemoLines::index(data, expected.len()).unwrap_or_default()
}

mod fingerprint;
mod memo_lines;
#[cfg(test)]
mod tests;
