//! What the two memos (verify and quick-scan) share: where they live, how a file's identity is
//! taken, and the removal of memos whose module cache is gone. Each is one file per GOMODCACHE
//! under the user's cache directory, never inside the module cache, starting with a header line
//! and `root <canonical cache path>`.

use sha2::{Digest, Sha256};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

/// Overrides the modscope cache directory (`~/.cache/modscope`).
pub const CACHE_DIR_ENV: &str = "MODSCOPE_CACHE_DIR";
/// Files whose ctime is this recent are hashed but not remembered (a same-tick edit could hide).
pub const RACY_WINDOW: Duration = Duration::from_secs(2);
/// A temporary memo file older than this is a leftover (a write takes milliseconds).
const STALE_TEMPORARY: Duration = Duration::from_secs(600);
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
    // Another account's directory (or a link to one) is not read either: its lines could
    // vouch for a tampered zip.
    if memo_dir.symlink_metadata().is_ok() && crate::fs::new_tree::own_directory(&memo_dir).is_err()
    {
        return None;
    }
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    let file = memo_dir.join(format!("{}.memo", hex::encode(&digest[..16])));
    Some((canonical, file))
}

/// The per-user secret that signs memo files, `memo.key` (32 random bytes, 0600) beside them:
/// a memo line is computable from public file metadata, so without it anyone who can write
/// the memo could vouch for a tampered zip. Created on first use (atomically: a temporary file
/// hard-linked into place, so two processes agree on one key). The error says why there is
/// none (then the memo is neither read nor written).
pub(super) fn memo_key(memo_dir: &Path) -> std::io::Result<[u8; 32]> {
    use std::io::{Error, ErrorKind};
    use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
    let path = memo_dir.join("memo.key");
    let read = || -> std::io::Result<[u8; 32]> {
        let (file, meta) = crate::fs::read::open_regular(&path, 32)?;
        // Only a key nobody else can read or have written is a secret.
        if meta.mode() & 0o077 != 0 || meta.uid() != nix::unistd::geteuid().as_raw() {
            return Err(Error::new(
                ErrorKind::PermissionDenied,
                format!(
                    "{} is not private (mode 0600, owned by you)",
                    path.display()
                ),
            ));
        }
        let mut key = [0u8; 32];
        std::io::Read::read_exact(&mut &file, &mut key)?;
        Ok(key)
    };
    if path.symlink_metadata().is_ok() {
        return read();
    }
    crate::fs::new_tree::own_directory(memo_dir)?;
    let mut key = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut r| std::io::Read::read_exact(&mut r, &mut key))?;
    let tmp = memo_dir.join(format!(".memo.key-{}.tmp", std::process::id()));
    let written = std::fs::File::options()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, &key)?;
            f.sync_all()
        });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, &path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(key),
        // Another process made one first: that one is the key.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => read(),
        Err(e) => Err(e),
    }
}

/// HMAC-SHA-256 (RFC 2104) of `data` under `key` (at most 64 bytes).
pub(super) fn mac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..key.len().min(64)].copy_from_slice(&key[..key.len().min(64)]);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(data)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// What both memos keep besides their entries: how recent a change must be for a result not
/// to be remembered, and how many answers came from the memo and how many were worked out.
#[derive(Debug)]
pub(super) struct MemoCounters {
    racy_window: Duration,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl MemoCounters {
    pub fn new() -> Self {
        MemoCounters {
            racy_window: RACY_WINDOW,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    pub fn set_racy_window(&mut self, window: Duration) {
        self.racy_window = window;
    }

    pub fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    pub fn miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }

    /// Answers taken from the memo, and answers worked out, so far.
    pub fn stats(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Whether something changed at `changed_ns` (ns since the epoch) within the racy window
    /// before now: such a result is not remembered (a same-tick edit could hide behind it).
    pub fn is_racy(&self, changed_ns: i128) -> bool {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        now.saturating_sub(changed_ns) < self.racy_window.as_nanos() as i128
    }
}

/// What a run learned, taken out for saving: `None` when nothing (or the lock was poisoned by
/// a panicking thread: the memo is only an optimisation, and is then not written).
pub(super) fn take_learned<E>(
    new: &std::sync::Mutex<std::collections::HashMap<String, E>>,
) -> Option<std::collections::HashMap<String, E>> {
    let learned = std::mem::take(&mut *new.lock().ok()?);
    (!learned.is_empty()).then_some(learned)
}

/// Writes a memo atomically (a temporary file in the same directory renamed over it), then
/// removes the memos of module caches that no longer exist.
pub(super) fn write_memo(file: &Path, data: &[u8], header: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = file.parent().unwrap_or(Path::new("."));
    crate::fs::new_tree::own_directory(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".memo-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(file).map_err(|e| e.error)?;
    prune(dir, file, header);
    Ok(())
}

/// A temporary file of [`write_memo`] left by a process that ended while writing (the first
/// scan runs on a thread of its own, which a quick `q` ends with the process), old enough that
/// no running write can still own it.
fn is_stale_temporary(entry: &std::fs::DirEntry) -> bool {
    let name = entry.file_name();
    let name = name.to_string_lossy();
    name.starts_with(".memo-")
        && name.ends_with(".tmp")
        && entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMPORARY)
}

/// Removes other memos in `dir` whose module cache no longer exists (temporary caches of tests
/// and benchmarks), a bounded number per call. Memo files start with `header` and `root <dir>`.
fn prune(dir: &Path, keep: &Path, header: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok).take(PRUNE_LIMIT) {
        let path = entry.path();
        if is_stale_temporary(&entry) {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        if path == keep || path.extension().is_none_or(|e| e != "memo") {
            continue;
        }
        let Ok((f, _)) = crate::fs::read::open_regular(&path, u64::MAX) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_is_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            hex::encode(mac(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_memo_key_is_made_once_private_and_then_reused() {
        use std::os::unix::fs::PermissionsExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("memos");
        let key = memo_key(&dir).unwrap();
        assert_eq!(memo_key(&dir).unwrap(), key);
        let path = dir.join("memo.key");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A key others can read is no secret: not used.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(memo_key(&dir).is_err());
    }

    #[test]
    fn a_memo_directory_that_is_a_link_is_neither_written_nor_pruned() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("someone-elses");
        std::fs::create_dir(&target).unwrap();
        // Looks like a memo of a module cache that no longer exists: pruning would remove it.
        let victim = target.join("0123.memo");
        std::fs::write(&victim, "header\nroot /no/such/cache\n").unwrap();
        let link = tmp.path().join("memos");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = write_memo(&link.join("mine.memo"), b"header\n", "header").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(victim.exists(), "the pruning followed the link");
        assert!(!target.join("mine.memo").exists());
        assert!(memo_file_for(&link, tmp.path()).is_none(), "nor read from");
    }

    #[test]
    fn saving_a_memo_removes_old_leftover_temporary_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".memo-abc.tmp");
        let fresh = dir.path().join(".memo-def.tmp");
        let other = dir.path().join("notes.tmp");
        for p in [&old, &fresh, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        for p in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        write_memo(&dir.path().join("x.memo"), b"h\nroot /\n", "h").unwrap();
        assert!(
            !old.exists(),
            "a leftover of an interrupted write is removed"
        );
        assert!(
            fresh.exists(),
            "a write that may still be running is left alone"
        );
        assert!(other.exists(), "only our temporary files");
        assert!(dir.path().join("x.memo").exists());
    }
}
