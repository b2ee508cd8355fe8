//! Where each file of a bundle goes: a GOPROXY tree or Athens' disk storage.

use crate::cache::escape::{escape_path, escape_version};
use std::io;

/// How the bundle's files are laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BundleLayout {
    /// A GOPROXY tree (`<escaped path>/@v/<escaped version>.mod|.zip|.info`, `@v/list`): use it
    /// as `GOPROXY=file://DIR`, or serve it over HTTP.
    #[default]
    Goproxy,
    /// Athens' disk storage (`<path>/<version>/go.mod`, `source.zip`, `<version>.info`): copy it
    /// into an Athens storage root (`ATHENS_DISK_STORAGE_ROOT`). Athens lists versions from the
    /// directories, so there is no `list`.
    Athens,
}

/// One file of a module version in the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BundleFile {
    Mod,
    Zip,
    Info,
}

impl BundleLayout {
    /// Where `file` of `path@version` goes, relative to the bundle directory.
    pub(crate) fn rel(self, path: &str, version: &str, file: BundleFile) -> io::Result<String> {
        let ep = escape_path(path).map_err(io::Error::other)?;
        let ev = escape_version(version).map_err(io::Error::other)?;
        Ok(match (self, file) {
            (BundleLayout::Goproxy, BundleFile::Mod) => format!("{ep}/@v/{ev}.mod"),
            (BundleLayout::Goproxy, BundleFile::Zip) => format!("{ep}/@v/{ev}.zip"),
            (BundleLayout::Goproxy, BundleFile::Info) => format!("{ep}/@v/{ev}.info"),
            // Athens stores the module path and version as they are (both were just checked
            // to be valid, so neither holds `..` nor a backslash).
            (BundleLayout::Athens, BundleFile::Mod) => format!("{path}/{version}/go.mod"),
            (BundleLayout::Athens, BundleFile::Zip) => format!("{path}/{version}/source.zip"),
            (BundleLayout::Athens, BundleFile::Info) => format!("{path}/{version}/{version}.info"),
        })
    }

    /// Where a module path's version list goes; none in Athens' layout.
    pub(crate) fn list_rel(self, path: &str) -> io::Result<Option<String>> {
        match self {
            BundleLayout::Goproxy => {
                let ep = escape_path(path).map_err(io::Error::other)?;
                Ok(Some(format!("{ep}/@v/list")))
            }
            BundleLayout::Athens => Ok(None),
        }
    }
}
