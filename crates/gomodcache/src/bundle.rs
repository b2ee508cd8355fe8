//! `modscope export`: a minimal `file://` GOPROXY tree (spec §10.1) holding exactly what this
//! project's build needs — the `.mod` of every go.mod the module graph loads and of every
//! build-list module go.sum vouches for, the zip of every module the build looks into (same
//! import analysis as the offline verdict), `list` and `.info` files — plus a manifest with the
//! size and sha256 of every file. Every copied `.mod` and zip is checked against go.sum first.

mod layout;
mod manifest;
pub(crate) mod plan;
pub(crate) mod tar;
mod writer;

use crate::bundle::tar::write_tar;
use crate::cache::dirhash::{hash_go_mod, hash_zip};
use crate::fix::commands::{download_command, shell_quote};
use crate::graph::Node;
use crate::offline::verdict::{VerdictInput, offline_analysis};
use crate::progress::{CancelFlag, NoProgress};
use crate::synth::pseudo_version_time;
use crate::version::semver;
pub(crate) use layout::BundleFile;
pub use layout::BundleLayout;
use plan::{BundlePlan, plan};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use writer::BundleWriter;

pub use manifest::{BundleModule, ExportProgress, ExportResult, Manifest, ManifestFile, Missing};
pub(crate) use manifest::{MANIFEST_NAME, NoExportProgress};

/// Writes the bundle to `out` (new or empty) and, with `tar`, a tar of it.
pub fn export_bundle(
    input: &VerdictInput<'_>,
    out: &Path,
    tar: Option<&Path>,
    layout: BundleLayout,
) -> io::Result<ExportResult> {
    export_bundle_with(
        input,
        out,
        tar,
        layout,
        &NoExportProgress,
        &CancelFlag::new(),
    )
}

/// [`export_bundle`], reporting progress and stopping (with an `Interrupted` error) when
/// `cancel` is set. A cancelled or failed export takes back every file it wrote.
pub fn export_bundle_with(
    input: &VerdictInput<'_>,
    out: &Path,
    tar: Option<&Path>,
    layout: BundleLayout,
    progress: &dyn ExportProgress,
    cancel: &CancelFlag,
) -> io::Result<ExportResult> {
    refuse_inside_cache(out, &input.cache.root, "the bundle directory")?;
    if let Some(tar) = tar {
        refuse_inside_cache(tar, &input.cache.root, "the tar file")?;
        // Never over an existing file, nor through a link (the tar is created with O_EXCL too).
        if tar.symlink_metadata().is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} already exists; the tar is only written to a new file",
                    tar.display()
                ),
            ));
        }
    }
    crate::fs::new_tree::ensure_empty(
        out,
        "the bundle is only written to a new or empty directory",
    )?;
    let existed = out.is_dir();
    std::fs::create_dir_all(out)?;
    let out = std::path::absolute(out)?;
    let mut w = BundleWriter::new(&out, layout, progress, cancel);
    let manifest_path = out.join(MANIFEST_NAME);
    let result = write_bundle(input, &mut w, tar);
    if result.is_err() {
        let mut extra = vec![manifest_path];
        extra.extend(tar.map(Path::to_path_buf));
        w.take_back(&extra);
        if !existed {
            let _ = std::fs::remove_dir(&out);
        }
    }
    result
}

/// Refuses `path` inside the module cache: modscope never writes there. Both the lexical
/// path and, for what exists of it, the path with links resolved are compared.
fn refuse_inside_cache(path: &Path, cache: &Path, what: &str) -> io::Result<()> {
    let inside = |p: &Path, c: &Path| p.starts_with(c);
    let abs = std::path::absolute(path)?;
    let cache_abs = std::path::absolute(cache)?;
    let resolved = |p: &Path| {
        // The deepest existing ancestor, resolved, with the rest appended.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        out.extend(rest.iter().rev());
        out
    };
    if inside(&abs, &cache_abs) || inside(&resolved(&abs), &resolved(&cache_abs)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{what} {} is inside the module cache {}; modscope never writes there",
                path.display(),
                cache.display()
            ),
        ));
    }
    Ok(())
}

fn write_bundle(
    input: &VerdictInput<'_>,
    w: &mut BundleWriter<'_>,
    tar: Option<&Path>,
) -> io::Result<ExportResult> {
    let input = VerdictInput {
        ignore_vendor: true,
        ..*input
    };
    let (report, graph) = offline_analysis(&input);
    if w.cancel.is_cancelled() {
        return Err(writer::cancelled());
    }
    let (project, cache) = (input.project, input.cache);
    let layout = w.layout;
    let BundlePlan { mods, zips } = plan(project, &report, &graph);
    w.progress.planned(planned_bytes(cache, &mods, &zips));
    let mut missing = Vec::new();
    let mut versions: BTreeMap<String, BTreeMap<String, BundleModule>> = BTreeMap::new();
    for (t, n) in &mods {
        let Ok(files) = cache.files(&t.path, &t.version) else {
            missing.push(Missing {
                module: n.to_string(),
                file: String::new(),
                reason: "the module path or version cannot be stored in a cache".into(),
                fix: None,
            });
            continue;
        };
        let data = match crate::fs::read::read_regular_file(
            &files.go_mod,
            crate::fs::read::limits::GO_MOD,
        ) {
            Ok(d) => d,
            Err(_) => {
                missing.push(Missing {
                    module: n.to_string(),
                    file: files.go_mod.display().to_string(),
                    reason: "the .mod file is not in the module cache".into(),
                    fix: Some(download_command(&t.path, &t.version)),
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
                fix: Some(format!("modscope repair {}", shell_quote(&n.to_string()))),
            });
            continue;
        }
        w.write(layout.rel(&t.path, &t.version, BundleFile::Mod)?, &data)?;
        let info_rel = layout.rel(&t.path, &t.version, BundleFile::Info)?;
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
                fix: Some(download_command(&t.path, &t.version)),
            });
            continue;
        }
        // Copied first and the copy hashed: what is checked against go.sum is exactly what the
        // bundle holds, and the second read comes from the page cache.
        let rel = layout.rel(&t.path, &t.version, BundleFile::Zip)?;
        let copied = w.copy(rel.clone(), &files.zip);
        let hashed = copied.and_then(|()| {
            hash_zip(&w.out.join(&rel), w.cancel, &NoProgress).map_err(io::Error::other)
        });
        if w.cancel.is_cancelled() {
            return Err(writer::cancelled());
        }
        let problem = match hashed {
            Err(e) => Some(format!("the cached zip cannot be read: {e}")),
            Ok(h) => match project.sums.zip_line(&t.path, &t.version) {
                Some((_, line)) if line.hash != h => Some(format!(
                    "the cached zip hashes to {h} but go.sum says {}; not exported",
                    line.hash
                )),
                _ => None,
            },
        };
        if let Some(reason) = problem {
            w.discard(&rel)?;
            missing.push(Missing {
                module: n.to_string(),
                file: files.zip.display().to_string(),
                reason,
                fix: Some(format!("modscope repair {}", shell_quote(&n.to_string()))),
            });
            continue;
        }
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
        if let Some(rel) = layout.list_rel(path)? {
            w.write(rel, text.as_bytes())?;
        }
    }
    let files: Vec<ManifestFile> = w.files.values().cloned().collect();
    let manifest = Manifest {
        schema_version: 1,
        layout,
        project_dir: report.project_dir.clone(),
        main_modules: report.main_modules.clone(),
        modules: versions
            .into_values()
            .flat_map(BTreeMap::into_values)
            .collect(),
        total_size: files.iter().map(|f| f.size).sum(),
        files,
        missing,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    std::fs::write(w.out.join(MANIFEST_NAME), json)?;
    let tar = match tar {
        Some(t) => {
            let mut names: Vec<String> = w.files.keys().cloned().collect();
            names.push(MANIFEST_NAME.into());
            Some((t.to_path_buf(), write_tar(t, w.out, &names)?))
        }
        None => None,
    };
    Ok(ExportResult {
        manifest,
        dir: w.out.to_path_buf(),
        tar,
        report,
    })
}

/// Bytes of the `.mod`s and zips the bundle will copy (what is missing counts nothing).
fn planned_bytes(
    cache: &crate::cache::layout::ModuleCache,
    mods: &BTreeMap<Node, Node>,
    zips: &BTreeMap<Node, Node>,
) -> u64 {
    let size = |t: &Node, zip: bool| {
        cache
            .files(&t.path, &t.version)
            .ok()
            .and_then(|f| std::fs::metadata(if zip { f.zip } else { f.go_mod }).ok())
            .map_or(0, |m| m.len())
    };
    mods.keys().map(|t| size(t, false)).sum::<u64>()
        + zips.keys().map(|t| size(t, true)).sum::<u64>()
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
