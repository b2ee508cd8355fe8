//! Loading the graph exactly as `go` does (cmd/go `modload.readModGraph`): main-module roots,
//! pruned loading below go ≥ 1.17 modules, unpruned closures below older ones, replacements read
//! from their own go.mod, the main module's exclusions dropped, then MVS selection.

use crate::cache::layout::ModuleCache;
use crate::fix::commands::download_command;
use crate::fix::compound::{drop_replacement_command, init_replacement_command};
use crate::modfile::go_mod::{GoMod, Replace, ReplaceTarget, Strictness, parse_go_mod};
use crate::project::Project;
use crate::project::requirements::Replacement;
use crate::version::semver;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

mod workspace;

use super::model::{GoModSource, ModGraph, Node};
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pruning {
    Pruned,
    Unpruned,
    /// Workspace mode's loading of a module at its selected version: every requirement's
    /// go.mod is read, whatever the module's own go line (cmd/go's `workspace` pruning).
    Workspace,
}

/// go ≥ 1.17 modules are pruned; a missing `go` line counts as 1.16 (cmd/go's default).
fn pruning_for(go_version: Option<&str>) -> Pruning {
    let v = go_version.unwrap_or("1.16");
    let mut parts = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) >= (1, 17) {
        Pruning::Pruned
    } else {
        Pruning::Unpruned
    }
}

struct Loader<'a> {
    cache: &'a ModuleCache,
    /// Replacements in the order go consults their files (go.work first), each with the
    /// directory relative ones are resolved against, the file they come from, that file's go
    /// line and whether it is go.work.
    replaces: Vec<(Replace, PathBuf, String, Option<String>, bool)>,
    excludes: HashSet<(String, String)>,
    graph: ModGraph,
    summaries: HashMap<Node, Option<(Vec<Node>, Pruning)>>,
    /// Nodes already enqueued, per pruning (readModGraph's `loading` set).
    enqueued: HashSet<(Node, Pruning)>,
}

impl Loader<'_> {
    /// The replacement of `n`: files are consulted in order (go.work first), and within a
    /// file an exact `path version =>` wins over a bare `path =>` (cmd/go's `replacementFrom`).
    fn replacement(&self, n: &Node) -> Option<Replacement> {
        let mut files: Vec<&str> = self
            .replaces
            .iter()
            .map(|(_, _, f, ..)| f.as_str())
            .collect();
        files.dedup();
        let found = files.into_iter().find_map(|file| {
            let in_file = || self.replaces.iter().filter(move |(_, _, f, ..)| f == file);
            let exact = in_file().find(|(r, ..)| {
                r.old_path == n.path && r.old_version.as_deref() == Some(&n.version)
            });
            exact.or_else(|| {
                in_file().find(|(r, ..)| r.old_path == n.path && r.old_version.is_none())
            })
        });
        found.map(|(r, base, file, go, in_go_work)| Replacement {
            target: r.new.clone(),
            declared_in: format!("{file}:{}", r.line),
            base_dir: base.clone(),
            old: match &r.old_version {
                Some(v) => format!("{}@{v}", r.old_path),
                None => r.old_path.clone(),
            },
            go_version: go.clone(),
            in_go_work: *in_go_work,
        })
    }

    /// Reads (once) the requirements and pruning of `n` from the go.mod go would read.
    fn summary(&mut self, n: &Node) -> Option<(Vec<Node>, Pruning)> {
        if let Some(s) = self.summaries.get(n) {
            return s.clone();
        }
        let replacement = self.replacement(n);
        let (file, source) = match &replacement {
            Some(rep) => match &rep.target {
                ReplaceTarget::Dir(_) => {
                    let f = rep.resolved_dir().unwrap_or_default().join("go.mod");
                    (
                        f.clone(),
                        GoModSource::ReplacementDir {
                            file: f.display().to_string(),
                        },
                    )
                }
                ReplaceTarget::Module { path, version } => match self.cache.files(path, version) {
                    Ok(f) => (
                        f.go_mod.clone(),
                        GoModSource::ReplacementModule {
                            file: f.go_mod.display().to_string(),
                            path: path.clone(),
                            version: version.clone(),
                        },
                    ),
                    Err(e) => {
                        return self.record(
                            n,
                            GoModSource::Invalid {
                                file: String::new(),
                                error: e.to_string(),
                            },
                        );
                    }
                },
            },
            None => match self.cache.files(&n.path, &n.version) {
                Ok(f) => (
                    f.go_mod.clone(),
                    GoModSource::Cache {
                        file: f.go_mod.display().to_string(),
                    },
                ),
                Err(e) => {
                    return self.record(
                        n,
                        GoModSource::Invalid {
                            file: String::new(),
                            error: e.to_string(),
                        },
                    );
                }
            },
        };
        // Not a plain read: a .mod that is a named pipe would block the whole check.
        let data = match crate::fs::read::read_regular_file(&file, crate::fs::read::limits::GO_MOD)
        {
            Ok(d) => d,
            Err(_) => {
                let fix = match &source {
                    GoModSource::ReplacementDir { .. } => match &replacement {
                        Some(rep) => replacement_dir_fix(rep, n),
                        None => download_command(&n.path, &n.version),
                    },
                    GoModSource::ReplacementModule { path, version, .. } => {
                        download_command(path, version)
                    }
                    _ => download_command(&n.path, &n.version),
                };
                return self.record(
                    n,
                    GoModSource::Missing {
                        file: file.display().to_string(),
                        fix,
                    },
                );
            }
        };
        let parsed: GoMod = match parse_go_mod(&file.to_string_lossy(), &data, Strictness::Lax) {
            Ok(p) => p,
            Err(e) => {
                return self.record(
                    n,
                    GoModSource::Invalid {
                        file: file.display().to_string(),
                        error: e.to_string(),
                    },
                );
            }
        };
        self.graph.sources.insert(n.clone(), source);
        let reqs: Vec<Node> = parsed
            .require
            .iter()
            .filter(|r| !self.excludes.contains(&(r.path.clone(), r.version.clone())))
            .map(|r| Node::new(&r.path, &r.version))
            .collect();
        let s = (reqs, pruning_for(parsed.go.as_deref()));
        self.summaries.insert(n.clone(), Some(s.clone()));
        Some(s)
    }

    fn record(&mut self, n: &Node, source: GoModSource) -> Option<(Vec<Node>, Pruning)> {
        self.graph.sources.insert(n.clone(), source);
        self.summaries.insert(n.clone(), None);
        None
    }

    /// `enqueue` of readModGraph, iteratively.
    fn load(&mut self, roots: Vec<(Node, Pruning)>) {
        let mut queue: VecDeque<(Node, Pruning)> = roots.into();
        while let Some((n, pruning)) = queue.pop_front() {
            if n.version == "none" || !self.enqueued.insert((n.clone(), pruning)) {
                continue;
            }
            let Some((reqs, own)) = self.summary(&n) else {
                continue;
            };
            self.graph.edges.insert(n.clone(), reqs.clone());
            // Workspace loading follows every requirement one step, at its own pruning.
            let next = if pruning == Pruning::Unpruned {
                Pruning::Unpruned
            } else {
                own
            };
            for r in reqs {
                if pruning != Pruning::Pruned || own == Pruning::Unpruned {
                    queue.push_back((r, next));
                }
            }
        }
    }
}

/// A runnable fix for a directory replacement whose go.mod is missing: write one at the
/// declaring file's go version when the directory exists, else drop the replacement.
fn replacement_dir_fix(rep: &Replacement, n: &Node) -> String {
    match rep.resolved_dir() {
        Some(dir) if dir.is_dir() => {
            init_replacement_command(&dir, &n.path, rep.go_version.as_deref().unwrap_or("1.16"))
        }
        _ => drop_replacement_command(&rep.old, rep.in_go_work, &n.path, &n.version),
    }
}

/// Builds the graph of `project` from the module cache alone, as go loads it (see the module
/// doc); a go.mod it needs but cannot read is recorded in [`ModGraph::sources`], never fetched.
pub fn load_graph(project: &Project, cache: &ModuleCache) -> ModGraph {
    let mut replaces = Vec::new();
    if let Some(ws) = &project.workspace {
        let base = ws.path.parent().map(PathBuf::from).unwrap_or_default();
        replaces.extend(ws.work.replace.iter().map(|r| {
            let file = ws.path.display().to_string();
            (r.clone(), base.clone(), file, ws.work.go.clone(), true)
        }));
    }
    for m in &project.main_modules {
        replaces.extend(m.go_mod.replace.iter().map(|r| {
            (
                r.clone(),
                m.dir.clone(),
                m.go_mod_path.display().to_string(),
                m.go_mod.go.clone(),
                false,
            )
        }));
    }
    // Exclusions apply only from the main module(s).
    let excludes = project
        .main_modules
        .iter()
        .flat_map(|m| {
            m.go_mod
                .exclude
                .iter()
                .map(|e| (e.path.clone(), e.version.clone()))
        })
        .collect();
    let mut loader = Loader {
        cache,
        replaces,
        excludes,
        graph: ModGraph::default(),
        summaries: HashMap::new(),
        enqueued: HashSet::new(),
    };
    let main_paths: HashSet<String> = project
        .main_modules
        .iter()
        .filter_map(|m| m.module_path().map(str::to_string))
        .collect();
    let workspace = project.workspace.is_some();
    let mut roots = Vec::new();
    let mut pruned_any = false;
    for m in &project.main_modules {
        let node = Node::new(m.module_path().unwrap_or_default(), "");
        let pruning = pruning_for(m.go_mod.go.as_deref());
        pruned_any |= pruning == Pruning::Pruned;
        let reqs: Vec<Node> = m
            .go_mod
            .require
            .iter()
            .filter(|r| {
                !loader
                    .excludes
                    .contains(&(r.path.clone(), r.version.clone()))
                    // A workspace module's requirement on another by version is a real
                    // edge whose go.mod go reads (the workspace copy wins selection).
                    && (workspace || !main_paths.contains(&r.path))
            })
            .map(|r| Node::new(&r.path, &r.version))
            .collect();
        roots.extend(reqs.iter().map(|r| (r.clone(), pruning)));
        loader.graph.main.push(node.clone());
        loader.graph.edges.insert(node, reqs);
    }
    loader.load(roots);
    if workspace {
        loader.load_selected_in_workspace(&main_paths);
    }
    let mut graph = loader.graph;
    graph.pruned = pruned_any;
    graph.selected = select(&graph.edges, &main_paths);
    graph
}

/// MVS over the loaded edges: the highest version required of each path; the main modules are
/// selected at their own (versionless) copy, so requirements on them do not count.
fn select(
    edges: &BTreeMap<Node, Vec<Node>>,
    main_paths: &HashSet<String>,
) -> BTreeMap<String, String> {
    let mut selected: BTreeMap<String, String> = BTreeMap::new();
    for r in edges.values().flatten() {
        if main_paths.contains(&r.path) {
            continue;
        }
        let slot = selected
            .entry(r.path.clone())
            .or_insert_with(|| r.version.clone());
        if semver::compare(&r.version, slot).is_gt() {
            *slot = r.version.clone();
        }
    }
    selected
}
