//! Who uses the module cache: the projects under `--projects` directories and those in the
//! [`registry`](super::registry), and for each the versions it needs, each with whether the
//! build needs the zip (its packages are compiled: go extracts the zip) or only the `.mod` (the
//! module graph reads its go.mod). What a project needs is exactly what `modscope export` would
//! bundle for it, plus every module of the build list: every go.mod the module graph loads (the whole graph, as `go list -m all`
//! and `go mod verify` load it), every build-list `.mod` go.sum vouches for, and the zip of
//! every module the build looks into (the offline verdict's import analysis, vendor/ ignored so
//! that a vendored project's modules are kept too), plus the `golang.org/toolchain` version the
//! project's toolchain line selects from the cache.

use crate::bundle::plan::plan;
use crate::cache::layout::ModuleCache;
use crate::goenv::env::GoEnv;
use crate::modfile::go_mod::ReplaceTarget;
use crate::offline::fetch::Replacer;
use crate::offline::verdict::{VerdictInput, offline_analysis};
use crate::project::load_project;
use crate::toolchain::GoInstall;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a project needs of a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// Only its go.mod (`.mod`): the module graph reads it.
    Mod,
    /// Its content (zip, extracted tree): the build compiles its packages.
    Zip,
}

/// Where a project came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectSource {
    /// Found under a `--projects` directory (seen now).
    Found,
    /// From the registry of inspected projects.
    Registry,
}

/// One project that uses the cache, and what it needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectUsage {
    /// The project root (module or workspace directory).
    pub dir: PathBuf,
    /// Where it came from.
    pub source: ProjectSource,
    /// When modscope last inspected it (registry projects), seconds since the epoch.
    pub last_seen: Option<u64>,
    /// `(path, version)` as stored in the cache (after replacements) → what it needs.
    pub uses: Uses,
    /// Why the project could not be read (it then protects nothing it could not name; a
    /// prune refuses to run while any project has an error).
    pub error: Option<String>,
}

/// Who uses the module cache: every project looked at, one entry per project root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// One entry per project root, sorted by it.
    pub projects: Vec<ProjectUsage>,
    /// Things worth saying (registered projects that vanished, directories not searchable).
    pub notes: Vec<String>,
}

impl Usage {
    /// The projects (indexes into `projects`) that use `path@version`, with what they need.
    pub fn users<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> impl Iterator<Item = (usize, Need)> + 'a {
        let key = (path.to_string(), version.to_string());
        self.projects
            .iter()
            .enumerate()
            .filter_map(move |(i, p)| p.uses.get(&key).map(|n| (i, *n)))
    }
}

const SKIPPED: [&str; 4] = ["vendor", "node_modules", ".git", "testdata"];

/// The directories under `root` holding a go.mod or a go.work, skipping vendor/,
/// node_modules/, .git/, testdata/, anything inside the module cache `cache_root`, and never
/// following symbolic links. Errors (unreadable directories) are returned beside.
pub fn find_projects(root: &Path, cache_root: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let cache_abs = std::fs::canonicalize(cache_root).ok();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_dir()
                && (SKIPPED.iter().any(|s| e.file_name() == *s)
                    || cache_abs
                        .as_deref()
                        .is_some_and(|c| e.path() == c || e.path() == cache_root)))
        });
    for entry in walker {
        match entry {
            Ok(e)
                if e.file_type().is_file()
                    && (e.file_name() == "go.mod" || e.file_name() == "go.work") =>
            {
                if let Some(dir) = e.path().parent()
                    && found.last() != Some(&dir.to_path_buf())
                {
                    found.push(dir.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(format!(
                "cannot search {}: {e}",
                e.path().unwrap_or(root).display()
            )),
        }
    }
    (found, errors)
}

/// What one project needs: `(path, version)` → [`Need`].
pub type Uses = BTreeMap<(String, String), Need>;

/// What the project around `dir` needs of `cache`; `go_vars` is the environment go would run
/// with. Returns the project root and its uses.
pub(crate) fn project_usage(
    dir: &Path,
    cache: &ModuleCache,
    go_vars: &[(String, String)],
) -> Result<(PathBuf, Uses), String> {
    let env = GoEnv::from_vars(go_vars.iter().cloned());
    let project = load_project(dir, env.get("GOWORK")).map_err(|e| e.to_string())?;
    let go = GoInstall::from_installation(go_vars);
    let (report, graph) = offline_analysis(&VerdictInput {
        project: &project,
        cache,
        env: &env,
        go: &go,
        ignore_vendor: true,
    });
    let bundle = plan(&project, &report, &graph);
    let mut uses = BTreeMap::new();
    // The whole build list, as `go list -m all` lists it (it reads their `.info`), even a
    // module whose go.mod a pruned graph never loads.
    let replacer = Replacer::new(&project);
    for (path, version) in &graph.selected {
        let key = match replacer.find(path, version).map(|r| &r.target) {
            Some(ReplaceTarget::Dir(_)) => continue,
            Some(ReplaceTarget::Module { path, version }) => (path.clone(), version.clone()),
            None => (path.clone(), version.clone()),
        };
        uses.insert(key, Need::Mod);
    }
    for n in bundle.mods.keys() {
        uses.insert((n.path.clone(), n.version.clone()), Need::Mod);
    }
    for n in bundle.zips.keys() {
        uses.insert((n.path.clone(), n.version.clone()), Need::Zip);
    }
    if let Some((p, v)) = report
        .toolchain
        .selected_module
        .as_deref()
        .and_then(|m| m.rsplit_once('@'))
    {
        uses.insert((p.to_string(), v.to_string()), Need::Zip);
    }
    let root = project.root_dir().to_path_buf();
    Ok((std::fs::canonicalize(&root).unwrap_or(root), uses))
}

/// A project to look at: its directory, where it came from, when it was last seen.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// A directory in the project (its root, or any directory below it).
    pub dir: PathBuf,
    /// Where it came from.
    pub source: ProjectSource,
    /// When modscope last inspected it (registry projects), seconds since the epoch.
    pub last_seen: Option<u64>,
}

/// The projects of the registry of inspected projects (those that vanished are dropped from
/// it, each with a note), as candidates; what could not be read is said in `notes`.
pub fn registry_candidates(notes: &mut Vec<String>) -> Vec<Candidate> {
    use super::registry::{data_dir, load_and_drop_vanished};
    match data_dir().map(|d| load_and_drop_vanished(&d)) {
        Some(Ok((kept, gone))) => {
            for g in gone {
                notes.push(format!(
                    "{} no longer exists (no go.mod or go.work): dropped from the registry of inspected projects",
                    g.dir.display()
                ));
            }
            kept.into_iter()
                .map(|e| Candidate {
                    dir: e.dir,
                    source: ProjectSource::Registry,
                    last_seen: Some(e.last_seen),
                })
                .collect()
        }
        Some(Err(e)) => {
            notes.push(format!(
                "cannot read the registry of inspected projects: {e}"
            ));
            Vec::new()
        }
        None => {
            notes.push(
                "no data directory for the registry of inspected projects (set MODSCOPE_DATA_DIR)"
                    .into(),
            );
            Vec::new()
        }
    }
}

/// The usage of every candidate (in parallel), one entry per project root (a workspace's
/// modules are one project; a registry project also found under `--projects` counts as found).
pub fn collect_usage(
    candidates: &[Candidate],
    cache: &ModuleCache,
    go_vars: &[(String, String)],
) -> Usage {
    let results: Vec<_> = candidates
        .par_iter()
        .map(|c| (c.clone(), project_usage(&c.dir, cache, go_vars)))
        .collect();
    let mut by_root: BTreeMap<PathBuf, ProjectUsage> = BTreeMap::new();
    for (c, r) in results {
        let (root, uses, error) = match r {
            Ok((root, uses)) => (root, uses, None),
            Err(e) => (c.dir.clone(), BTreeMap::new(), Some(e)),
        };
        let entry = by_root.entry(root.clone()).or_insert_with(|| ProjectUsage {
            dir: root,
            source: c.source,
            last_seen: c.last_seen,
            uses: BTreeMap::new(),
            error: None,
        });
        if c.source == ProjectSource::Found {
            entry.source = ProjectSource::Found;
            entry.last_seen = None;
        } else if entry.source == ProjectSource::Registry {
            entry.last_seen = entry.last_seen.max(c.last_seen);
        }
        for (k, n) in uses {
            let e = entry.uses.entry(k).or_insert(n);
            *e = (*e).max(n);
        }
        if error.is_some() && entry.error.is_none() {
            entry.error = error;
        }
    }
    Usage {
        projects: by_root.into_values().collect(),
        notes: Vec::new(),
    }
}
