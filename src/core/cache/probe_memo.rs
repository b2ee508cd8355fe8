//! The quick scan's memo: what [`ModuleCache::probe`] found for a module (which files exist, the
//! `.ziphash` text, the zip's size, stray temporary files) and the h1 of its `.mod`, kept with a
//! fingerprint of the metadata of the five places that answer depends on, so the next scan
//! confirms an unchanged module with five `stat`s instead of listing a directory and reading two
//! files (about 15 system calls). It makes the inspector's first classified frame fast on large
//! caches; the answer is the same as without it.
//!
//! The fingerprint covers, for `path@version`: the extracted directory, the download directory
//! `cache/download/<path>/@v` (any file created, removed or renamed in it changes its mtime and
//! ctime: that covers `.info`, `.partial`, stray `.tmp` files and every file's presence), and the
//! `.ziphash`, `.mod` and `.zip` themselves (an edit in place changes their ctime). Each is taken
//! by size, mtime, ctime, inode, device, mode and type, or as absent.
//!
//! What that trusts is what the verify memo trusts (see [`super::verify_memo`]): a file or
//! directory whose metadata, ctime included, is unchanged has unchanged content. Results are
//! never remembered when anything involved changed within [`RACY_WINDOW`](super::memo_file::RACY_WINDOW), when any of the five
//! could not be looked at, or when the probe met an error. The metadata is taken *before* the
//! probe, so a change during the probe shows as a mismatch next time. The memo lives beside the
//! verify memo (`probe-memo-v1/`), never in the module cache.

use super::dirhash::hash_go_mod;
use super::escape::EscapeError;
use super::layout::{CacheProbe, ModuleCache, Ziphash, read_small};
use super::memo_file::{MemoCounters, memo_file_for, modscope_cache_dir, take_learned, write_memo};
use fingerprint::Places;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The directory under the modscope cache directory holding one probe memo per GOMODCACHE.
pub const PROBE_MEMO_DIR: &str = "probe-memo-v1";
const HEADER: &str = "modscope probe-memo v1";
/// A memo file larger than this is not ours: ignored.
const MAX_MEMO_BYTES: u64 = 64 << 20;

/// One module's probe, as remembered (the paths are recomputed from the module's name).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Entry {
    module: String,
    fingerprint: String,
    info: bool,
    go_mod: bool,
    zip: bool,
    partial: bool,
    dir: bool,
    /// `None` absent, `Some((true, text))` valid, `Some((false, text))` invalid.
    ziphash: Option<(bool, String)>,
    zip_size: Option<u64>,
    stray_tmp: Vec<PathBuf>,
    go_mod_h1: Option<String>,
}

pub struct ProbeMemo {
    file: PathBuf,
    canonical: PathBuf,
    old: HashMap<String, Entry>,
    new: Mutex<HashMap<String, Entry>>,
    places: Places,
    counters: MemoCounters,
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
        })
    }

    /// Changes how recent a change must be for a probe not to be remembered (tests).
    pub fn with_racy_window(mut self, window: Duration) -> Self {
        self.counters.set_racy_window(window);
        self
    }

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
        // Taken before the probe: a change while probing shows as a mismatch next time.
        let seen = self.places.fingerprint(&files);
        if let Some(fp) = &seen
            && let Some(e) = self.old.get(&module).filter(|e| e.fingerprint == fp.digest)
        {
            self.counters.hit();
            return Ok(CacheProbe {
                files,
                has_info: e.info,
                has_go_mod: e.go_mod,
                has_zip: e.zip,
                has_partial: e.partial,
                dir_exists: e.dir,
                ziphash: match &e.ziphash {
                    None => Ziphash::Absent,
                    Some((true, t)) => Ziphash::Valid(t.clone()),
                    Some((false, t)) => Ziphash::Invalid(t.clone()),
                },
                zip_size: e.zip_size,
                stray_tmp: e.stray_tmp.clone(),
                errors: Vec::new(),
                unknown: false,
                go_mod_h1: e.go_mod_h1.clone(),
            });
        }
        self.counters.miss();
        let mut probe = cache.probe(path, version)?;
        if probe.has_go_mod
            && let Ok(bytes) = read_small(&probe.files.go_mod)
        {
            probe.go_mod_h1 = Some(hash_go_mod(&bytes));
        }
        let ziphash = match &probe.ziphash {
            Ziphash::Absent => Some(None),
            Ziphash::Valid(t) => Some(Some((true, t.clone()))),
            Ziphash::Invalid(t) => Some(Some((false, t.clone()))),
            Ziphash::Unreadable(_) => None,
        };
        let readable = !probe.has_go_mod || probe.go_mod_h1.is_some();
        if let (Some(fp), Some(ziphash), true) = (seen, ziphash, readable)
            && probe.errors.is_empty()
            && !probe.unknown
            && !self.counters.is_racy(fp.newest)
            && fp.agrees_with(&probe)
        {
            let entry = Entry {
                module: module.clone(),
                fingerprint: fp.digest,
                info: probe.has_info,
                go_mod: probe.has_go_mod,
                zip: probe.has_zip,
                partial: probe.has_partial,
                dir: probe.dir_exists,
                ziphash,
                zip_size: probe.zip_size,
                stray_tmp: probe.stray_tmp.clone(),
                go_mod_h1: probe.go_mod_h1.clone(),
            };
            if let Ok(mut new) = self.new.lock() {
                new.insert(module, entry);
            }
        }
        Ok(probe)
    }

    /// Writes the memo if this run learned anything: the entries confirmed or made in this run
    /// replace the file (modules no longer asked about are dropped with it after a run that
    /// re-probed something). Returns whether it wrote.
    pub fn save(&self) -> std::io::Result<bool> {
        let Some(new) = take_learned(&self.new) else {
            return Ok(false);
        };
        // Fingerprints were taken through the root handle, probes by path: if the cache was
        // replaced meanwhile, the two saw different directories and nothing learned is kept.
        if !self.places.root_unchanged() {
            return Ok(false);
        }
        let mut all: HashMap<String, Entry> = self.old.clone();
        all.extend(new);
        let mut entries: Vec<Entry> = all.into_values().collect();
        entries.sort_unstable_by(|a, b| a.module.cmp(&b.module));
        // Two text lines first, as the verify memo, so pruning reads whose cache it is.
        let mut data = format!("{HEADER}\nroot {}\n", self.canonical.display()).into_bytes();
        serde_json::to_writer(&mut data, &entries).map_err(std::io::Error::other)?;
        write_memo(&self.file, &data, HEADER)?;
        Ok(true)
    }
}

/// Reads a memo file; anything unexpected (absent, too large, another root, not ours) gives an
/// empty memo, never an error.
fn load(file: &Path, root: &Path) -> HashMap<String, Entry> {
    let ok = std::fs::metadata(file).is_ok_and(|m| m.len() <= MAX_MEMO_BYTES);
    let Some(data) = ok.then(|| std::fs::read(file).ok()).flatten() else {
        return HashMap::new();
    };
    let expected = format!("{HEADER}\nroot {}\n", root.display());
    let entries: Option<Vec<Entry>> = data
        .strip_prefix(expected.as_bytes())
        .and_then(|rest| serde_json::from_slice(rest).ok());
    entries
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.module.clone(), e))
        .collect()
}

mod fingerprint;
#[cfg(test)]
mod tests;
