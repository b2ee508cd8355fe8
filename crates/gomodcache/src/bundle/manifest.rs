//! What an export writes and returns: the manifest (every file with its size and sha256, the
//! modules, what could not be included) and the progress hooks a front end implements.

use super::layout::BundleLayout;
use crate::offline::verdict::OfflineReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The manifest's file name, at the top of the bundle directory.
pub(crate) const MANIFEST_NAME: &str = "modscope-bundle.json";

/// One file of the bundle, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// The path relative to the bundle directory, `/`-separated.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
}

/// One module version the bundle holds files of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleModule {
    /// The module path.
    pub path: String,
    /// The module version.
    pub version: String,
    /// Its `.mod` file is in the bundle.
    pub go_mod: bool,
    /// Its zip is in the bundle.
    pub zip: bool,
}

/// Something the build needs that could not be put into the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// The module, `path@version`.
    pub module: String,
    /// The cache file that was wanted (empty when the module cannot be stored in a cache).
    pub file: String,
    /// Why it is not in the bundle.
    pub reason: String,
    /// The command that puts what is missing into the cache (then export again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The bundle's manifest (`modscope-bundle.json`): what it holds and what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of this JSON shape (1).
    pub schema_version: u32,
    /// How the files are laid out (`goproxy` or `athens`).
    #[serde(default)]
    pub layout: BundleLayout,
    /// The project the bundle was exported for.
    pub project_dir: String,
    /// The main modules' paths.
    pub main_modules: Vec<String>,
    /// The module versions the bundle holds, sorted by path.
    pub modules: Vec<BundleModule>,
    /// Every file of the bundle except this manifest.
    pub files: Vec<ManifestFile>,
    /// The sum of the files' sizes, in bytes.
    pub total_size: u64,
    /// What the build needs that is not in the bundle; empty for a complete bundle.
    pub missing: Vec<Missing>,
}

/// What [`export_bundle`](super::export_bundle) wrote.
#[derive(Debug, Clone)]
pub struct ExportResult {
    /// The manifest written into the bundle.
    pub manifest: Manifest,
    /// The bundle directory (absolute).
    pub dir: PathBuf,
    /// The tar written, and its size in bytes, when one was asked for.
    pub tar: Option<(PathBuf, u64)>,
    /// The verdict the bundle was computed from.
    pub report: OfflineReport,
}

impl ExportResult {
    /// The bundle holds everything the build needs (nothing is missing).
    pub fn complete(&self) -> bool {
        self.manifest.missing.is_empty()
    }

    /// How to use the bundle.
    pub fn usage(&self) -> String {
        let dir = self.dir.display();
        if self.manifest.layout == BundleLayout::Athens {
            return format!(
                "cp -R {dir}/. \"$ATHENS_DISK_STORAGE_ROOT\"/\n\n(into the storage root of an Athens proxy with ATHENS_STORAGE_TYPE=disk; then builds use GOPROXY=<that proxy>, and go.sum checks every download)\n"
            );
        }
        let mut paths: BTreeSet<&str> = BTreeSet::new();
        for m in &self.manifest.modules {
            paths.insert(&m.path);
        }
        let list: Vec<&str> = paths.into_iter().collect();
        format!(
            "GOPROXY=file://{dir} GOSUMDB=off go build ./...\n\nor, to keep the checksum database for anything else:\n\nGOPROXY=file://{dir} GONOSUMDB={} go build ./...\n\n(go.sum already holds the hash of every file in the bundle, and go checks each download against it)\n",
            list.join(",")
        )
    }
}

/// Told how far an export got. Called from the exporting thread; the no-op defaults suit the CLI.
pub trait ExportProgress: Sync {
    /// The bundle will hold about `bytes` bytes (the `.mod`s and zips, before `list` and `.info`).
    fn planned(&self, _bytes: u64) {}
    /// `bytes` more bytes were written to the bundle.
    fn copied(&self, _bytes: u64) {}
}

/// Reports nothing.
pub(crate) struct NoExportProgress;
impl ExportProgress for NoExportProgress {}
