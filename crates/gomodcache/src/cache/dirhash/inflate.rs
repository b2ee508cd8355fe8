//! One zip entry hashed from its raw bytes, as Go's `archive/zip` reads it: inflated (libdeflate in
//! one call when the entry declares a size it can hold, zlib-rs streaming otherwise) never past the
//! size the central directory declares, that size and the CRC-32 checked.

use super::digest::{Budget, Digested, HashError, ReadFail, corrupt, digest_reader, with_buf};
use super::tree::TreeMatch;
use crate::cache::zip_entry::open_entry;
use crate::progress::{CancelFlag, HashProgress};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// What the central directory says of one entry, and where its raw bytes are in a batch.
pub(super) struct RawEntry {
    pub(super) name: Vec<u8>,
    pub(super) method: zip::CompressionMethod,
    pub(super) size: u64,
    pub(super) crc: u32,
    /// The declared compressed size (the raw bytes may be fewer: see [`hash_raw`]).
    pub(super) csize: u64,
    pub(super) range: std::ops::Range<usize>,
}

/// What hashing the entries of one zip shares.
pub(super) struct ZipRun<'a> {
    pub(super) path: &'a Path,
    pub(super) budget: &'a Budget,
    pub(super) cancel: &'a CancelFlag,
    pub(super) progress: &'a dyn HashProgress,
    /// The extracted tree to compare each inflated entry with (see [`TreeMatch`]).
    pub(super) matched: Option<&'a TreeMatch<'a>>,
}

impl ZipRun<'_> {
    /// Offers an entry's whole content to the extracted tree, if there is one to compare with.
    fn offer(&self, name: &[u8], data: &[u8], digest: &[u8; 32]) {
        if let Some(m) = self.matched {
            m.offer(name, data, digest, self.cancel, self.progress);
        }
    }
}

/// Hashes entry `i` of a zip held in memory (`data`): the raw entry is sliced out of the buffer
/// and inflated with this thread's reused decompressor, never past the size the central
/// directory declares, checking that size and the CRC-32, as Go's `archive/zip` does.
pub(super) fn hash_entry_in_memory(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    data: &[u8],
    i: usize,
    run: &ZipRun<'_>,
) -> Result<Digested, HashError> {
    let path = run.path;
    if run.cancel.is_cancelled() {
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
    hash_raw(&entry, &data[entry.range.clone()], run)
}

/// Hashes one entry from its raw bytes `raw` (the declared compressed size of them, or fewer if
/// that size lies past the end of the file), never inflating past the size the central directory
/// declares, checking that size and the CRC-32, as Go's `archive/zip` does.
pub(super) fn hash_raw(e: &RawEntry, raw: &[u8], run: &ZipRun<'_>) -> Result<Digested, HashError> {
    let (path, budget, cancel, progress) = (run.path, run.budget, run.cancel, run.progress);
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
            digest_reader(&mut &raw[..], size, budget, cancel, progress).map(|(digest, n)| {
                run.offer(&e.name, raw, &digest);
                (digest, n, crc32fast::hash(raw))
            })
        }
        zip::CompressionMethod::Deflated if size <= ONE_SHOT_MAX => {
            inflate_one_shot(raw, size, budget, cancel, progress, |data, digest| {
                run.offer(&e.name, data, digest)
            })
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
    offer: impl Fn(&[u8], &[u8; 32]),
) -> Result<([u8; 32], u64, u32), ReadFail> {
    if cancel.is_cancelled() {
        return Err(ReadFail::Cancelled);
    }
    let size = usize::try_from(size).map_err(|_| ReadFail::Oversize)?;
    let run = |d: &mut libdeflater::Decompressor, out: &mut Vec<u8>| {
        if out.len() < size {
            // Zeroed memory fresh from the allocator, not `resize`: that would copy the old
            // buffer and then zero the new part by hand.
            *out = vec![0; size];
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
        offer(data, &digest);
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
pub(super) fn hash_entry<R: Read + std::io::Seek>(
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
