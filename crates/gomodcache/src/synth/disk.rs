//! Writing synthetic modules to disk: a `file://` GOPROXY tree (spec §10.1) and module-cache
//! entries as `go mod download` leaves them (spec §2.2–2.4).

use super::SynthModule;
use super::version::{is_canonical_version, sort_order};
use crate::cache::escape::{escape_path, escape_version};
use crate::cache::layout::ModuleCache;
use crate::version::semver::is_pseudo_version;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

fn invalid(e: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e)
}

/// Writes `data` to `path`, creating parent directories.
fn write_file(path: &Path, data: impl AsRef<[u8]>) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, data)
}

/// One version per line, `\n`-terminated, in semver order, without duplicates.
fn version_list(mut versions: Vec<String>) -> String {
    versions.sort_by(|a, b| sort_order(a, b));
    versions.dedup();
    versions.iter().map(|v| format!("{v}\n")).collect()
}

/// A GOPROXY tree under `root` (use it as `GOPROXY=file://<root>`): for every module
/// `<esc path>/@v/<esc ver>.{info,mod,zip}` and `<esc path>/@v/list`. The list holds the
/// non-pseudo versions (go drops pseudo-versions from lists anyway), sorted by semver, merged
/// with a list already on disk; it is written even when empty.
pub fn write_proxy(root: &Path, modules: &[SynthModule]) -> io::Result<()> {
    let mut by_path: BTreeMap<&str, Vec<&SynthModule>> = BTreeMap::new();
    for m in modules {
        by_path.entry(&m.path).or_default().push(m);
    }
    for (path, versions) in by_path {
        let dir = root.join(escape_path(path).map_err(invalid)?).join("@v");
        std::fs::create_dir_all(&dir)?;
        let list_path = dir.join("list");
        let mut listed: Vec<String> = match std::fs::read_to_string(&list_path) {
            Ok(text) => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        for m in versions {
            let ev = escape_version(&m.version).map_err(invalid)?;
            write_file(&dir.join(format!("{ev}.info")), m.info_json())?;
            write_file(&dir.join(format!("{ev}.mod")), m.mod_bytes())?;
            write_file(&dir.join(format!("{ev}.zip")), m.zip_bytes())?;
            if !is_pseudo_version(&m.version) {
                listed.push(m.version.clone());
            }
        }
        write_file(&list_path, version_list(listed))?;
    }
    Ok(())
}

/// Rewrites `@v/list` from the `*.mod` files next to it, as go's `rewriteVersionList` does:
/// only names that are canonical versions count, so escaped versions (with `!`) never appear.
fn rewrite_cache_list(download_dir: &Path) -> io::Result<()> {
    let mut versions = Vec::new();
    for entry in std::fs::read_dir(download_dir)? {
        let name = entry?.file_name();
        if let Some(v) = name.to_str().and_then(|n| n.strip_suffix(".mod"))
            && is_canonical_version(v)
        {
            versions.push(v.to_string());
        }
    }
    write_file(&download_dir.join("list"), version_list(versions))
}

/// A `/`-separated relative path with no empty, `.` or `..` element (so it stays inside the
/// extracted directory).
fn is_clean_relative(name: &str) -> bool {
    name.split('/')
        .all(|e| !e.is_empty() && e != "." && e != "..")
        && !name.contains('\\')
}

/// Lays `m` out in the module cache at `cache_root` (a GOMODCACHE) as `go mod download` does:
///
/// - `cache/download/<esc path>/@v/<esc ver>.{info,mod,zip}`, `.ziphash` (the zip h1, 47 bytes,
///   no newline), an empty `.lock`, and `list` rewritten from the `.mod` files present (so a
///   version with upper-case letters is not listed, go's own bug, spec §2.4);
/// - the extracted tree `<esc path>@<esc ver>/`.
///
/// Unlike go, which creates extracted files 0444 and directories 0555 (spec §2.2), everything
/// here keeps the default writable permissions, so temporary caches can be deleted without a
/// chmod walk and tests can edit files to inject faults.
pub fn write_cache_entry(cache_root: &Path, m: &SynthModule) -> io::Result<()> {
    let files = ModuleCache::new(cache_root)
        .files(&m.path, &m.version)
        .map_err(invalid)?;
    let tree = m.tree();
    if let Some((name, _)) = tree.iter().find(|(name, _)| !is_clean_relative(name)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{}: file name {name:?} is not a clean relative path",
                m.zip_prefix()
            ),
        ));
    }
    std::fs::create_dir_all(&files.download_dir)?;
    write_file(&files.info, m.info_json())?;
    write_file(&files.go_mod, m.mod_bytes())?;
    write_file(&files.zip, m.zip_bytes())?;
    write_file(&files.ziphash, m.zip_h1())?;
    write_file(
        &files
            .download_dir
            .join(format!("{}.lock", files.escaped_version)),
        "",
    )?;
    rewrite_cache_list(&files.download_dir)?;
    std::fs::create_dir_all(&files.dir)?;
    for (name, data) in tree {
        write_file(&files.dir.join(name), data)?;
    }
    Ok(())
}
