//! Whether go builds from vendor/ (`setDefaultBuildMod`, spec §8.2), and `base.ShortPath`.

use serde::{Deserialize, Serialize};

/// The mode go builds in (`-mod`, spec §8.2/§9.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildMode {
    /// `-mod=readonly`: go.mod is used as is; anything it lacks is an error.
    Readonly,
    /// `-mod=mod`: go may update go.mod and go.sum.
    Mod,
    /// `-mod=vendor`: packages come from vendor/, the module cache is not used.
    Vendor,
}
use crate::fs::read::{limits, read_regular_file};
use crate::goenv::goflags::GoFlags;
use crate::project::Project;
use crate::version::gover;
use std::path::{Component, Path, PathBuf};

/// The vendor directory go would use: next to go.work, or in the main module.
pub fn vendor_dir(project: &Project) -> Option<PathBuf> {
    match (&project.workspace, &project.main) {
        (Some(ws), _) => ws.path.parent().map(|d| d.join("vendor")),
        (None, Some(m)) => Some(m.dir.join("vendor")),
        _ => None,
    }
}

/// `setDefaultBuildMod` for a build command: the mode and why.
pub fn build_mode(project: &Project, flags: &GoFlags) -> (BuildMode, String) {
    match flags.explicit_mod() {
        Some("vendor") => return (BuildMode::Vendor, "-mod=vendor is set (GOFLAGS)".into()),
        Some("mod") => return (BuildMode::Mod, "-mod=mod is set (GOFLAGS)".into()),
        Some(_) => return (BuildMode::Readonly, "-mod=readonly is set (GOFLAGS)".into()),
        None => {}
    }
    let (go, source) = match &project.workspace {
        Some(ws) => (ws.work.go.clone(), "go.work"),
        None => (
            project.main.as_ref().and_then(|m| m.go_mod.go.clone()),
            "go.mod",
        ),
    };
    let Some(dir) = vendor_dir(project).filter(|d| d.is_dir()) else {
        return (BuildMode::Readonly, "no vendor directory".into());
    };
    let Some(go) = go else {
        return (
            BuildMode::Readonly,
            format!("Go version in {source} is unspecified, so vendor directory was not used."),
        );
    };
    if gover::compare(&go, "1.14").is_lt() {
        return (
            BuildMode::Readonly,
            format!("Go version in {source} is {go}, so vendor directory was not used."),
        );
    }
    let head = read_regular_file(&dir.join("modules.txt"), limits::TEXT).unwrap_or_default();
    let head = String::from_utf8_lossy(&head[..head.len().min(512)]).into_owned();
    let first = head.split('\n').next().unwrap_or("");
    let for_workspace = first
        .strip_prefix("## ")
        .is_some_and(|a| a.split(';').any(|e| e.trim() == "workspace"));
    let in_workspace = project.workspace.is_some();
    if for_workspace != in_workspace {
        let why = if for_workspace {
            "Outside workspace mode, but vendor directory is for a workspace."
        } else {
            "In workspace mode, but vendor directory is not for a workspace"
        };
        return (BuildMode::Readonly, why.into());
    }
    (
        BuildMode::Vendor,
        format!("Go version in {source} is at least 1.14 and vendor directory exists."),
    )
}

/// Lexical relative path from `base` to `target` (both absolute).
pub fn relative(base: &Path, target: &Path) -> Option<PathBuf> {
    let b: Vec<Component> = base.components().collect();
    let t: Vec<Component> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Some(if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    })
}

/// `base.ShortPath`: relative to the current directory when that is shorter.
pub fn short_path(cwd: &Path, path: &Path) -> String {
    match relative(cwd, path) {
        Some(rel) if rel.as_os_str().len() < path.as_os_str().len() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}
