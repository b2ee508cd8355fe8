//! What every part of the h1 hash shares: the error, go's size limits as a shared budget, one
//! reused read buffer per thread, hashing a reader's bytes, and combining per-file digests into
//! the h1 line (x/mod `dirhash.Hash1`).

use crate::cache::zipcheck;
use crate::progress::{CancelFlag, HashProgress};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use thiserror::Error;

/// Go refuses module zips and their content above 500 MiB (x/mod `zip.MaxZipFile`,
/// `MaxTotalUncompressedSize`); we refuse to hash past that too, so a zip bomb cannot hang us.
pub const MAX_UNCOMPRESSED: u64 = zipcheck::MAX_ZIP_FILE;

/// Why an h1 could not be computed (or, for a module zip, why go would refuse it).
#[derive(Debug, Error)]
pub enum HashError {
    /// Reading a file or directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory being read.
        path: PathBuf,
        /// The error the OS gave.
        source: std::io::Error,
    },
    /// The zip cannot be read as a zip (no central directory, an entry that does not inflate,
    /// a wrong CRC, ...).
    #[error("{}: corrupt zip: {message}", path.display())]
    CorruptZip {
        /// The zip.
        path: PathBuf,
        /// What is wrong, with the entry's name when one entry is at fault.
        message: String,
    },
    /// Over one of go's size limits; `what` says which, in words.
    #[error("{}: {what}", path.display())]
    TooLarge {
        /// The zip, or the extracted tree's directory.
        path: PathBuf,
        /// The limit passed, in words.
        what: String,
    },
    /// The zip is readable, but go refuses to extract it (x/mod `checkZip`).
    #[error("{}: go refuses to extract this zip: {message}", path.display())]
    Rejected {
        /// The zip.
        path: PathBuf,
        /// go's reason, in words.
        message: String,
    },
    /// A file name holds a newline, which the h1 summary cannot hold (x/mod `dirhash.Hash1`
    /// fails the same way).
    #[error("dirhash: filenames with newlines are not supported ({name:?})")]
    NewlineInName {
        /// The name, as hashed (`module@version/` and the file's path).
        name: String,
    },
    /// A symlink in an extracted tree points to a directory.
    #[error("{}: is a directory reached through a symlink; go cannot hash it either (`go mod verify`: is a directory)", path.display())]
    SymlinkToDirectory {
        /// The symlink.
        path: PathBuf,
    },
    /// A symlink in an extracted tree cannot be followed (a loop, or a link to nothing).
    #[error("{}: {}", path.display(), describe_bad_symlink(target, source))]
    BadSymlink {
        /// The symlink.
        path: PathBuf,
        /// What it points to (empty when even that could not be read).
        target: PathBuf,
        /// The error following it gave.
        source: std::io::Error,
    },
    /// A file in an extracted tree is not a regular file (or a symlink to one).
    #[error("{}: is a {kind}, not a regular file; go never extracts one (and `go mod verify` blocks or fails on it)", path.display())]
    NotRegular {
        /// The file (or the symlink to it).
        path: PathBuf,
        /// What it is: `"named pipe (FIFO)"`, `"socket"`, `"device file"` or `"special file"`.
        kind: &'static str,
    },
    /// The [`CancelFlag`] was raised before the hash was done.
    #[error("cancelled")]
    Cancelled,
}

/// A symlink that cannot be followed, in words: go never extracts symlinks, and `go mod verify`
/// fails on this one ("too many levels of symbolic links", "no such file or directory").
pub(super) fn describe_bad_symlink(target: &Path, e: &std::io::Error) -> String {
    let what = match e.raw_os_error() {
        Some(nix::libc::ELOOP) => "a symbolic link loop".to_string(),
        _ if e.kind() == std::io::ErrorKind::NotFound => "a symbolic link to nothing".to_string(),
        _ => "a symbolic link that cannot be followed".to_string(),
    };
    format!(
        "is {what} (-> {}: {e}); go never extracts symlinks",
        target.display()
    )
}

pub(super) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> HashError + '_ {
    move |source| HashError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The h1 hash of already-digested files: `(raw name bytes, sha256 of content)`.
pub(crate) fn hash1(mut files: Vec<(Vec<u8>, [u8; 32])>) -> Result<String, HashError> {
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
pub(super) const CHUNK: usize = 256 << 10;

/// A module's files are hashed in parallel in groups of at least this many, so one big module
/// uses every core while a cache of many small ones splits by module at no extra cost.
pub(super) const PAR_MIN_FILES: usize = 16;

thread_local! {
    /// One read buffer per thread, reused for every file that thread hashes.
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's read buffer (or a fresh one if it is somehow in use: `f` never
/// re-enters, but rayon may run another task on this thread while one waits).
pub(super) fn with_buf<R>(f: impl FnOnce(&mut [u8]) -> R) -> R {
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
pub(super) struct Budget(AtomicU64);

impl Budget {
    pub(super) fn new() -> Self {
        Budget(AtomicU64::new(MAX_UNCOMPRESSED))
    }
    /// Takes `n` bytes; false when that would exceed the limit.
    pub(super) fn take(&self, n: u64) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(n))
            .is_ok()
    }
}

/// Why [`digest_reader`] stopped.
pub(super) enum ReadFail {
    Io(std::io::Error),
    /// Past the 500 MiB budget of the whole zip or tree.
    TooLarge,
    /// Past the size the zip entry declares.
    Oversize,
    Cancelled,
}

/// sha256 of everything `reader` yields, reporting bytes as they go, refusing to go past `limit`
/// bytes or the budget, and checking the cancel flag before every chunk (so a cancel is prompt
/// even in the middle of a large file). Returns the digest and the number of bytes.
pub(super) fn digest_reader(
    reader: &mut impl Read,
    limit: u64,
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
            if total + n as u64 > limit {
                return Err(ReadFail::Oversize);
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
pub(super) type Digested = (Vec<u8>, [u8; 32], u64);

/// The h1 of a list of per-file results, the first error (in list order) winning, and the
/// bytes hashed.
pub(super) fn hash_results(
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

/// A zip crate error as ours. `in_memory`: the zip was read whole, so even an I/O error (an
/// unexpected end) is the zip's fault; when streaming, it may be the disk's.
pub(super) fn corrupt(path: &Path, e: zip::result::ZipError, in_memory: bool) -> HashError {
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
