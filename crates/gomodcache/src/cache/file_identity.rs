//! What identifies one file for the memos: type, size, mtime, inode, device, mode and ctime, as
//! the bytes a fingerprint hashes (a changed file changes at least one of them).

/// What identifies one file or directory in a fingerprint: type, size, mtime, inode, device,
/// mode and ctime. Taken from `std::fs::Metadata` or from a raw `stat` (the quick scan's
/// directory-relative lookups); both give the same bytes for the same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileIdentity {
    /// 1 regular file, 2 symlink, 3 anything else.
    kind: u8,
    size: u64,
    mtime: (i64, i64),
    ino: u64,
    dev: u64,
    mode: u64,
    pub ctime: (i64, i64),
}

impl FileIdentity {
    pub fn of(m: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        let kind = if m.is_file() {
            1
        } else if m.file_type().is_symlink() {
            2
        } else {
            3
        };
        FileIdentity {
            kind,
            size: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ino: m.ino(),
            dev: m.dev(),
            mode: u64::from(m.mode()),
            ctime: ctime(m),
        }
    }

    pub fn of_stat(st: &nix::sys::stat::FileStat) -> Self {
        use nix::libc::{S_IFLNK, S_IFMT, S_IFREG};
        let kind = match st.st_mode & S_IFMT {
            S_IFREG => 1,
            S_IFLNK => 2,
            _ => 3,
        };
        // The casts widen or keep the width on Linux; they mirror `MetadataExt`.
        #[allow(clippy::unnecessary_cast)]
        FileIdentity {
            kind,
            size: st.st_size as u64,
            mtime: (st.st_mtime as i64, st.st_mtime_nsec as i64),
            ino: st.st_ino as u64,
            dev: st.st_dev as u64,
            mode: u64::from(st.st_mode),
            ctime: (st.st_ctime as i64, st.st_ctime_nsec as i64),
        }
    }

    pub fn is_symlink(&self) -> bool {
        self.kind == 2
    }

    /// The ctime in nanoseconds since the epoch.
    pub fn ctime_ns(&self) -> i128 {
        nanos(self.ctime)
    }

    pub fn bytes(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[0] = self.kind;
        let fields = [
            self.size.to_le_bytes(),
            self.mtime.0.to_le_bytes(),
            self.mtime.1.to_le_bytes(),
            self.ino.to_le_bytes(),
            self.dev.to_le_bytes(),
            self.mode.to_le_bytes(),
            self.ctime.0.to_le_bytes(),
            self.ctime.1.to_le_bytes(),
        ];
        for (i, f) in fields.iter().enumerate() {
            out[1 + 8 * i..9 + 8 * i].copy_from_slice(f);
        }
        out
    }
}

/// The identifying metadata of one file, as bytes for a fingerprint.
pub(super) fn meta_bytes(m: &std::fs::Metadata) -> [u8; 65] {
    FileIdentity::of(m).bytes()
}

fn ctime(m: &std::fs::Metadata) -> (i64, i64) {
    use std::os::unix::fs::MetadataExt;
    (m.ctime(), m.ctime_nsec())
}

/// The ctime of `m` in nanoseconds since the epoch.
pub(super) fn ctime_ns(m: &std::fs::Metadata) -> i128 {
    nanos(ctime(m))
}

/// A (seconds, nanoseconds) time as nanoseconds since the epoch.
fn nanos((s, ns): (i64, i64)) -> i128 {
    i128::from(s) * 1_000_000_000 + i128::from(ns)
}
