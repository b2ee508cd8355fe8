//! Go's `h1:` hash (x/mod `sumdb/dirhash.Hash1`) over a module zip, an extracted directory and a
//! `.mod` file, byte for byte equal to what `go` writes to go.sum and `.ziphash`.
//!
//! h1 = base64(sha256(summary)), where summary has one line `hex(sha256(content))  name\n` per
//! file, sorted by the raw bytes of the name. Names are raw bytes (never transcoded).

use crate::core::progress::{CancelFlag, HashProgress};
use base64::Engine as _;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use thiserror::Error;

/// Go refuses module zips and their content above 500 MiB (x/mod `zip.MaxZipFile`,
/// `MaxTotalUncompressedSize`); we refuse to hash past that too, so a zip bomb cannot hang us.
pub const MAX_UNCOMPRESSED: u64 = 500 << 20;

#[derive(Debug, Error)]
pub enum HashError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: corrupt zip: {message}", path.display())]
    CorruptZip { path: PathBuf, message: String },
    #[error("{}: uncompressed content exceeds Go's 500 MiB limit", path.display())]
    TooLarge { path: PathBuf },
    #[error("dirhash: filenames with newlines are not supported ({name:?})")]
    NewlineInName { name: String },
    #[error("{}: is a directory reached through a symlink; go cannot hash it either", path.display())]
    SymlinkToDirectory { path: PathBuf },
    #[error("cancelled")]
    Cancelled,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> HashError + '_ {
    move |source| HashError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The h1 hash of already-digested files: `(raw name bytes, sha256 of content)`.
pub fn hash1(mut files: Vec<(Vec<u8>, [u8; 32])>) -> Result<String, HashError> {
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut summary = Sha256::new();
    for (name, digest) in &files {
        if name.contains(&b'\n') {
            return Err(HashError::NewlineInName {
                name: String::from_utf8_lossy(name).into_owned(),
            });
        }
        let mut hex = [0u8; 64];
        hex::encode_to_slice(digest, &mut hex).expect("64 hex digits for 32 bytes");
        summary.update(hex);
        summary.update(b"  ");
        summary.update(name);
        summary.update(b"\n");
    }
    Ok(format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(summary.finalize())
    ))
}

/// The `/go.mod` go.sum hash: h1 of one file literally named `go.mod` holding the `.mod` bytes.
pub fn hash_go_mod(data: &[u8]) -> String {
    let digest: [u8; 32] = Sha256::digest(data).into();
    hash1(vec![(b"go.mod".to_vec(), digest)]).expect("a fixed name has no newline")
}

/// Bytes asked of the OS per read: a typical source file is one read, a large one few.
const CHUNK: usize = 256 << 10;

/// Zips up to this size are read whole into memory (one read instead of a seek and a buffered
/// read per entry), and their entries are hashed in parallel. Larger ones are streamed.
const IN_MEMORY_ZIP: u64 = 64 << 20;

/// A module's files are hashed in parallel in groups of at least this many, so one big module
/// uses every core while a cache of many small ones splits by module at no extra cost.
const PAR_MIN_FILES: usize = 16;

thread_local! {
    /// One read buffer per thread, reused for every file that thread hashes.
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's read buffer (or a fresh one if it is somehow in use: `f` never
/// re-enters, but rayon may run another task on this thread while one waits).
fn with_buf<R>(f: impl FnOnce(&mut [u8]) -> R) -> R {
    BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() < CHUNK {
                buf.resize(CHUNK, 0);
            }
            f(&mut buf)
        }
        Err(_) => f(&mut vec![0; CHUNK]),
    })
}

/// The uncompressed bytes one hash may still read: Go's 500 MiB limit, shared by the threads
/// hashing the files of one zip or tree.
struct Budget(AtomicU64);

impl Budget {
    fn new() -> Self {
        Budget(AtomicU64::new(MAX_UNCOMPRESSED))
    }
    /// Takes `n` bytes; false when that would exceed the limit.
    fn take(&self, n: u64) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(n))
            .is_ok()
    }
}

/// Why [`digest_reader`] stopped.
enum ReadFail {
    Io(std::io::Error),
    TooLarge,
    Cancelled,
}

/// sha256 of everything `reader` yields, reporting bytes as they go, refusing to go past the
/// budget, and checking the cancel flag before every chunk (so a cancel is prompt even in the
/// middle of a large file). Returns the digest and the number of bytes.
fn digest_reader(
    reader: &mut impl Read,
    budget: &Budget,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<([u8; 32], u64), ReadFail> {
    with_buf(|buf| {
        let mut h = Sha256::new();
        let mut total = 0u64;
        loop {
            if cancel.is_cancelled() {
                return Err(ReadFail::Cancelled);
            }
            let n = match reader.read(buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadFail::Io(e)),
            };
            if n == 0 {
                return Ok((h.finalize().into(), total));
            }
            if !budget.take(n as u64) {
                return Err(ReadFail::TooLarge);
            }
            h.update(&buf[..n]);
            total += n as u64;
            progress.on_bytes(n as u64);
        }
    })
}

/// One hashed file: raw name, digest, content bytes.
type Digested = (Vec<u8>, [u8; 32], u64);

/// The h1 of a list of per-file results, the first error (in list order) winning, and the
/// bytes hashed.
fn hash_results(
    results: impl IntoIterator<Item = Result<Digested, HashError>>,
) -> Result<(String, u64), HashError> {
    let mut files = Vec::new();
    let mut bytes = 0u64;
    for r in results {
        let (name, digest, n) = r?;
        bytes += n;
        files.push((name, digest));
    }
    Ok((hash1(files)?, bytes))
}

/// The h1 of a module zip, over **all** central-directory entries including `dir/` entries (which
/// hash as empty files), as x/mod `HashZip` does. This is the go.sum zip line and `.ziphash`.
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
    hash_zip_with_limit(path, IN_MEMORY_ZIP, cancel, progress)
}

/// [`hash_zip_counted`], reading zips up to `in_memory` bytes whole and streaming larger ones.
fn hash_zip_with_limit(
    path: &Path,
    in_memory: u64,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    if cancel.is_cancelled() {
        return Err(HashError::Cancelled);
    }
    let mut file = std::fs::File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    let budget = Budget::new();
    if len <= in_memory {
        let mut data = Vec::with_capacity(len as usize + 1);
        file.read_to_end(&mut data).map_err(io_err(path))?;
        let archive = zip::ZipArchive::new(std::io::Cursor::new(data.as_slice()))
            .map_err(|e| corrupt(path, e))?;
        let results: Vec<_> = (0..archive.len())
            .into_par_iter()
            .with_min_len(PAR_MIN_FILES)
            .map_init(
                || archive.clone(),
                |archive, i| {
                    hash_entry_in_memory(archive, &data, i, path, &budget, cancel, progress)
                },
            )
            .collect();
        hash_results(results)
    } else {
        let mut archive = zip::ZipArchive::new(std::io::BufReader::with_capacity(CHUNK, file))
            .map_err(|e| corrupt(path, e))?;
        let mut results = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let r = hash_entry(&mut archive, i, path, &budget, cancel, progress);
            let failed = r.is_err();
            results.push(r);
            if failed {
                break;
            }
        }
        hash_results(results)
    }
}

fn corrupt(path: &Path, e: zip::result::ZipError) -> HashError {
    match e {
        zip::result::ZipError::Io(source) => HashError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => HashError::CorruptZip {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    }
}

/// Hashes entry `i` of a zip held in memory (`data`): the raw entry is sliced out of the buffer
/// and inflated with this thread's reused decompressor, checking the CRC-32 and size the central
/// directory records, as Go's `archive/zip` does.
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
    let (name, method, encrypted, start, csize, size, crc) = {
        let f = archive.by_index_raw(i).map_err(|e| corrupt(path, e))?;
        (
            f.name_raw().to_vec(),
            f.compression(),
            f.encrypted(),
            f.data_start(),
            f.compressed_size(),
            f.size(),
            f.crc32(),
        )
    };
    let bad = |message: String| HashError::CorruptZip {
        path: path.to_path_buf(),
        message: format!("{}: {message}", String::from_utf8_lossy(&name)),
    };
    if encrypted {
        return Err(bad("encrypted entry".into()));
    }
    let raw = start
        .and_then(|s| usize::try_from(s).ok())
        .zip(usize::try_from(csize).ok())
        .and_then(|(s, n)| data.get(s..s.checked_add(n)?))
        .ok_or_else(|| bad("entry data lies outside the file".into()))?;
    let result = match method {
        zip::CompressionMethod::Stored => digest_reader(&mut &raw[..], budget, cancel, progress)
            .map(|(digest, n)| (digest, n, crc32fast::hash(raw))),
        zip::CompressionMethod::Deflated => inflate_digest(raw, budget, cancel, progress),
        other => return Err(bad(format!("unsupported compression method {other:?}"))),
    };
    match result {
        Ok((digest, n, actual_crc)) => {
            if n != size {
                Err(bad(format!(
                    "{n} bytes of content, the directory says {size}"
                )))
            } else if crc != 0 && actual_crc != crc {
                // Like Go, a zero CRC in the directory is not checked.
                Err(bad("checksum error (CRC-32 mismatch)".into()))
            } else {
                Ok((name, digest, n))
            }
        }
        Err(ReadFail::Cancelled) => Err(HashError::Cancelled),
        Err(ReadFail::TooLarge) => Err(HashError::TooLarge {
            path: path.to_path_buf(),
        }),
        Err(ReadFail::Io(e)) => Err(bad(e.to_string())),
    }
}

thread_local! {
    /// One raw-deflate decompressor per thread, reset for every entry.
    static INFLATER: std::cell::RefCell<Option<flate2::Decompress>> =
        const { std::cell::RefCell::new(None) };
}

/// Inflates a raw deflate stream, hashing the output: (sha256, bytes, CRC-32).
fn inflate_digest(
    input: &[u8],
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

/// Hashes entry `i` through the zip crate's own reader (the path for zips streamed from disk).
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
    let mut entry = archive.by_index(i).map_err(|e| corrupt(path, e))?;
    let name = entry.name_raw().to_vec();
    match digest_reader(&mut entry, budget, cancel, progress) {
        Ok((digest, n)) => Ok((name, digest, n)),
        Err(ReadFail::Cancelled) => Err(HashError::Cancelled),
        Err(ReadFail::TooLarge) => Err(HashError::TooLarge {
            path: path.to_path_buf(),
        }),
        // The zip crate reports CRC and size mismatches as io errors of kind InvalidData/Other.
        Err(ReadFail::Io(e)) => Err(HashError::CorruptZip {
            path: path.to_path_buf(),
            message: format!("{}: {e}", String::from_utf8_lossy(&name)),
        }),
    }
}

/// One non-directory entry of an extracted tree.
#[derive(Debug, Clone)]
pub struct TreeFile {
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
/// (not through symlinks), symlinks are listed as files (and hashing reads through them); a
/// symlink to a directory is an error. With `with_meta`, each entry's `lstat` too (one `statx`
/// relative to its directory, no path walk). Order: unspecified.
pub fn list_tree(
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
            if file_type.is_symlink() && full.is_dir() {
                return Err(HashError::SymlinkToDirectory { path: full });
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

/// The h1 of the files listed from `dir` with names `prefix/rel` and the bytes hashed; files are read in
/// parallel (see [`PAR_MIN_FILES`]).
pub fn hash_tree_files(
    dir: &Path,
    files: &[TreeFile],
    prefix: &str,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<(String, u64), HashError> {
    let budget = Budget::new();
    let results: Vec<_> = files
        .par_iter()
        .with_min_len(PAR_MIN_FILES)
        .map(|f| {
            let mut name = Vec::with_capacity(prefix.len() + 1 + f.rel.len());
            name.extend_from_slice(prefix.as_bytes());
            name.push(b'/');
            name.extend_from_slice(&f.rel);
            let mut file = std::fs::File::open(&f.path).map_err(io_err(&f.path))?;
            match digest_reader(&mut file, &budget, cancel, progress) {
                Ok((digest, n)) => Ok((name, digest, n)),
                Err(ReadFail::Cancelled) => Err(HashError::Cancelled),
                Err(ReadFail::Io(e)) => Err(HashError::Io {
                    path: f.path.clone(),
                    source: e,
                }),
                Err(ReadFail::TooLarge) => Err(HashError::TooLarge {
                    path: dir.to_path_buf(),
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

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> &[u8] {
    s.to_str().map(str::as_bytes).unwrap_or(b"\xef\xbf\xbd")
}

#[cfg(test)]
mod tests;
