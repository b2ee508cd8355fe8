//! Hashing a module zip as x/mod `HashZip` does, refusing what go refuses first (see
//! [`super::zipcheck`]): nothing is inflated past go's limits or past an entry's declared size.

use super::{
    Budget, CHUNK, Digested, HashError, PAR_MIN_FILES, ReadFail, digest_reader, hash_results,
    io_err, with_buf,
};
use crate::cache::zip_entry::open_entry;
use crate::cache::zipcheck;
use crate::progress::{CancelFlag, HashProgress};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
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
pub fn hash_zip_counted(
    path: &Path,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_zip_with_limit(path, IN_MEMORY_ZIP, None, cancel, progress)
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
pub fn hash_module_zip_counted(
    path: &Path,
    module: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    hash_zip_with_limit(path, IN_MEMORY_ZIP, Some(module), cancel, progress)
}

/// [`hash_zip_counted`], reading zips up to `in_memory` bytes whole and larger ones entry by
/// entry, and making go's checks on the names when `module` is given.
pub(super) fn hash_zip_with_limit(
    path: &Path,
    in_memory: u64,
    module: Option<&str>,
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
    if len > in_memory {
        return hash_zip_batched(file, path, module, &budget, cancel, progress);
    }
    let whole = |data: &mut Vec<u8>| {
        let mut file = file;
        data.clear();
        data.reserve(len as usize + 1);
        file.read_to_end(data).map_err(io_err(path))?;
        hash_zip_in_memory(data, path, module, &budget, cancel, progress)
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
    path: &Path,
    module: Option<&str>,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    // The bytes are in memory: any error reading them is the zip's, not the disk's.
    let archive =
        zip::ZipArchive::new(std::io::Cursor::new(data)).map_err(|e| corrupt(path, e, true))?;
    check_declared(&archive, path, module)?;
    let results: Vec<_> = (0..archive.len())
        .into_par_iter()
        .with_min_len(PAR_MIN_FILES)
        .map_init(
            || archive.clone(),
            |archive, i| hash_entry_in_memory(archive, data, i, path, budget, cancel, progress),
        )
        .collect();
    hash_results(results)
}

/// What the central directory says of one entry, and where its raw bytes are in a batch.
struct RawEntry {
    name: Vec<u8>,
    method: zip::CompressionMethod,
    size: u64,
    crc: u32,
    /// The declared compressed size (the raw bytes may be fewer: see [`hash_raw`]).
    csize: u64,
    range: std::ops::Range<usize>,
}

/// A zip too large to read whole: entries are read in order, their raw bytes collected up to
/// [`BATCH`] bytes and then hashed in parallel as in memory; an entry larger than a batch is
/// streamed by the zip crate's reader. Stops at the first failed entry.
fn hash_zip_batched(
    file: std::fs::File,
    path: &Path,
    module: Option<&str>,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
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
            .map(|e| hash_raw(e, &raw[e.range.clone()], path, budget, cancel, progress))
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
    // At most the declared compressed size; fewer when it lies past the end of the file.
    let mut f = f;
    f.read_to_end(raw)
        .map_err(|e| corrupt(path, zip::result::ZipError::Io(e), false))?;
    entry.range = start..raw.len();
    Ok(Some(entry))
}

/// go's checks on what the central directory declares, made before anything is inflated: a zip
/// bomb is refused by its declared sizes, and an entry that inflates past its declared size is
/// stopped there (see [`hash_entry_in_memory`]), so the work is bounded by 500 MiB either way.
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

/// A zip crate error as ours. `in_memory`: the zip was read whole, so even an I/O error (an
/// unexpected end) is the zip's fault; when streaming, it may be the disk's.
fn corrupt(path: &Path, e: zip::result::ZipError, in_memory: bool) -> HashError {
    match e {
        zip::result::ZipError::Io(source)
            if !in_memory
                && !matches!(
                    source.kind(),
                    std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
                ) =>
        {
            HashError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
        other => HashError::CorruptZip {
            path: path.to_path_buf(),
            message: describe_zip_error(&other),
        },
    }
}

/// The zip crate's words, plus what they mean for a cached module zip.
fn describe_zip_error(e: &zip::result::ZipError) -> String {
    let text = e.to_string();
    if text.contains("EOCD") || text.contains("end of central directory") {
        format!("{text} (the file is truncated, or not a zip at all)")
    } else {
        text
    }
}

/// Hashes entry `i` of a zip held in memory (`data`): the raw entry is sliced out of the buffer
/// and inflated with this thread's reused decompressor, never past the size the central
/// directory declares, checking that size and the CRC-32, as Go's `archive/zip` does.
fn hash_entry_in_memory(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    data: &[u8],
    i: usize,
    path: &Path,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<Digested, HashError> {
    if cancel.is_cancelled() {
        return Err(HashError::Cancelled);
    }
    let (name, method, start, csize, size, crc) = {
        let f = archive
            .by_index_raw(i)
            .map_err(|e| corrupt(path, e, true))?;
        (
            f.name_raw().to_vec(),
            f.compression(),
            f.data_start(),
            f.compressed_size(),
            f.size(),
            f.crc32(),
        )
    };
    let bad = |message: String| bad_entry(path, &name, message);
    // The encryption flag is not looked at: go's archive/zip ignores it and reads the data as
    // it is (an entry really encrypted then fails its CRC, as in go).
    let start = start
        .and_then(|s| usize::try_from(s).ok())
        .filter(|&s| s <= data.len())
        .ok_or_else(|| bad("entry data lies outside the file".into()))?;
    let end = usize::try_from(csize)
        .ok()
        .and_then(|n| start.checked_add(n))
        .unwrap_or(usize::MAX);
    let entry = RawEntry {
        name,
        method,
        size,
        crc,
        csize,
        range: start..end.min(data.len()),
    };
    hash_raw(
        &entry,
        &data[entry.range.clone()],
        path,
        budget,
        cancel,
        progress,
    )
}

/// Hashes one entry from its raw bytes `raw` (the declared compressed size of them, or fewer if
/// that size lies past the end of the file), never inflating past the size the central directory
/// declares, checking that size and the CRC-32, as Go's `archive/zip` does.
fn hash_raw(
    e: &RawEntry,
    raw: &[u8],
    path: &Path,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<Digested, HashError> {
    if cancel.is_cancelled() {
        return Err(HashError::Cancelled);
    }
    let (size, crc) = (e.size, e.crc);
    let bad = |message: String| bad_entry(path, &e.name, message);
    // A compressed size past the end of the file: go's inflater stops at the end of the
    // deflate stream and never notices; stored data must be all there.
    if (raw.len() as u64) < e.csize && e.method != zip::CompressionMethod::Deflated {
        return Err(bad("entry data lies outside the file".into()));
    }
    let result = match e.method {
        zip::CompressionMethod::Stored => {
            digest_reader(&mut &raw[..], size, budget, cancel, progress)
                .map(|(digest, n)| (digest, n, crc32fast::hash(raw)))
        }
        zip::CompressionMethod::Deflated if size <= ONE_SHOT_MAX => {
            inflate_one_shot(raw, size, budget, cancel, progress)
        }
        zip::CompressionMethod::Deflated => inflate_digest(raw, size, budget, cancel, progress),
        other => return Err(bad(format!("unsupported compression method {other:?}"))),
    };
    entry_verdict(result, &e.name, size, crc, path)
}

/// A corrupt entry of the zip at `path`: its name, then what is wrong with it.
fn bad_entry(path: &Path, name: &[u8], message: String) -> HashError {
    HashError::CorruptZip {
        path: path.to_path_buf(),
        message: format!("{}: {message}", String::from_utf8_lossy(name)),
    }
}

/// What go's `archive/zip` says of an entry once read: its size and CRC-32 against the
/// central directory's (a zero CRC is not checked, as in go), or why it could not be read.
fn entry_verdict(
    result: Result<([u8; 32], u64, u32), ReadFail>,
    name: &[u8],
    size: u64,
    crc: u32,
    path: &Path,
) -> Result<Digested, HashError> {
    let bad = |message: String| bad_entry(path, name, message);
    match result {
        Ok((digest, n, actual_crc)) => {
            if n != size {
                Err(bad(format!(
                    "{n} bytes of content, the directory says {size}"
                )))
            } else if crc != 0 && actual_crc != crc {
                Err(bad("checksum error (CRC-32 mismatch)".into()))
            } else {
                Ok((name.to_vec(), digest, n))
            }
        }
        Err(ReadFail::Cancelled) => Err(HashError::Cancelled),
        Err(ReadFail::Oversize) => Err(bad(oversize(size))),
        Err(ReadFail::TooLarge) => Err(HashError::TooLarge {
            path: path.to_path_buf(),
            what: "zip content inflates to more than go's 500 MiB limit (stopped there)".into(),
        }),
        // The inflater reports a bad deflate stream as an io error of kind InvalidData.
        Err(ReadFail::Io(e)) => Err(bad(e.to_string())),
    }
}

/// An entry that inflates past its declared size: what a lying zip bomb does. Go stops there too
/// (x/mod `Unzip`: "uncompressed size of file ... is larger than declared size").
fn oversize(size: u64) -> String {
    format!(
        "inflates to more than the {size} bytes the zip declares for it (a zip bomb, or a corrupt zip); stopped there"
    )
}

/// Deflated entries that declare at most this many bytes are inflated in one call by libdeflate
/// into a buffer of exactly the declared size (it needs the whole output at once, which the
/// declared size gives; on real module zips it inflates about 1.8x as fast as zlib-rs, see
/// docs/performance.md). Larger ones are streamed through zlib-rs, so memory stays bounded by
/// this, per thread, whatever a zip declares.
pub(super) const ONE_SHOT_MAX: u64 = 16 << 20;

/// A one-shot output buffer larger than this is freed after use instead of kept for the thread's
/// next entry: most entries are a few KiB, and a rare large one should not pin its memory.
const ONE_SHOT_KEEP: usize = 1 << 20;

thread_local! {
    /// One libdeflate decompressor and output buffer per thread, reused for every entry.
    static ONE_SHOT: std::cell::RefCell<(Option<libdeflater::Decompressor>, Vec<u8>)> =
        const { std::cell::RefCell::new((None, Vec::new())) };
}

/// Inflates a raw deflate stream whose entry declares `size` bytes in one call, into a buffer of
/// exactly that size: a stream that would inflate past it fails there (never more output than
/// declared), one that ends early yields fewer bytes (which the caller reports), data after the
/// end of the stream is ignored (as go's inflater ignores it). (sha256, bytes, CRC-32).
fn inflate_one_shot(
    input: &[u8],
    size: u64,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<([u8; 32], u64, u32), ReadFail> {
    if cancel.is_cancelled() {
        return Err(ReadFail::Cancelled);
    }
    let size = usize::try_from(size).map_err(|_| ReadFail::Oversize)?;
    let run = |d: &mut libdeflater::Decompressor, out: &mut Vec<u8>| {
        if out.len() < size {
            out.resize(size, 0);
        }
        let n = match d.deflate_decompress(input, &mut out[..size]) {
            Ok(n) => n,
            Err(libdeflater::DecompressionError::InsufficientSpace) => {
                return Err(ReadFail::Oversize);
            }
            Err(libdeflater::DecompressionError::BadData) => {
                return Err(ReadFail::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "corrupt or truncated deflate stream",
                )));
            }
        };
        if !budget.take(n as u64) {
            return Err(ReadFail::TooLarge);
        }
        let data = &out[..n];
        let digest: [u8; 32] = Sha256::digest(data).into();
        progress.on_bytes(n as u64);
        Ok((digest, n as u64, crc32fast::hash(data)))
    };
    ONE_SHOT.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            let (d, out) = &mut *slot;
            let r = run(d.get_or_insert_with(libdeflater::Decompressor::new), out);
            if out.capacity() > ONE_SHOT_KEEP {
                *out = Vec::new();
            }
            r
        }
        Err(_) => run(&mut libdeflater::Decompressor::new(), &mut Vec::new()),
    })
}

thread_local! {
    /// One raw-deflate decompressor per thread, reset for every entry (entries over
    /// [`ONE_SHOT_MAX`]).
    static INFLATER: std::cell::RefCell<Option<flate2::Decompress>> =
        const { std::cell::RefCell::new(None) };
}

/// Inflates a raw deflate stream, hashing the output, never producing more than `limit` bytes
/// (plus one read buffer): (sha256, bytes, CRC-32).
fn inflate_digest(
    input: &[u8],
    limit: u64,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<([u8; 32], u64, u32), ReadFail> {
    let run = |d: &mut flate2::Decompress| {
        with_buf(|buf| {
            let mut h = Sha256::new();
            let mut crc = crc32fast::Hasher::new();
            let mut pos = 0usize;
            loop {
                if cancel.is_cancelled() {
                    return Err(ReadFail::Cancelled);
                }
                let (in0, out0) = (d.total_in(), d.total_out());
                let status = d
                    .decompress(&input[pos..], buf, flate2::FlushDecompress::None)
                    .map_err(|e| {
                        ReadFail::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e))
                    })?;
                let consumed = (d.total_in() - in0) as usize;
                let produced = (d.total_out() - out0) as usize;
                pos += consumed;
                if d.total_out() > limit {
                    return Err(ReadFail::Oversize);
                }
                if produced > 0 {
                    if !budget.take(produced as u64) {
                        return Err(ReadFail::TooLarge);
                    }
                    h.update(&buf[..produced]);
                    crc.update(&buf[..produced]);
                    progress.on_bytes(produced as u64);
                }
                match status {
                    flate2::Status::StreamEnd => {
                        return Ok((h.finalize().into(), d.total_out(), crc.finalize()));
                    }
                    _ if consumed == 0 && produced == 0 => {
                        return Err(ReadFail::Io(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "truncated deflate stream",
                        )));
                    }
                    _ => {}
                }
            }
        })
    };
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            let d = slot.get_or_insert_with(|| flate2::Decompress::new(false));
            d.reset(false);
            run(d)
        }
        Err(_) => run(&mut flate2::Decompress::new(false)),
    })
}

/// Hashes entry `i` of a zip streamed from disk: its raw data (the encryption flag ignored, and
/// a compressed size past the end of the file read up to the end, as go's `archive/zip` does)
/// inflated never past its declared size, then checked like an entry held in memory.
fn hash_entry<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    i: usize,
    path: &Path,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<Digested, HashError> {
    if cancel.is_cancelled() {
        return Err(HashError::Cancelled);
    }
    let entry = open_entry(archive, i).map_err(|message| HashError::CorruptZip {
        path: path.to_path_buf(),
        message,
    })?;
    let (name, size, crc) = (entry.name, entry.size, entry.crc);
    let mut reader = flate2::CrcReader::new(entry.reader);
    let result = digest_reader(&mut reader, size, budget, cancel, progress)
        .map(|(digest, n)| (digest, n, reader.crc().sum()));
    entry_verdict(result, &name, size, crc, path)
}
