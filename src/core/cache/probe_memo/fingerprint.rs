//! The fingerprint of a module's five places (see the module above), taken with `fstatat`
//! relative to the module cache's root: the kernel then walks only the part of each path below
//! the root. A stat costs about 4 µs on the machines measured, most of it the path walk and the
//! security hooks, and the quick scan makes five per module, so this is the first classified
//! frame's largest cost. Paths outside the root, or a root that could not be opened, are looked
//! at by their full path; both ways give the same fingerprint.

use crate::core::cache::layout::{CacheProbe, ModuleFiles, Ziphash};
use crate::core::cache::memo_file::FileIdentity;
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, open};
use nix::sys::stat::{Mode, fstatat};
use sha2::{Digest, Sha256};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

/// What identifies a module's five places at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fingerprint {
    pub digest: String,
    /// The newest ctime among the places that exist (ns since the epoch; `i128::MIN` if none).
    pub newest: i128,
    /// Which places existed: extracted directory, download directory, `.ziphash`, `.mod`, zip.
    pub present: [bool; 5],
}

impl Fingerprint {
    /// Whether a probe made after this fingerprint saw nothing appear that the fingerprint saw
    /// absent. An absent place has no identity (no ctime, no inode), so a file created between
    /// the two looks would otherwise be remembered under a fingerprint that says "absent", and
    /// be taken as there once it is gone again.
    pub fn agrees_with(&self, probe: &CacheProbe) -> bool {
        let [dir, download_dir, ziphash, go_mod, zip] = self.present;
        let anything_downloaded = probe.has_info
            || probe.has_go_mod
            || probe.has_zip
            || probe.has_partial
            || probe.ziphash != Ziphash::Absent
            || !probe.stray_tmp.is_empty();
        (dir || !probe.dir_exists)
            && (download_dir || !anything_downloaded)
            && (ziphash || probe.ziphash == Ziphash::Absent)
            && (go_mod || !probe.has_go_mod)
            && (zip || !probe.has_zip)
    }
}

/// What one place turned out to be.
enum Seen {
    Present(FileIdentity),
    Absent,
    /// Could not be looked at for a reason other than absence (permission, not a directory).
    Unknown,
}

/// The module cache's root, held open for directory-relative lookups.
pub(super) struct Places {
    root: PathBuf,
    root_fd: Option<OwnedFd>,
}

impl Places {
    pub fn open(root: &Path) -> Places {
        // O_PATH (Linux) opens a directory for lookups only; elsewhere a read-only open does.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let access = OFlag::O_PATH;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let access = OFlag::O_RDONLY;
        let flags = access | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        Places {
            root: root.to_path_buf(),
            root_fd: open(root, flags, Mode::empty()).ok(),
        }
    }

    /// Whether the held handle still is the directory at the root's path (it is not when the
    /// cache was moved away or deleted and made again since it was opened: lookups through the
    /// handle would then see the old directory, while the probe sees the new one).
    pub fn root_unchanged(&self) -> bool {
        let Some(fd) = &self.root_fd else {
            return true;
        };
        match (nix::sys::stat::fstat(fd), nix::sys::stat::stat(&self.root)) {
            (Ok(held), Ok(now)) => held.st_dev == now.st_dev && held.st_ino == now.st_ino,
            _ => false,
        }
    }

    /// The fingerprint of `files`' five places; `None` when any cannot be looked at for a reason
    /// other than absence.
    pub fn fingerprint(&self, files: &ModuleFiles) -> Option<Fingerprint> {
        let mut h = Sha256::new();
        let mut newest = i128::MIN;
        let mut present = [false; 5];
        let places: [(&Path, bool); 5] = [
            (&files.dir, true),
            (&files.download_dir, true),
            (&files.ziphash, true),
            (&files.go_mod, true),
            // As the download listing sees it: a symlinked zip is its own entry.
            (&files.zip, false),
        ];
        for (i, (path, follow)) in places.into_iter().enumerate() {
            match self.look(path, follow) {
                Seen::Present(id) => {
                    newest = newest.max(id.ctime_ns());
                    present[i] = true;
                    h.update([1u8]);
                    h.update(id.bytes());
                }
                Seen::Absent => h.update([0u8]),
                Seen::Unknown => return None,
            }
        }
        Some(Fingerprint {
            digest: hex::encode(h.finalize()),
            newest,
            present,
        })
    }

    fn look(&self, path: &Path, follow: bool) -> Seen {
        let relative = below(&self.root, path);
        if let (Some(fd), Some(rel)) = (&self.root_fd, relative) {
            let flags = if follow {
                AtFlags::empty()
            } else {
                AtFlags::AT_SYMLINK_NOFOLLOW
            };
            return match fstatat(fd, rel, flags) {
                Ok(st) => Seen::Present(FileIdentity::of_stat(&st)),
                Err(Errno::ENOENT) => Seen::Absent,
                Err(_) => Seen::Unknown,
            };
        }
        let meta = if follow {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        match meta {
            Ok(m) => Seen::Present(FileIdentity::of(&m)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Seen::Absent,
            Err(_) => Seen::Unknown,
        }
    }
}

/// `path` relative to `root` when it lies below it, compared byte-wise (the paths come from
/// [`crate::core::cache::layout::ModuleCache::files`], which appends to the root's bytes; a
/// component-wise `strip_prefix` showed in the profile).
fn below<'a>(root: &Path, path: &'a Path) -> Option<&'a Path> {
    let root = root.as_os_str().as_encoded_bytes();
    let root = root.strip_suffix(b"/").unwrap_or(root);
    let rest = path.as_os_str().as_encoded_bytes().strip_prefix(root)?;
    let rest = rest.strip_prefix(b"/")?;
    // Only `..`-free relative paths: anything else is looked at by its full path.
    let safe = !rest.is_empty()
        && !rest.starts_with(b"/")
        && !rest.split(|&b| b == b'/').any(|c| c == b"..");
    // Safe: `rest` is a suffix of an OsStr's bytes cut at an ASCII '/'.
    safe.then(|| Path::new(std::ffi::OsStr::from_bytes(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cache::layout::ModuleCache;

    /// The relative lookup and the full-path one must agree, or every memo entry written by one
    /// would miss in the other.
    #[test]
    fn relative_and_full_path_fingerprints_are_equal() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ModuleCache::new(tmp.path());
        let files = cache.files("example.com/a", "v1.0.0").unwrap();
        std::fs::create_dir_all(&files.download_dir).unwrap();
        std::fs::create_dir_all(&files.dir).unwrap();
        std::fs::write(&files.go_mod, "module example.com/a\n").unwrap();
        std::fs::write(&files.ziphash, "h1:x\n").unwrap();
        std::os::unix::fs::symlink("elsewhere.zip", &files.zip).unwrap();
        let relative = Places::open(tmp.path());
        assert!(relative.root_fd.is_some());
        let full = Places {
            root: tmp.path().to_path_buf(),
            root_fd: None,
        };
        let a = relative.fingerprint(&files).unwrap();
        assert_eq!(a, full.fingerprint(&files).unwrap());
        // And it changes with what it covers: the dangling symlink becomes a file.
        std::fs::remove_file(&files.zip).unwrap();
        std::fs::write(&files.zip, "zip").unwrap();
        let b = relative.fingerprint(&files).unwrap();
        assert_ne!(a.digest, b.digest);
        assert_eq!(b, full.fingerprint(&files).unwrap());
    }

    /// A place seen absent has no identity: what appears there before the probe must keep
    /// the probe from being remembered under that fingerprint.
    #[test]
    fn files_that_appear_after_the_fingerprint_disagree_with_it() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ModuleCache::new(tmp.path());
        let module = crate::core::synth::SynthModule::new("example.com/a", "v1.0.0");
        let files = cache.files(&module.path, &module.version).unwrap();
        let places = Places::open(tmp.path());
        let before = places.fingerprint(&files).unwrap();
        assert_eq!(before.present, [false; 5]);
        assert!(before.agrees_with(&cache.probe(&module.path, &module.version).unwrap()));
        crate::core::synth::write_cache_entry(tmp.path(), &module).unwrap();
        let probe = cache.probe(&module.path, &module.version).unwrap();
        assert!(probe.has_go_mod && probe.has_zip && probe.dir_exists);
        assert!(!before.agrees_with(&probe));
        let after = places.fingerprint(&files).unwrap();
        assert!(after.agrees_with(&probe));
        // Gone again: what was present and is now absent is a changed fingerprint, not a
        // disagreement (its identity was hashed).
        std::fs::remove_file(&files.go_mod).unwrap();
        let probe = cache.probe(&module.path, &module.version).unwrap();
        assert!(after.agrees_with(&probe));
        assert_ne!(after.digest, places.fingerprint(&files).unwrap().digest);
    }

    #[test]
    fn below_the_root() {
        fn b<'a>(root: &str, path: &'a str) -> Option<&'a Path> {
            below(Path::new(root), Path::new(path))
        }
        assert_eq!(b("/c", "/c/a/b"), Some(Path::new("a/b")));
        assert_eq!(b("/c/", "/c/a"), Some(Path::new("a")));
        assert_eq!(b("/c", "/cd/a"), None);
        assert_eq!(b("/c", "/c"), None);
        assert_eq!(b("/c", "/c//a"), None);
        assert_eq!(b("/c", "/c/a/../../etc"), None);
        assert_eq!(b("/", "/a"), Some(Path::new("a")));
    }

    #[test]
    fn absent_and_unreadable_places() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ModuleCache::new(tmp.path());
        let files = cache.files("example.com/a", "v1.0.0").unwrap();
        let places = Places::open(tmp.path());
        // Nothing there: every place absent is still a fingerprint.
        assert!(places.fingerprint(&files).is_some());
        // A file where the download directory should be: its children cannot be looked at.
        std::fs::create_dir_all(files.download_dir.parent().unwrap()).unwrap();
        std::fs::write(&files.download_dir, "").unwrap();
        assert_eq!(places.fingerprint(&files), None);
    }
}
