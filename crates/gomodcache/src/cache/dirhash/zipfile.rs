//! Hashing a module zip as x/mod `HashZip` does, refusing what go refuses first (see
//! [`super::zipcheck`]): nothing is inflated past go's limits or past an entry's declared size.

use super::digest::{Budget, CHUNK, HashError, PAR_MIN_FILES, corrupt, hash_results, io_err};
use super::inflate::{RawEntry, ZipRun, hash_entry, hash_entry_in_memory, hash_raw};
use super::tree::TreeMatch;
use crate::cache::zipcheck;
use crate::progress::{CancelFlag, HashProgress};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Zips up to this size are read whole into memory (one read instead of a seek and a buffered
/// read per entry; most module zips are well under it), and their entries are hashed in parallel.
/// Larger ones are read entry by entry, [`BATCH`] bytes of raw entries at a time hashed in
/// parallel, so memory does not grow with the zip (a 39 MiB zip read whole made a full check's
/// peak memory three times `go mod verify`'s).
pub(super) const IN_MEMORY_ZIP: u64 = 8 << 20;

/// Raw (compressed) bytes of a large zip read ahead before they are hashed in parallel; an entry
/// with more raw bytes than this is streamed through the zip crate's reader on its own.
pub(super) const BATCH: usize = 4 << 20;

/// A whole-zip buffer larger than this is freed after use instead of kept for the thread's next
/// zip.
const ZIP_BUF_KEEP: usize = 2 << 20;

thread_local! {
    /// The buffer a thread reads a whole zip into, reused from zip to zip (no fresh pages to
    /// fault in for every zip).
    static ZIP_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The h1 of a module zip, over **all** central-directory entries including `dir/` entries (which
/// hash as empty files), as x/mod `HashZip` does. This is the go.sum zip line and `.ziphash`.
/// Only go's size limits are enforced; [`hash_module_zip`] also makes go's checks on the names.
pub fn hash_zip(
    path: &Path,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<String, HashError> {
    hash_zip_counted(path, cancel, progress).map(|(h1, _)| h1)
}

/// [`hash_zip`], also returning the uncompressed bytes hashed.
fn hash_zip_counted(
    path: &Path,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_zip_with_limit(path, IN_MEMORY_ZIP, None, None, cancel, progress)
}

/// [`hash_zip`] of the zip of `module` (`path@version`, unescaped), refusing it first, as
/// [`HashError::Rejected`], if go would refuse to extract it: an entry outside
/// `path@version/` (`../x`, an absolute name), a name go's file-path rules refuse (not UTF-8,
/// ...), names that collide when case is ignored, a go.mod or LICENSE over 16 MiB. go's
/// `go mod verify` hashes such a zip without looking; go's extraction refuses it.
pub fn hash_module_zip(
    path: &Path,
    module: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<String, HashError> {
    hash_module_zip_counted(path, module, cancel, progress).map(|(h1, _)| h1)
}

/// [`hash_module_zip`], also returning the uncompressed bytes hashed.
pub(crate) fn hash_module_zip_counted(
    path: &Path,
    module: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_zip_with_limit(path, IN_MEMORY_ZIP, Some(module), None, cancel, progress)
}

/// [`hash_module_zip_counted`], offering each entry's content to the extracted tree `matched`
/// as it is inflated (see [`TreeMatch`]).
pub(crate) fn hash_module_zip_matched(
    path: &Path,
    module: &str,
    matched: &TreeMatch<'_>,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_zip_with_limit(
        path,
        IN_MEMORY_ZIP,
        Some(module),
        Some(matched),
        cancel,
        progress,
    )
}

/// [`hash_zip_counted`], reading zips up to `in_memory` bytes whole and larger ones entry by
/// entry, making go's checks on the names when `module` is given, and offering entries to
/// `matched`.
pub(super) fn hash_zip_with_limit(
    path: &Path,
    in_memory: u64,
    module: Option<&str>,
    matched: Option<&TreeMatch<'_>>,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    if cancel.is_cancelled() {
        return Err(HashError::Cancelled);
    }
    // Never blocks on a pipe nor reads a device; the size check below says it in go's words.
    let (file, meta) = crate::fs::read::open_regular(path, u64::MAX).map_err(io_err(path))?;
    let len = meta.len();
    if len > zipcheck::MAX_ZIP_FILE {
        return Err(HashError::TooLarge {
            path: path.to_path_buf(),
            what: format!("zip is larger than go's 500 MiB limit: the file is {len} bytes"),
        });
    }
    let budget = Budget::new();
    let run = ZipRun {
        path,
        budget: &budget,
        cancel,
        progress,
        matched,
    };
    if len > in_memory {
        return hash_zip_batched(file, module, &run);
    }
    let whole = |data: &mut Vec<u8>| {
        let mut file = file;
        data.clear();
        if data.capacity() < len as usize + 1 {
            // A fresh buffer, not `reserve`: growing would copy the old one's whole capacity.
            *data = Vec::with_capacity(len as usize + 1);
        }
        file.read_to_end(data).map_err(io_err(path))?;
        hash_zip_in_memory(data, module, &run)
    };
    ZIP_BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut data) => {
            let r = whole(&mut data);
            if data.capacity() > ZIP_BUF_KEEP {
                *data = Vec::new();
            }
            r
        }
        // Another zip of this thread is being hashed (rayon ran this one while that one waits).
        Err(_) => whole(&mut Vec::new()),
    })
}

/// A zip read whole: its entries are sliced out of `data` and hashed in parallel.
fn hash_zip_in_memory(
    data: &[u8],
    module: Option<&str>,
    run: &ZipRun<'_>,
) -> Result<(String, u64), HashError> {
    let path = run.path;
    // The bytes are in memory: any error reading them is the zip's, not the disk's.
    let archive =
        zip::ZipArchive::new(std::io::Cursor::new(data)).map_err(|e| corrupt(path, e, true))?;
    check_declared(&archive, path, module)?;
    let results: Vec<_> = (0..archive.len())
        .into_par_iter()
        .with_min_len(PAR_MIN_FILES)
        .map_init(
            || archive.clone(),
            |archive, i| hash_entry_in_memory(archive, data, i, run),
        )
        .collect();
    hash_results(results)
}

/// A zip too large to read whole: entries are read in order, their raw bytes collected up to
/// [`BATCH`] bytes and then hashed in parallel as in memory; an entry larger than a batch is
/// streamed by the zip crate's reader. Stops at the first failed entry.
fn hash_zip_batched(
    file: std::fs::File,
    module: Option<&str>,
    run: &ZipRun<'_>,
) -> Result<(String, u64), HashError> {
    let (path, budget, cancel, progress) = (run.path, run.budget, run.cancel, run.progress);
    let mut archive = zip::ZipArchive::new(std::io::BufReader::with_capacity(CHUNK, file))
        .map_err(|e| corrupt(path, e, false))?;
    check_declared(&archive, path, module)?;
    let mut results = Vec::with_capacity(archive.len());
    let mut batch: Vec<RawEntry> = Vec::new();
    let mut raw: Vec<u8> = Vec::new();
    // Hashes the batch into `results`; whether an entry failed.
    let flush = |batch: &mut Vec<RawEntry>, raw: &mut Vec<u8>, results: &mut Vec<_>| {
        let hashed: Vec<_> = batch
            .par_iter()
            .with_min_len(PAR_MIN_FILES)
            .map(|e| hash_raw(e, &raw[e.range.clone()], run))
            .collect();
        batch.clear();
        raw.clear();
        let failed = hashed.iter().any(Result::is_err);
        results.extend(hashed);
        failed
    };
    for i in 0..archive.len() {
        if cancel.is_cancelled() {
            return Err(HashError::Cancelled);
        }
        let read = read_raw_entry(&mut archive, i, path, &mut raw);
        let failed = match read {
            Ok(Some(entry)) => {
                batch.push(entry);
                raw.len() >= BATCH && flush(&mut batch, &mut raw, &mut results)
            }
            Ok(None) => {
                flush(&mut batch, &mut raw, &mut results) || {
                    let r = hash_entry(&mut archive, i, path, budget, cancel, progress);
                    let failed = r.is_err();
                    results.push(r);
                    failed
                }
            }
            Err(e) => {
                flush(&mut batch, &mut raw, &mut results);
                results.push(Err(e));
                true
            }
        };
        if failed {
            return hash_results(results);
        }
    }
    flush(&mut batch, &mut raw, &mut results);
    hash_results(results)
}

/// Appends the raw bytes of entry `i` to `raw`, or `None` for an entry with more than [`BATCH`]
/// raw bytes (left to the streaming reader).
fn read_raw_entry<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    i: usize,
    path: &Path,
    raw: &mut Vec<u8>,
) -> Result<Option<RawEntry>, HashError> {
    let f = archive
        .by_index_raw(i)
        .map_err(|e| corrupt(path, e, false))?;
    let csize = f.compressed_size();
    if csize > BATCH as u64 {
        return Ok(None);
    }
    let mut entry = RawEntry {
        name: f.name_raw().to_vec(),
        method: f.compression(),
        size: f.size(),
        crc: f.crc32(),
        csize,
        range: 0..0,
    };
    let start = raw.len();
    // Room for all of it first: growing as it reads would copy the batch read so far, again and
    // again. At most the declared compressed size is read; fewer when it lies past the end of
    // the file.
    raw.reserve(csize as usize);
    let mut f = f;
    f.read_to_end(raw)
        .map_err(|e| corrupt(path, zip::result::ZipError::Io(e), false))?;
    entry.range = start..raw.len();
    Ok(Some(entry))
}

/// go's checks on what the central directory declares, made before anything is inflated: a zip
/// bomb is refused by its declared sizes, and an entry that inflates past its declared size is
/// stopped there (see [`hash_raw`]), so the work is bounded by 500 MiB either way.
fn check_declared<R: Read + std::io::Seek>(
    archive: &zip::ZipArchive<R>,
    path: &Path,
    module: Option<&str>,
) -> Result<(), HashError> {
    // The zip crate keeps one entry per name; x/mod `HashZip` would list a repeated name twice
    // (with the last entry's content), and go's extraction refuses it.
    if archive.has_duplicate_names() {
        return Err(HashError::Rejected {
            path: path.to_path_buf(),
            message: "its central directory lists the same file name more than once".into(),
        });
    }
    let sizes = (0..archive.len())
        .map(|i| archive.by_index_data(i).map(|e| e.size()))
        .collect::<Result<Vec<u64>, _>>()
        .map_err(|e| corrupt(path, e, true))?;
    if let Some(module) = module
        && let Some(r) =
            zipcheck::check_entries(module, archive.file_names_raw().zip(sizes.iter().copied()))
    {
        let more = match r.entries {
            0 | 1 => String::new(),
            n => format!(" (and {} more entries go refuses)", n - 1),
        };
        return Err(HashError::Rejected {
            path: path.to_path_buf(),
            message: format!("{}{more}", r.message),
        });
    }
    let total = sizes.iter().fold(0u64, |a, &b| a.saturating_add(b));
    match zipcheck::declared_total_error(total) {
        Some(what) => Err(HashError::TooLarge {
            path: path.to_path_buf(),
            what,
        }),
        None => Ok(()),
    }
}
