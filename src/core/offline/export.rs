//! `modscope export`: a minimal `file://` GOPROXY tree (spec §10.1) holding exactly what this
//! project's build needs — the `.mod` of every go.mod the module graph loads and of every
//! build-list module go.sum vouches for, the zip of every module the build looks into (same
//! import analysis as the offline verdict), `list` and `.info` files — plus a manifest with the
//! size and sha256 of every file. Every copied `.mod` and zip is checked against go.sum first.

use super::fetch::Replacer;
use super::tar::write_tar;
use super::verdict::{OfflineReport, VerdictInput, offline_analysis};
use crate::core::cache::dirhash::{hash_go_mod, hash_zip};
use crate::core::cache::escape::escape_path;
use crate::core::files::go_mod::ReplaceTarget;
use crate::core::graph::{GoModSource, Node};
use crate::core::progress::{CancelFlag, NoProgress};
use crate::core::semver;
use crate::core::synth::pseudo_version_time;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

pub const MANIFEST_NAME: &str = "modscope-bundle.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleModule {
    pub path: String,
    pub version: String,
    pub go_mod: bool,
    pub zip: bool,
}

/// Something the build needs that could not be put into the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub module: String,
    pub file: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub project_dir: String,
    pub main_modules: Vec<String>,
    pub modules: Vec<BundleModule>,
    /// Every file of the bundle except this manifest.
    pub files: Vec<ManifestFile>,
    pub total_size: u64,
    pub missing: Vec<Missing>,
}

#[derive(Debug, Clone)]
pub struct ExportResult {
    pub manifest: Manifest,
    pub dir: PathBuf,
    pub tar: Option<(PathBuf, u64)>,
    /// The verdict the bundle was computed from.
    pub report: OfflineReport,
}

impl ExportResult {
    pub fn complete(&self) -> bool {
        self.manifest.missing.is_empty()
    }

    /// How to use the bundle.
    pub fn usage(&self) -> String {
        let dir = self.dir.display();
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

struct Writer<'a> {
    out: &'a Path,
    files: BTreeSet<String>,
}

impl Writer<'_> {
    fn rel(path: &str, name: &str) -> io::Result<String> {
        let ep = escape_path(path).map_err(io::Error::other)?;
        Ok(format!("{ep}/@v/{name}"))
    }
    fn write(&mut self, rel: String, data: &[u8]) -> io::Result<()> {
        let p = self.out.join(&rel);
        std::fs::create_dir_all(p.parent().unwrap_or(self.out))?;
        std::fs::write(p, data)?;
        self.files.insert(rel);
        Ok(())
    }
    fn copy(&mut self, rel: String, from: &Path) -> io::Result<()> {
        let data = std::fs::read(from)?;
        self.write(rel, &data)
    }
}

/// Writes the bundle to `out` (new or empty) and, with `tar`, a tar of it.
pub fn export_bundle(
    input: &VerdictInput<'_>,
    out: &Path,
    tar: Option<&Path>,
) -> io::Result<ExportResult> {
    crate::core::fs_util::ensure_empty(
        out,
        "the bundle is only written to a new or empty directory",
    )?;
    std::fs::create_dir_all(out)?;
    let out = std::path::absolute(out)?;
    let input = VerdictInput {
        ignore_vendor: true,
        ..*input
    };
    let (report, graph) = offline_analysis(&input);
    let (project, cache) = (input.project, input.cache);
    let replacer = Replacer::new(project);
    let target = |n: &Node| match replacer.find(&n.path, &n.version).map(|r| &r.target) {
        Some(ReplaceTarget::Dir(_)) => None,
        Some(ReplaceTarget::Module { path, version }) => Some(Node::new(path, version)),
        None => Some(n.clone()),
    };
    let mut missing = Vec::new();
    // .mod files: every go.mod the graph loads, and every selected module go.sum vouches for.
    let mut mods: BTreeMap<Node, Node> = BTreeMap::new();
    for (n, src) in &graph.sources {
        if n.is_main() || matches!(src, GoModSource::ReplacementDir { .. }) {
            continue;
        }
        if let Some(t) = target(n) {
            mods.insert(t, n.clone());
        }
    }
    for n in graph.selected.iter().map(|(p, v)| Node::new(p, v)) {
        if let Some(t) = target(&n)
            && project.sums.go_mod_line(&t.path, &t.version).is_some()
        {
            mods.entry(t).or_insert(n);
        }
    }
    let zips: BTreeMap<Node, Node> = report
        .modules
        .iter()
        .map(|m| Node::new(&m.path, &m.version))
        .filter_map(|n| Some((target(&n)?, n)))
        .collect();
    for (t, n) in &zips {
        mods.entry(t.clone()).or_insert(n.clone());
    }
    let mut w = Writer {
        out: &out,
        files: BTreeSet::new(),
    };
    let mut versions: BTreeMap<String, BTreeMap<String, BundleModule>> = BTreeMap::new();
    for (t, n) in &mods {
        let Ok(files) = cache.files(&t.path, &t.version) else {
            missing.push(Missing {
                module: n.to_string(),
                file: String::new(),
                reason: "the module path or version cannot be stored in a cache".into(),
            });
            continue;
        };
        let ev = &files.escaped_version;
        let data = match std::fs::read(&files.go_mod) {
            Ok(d) => d,
            Err(_) => {
                missing.push(Missing {
                    module: n.to_string(),
                    file: files.go_mod.display().to_string(),
                    reason: "the .mod file is not in the module cache".into(),
                });
                continue;
            }
        };
        if let Some((_, line)) = project.sums.go_mod_line(&t.path, &t.version)
            && line.hash != hash_go_mod(&data)
        {
            missing.push(Missing {
                module: n.to_string(),
                file: files.go_mod.display().to_string(),
                reason: format!(
                    "the cached .mod does not match go.sum ({}); not exported",
                    line.hash
                ),
            });
            continue;
        }
        w.write(Writer::rel(&t.path, &format!("{ev}.mod"))?, &data)?;
        let info_rel = Writer::rel(&t.path, &format!("{ev}.info"))?;
        if files.info.is_file() {
            w.copy(info_rel, &files.info)?;
        } else {
            let time = pseudo_version_time(&t.version)
                .map(|t| format!(",\"Time\":{}", serde_json::json!(t)))
                .unwrap_or_default();
            w.write(
                info_rel,
                format!("{{\"Version\":{}{time}}}", serde_json::json!(t.version)).as_bytes(),
            )?;
        }
        versions.entry(t.path.clone()).or_default().insert(
            t.version.clone(),
            BundleModule {
                path: t.path.clone(),
                version: t.version.clone(),
                go_mod: true,
                zip: false,
            },
        );
    }
    for (t, n) in &zips {
        let Ok(files) = cache.files(&t.path, &t.version) else {
            continue;
        };
        if !files.zip.is_file() {
            let why = if files.dir.is_dir() {
                "only the extracted directory is cached; the zip go needs is gone"
            } else {
                "the zip is not in the module cache"
            };
            missing.push(Missing {
                module: n.to_string(),
                file: files.zip.display().to_string(),
                reason: why.into(),
            });
            continue;
        }
        let h = match hash_zip(&files.zip, &CancelFlag::new(), &NoProgress) {
            Ok(h) => h,
            Err(e) => {
                missing.push(Missing {
                    module: n.to_string(),
                    file: files.zip.display().to_string(),
                    reason: format!("the cached zip cannot be read: {e}"),
                });
                continue;
            }
        };
        if let Some((_, line)) = project.sums.zip_line(&t.path, &t.version)
            && line.hash != h
        {
            missing.push(Missing {
                module: n.to_string(),
                file: files.zip.display().to_string(),
                reason: format!(
                    "the cached zip hashes to {h} but go.sum says {}; not exported",
                    line.hash
                ),
            });
            continue;
        }
        w.copy(
            Writer::rel(&t.path, &format!("{}.zip", files.escaped_version))?,
            &files.zip,
        )?;
        if let Some(m) = versions
            .get_mut(&t.path)
            .and_then(|v| v.get_mut(&t.version))
        {
            m.zip = true;
        }
    }
    for (path, vs) in &versions {
        let mut list: Vec<&String> = vs
            .keys()
            .filter(|v| !semver::is_pseudo_version(v))
            .collect();
        list.sort_by(|a, b| semver::compare(a, b));
        let text: String = list.iter().map(|v| format!("{v}\n")).collect();
        w.write(Writer::rel(path, "list")?, text.as_bytes())?;
    }
    let mut manifest = Manifest {
        schema_version: 1,
        project_dir: report.project_dir.clone(),
        main_modules: report.main_modules.clone(),
        modules: versions
            .into_values()
            .flat_map(BTreeMap::into_values)
            .collect(),
        files: Vec::new(),
        total_size: 0,
        missing,
    };
    for rel in &w.files {
        let data = std::fs::read(out.join(rel))?;
        manifest.total_size += data.len() as u64;
        manifest.files.push(ManifestFile {
            path: rel.clone(),
            size: data.len() as u64,
            sha256: hex::encode(Sha256::digest(&data)),
        });
    }
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    std::fs::write(out.join(MANIFEST_NAME), json)?;
    let tar = match tar {
        Some(t) => {
            let mut names: Vec<String> = w.files.iter().cloned().collect();
            names.push(MANIFEST_NAME.into());
            Some((t.to_path_buf(), write_tar(t, &out, &names)?))
        }
        None => None,
    };
    Ok(ExportResult {
        manifest,
        dir: out,
        tar,
        report,
    })
}

/// Bytes under `dir` (files only, symlinks not followed).
pub fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
