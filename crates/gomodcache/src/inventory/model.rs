//! What a scan of the module cache finds, as data: each module version's files and bytes, the
//! `cache/vcs` clones and the leftovers of interrupted downloads, and the progress hook.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Bytes on disk (allocated blocks) and apparent size (file lengths).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bytes {
    /// Allocated blocks, `st_blocks * 512` (what `du -B1` counts).
    pub disk: u64,
    /// File lengths (what `du -B1 --apparent-size` counts).
    pub apparent: u64,
}

impl std::ops::Add for Bytes {
    type Output = Bytes;
    fn add(self, o: Bytes) -> Bytes {
        Bytes {
            disk: self.disk + o.disk,
            apparent: self.apparent + o.apparent,
        }
    }
}

impl std::iter::Sum for Bytes {
    fn sum<I: Iterator<Item = Bytes>>(iter: I) -> Bytes {
        iter.fold(Bytes::default(), |a, b| a + b)
    }
}

impl std::ops::AddAssign for Bytes {
    fn add_assign(&mut self, o: Bytes) {
        *self = *self + o;
    }
}

impl std::ops::Sub for Bytes {
    type Output = Bytes;
    fn sub(self, o: Bytes) -> Bytes {
        Bytes {
            disk: self.disk.saturating_sub(o.disk),
            apparent: self.apparent.saturating_sub(o.apparent),
        }
    }
}

/// What a measured part of the cache is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartKind {
    /// An extracted tree `<path>@<version>`.
    Tree,
    /// A temporary extraction directory `<path>@<version>.tmp-<n>` (go before 1.16).
    TempTree,
    /// `cache/download/<path>/@v`.
    AtV,
    /// `cache/download/sumdb`.
    Sumdb,
    /// One entry of `cache/vcs` (a clone, or its `.info`/`.lock`).
    Vcs,
    /// A file or directory outside go's layout.
    Loose,
}

/// One measured part, as the scan finishes it (before hard links are counted once: the final
/// [`CacheInventory`] is exact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPart {
    /// What the part is.
    pub kind: PartKind,
    /// Escaped module path (trees and `@v` directories).
    pub module: Option<String>,
    /// Escaped version of a tree; the clone's name for `cache/vcs`.
    pub version: Option<String>,
    /// Its bytes, the part's own entry and everything below it.
    pub bytes: Bytes,
    /// Files (not directories) in it.
    pub files: u64,
}

/// Hooks called from the scan's worker threads.
pub trait ScanProgress: Send + Sync {
    /// One part has been measured.
    fn on_part(&self, _part: &ScannedPart) {}
}

/// Reports nothing.
pub struct NoScanProgress;
impl ScanProgress for NoScanProgress {}

/// The files one version has in `cache/download/<path>/@v`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionFiles {
    /// `<ver>.info`.
    pub info: bool,
    /// `<ver>.mod`.
    pub go_mod: bool,
    /// `<ver>.zip`.
    pub zip: bool,
    /// `<ver>.ziphash`.
    pub ziphash: bool,
    /// `<ver>.lock`, go's lock file for the version (counted here when the version has other
    /// files; alone it is a [`LeftoverKind::LoneLock`]).
    pub lock: bool,
    /// `.partial` beside an extracted tree: the tree is incomplete (go extracts it again).
    pub partial: bool,
    /// The zip's bytes (zero without a zip).
    pub zip_bytes: Bytes,
}

/// One module version the cache holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionEntry {
    /// The version, unescaped (`v1.0.0-RC1`).
    pub version: String,
    /// The version as named on disk (`v1.0.0-!r!c1`).
    pub escaped_version: String,
    /// Which of its files `cache/download` holds.
    pub files: VersionFiles,
    /// The extracted tree's bytes, when there is one.
    pub tree: Option<Bytes>,
    /// Its files in `cache/download` (temporary files excluded: they are leftovers).
    pub download: Bytes,
    /// The tree and the download files together.
    pub total: Bytes,
    /// The newest modification time of its files in `cache/download` and of its tree's top
    /// directory (when it was downloaded), seconds since the epoch.
    pub modified: i64,
}

impl VersionEntry {
    /// go's `DownloadDir` test: a tree, a `.ziphash`, no `.partial`.
    pub fn tree_complete(&self) -> bool {
        self.tree.is_some() && self.files.ziphash && !self.files.partial
    }

    /// Only a `.mod` (maybe a `.info`): a go.mod the module graph read, nothing extracted.
    pub fn mod_only(&self) -> bool {
        self.tree.is_none() && !self.files.zip && self.files.go_mod
    }
}

/// Every version of one module path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleEntry {
    /// The module path, unescaped (`github.com/BurntSushi/toml`).
    pub path: String,
    /// The module path as named on disk (`github.com/!burnt!sushi/toml`).
    pub escaped_path: String,
    /// Sorted by semver, oldest first.
    pub versions: Vec<VersionEntry>,
    /// The path's own files: `@v/list`, the `@v` directory itself, unknown names in it.
    pub path_files: Bytes,
    /// Its versions and its own files together.
    pub total: Bytes,
}

/// A `cache/vcs` clone (`GOPROXY=direct`), with its `.info` and `.lock`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VcsClone {
    /// Its name in `cache/vcs` (go names a clone by a hash of its remote).
    pub name: String,
    /// `<vcs>:<url>` from its `.info`, when readable.
    pub remote: Option<String>,
    /// The clone, its `.info` and its `.lock` together.
    pub bytes: Bytes,
}

/// Something an interrupted go left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeftoverKind {
    /// `<ver>.zip<n>.tmp`, `<ver>.mod<n>.tmp`, `<ver>.info<n>.tmp`.
    TempFile,
    /// `<path>@<ver>.tmp-<n>/` (go before 1.16).
    TempTree,
    /// `<ver>.partial` with no extracted tree beside it.
    OrphanPartial,
    /// `<ver>.lock` with nothing else of the version.
    LoneLock,
}

/// One file or directory an interrupted go left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// What it is.
    pub kind: LeftoverKind,
    /// Where it is.
    pub path: PathBuf,
    /// The module version it belongs to (unescaped), when known.
    pub module: Option<(String, String)>,
    /// Its bytes (everything below it, for a directory).
    pub bytes: Bytes,
    /// Modification time, seconds since the epoch.
    pub modified: i64,
}

/// What [`scan`](super::scan) found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CacheInventory {
    /// The module cache's root (GOMODCACHE).
    pub root: PathBuf,
    /// Sorted by module path.
    pub modules: Vec<ModuleEntry>,
    /// `cache/download/sumdb`: the checksum database's tiles and lookups go keeps.
    pub sumdb: Bytes,
    /// The `cache/vcs` clones.
    pub vcs: Vec<VcsClone>,
    /// What interrupted downloads left behind.
    pub leftovers: Vec<Leftover>,
    /// The layout's own directories, `cache/lock` and anything outside go's layout.
    pub other: Bytes,
    /// Everything: what `du -s` says.
    pub total: Bytes,
    /// Files (not directories) seen, hard links counted each time.
    pub files: u64,
    /// What could not be looked at (the walk goes on past it).
    pub errors: Vec<String>,
    /// The scan was cancelled: the figures are partial.
    pub cancelled: bool,
}

impl CacheInventory {
    /// The module with path `path` (unescaped), if the cache holds any version of it.
    pub fn module(&self, path: &str) -> Option<&ModuleEntry> {
        self.modules
            .binary_search_by(|m| m.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.modules[i])
    }

    /// The version `path@version` (unescaped), if the cache holds it.
    pub fn version(&self, path: &str, version: &str) -> Option<&VersionEntry> {
        self.module(path)?
            .versions
            .iter()
            .find(|v| v.version == version)
    }

    /// Every version, as `(module, version)`.
    pub fn versions(&self) -> impl Iterator<Item = (&ModuleEntry, &VersionEntry)> {
        self.modules
            .iter()
            .flat_map(|m| m.versions.iter().map(move |v| (m, v)))
    }
}
