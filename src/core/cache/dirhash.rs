//! Go's `h1:` hash (x/mod `sumdb/dirhash.Hash1`) over a module zip, an extracted directory and a
//! `.mod` file, byte for byte equal to what `go` writes to go.sum and `.ziphash`.
//!
//! h1 = base64(sha256(summary)), where summary has one line `hex(sha256(content))  name\n` per
//! file, sorted by the raw bytes of the name. Names are raw bytes (never transcoded).

use crate::core::progress::{CancelFlag, HashProgress};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
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
        summary.update(hex::encode(digest).as_bytes());
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

/// sha256 of everything `reader` yields, reporting bytes as they go and refusing more than
/// `budget` bytes (decremented).
fn digest_reader(
    reader: &mut dyn Read,
    buf: &mut [u8],
    budget: &mut u64,
    progress: &dyn HashProgress,
) -> std::io::Result<Option<[u8; 32]>> {
    let mut h = Sha256::new();
    loop {
        let n = reader.read(buf)?;
        if n == 0 {
            return Ok(Some(h.finalize().into()));
        }
        if n as u64 > *budget {
            return Ok(None);
        }
        *budget -= n as u64;
        h.update(&buf[..n]);
        progress.on_bytes(n as u64);
    }
}

/// The h1 of a module zip, over **all** central-directory entries including `dir/` entries (which
/// hash as empty files), as x/mod `HashZip` does. This is the go.sum zip line and `.ziphash`.
pub fn hash_zip(
    path: &Path,
    cancel: &CancelFlag,
    progress: &dyn HashProgress,
) -> Result<String, HashError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    let corrupt = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(source) => HashError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => HashError::CorruptZip {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    };
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(corrupt)?;
    let mut files = Vec::with_capacity(archive.len());
    let mut buf = vec![0u8; 64 * 1024];
    let mut budget = MAX_UNCOMPRESSED;
    for i in 0..archive.len() {
        if cancel.is_cancelled() {
            return Err(HashError::Cancelled);
        }
        let mut entry = archive.by_index(i).map_err(corrupt)?;
        let name = entry.name_raw().to_vec();
        let digest = digest_reader(&mut entry, &mut buf, &mut budget, progress).map_err(|e| {
            // The zip crate reports CRC and size mismatches as io errors of kind InvalidData/Other.
            HashError::CorruptZip {
                path: path.to_path_buf(),
                message: format!("{}: {e}", String::from_utf8_lossy(&name)),
            }
        })?;
        let Some(digest) = digest else {
            return Err(HashError::TooLarge {
                path: path.to_path_buf(),
            });
        };
        files.push((name, digest));
    }
    hash1(files)
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
    let mut files = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut budget = MAX_UNCOMPRESSED;
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        if cancel.is_cancelled() {
            return Err(HashError::Cancelled);
        }
        let entry = entry.map_err(|e| {
            let p = e.path().unwrap_or(dir).to_path_buf();
            HashError::Io {
                path: p,
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("walk failed")),
            }
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let full = entry.path();
        let rel = full
            .strip_prefix(dir)
            .expect("walkdir yields paths under its root");
        let mut name = prefix.as_bytes().to_vec();
        for component in rel.components() {
            name.push(b'/');
            name.extend_from_slice(os_bytes(component.as_os_str()));
        }
        if entry.path_is_symlink() && full.is_dir() {
            return Err(HashError::SymlinkToDirectory {
                path: full.to_path_buf(),
            });
        }
        let mut f = std::fs::File::open(full).map_err(io_err(full))?;
        let digest =
            digest_reader(&mut f, &mut buf, &mut budget, progress).map_err(io_err(full))?;
        let Some(digest) = digest else {
            return Err(HashError::TooLarge {
                path: dir.to_path_buf(),
            });
        };
        files.push((name, digest));
    }
    hash1(files)
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
