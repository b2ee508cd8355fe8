//! The fingerprint of a module's five places (see the module above), taken with `fstatat`
//! relative to the module cache's root or its `cache/download`: the kernel then walks only the
//! part of each path below them. A stat costs 1.5–3 µs on the machines measured, most of it the
//! path walk, and the quick scan makes three to five per module, so this is the first classified
//! frame's largest cost. Paths outside the root, or a root that could not be opened, are looked
//! at by their full path; both ways give the same fingerprint.
//!
//! The extracted directory is covered in one of two ways ([`DirCover`]), named by the first
//! letter of the digest so that a fingerprint of one way never matches one of the other.

use crate::cache::file_identity::FileIdentity;
use crate::cache::layout::{CacheProbe, ModuleFiles, Ziphash};
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, open};
use nix::sys::stat::{FileStat, Mode, SFlag, fstatat};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How a fingerprint covers a module's extracted directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DirCover {
    /// Through the directory that holds it (`<cache>/github.com/org` for every version of every
    /// module of `org`): creating, removing or renaming an entry changes that directory's mtime
    /// and ctime, so while it is unchanged a real directory stays that directory and an absent
    /// one stays absent. One stat per parent per scan instead of one per module. Only for a
    /// real directory or an absent one, which is all go makes.
    Parent,
    /// By its own identity, following symlinks: a symlink's target can change, or go, without
    /// any change in the parent.
    Own,
}

impl DirCover {
    fn tag(self) -> u8 {
        match self {
            DirCover::Parent => b'p',
            DirCover::Own => b'o',
        }
    }

    /// The way `digest` (as kept in a memo) was taken.
    pub fn of_digest(digest: &[u8]) -> Option<DirCover> {
        match digest.first() {
            Some(b'p') => Some(DirCover::Parent),
            Some(b'o') => Some(DirCover::Own),
            _ => None,
        }
    }
}

/// What the zip was when its fingerprint was taken, named by the first letter of its digest:
/// a symlinked zip's size can change with nothing in the download directory changing (its
/// target is elsewhere), so it is looked at even when zip sizes are otherwise remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ZipKind {
    /// A file, or absent.
    Plain,
    Symlink,
}

impl ZipKind {
    fn of(link: bool) -> ZipKind {
        if link {
            ZipKind::Symlink
        } else {
            ZipKind::Plain
        }
    }

    fn tag(self) -> u8 {
        match self {
            ZipKind::Plain => b'f',
            ZipKind::Symlink => b'l',
        }
    }

    /// The kind a zip digest (as kept in a memo) was taken of; a symlink when unknown, so
    /// that it is looked at.
    pub fn of_digest(digest: &[u8]) -> ZipKind {
        match digest.first() {
            Some(b'f') => ZipKind::Plain,
            _ => ZipKind::Symlink,
        }
    }
}

/// What identifies a module's five places at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fingerprint {
    /// The way the extracted directory is covered, then the hex SHA-256 of the identities of
    /// the places the classification depends on: the extracted directory, the download
    /// directory, the `.ziphash` and the `.mod`.
    pub digest: String,
    /// The hex SHA-256 of the zip's identity (and its target's, when it is a symlink), on which
    /// only the reported zip size depends; `None` when it was not looked at.
    pub zip_digest: Option<String>,
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
#[derive(Debug, Clone, Copy)]
enum Seen {
    Present(FileIdentity),
    Absent,
    /// Could not be looked at for a reason other than absence (permission, not a directory).
    Unknown,
}

/// A directory held open for lookups relative to it.
struct Held {
    path: PathBuf,
    fd: OwnedFd,
}

impl Held {
    fn open(path: PathBuf) -> Option<Held> {
        // O_PATH (Linux) opens a directory for lookups only; elsewhere a read-only open does.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let access = OFlag::O_PATH;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let access = OFlag::O_RDONLY;
        let flags = access | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        let fd = open(&path, flags, Mode::empty()).ok()?;
        Some(Held { path, fd })
    }

    /// Whether the handle still is the directory at its path (it is not when the directory was
    /// moved away or deleted and made again since it was opened: lookups through the handle
    /// would then see the old directory, while the probe sees the new one).
    fn unchanged(&self) -> bool {
        match (
            nix::sys::stat::fstat(&self.fd),
            nix::sys::stat::stat(&self.path),
        ) {
            (Ok(held), Ok(now)) => held.st_dev == now.st_dev && held.st_ino == now.st_ino,
            _ => false,
        }
    }
}

/// The module cache's root and its `cache/download`, held open for directory-relative lookups
/// (the second saves walking two components in four lookups of five), and the parent
/// directories of extracted trees seen in this scan.
pub(super) struct Places {
    held_root: Option<Held>,
    held_downloads: Option<Held>,
    /// Taken once per scan: the first look is earlier than any probe that uses it, which is
    /// all a fingerprint needs (a later change shows as a mismatch next time).
    /// Keyed by the path's bytes (hashing a `Path` walks its components).
    parents: Mutex<HashMap<Vec<u8>, Seen, foldhash::fast::RandomState>>,
}

impl Places {
    pub fn open(root: &Path) -> Places {
        let held_root = Held::open(root.to_path_buf());
        Places {
            held_downloads: held_root
                .as_ref()
                .and_then(|_| Held::open(root.join("cache/download"))),
            held_root,
            parents: Mutex::default(),
        }
    }

    /// Whether the held handles still are the directories at their paths.
    pub fn root_unchanged(&self) -> bool {
        [&self.held_root, &self.held_downloads]
            .into_iter()
            .flatten()
            .all(Held::unchanged)
    }

    /// The fingerprint to remember a probe under, taken before the probe: the parent first (so
    /// that its identity is older than the look at the tree), then how the tree can be covered,
    /// then the places. `None` when anything cannot be looked at, or cannot be covered.
    pub fn fingerprint_before_probe(&self, files: &ModuleFiles) -> Option<Fingerprint> {
        let (cover, tree) = self.cover_now(files)?;
        let mut fp = self.fingerprint(files, cover, true)?;
        if cover == DirCover::Parent {
            // Through the parent, the tree's presence is what `cover_now` saw.
            fp.present[0] = tree;
        }
        Some(fp)
    }

    /// How `files`' extracted directory can be covered now, and whether it is a directory there
    /// (meaningful for [`DirCover::Parent`] only: a symlink's presence is what its target's
    /// followed look in the fingerprint says).
    fn cover_now(&self, files: &ModuleFiles) -> Option<(DirCover, bool)> {
        let parent = self.parent(files);
        if let Seen::Unknown = parent {
            return None;
        }
        match self.stat(&files.dir, false) {
            // A parent seen absent (earlier in this scan) has no identity: it cannot cover a
            // tree that is there now.
            Ok(_) if matches!(parent, Seen::Absent) => None,
            Ok(st) if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFDIR => {
                Some((DirCover::Parent, true))
            }
            Ok(_) => Some((DirCover::Own, false)),
            Err(Errno::ENOENT) => Some((DirCover::Parent, false)),
            Err(_) => None,
        }
    }

    /// The fingerprint of `files`' places, the extracted directory covered as `cover` says,
    /// and the zip's only when `zip` is true; `None` when any cannot be looked at for a reason
    /// other than absence. With [`DirCover::Parent`] the extracted directory's presence is not
    /// looked at: `present[0]` is false ([`Places::fingerprint_before_probe`] knows it).
    pub fn fingerprint(
        &self,
        files: &ModuleFiles,
        cover: DirCover,
        zip: bool,
    ) -> Option<Fingerprint> {
        let mut newest = i128::MIN;
        let mut present = [false; 5];
        // `slot`: the place whose presence this look tells (none for the tree's parent).
        let mut add = |h: &mut Sha256, slot: Option<usize>, seen: Seen| {
            match seen {
                Seen::Present(id) => {
                    newest = newest.max(id.ctime_ns());
                    if let Some(i) = slot {
                        present[i] = true;
                    }
                    h.update([1u8]);
                    h.update(id.bytes());
                }
                Seen::Absent => h.update([0u8]),
                Seen::Unknown => return None,
            }
            Some(())
        };
        let mut h = Sha256::new();
        match cover {
            DirCover::Parent => add(&mut h, None, self.parent(files))?,
            DirCover::Own => add(&mut h, Some(0), self.look(&files.dir, true))?,
        }
        for (i, path) in [&files.download_dir, &files.ziphash, &files.go_mod]
            .into_iter()
            .enumerate()
        {
            add(&mut h, Some(i + 1), self.look(path, true))?;
        }
        let digest = hex_digest(Some(cover.tag()), h);
        let zip_digest = if zip {
            let mut h = Sha256::new();
            // As the download listing sees it: a symlinked zip is its own entry.
            let seen = self.look(&files.zip, false);
            add(&mut h, Some(4), seen)?;
            // A symlinked zip: the probe reports its target's size, which can change, or
            // appear, without the link changing.
            let link = matches!(seen, Seen::Present(id) if id.is_symlink());
            if link {
                add(&mut h, Some(4), self.look(&files.zip, true))?;
            }
            Some(hex_digest(Some(ZipKind::of(link).tag()), h))
        } else {
            None
        };
        Some(Fingerprint {
            digest,
            zip_digest,
            newest,
            present,
        })
    }

    /// The directory holding `files`' extracted tree, looked at once per scan.
    fn parent(&self, files: &ModuleFiles) -> Seen {
        let Some(parent) = files.dir.parent() else {
            return Seen::Unknown;
        };
        let key = parent.as_os_str().as_bytes();
        if let Some(seen) = self.parents.lock().ok().and_then(|p| p.get(key).copied()) {
            return seen;
        }
        let seen = self.look(parent, true);
        if let Ok(mut parents) = self.parents.lock() {
            // Another thread may have looked meanwhile: the first look stays.
            return *parents.entry(key.to_vec()).or_insert(seen);
        }
        seen
    }

    fn look(&self, path: &Path, follow: bool) -> Seen {
        match self.stat(path, follow) {
            Ok(st) => Seen::Present(FileIdentity::of_stat(&st)),
            Err(Errno::ENOENT) => Seen::Absent,
            Err(_) => Seen::Unknown,
        }
    }

    fn stat(&self, path: &Path, follow: bool) -> nix::Result<FileStat> {
        let flags = if follow {
            AtFlags::empty()
        } else {
            AtFlags::AT_SYMLINK_NOFOLLOW
        };
        for held in [&self.held_downloads, &self.held_root]
            .into_iter()
            .flatten()
        {
            if let Some(rel) = below(&held.path, path) {
                return fstatat(&held.fd, rel, flags);
            }
        }
        if follow {
            nix::sys::stat::stat(path)
        } else {
            nix::sys::stat::lstat(path)
        }
    }
}

/// `h`'s hex digest, after `tag` when there is one.
fn hex_digest(tag: Option<u8>, h: Sha256) -> String {
    let mut hex = [0u8; 64];
    // Cannot fail: 64 bytes hold the hex of 32.
    let _ = hex::encode_to_slice(h.finalize(), &mut hex);
    let mut digest = String::with_capacity(65);
    digest.extend(tag.map(char::from));
    digest.extend(hex.iter().map(|&b| char::from(b)));
    digest
}

/// `path` relative to `root` when it lies below it, compared byte-wise (the paths come from
/// [`crate::cache::layout::ModuleCache::files`], which appends to the root's bytes; a
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
mod tests;
