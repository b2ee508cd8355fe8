//! The whole build list as rows: what `go list -m all` lists and `go mod verify` verifies, not
//! only what the project's go.mod files `require`.
//!
//! A module the build list holds only through other modules' go.mod files ("graph-only") is a
//! problem only where go really needs something of it:
//! - its `.mod`, when loading the module graph reads that go.mod (go mod tidy, go list -m all,
//!   go mod verify and go mod graph load the whole graph);
//! - its content, when the build imports a package from it. A go ≥ 1.17 main module lists every
//!   module that provides a package in its own go.mod (graph pruning depends on it), so this
//!   happens only in unpruned graphs (a main module at go ≤ 1.16, or with no go line), where the
//!   imports are analysed to find them;
//! - and, as `go mod verify` does, whatever content of it is in the cache is verified.

use crate::cache::layout::ModuleCache;
use crate::fix::compound::go_get_command;
use crate::goenv::env::GoEnv;
use crate::graph::{GoModSource, ModGraph, load_graph};
use crate::offline::verdict::{VerdictInput, offline_analysis};
use crate::packages::imports::{PackageUse, sum_hint_importer};
use crate::project::FileProblem;
use crate::project::Project;
use crate::project::requirements::{Replacements, Requirement};
use crate::toolchain::GoInstall;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What go needs of the build list's modules, beyond the main modules' `require`s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphNeeds {
    /// `(path, version)` whose go.mod loading the module graph reads.
    go_mods: HashSet<(String, String)>,
    /// Module path → a package the build imports from it (only for graph-only modules of an
    /// unpruned graph: elsewhere every such module is required by go.mod).
    imported: HashMap<String, ImportedPackage>,
    /// Module path → other versions of it whose go.mod the graph reads but cannot (not in the
    /// cache, or unreadable), with the fix go's own download would be.
    unreadable_go_mods: BTreeMap<String, Vec<UnreadableGoMod>>,
    /// Module path → every version of it whose go.mod the graph reads from the module cache
    /// (its own, or its module replacement's), with the go.sum key that go checks it against.
    cached_go_mods: HashMap<String, Vec<CachedGoMod>>,
}

/// A go.mod the graph reads from the module cache, and the module version whose go.sum
/// `/go.mod` line go checks it against (the replacement's, when replaced by a module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedGoMod {
    /// The version of the module whose go.mod it is.
    pub version: String,
    /// The module path of the go.sum key go checks it against.
    pub key_path: String,
    /// The version of the go.sum key go checks it against.
    pub key_version: String,
}

/// A package the build imports from a graph-only module, and who imports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportedPackage {
    /// The imported package's path.
    pub package: String,
    /// The importing package and the version of the module holding it (`None` in a main
    /// module): what go's "missing go.sum entry" hint passes to `go get`.
    pub importer: Option<(String, Option<String>)>,
}

/// A go.mod of another version of a module that the graph reads but cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnreadableGoMod {
    /// The version whose go.mod it is.
    pub version: String,
    /// The go.mod file go would read (the cached `.mod`, or a replacement directory's go.mod).
    pub file: String,
    /// Why it cannot be read: not in the cache, or what the parser said.
    pub error: Option<String>,
}

impl GraphNeeds {
    /// Whether loading the module graph reads the go.mod of `path@version`.
    pub(crate) fn reads_go_mod(&self, path: &str, version: &str) -> bool {
        self.go_mods
            .contains(&(path.to_string(), version.to_string()))
    }

    /// A package the build imports from `path`, when the graph is unpruned and it does.
    pub fn imported_package(&self, path: &str) -> Option<&str> {
        self.imported.get(path).map(|i| i.package.as_str())
    }

    /// The go.mod files of `path` at versions other than `selected` that the graph reads
    /// from the cache.
    pub(crate) fn other_cached_go_mods<'a>(
        &'a self,
        path: &str,
        selected: &'a str,
    ) -> impl Iterator<Item = &'a CachedGoMod> {
        self.cached_go_mods
            .get(path)
            .into_iter()
            .flatten()
            .filter(move |c| c.version != selected)
    }

    /// go's own fix when go.sum lacks the zip line of graph-only `path`: `go get` of the
    /// importing package at its module's version (`go mod download path@version` exits 0 and
    /// adds nothing for a module the main module does not require).
    pub(crate) fn missing_sum_fix(&self, path: &str) -> Option<String> {
        let (importer, version) = self.imported.get(path)?.importer.as_ref()?;
        Some(go_get_command(importer, version.as_deref()))
    }

    /// The go.mod files of `path` at versions other than `selected` that the graph reads but
    /// cannot.
    pub(crate) fn unreadable_other_versions<'a>(
        &'a self,
        path: &str,
        selected: &'a str,
    ) -> impl Iterator<Item = &'a UnreadableGoMod> {
        self.unreadable_go_mods
            .get(path)
            .into_iter()
            .flatten()
            .filter(move |u| u.version != selected)
    }
}

/// The build list, with what go needs of each module.
#[derive(Debug, Clone, Default)]
pub struct BuildList {
    /// Every module of the build list but the main modules, sorted by path: the required ones
    /// and the graph-only ones (`graph_only`).
    pub modules: Vec<Requirement>,
    /// What go needs of each module: which go.mod files the graph reads, which packages it imports.
    pub needs: GraphNeeds,
    /// The module graph it was computed from.
    pub graph: ModGraph,
    /// go.mod files of workspace modules' paths at a version (a workspace module requiring
    /// another by version) that the graph reads but cannot: they have no row of their own.
    pub file_problems: Vec<FileProblem>,
}

/// The build list of `project`: its requirements (`required`, from
/// [`requirements`](crate::project::requirements::requirements)) and every other module the graph
/// selects. `go_env` is the environment go would run with (it decides the build context of
/// the import analysis an unpruned graph needs).
pub fn build_list(
    project: &Project,
    cache: &ModuleCache,
    required: Vec<Requirement>,
    go_env: &[(String, String)],
) -> BuildList {
    let graph = load_graph(project, cache);
    if graph.pruned {
        return assemble(project, required, graph, None);
    }
    // Unpruned: the build may import packages from modules go.mod does not list. The analysis
    // loads the graph again, as it needs it (unpruned projects are the older, smaller ones).
    let env = GoEnv::from_vars(go_env.iter().cloned());
    let go = GoInstall::from_installation(go_env);
    let (verdict, graph) = offline_analysis(&VerdictInput {
        project,
        cache,
        env: &env,
        go: &go,
        ignore_vendor: false,
    });
    let packages: HashMap<&str, &PackageUse> = verdict
        .packages
        .iter()
        .map(|p| (p.path.as_str(), p))
        .collect();
    let imported = verdict
        .modules
        .iter()
        .map(|m| {
            let package = m.provides.first().cloned().unwrap_or_default();
            // From the first package go looked for in the module: it may provide nothing yet
            // (with its go.sum line missing go cannot look inside it).
            let importer = sum_hint_importer(m, |p| packages.get(p).map(|u| u.module.as_str()));
            (m.path.clone(), ImportedPackage { package, importer })
        })
        .collect();
    assemble(project, required, graph, Some(imported))
}

fn assemble(
    project: &Project,
    mut modules: Vec<Requirement>,
    graph: ModGraph,
    imported: Option<HashMap<String, ImportedPackage>>,
) -> BuildList {
    let mut needs = GraphNeeds {
        imported: imported.unwrap_or_default(),
        ..GraphNeeds::default()
    };
    for (node, source) in &graph.sources {
        if node.is_main() {
            continue;
        }
        needs
            .go_mods
            .insert((node.path.clone(), node.version.clone()));
        let key = match source {
            GoModSource::Cache { .. } => Some((node.path.clone(), node.version.clone())),
            GoModSource::ReplacementModule { path, version, .. } => {
                Some((path.clone(), version.clone()))
            }
            _ => None,
        };
        if let Some((key_path, key_version)) = key {
            needs
                .cached_go_mods
                .entry(node.path.clone())
                .or_default()
                .push(CachedGoMod {
                    version: node.version.clone(),
                    key_path,
                    key_version,
                });
        }
        let unreadable = match source {
            GoModSource::Missing { file, .. } => Some(UnreadableGoMod {
                version: node.version.clone(),
                file: file.clone(),
                error: None,
            }),
            GoModSource::Invalid { file, error } => Some(UnreadableGoMod {
                version: node.version.clone(),
                file: file.clone(),
                error: Some(error.clone()),
            }),
            _ => None,
        };
        if let Some(u) = unreadable {
            needs
                .unreadable_go_mods
                .entry(node.path.clone())
                .or_default()
                .push(u);
        }
    }
    let required: HashSet<String> = modules.iter().map(|r| r.path.clone()).collect();
    let main: HashSet<&str> = graph.main.iter().map(|m| m.path.as_str()).collect();
    let requirers = requirers_by_path(&graph);
    let replacements = Replacements::of(project);
    let graph_only: Vec<Requirement> = graph
        .selected
        .iter()
        .filter(|(p, _)| !required.contains(p.as_str()) && !main.contains(p.as_str()))
        .map(|(path, version)| Requirement {
            path: path.clone(),
            version: version.clone(),
            indirect: true,
            required_by: requirers
                .get(path.as_str())
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            graph_only: true,
            replacement: replacements.find(path, version).map(Box::new),
        })
        .collect();
    modules.extend(graph_only);
    modules.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let file_problems = unreadable_workspace_module_versions(project, &graph);
    BuildList {
        modules,
        needs,
        graph,
        file_problems,
    }
}

/// A workspace module required by version (by another workspace module, or a dependency):
/// the workspace copy is selected, but loading the graph still reads that version's go.mod,
/// so a missing or broken one stops every go command. Reported on the go.mod line that
/// requires it (or on go.work when only a dependency does).
fn unreadable_workspace_module_versions(project: &Project, graph: &ModGraph) -> Vec<FileProblem> {
    let Some(ws) = &project.workspace else {
        return Vec::new();
    };
    let main: HashSet<&str> = graph.main.iter().map(|m| m.path.as_str()).collect();
    let mut out = Vec::new();
    for (node, source) in graph.missing() {
        if !main.contains(node.path.as_str()) {
            continue;
        }
        let what = match source {
            GoModSource::Missing { file, fix } => format!(
                "loading the workspace's module graph reads the go.mod of {node} (required by version although the workspace module {} is used instead), and {file} is not in the cache; go fails with GOPROXY=off; to fix: {fix}",
                node.path
            ),
            GoModSource::Invalid { file, error } => format!(
                "loading the workspace's module graph reads the go.mod of {node}, and {file} does not parse: {error}"
            ),
            _ => continue,
        };
        let requiring_main = project.main_modules.iter().find_map(|m| {
            let r = m
                .go_mod
                .require
                .iter()
                .find(|r| r.path == node.path && r.version == node.version)?;
            Some((m.go_mod_path.display().to_string(), r.line))
        });
        let (file, line) = match requiring_main {
            Some((file, line)) => (file, Some(line)),
            None => (ws.path.display().to_string(), None),
        };
        out.push(FileProblem {
            file,
            line,
            message: what,
        });
    }
    out
}

/// For each module path, the nodes whose go.mod requires some version of it (one pass over
/// the edges, not one per module).
fn requirers_by_path(graph: &ModGraph) -> HashMap<&str, BTreeSet<String>> {
    let mut out: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (from, tos) in &graph.edges {
        for to in tos {
            out.entry(to.path.as_str())
                .or_default()
                .insert(from.to_string());
        }
    }
    out
}
