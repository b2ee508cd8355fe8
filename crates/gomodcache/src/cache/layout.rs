//! The files `go` keeps for one module version in GOMODCACHE (spec §2.2–2.4), and a read-only
//! probe of which of them exist. Nothing here writes to the cache.

use super::escape::{EscapeError, escape_path, escape_version};
use crate::fs::read::{limits, read_regular_file};
use std::path::{Path, PathBuf};

/// A module cache root (`$GOMODCACHE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCache {
    /// The directory; every path of the layout is below it.
    pub root: PathBuf,
}

/// Every path go uses for one `path@version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleFiles {
    /// `cache/download/<esc path>/@v`
    pub download_dir: PathBuf,
    /// `<ver>.info`: the version's JSON metadata (`Version`, `Time`).
    pub info: PathBuf,
    /// `<ver>.mod`: the version's go.mod.
    pub go_mod: PathBuf,
    /// `<ver>.zip`: the module zip.
    pub zip: PathBuf,
    /// `<ver>.ziphash`: the zip's h1 hash, as go computed it when it stored the zip.
    pub ziphash: PathBuf,
    /// `<ver>.partial`: present while go extracts the zip (and after an interrupted extraction).
    pub partial: PathBuf,
    /// The extracted tree `<esc path>@<esc version>`.
    pub dir: PathBuf,
    /// The escaped version, the stem of every file in `download_dir`.
    pub escaped_version: String,
}

/// What the `.ziphash` file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ziphash {
    /// There is no `.ziphash`.
    Absent,
    /// Present and well formed (`h1:` + 44 base64 chars after trimming, as go's `isValidSum`).
    Valid(String),
    /// Present but not a valid sum; go would recompute it from the zip.
    Invalid(String),
    /// It exists but could not be read: the error, with the path.
    Unreadable(String),
}

/// Which of a module's cache files exist, read without following go's locks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheProbe {
    /// The paths looked at.
    pub files: ModuleFiles,
    /// The `.info` exists.
    pub has_info: bool,
    /// The `.mod` exists.
    pub has_go_mod: bool,
    /// The `.zip` exists.
    pub has_zip: bool,
    /// The `.partial` exists.
    pub has_partial: bool,
    /// The extracted tree exists (as a directory, or a symbolic link to one).
    pub dir_exists: bool,
    /// What the `.ziphash` says.
    pub ziphash: Ziphash,
    /// The size of the zip in bytes, when there is one.
    pub zip_size: Option<u64>,
    /// Temporary files a killed `go` left behind (`<ver>.zip123.tmp`, …).
    pub stray_tmp: Vec<PathBuf>,
    /// Files that exist but could not be inspected (permissions and the like).
    pub errors: Vec<String>,
    /// Some file could not be looked at, so the `has_*` flags may say "absent" for a file
    /// that is there: nothing may be claimed missing.
    pub unknown: bool,
    /// The h1 of the `.mod`, when the probe memo already knows it (classification reads and
    /// hashes the `.mod` itself otherwise).
    pub go_mod_h1: Option<String>,
}

impl CacheProbe {
    /// go's `DownloadDir` test: the directory exists, `.ziphash` exists and `.partial` does not.
    pub fn dir_complete(&self) -> bool {
        self.dir_exists && !self.has_partial && self.ziphash != Ziphash::Absent
    }
}

impl ModuleCache {
    /// The module cache at `root` (nothing is checked or created).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ModuleCache { root: root.into() }
    }

    /// The paths go uses for `path@version` (unescaped), as cmd/go's `modfetch` names them;
    /// an error when the path or version has no on-disk form.
    pub fn files(&self, path: &str, version: &str) -> Result<ModuleFiles, EscapeError> {
        let ep = escape_path(path)?;
        let ev = escape_version(version)?;
        // Built by appending to one buffer rather than with `join` and `format!`: the quick scan
        // makes these seven paths for every module, and the allocations showed in its profile.
        // The same paths as `root.join("cache/download").join(ep).join("@v")` and so on.
        let mut root = self.root.clone().into_os_string();
        if !root.is_empty() && !root.as_encoded_bytes().ends_with(b"/") {
            root.push("/");
        }
        let under_root = |parts: &[&str]| {
            let mut p = std::ffi::OsString::with_capacity(
                root.len() + parts.iter().map(|x| x.len()).sum::<usize>(),
            );
            p.push(&root);
            parts.iter().for_each(|x| p.push(x));
            PathBuf::from(p)
        };
        let download_dir = under_root(&["cache/download/", &ep, "/@v"]);
        let with_ext = |ext: &str| under_root(&["cache/download/", &ep, "/@v/", &ev, ".", ext]);
        Ok(ModuleFiles {
            info: with_ext("info"),
            go_mod: with_ext("mod"),
            zip: with_ext("zip"),
            ziphash: with_ext("ziphash"),
            partial: with_ext("partial"),
            dir: under_root(&[&ep, "@", &ev]),
            escaped_version: ev,
            download_dir,
        })
    }

    /// Looks at (never touches) the files of `path@version`.
    ///
    /// The extracted directory is looked at *before* the download directory, as go's own
    /// `DownloadDir` does: go creates `.partial` before it creates the directory and removes it
    /// after the last file is written, so a directory seen first and no `.partial` seen after it
    /// is complete. (The other order could see "no `.partial`" just before a concurrent
    /// `go mod download` starts extracting, then a half-written directory, and report its
    /// files as modified.)
    pub fn probe(&self, path: &str, version: &str) -> Result<CacheProbe, EscapeError> {
        let files = self.files(path, version)?;
        let mut errors = Vec::new();
        let mut unknown = false;
        let dir_exists = match std::fs::metadata(&files.dir) {
            Ok(m) => m.is_dir(),
            Err(e) if is_absent(&e) => false,
            Err(e) => {
                errors.push(format!("cannot look at {}: {e}", files.dir.display()));
                unknown = true;
                false
            }
        };
        // One listing of the download directory says which files exist and finds stray temp
        // files (a few syscalls instead of a stat per file). If it cannot be listed for any
        // reason but absence, that is reported once, and each file is looked at on its own (a
        // directory may be searchable but not readable); a file that cannot be looked at either
        // is unknown, not absent.
        let listing = match list_download_dir(&files) {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Listing::default(),
            Err(e) => {
                errors.push(format!("cannot list {}: {e}", files.download_dir.display()));
                let mut exists = |p: &Path| match std::fs::symlink_metadata(p) {
                    Ok(_) => true,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                    Err(_) => {
                        unknown = true;
                        false
                    }
                };
                Listing {
                    info: exists(&files.info),
                    go_mod: exists(&files.go_mod),
                    zip: exists(&files.zip).then_some(None),
                    partial: exists(&files.partial),
                    ziphash: exists(&files.ziphash),
                    stray_tmp: stray_temp_files(&files.download_dir, &files.escaped_version),
                }
            }
        };
        let ziphash = if listing.ziphash {
            read_ziphash(&files.ziphash)
        } else {
            Ziphash::Absent
        };
        let zip_size = match listing.zip {
            Some(Some(size)) => Some(size),
            Some(None) => std::fs::metadata(&files.zip).ok().map(|m| m.len()),
            None => None,
        };
        Ok(CacheProbe {
            files,
            has_info: listing.info,
            has_go_mod: listing.go_mod,
            has_zip: listing.zip.is_some(),
            has_partial: listing.partial,
            dir_exists,
            ziphash,
            zip_size,
            stray_tmp: listing.stray_tmp,
            errors,
            unknown,
            go_mod_h1: None,
        })
    }
}

/// Absent as go sees it: no such file, or a path component that is not a directory.
fn is_absent(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(nix::libc::ENOTDIR)
}

/// Which of one version's files a download directory holds.
#[derive(Default)]
struct Listing {
    info: bool,
    go_mod: bool,
    /// `Some(size)` for a zip whose size is known without following a symlink.
    zip: Option<Option<u64>>,
    partial: bool,
    ziphash: bool,
    stray_tmp: Vec<PathBuf>,
}

fn list_download_dir(files: &ModuleFiles) -> std::io::Result<Listing> {
    let mut l = Listing::default();
    let stem = format!("{}.", files.escaped_version);
    for entry in std::fs::read_dir(&files.download_dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(ext) = name.strip_prefix(&stem) else {
            continue;
        };
        match ext {
            "info" => l.info = true,
            "mod" => l.go_mod = true,
            "partial" => l.partial = true,
            "ziphash" => l.ziphash = true,
            "zip" => {
                // The entry's own metadata is one stat relative to the directory; a symlinked
                // zip is measured through the link by the caller.
                let size = entry
                    .metadata()
                    .ok()
                    .filter(|m| !m.file_type().is_symlink())
                    .map(|m| m.len());
                l.zip = Some(size);
            }
            _ if name.ends_with(".tmp") => l.stray_tmp.push(entry.path()),
            _ => {}
        }
    }
    l.stray_tmp.sort();
    Ok(l)
}

/// Reads `.ziphash`. go writes it in place (create-truncate, then write, under its lock), so a
/// reader racing a `go mod download` can see it empty for an instant: an empty one is read
/// once more after a moment before it is believed.
fn read_ziphash(path: &Path) -> Ziphash {
    let first = read_ziphash_once(path);
    if first == Ziphash::Invalid(String::new()) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        return read_ziphash_once(path);
    }
    first
}

fn read_ziphash_once(path: &Path) -> Ziphash {
    match read_regular_file(path, limits::ZIPHASH) {
        Ok(data) => {
            let text = String::from_utf8_lossy(&data);
            let trimmed = text.trim();
            if is_valid_sum(trimmed) {
                Ziphash::Valid(trimmed.to_string())
            } else {
                Ziphash::Invalid(trimmed.to_string())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ziphash::Absent,
        Err(e) => Ziphash::Unreadable(format!("{}: {e}", path.display())),
    }
}

/// go's `isValidSum`: 47 bytes, no NUL. We also require the `h1:` prefix since that is the only
/// algorithm go writes.
pub(crate) fn is_valid_sum(s: &str) -> bool {
    s.len() == 47 && s.starts_with("h1:") && !s.contains('\0')
}

fn stray_temp_files(download_dir: &Path, escaped_version: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(download_dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&format!("{escaped_version}.")) && name.ends_with(".tmp")
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_escaped_on_disk() {
        let c = ModuleCache::new("/c");
        let f = c.files("example.com/Upper", "v1.0.0-RC1").unwrap();
        assert_eq!(
            f.zip,
            PathBuf::from("/c/cache/download/example.com/!upper/@v/v1.0.0-!r!c1.zip")
        );
        assert_eq!(f.dir, PathBuf::from("/c/example.com/!upper@v1.0.0-!r!c1"));
        assert_eq!(
            f.ziphash,
            PathBuf::from("/c/cache/download/example.com/!upper/@v/v1.0.0-!r!c1.ziphash")
        );
    }

    /// The paths are built by hand for speed: they must be exactly what `join` gives, also
    /// for a root with a trailing slash, a relative root and an empty one.
    #[test]
    fn paths_are_what_join_gives() {
        for root in ["/c", "/c/", "/", "rel/dir", "rel/", ""] {
            let f = ModuleCache::new(root)
                .files("example.com/Upper", "v1.0.0")
                .unwrap();
            let root = Path::new(root);
            let dl = root
                .join("cache/download")
                .join("example.com/!upper")
                .join("@v");
            assert_eq!(f.download_dir.as_os_str(), dl.as_os_str(), "{root:?}");
            for (got, ext) in [
                (&f.info, "info"),
                (&f.go_mod, "mod"),
                (&f.zip, "zip"),
                (&f.ziphash, "ziphash"),
                (&f.partial, "partial"),
            ] {
                assert_eq!(
                    got.as_os_str(),
                    dl.join(format!("v1.0.0.{ext}")).as_os_str()
                );
            }
            let dir = root.join("example.com/!upper@v1.0.0");
            assert_eq!(f.dir.as_os_str(), dir.as_os_str(), "{root:?}");
        }
    }

    #[test]
    fn paths_that_would_escape_the_root_are_refused() {
        let c = ModuleCache::new("/c");
        assert!(c.files("../../etc", "v1.0.0").is_err());
        assert!(c.files("example.com/a", "../../v1").is_err());
        assert!(c.files("/abs/path", "v1.0.0").is_err());
    }

    #[test]
    fn probe_sees_partial_downloads_and_stray_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let c = ModuleCache::new(tmp.path());
        let f = c.files("example.com/a", "v1.0.0").unwrap();
        std::fs::create_dir_all(&f.download_dir).unwrap();
        std::fs::create_dir_all(&f.dir).unwrap();
        std::fs::write(&f.go_mod, "module example.com/a\n").unwrap();
        std::fs::write(&f.partial, "").unwrap();
        std::fs::write(f.download_dir.join("v1.0.0.zip123456.tmp"), "").unwrap();
        std::fs::write(
            &f.ziphash,
            "h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=\n",
        )
        .unwrap();
        let p = c.probe("example.com/a", "v1.0.0").unwrap();
        assert!(p.has_go_mod && p.has_partial && p.dir_exists && !p.has_zip);
        assert!(!p.dir_complete(), ".partial makes the directory incomplete");
        assert_eq!(
            p.ziphash,
            Ziphash::Valid("h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=".into())
        );
        assert_eq!(p.stray_tmp.len(), 1);
        std::fs::write(&f.ziphash, "garbage").unwrap();
        assert_eq!(
            c.probe("example.com/a", "v1.0.0").unwrap().ziphash,
            Ziphash::Invalid("garbage".into())
        );
    }
}
