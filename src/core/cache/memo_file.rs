//! What the two memos (verify and quick-scan) share: where they live, how a file's identity is
//! taken, and the removal of memos whose module cache is gone. Each is one file per GOMODCACHE
//! under the user's cache directory, never inside the module cache, starting with a header line
//! and `root <canonical cache path>`.

use sha2::{Digest, Sha256};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Overrides the modscope cache directory (`~/.cache/modscope`).
pub const CACHE_DIR_ENV: &str = "MODSCOPE_CACHE_DIR";
/// Files whose ctime is this recent are hashed but not remembered (a same-tick edit could hide).
pub const RACY_WINDOW: Duration = Duration::from_secs(2);
/// At most this many other memo files are examined for pruning per save.
const PRUNE_LIMIT: usize = 64;

/// The modscope cache directory: `$MODSCOPE_CACHE_DIR` when set and not empty, otherwise
/// `<user cache dir>/modscope` (`~/.cache/modscope` on Linux).
pub fn modscope_cache_dir() -> Option<PathBuf> {
    match std::env::var_os(CACHE_DIR_ENV) {
        Some(d) if !d.is_empty() => Some(std::path::absolute(&d).unwrap_or_else(|_| d.into())),
        _ => dirs::cache_dir().map(|d| d.join("modscope")),
    }
}

/// The module cache with symlinks and `..` resolved (every spelling of one cache shares one
/// memo), and the memo file for it in `memo_dir`. `None` off Unix, for a cache path that is not
/// UTF-8 or holds a newline, and when `memo_dir` lies inside the module cache.
pub(super) fn memo_file_for(memo_dir: &Path, gomodcache: &Path) -> Option<(PathBuf, PathBuf)> {
    if !cfg!(unix) {
        return None;
    }
    let root = std::path::absolute(gomodcache).ok()?;
    let canonical = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    let memo_dir = std::path::absolute(memo_dir).ok()?;
    let inside = |d: &Path, r: &Path| {
        d.starts_with(r)
            || std::fs::canonicalize(d)
                .ok()
                .zip(std::fs::canonicalize(r).ok())
                .is_some_and(|(d, r)| d.starts_with(r))
    };
    if canonical.to_str().is_none_or(|s| s.contains('\n')) || inside(&memo_dir, &root) {
        return None;
    }
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    let file = memo_dir.join(format!("{}.memo", hex::encode(&digest[..16])));
    Some((canonical, file))
}

/// The identifying metadata of one file, as bytes for a fingerprint.
pub(super) fn meta_bytes(m: &std::fs::Metadata) -> Vec<u8> {
    let mut out = Vec::with_capacity(80);
    let (ctime_s, ctime_ns) = ctime(m);
    let kind: u8 = if m.is_file() {
        1
    } else if m.file_type().is_symlink() {
        2
    } else {
        3
    };
    out.push(kind);
    out.extend_from_slice(&m.len().to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        for v in [m.mtime(), m.mtime_nsec()] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [m.ino(), m.dev(), u64::from(m.mode())] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend_from_slice(&ctime_s.to_le_bytes());
    out.extend_from_slice(&ctime_ns.to_le_bytes());
    out
}

#[cfg(unix)]
pub(super) fn ctime(m: &std::fs::Metadata) -> (i64, i64) {
    use std::os::unix::fs::MetadataExt;
    (m.ctime(), m.ctime_nsec())
}

#[cfg(not(unix))]
pub(super) fn ctime(_: &std::fs::Metadata) -> (i64, i64) {
    (i64::MAX, 0)
}

/// Writes a memo atomically (a temporary file in the same directory renamed over it), then
/// removes the memos of module caches that no longer exist.
pub(super) fn write_memo(file: &Path, data: &[u8], header: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".memo-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(file).map_err(|e| e.error)?;
    prune(dir, file, header);
    Ok(())
}

/// Removes other memos in `dir` whose module cache no longer exists (temporary caches of tests
/// and benchmarks), a bounded number per call. Memo files start with `header` and `root <dir>`.
fn prune(dir: &Path, keep: &Path, header: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok).take(PRUNE_LIMIT) {
        let path = entry.path();
        if path == keep || path.extension().is_none_or(|e| e != "memo") {
            continue;
        }
        let Ok(f) = std::fs::File::open(&path) else {
            continue;
        };
        use std::io::BufRead as _;
        let mut lines = std::io::BufReader::new(f.take(64 << 10)).lines();
        let root = match (lines.next(), lines.next()) {
            (Some(Ok(h)), Some(Ok(r))) if h == header => r.strip_prefix("root ").map(PathBuf::from),
            _ => None,
        };
        if root.is_some_and(|r| !r.exists()) {
            let _ = std::fs::remove_file(&path);
        }
    }
}
