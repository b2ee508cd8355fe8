//! The module graph as data: a module at a version, where each go.mod was read from, the graph
//! with its selected versions, and the index the path search builds on it.

use std::collections::BTreeMap;

/// A module at a version; the main modules have an empty version.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Node {
    /// The module path.
    pub path: String,
    /// The version; empty for a main module.
    pub version: String,
}

impl Node {
    /// `path` at `version` (an empty version for a main module).
    pub fn new(path: impl Into<String>, version: impl Into<String>) -> Self {
        Node {
            path: path.into(),
            version: version.into(),
        }
    }

    /// Whether this is a main module (it has no version).
    pub fn is_main(&self) -> bool {
        self.version.is_empty()
    }
}

impl std::fmt::Display for Node {
    /// `path@version`, or the bare path for a main module (as `go mod graph` prints).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.version.is_empty() {
            f.write_str(&self.path)
        } else {
            write!(f, "{}@{}", self.path, self.version)
        }
    }
}

/// Where a module's go.mod was read from (or why it could not be).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum GoModSource {
    /// The module's own `.mod` in the module cache.
    Cache {
        /// `$GOMODCACHE/cache/download/<esc path>/@v/<esc version>.mod`.
        file: String,
    },
    /// The go.mod of the directory the module is replaced by (`replace m => ../dir`).
    ReplacementDir {
        /// `<dir>/go.mod`, the directory resolved against the replacing file's directory.
        file: String,
    },
    /// The `.mod` in the module cache of the module version it is replaced by
    /// (`replace m => other v1.2.3`).
    ReplacementModule {
        /// The replacement's `.mod` in the module cache.
        file: String,
        /// The replacement's module path.
        path: String,
        /// The replacement's version.
        version: String,
    },
    /// The graph needs this go.mod but it is not available offline.
    Missing {
        /// The file go would read.
        file: String,
        /// The command that makes it available (`go mod download path@version`, or for a
        /// missing replacement directory's go.mod, one that writes it or drops the replacement).
        fix: String,
    },
    /// It exists but does not parse, or the module's path or version has no file name in
    /// the module cache.
    Invalid {
        /// The file (empty when there is no file name for it).
        file: String,
        /// The parse or escaping error.
        error: String,
    },
}

/// The module graph go loads for a project (cmd/go `modload.ModuleGraph`), read from the
/// module cache alone, with the versions MVS selects.
#[derive(Debug, Clone, Default)]
pub struct ModGraph {
    /// The main modules (version "").
    pub main: Vec<Node>,
    /// Requirements of every loaded node, in go.mod order (after exclusions).
    pub edges: BTreeMap<Node, Vec<Node>>,
    /// The selected version per module path (MVS), main modules excluded.
    pub selected: BTreeMap<String, String>,
    /// For each node whose go.mod the graph needed: where it came from.
    pub sources: BTreeMap<Node, GoModSource>,
    /// Whether each main module loads a pruned graph (go ≥ 1.17).
    pub pruned: bool,
    /// The numbered form "why" walks, built on its first use (the graph does not change once
    /// loaded).
    pub(super) path_index: std::sync::OnceLock<PathIndex>,
}

impl ModGraph {
    /// The build list as `go list -m all` prints it: main modules (sorted by path, as go sorts
    /// a workspace's roots), then selected modules by path.
    pub fn build_list(&self) -> Vec<Node> {
        let mut out = self.main.clone();
        out.sort();
        out.extend(self.selected.iter().map(|(p, v)| Node::new(p, v)));
        out
    }

    /// Every edge `(from, to)`, as `go mod graph` prints them (without go@/toolchain@ nodes).
    pub fn edge_list(&self) -> Vec<(Node, Node)> {
        self.edges
            .iter()
            .flat_map(|(from, tos)| tos.iter().map(move |to| (from.clone(), to.clone())))
            .collect()
    }

    /// Nodes whose go.mod the graph needs but cannot read offline.
    pub fn missing(&self) -> Vec<(&Node, &GoModSource)> {
        self.sources
            .iter()
            .filter(|(_, s)| matches!(s, GoModSource::Missing { .. } | GoModSource::Invalid { .. }))
            .collect()
    }

    /// `path` at its selected version, when the graph selects one.
    pub(crate) fn selected_node(&self, path: &str) -> Option<Node> {
        self.selected.get(path).map(|v| Node::new(path, v))
    }
}

/// The graph's nodes numbered, with forward and reverse requirement lists. Built on first use by
/// the path search (`paths.rs`); a graph is not changed once loaded.
#[derive(Debug, Clone, Default)]
pub struct PathIndex {
    pub(super) nodes: Vec<Node>,
    pub(super) forward: Vec<Vec<u32>>,
    pub(super) reverse: Vec<Vec<u32>>,
    pub(super) mains: Vec<u32>,
}
