//! "Why is this module here, and why this version?" — every requirement path from the main
//! module (shortest first) and which requirer asked for which version.

use super::build::{ModGraph, Node};
use crate::core::semver;
use std::collections::{BTreeMap, HashSet, VecDeque};

/// Enumerating paths is exponential in the worst case; these bound the work.
pub const MAX_PATHS: usize = 50;
const MAX_EXPANSIONS: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Requirer {
    /// The module whose go.mod asks for it (`path@version`, bare path for a main module).
    pub by: String,
    /// The version it asks for.
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WhyAnswer {
    pub path: String,
    /// The version MVS selected; null when the module is not in the graph.
    pub selected: Option<String>,
    /// Every requirement of the module in the loaded graph, highest version first.
    pub required_by: Vec<Requirer>,
    /// The requirers that asked for the selected version: why it won.
    pub winners: Vec<Requirer>,
    /// Requirement paths from a main module to the module (any version), shortest first, each
    /// a list of `path@version` nodes.
    pub paths: Vec<Vec<String>>,
    /// True when there are more paths than `paths` holds.
    pub truncated: bool,
    /// A one-paragraph answer in plain words.
    pub summary: String,
}

impl WhyAnswer {
    /// The answer in one short line: "selected v1.2.0: required at that version by 3 modules,
    /// including the main module; 2 lower requirements". The requirers themselves are listed
    /// apart (`required_by`), so a long list does not make a long sentence.
    pub fn headline(&self) -> String {
        let Some(selected) = &self.selected else {
            return "not in the module graph of this project".to_string();
        };
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        // A main module's requirement names it bare, without @version.
        let by_main = self.winners.iter().any(|w| !w.by.contains('@'));
        let by = match (self.winners.len(), by_main) {
            (1, true) => "the main module".to_string(),
            (n, true) => format!(
                "{}, including the main module",
                plural(n, "module", "modules")
            ),
            (n, false) => plural(n, "module", "modules"),
        };
        let mut line = format!("selected {selected}: required at that version by {by}");
        let lower = self.required_by.len() - self.winners.len();
        if lower > 0 {
            line.push_str(&format!(
                "; {}",
                plural(lower, "lower requirement", "lower requirements")
            ));
        }
        line
    }
}

impl ModGraph {
    /// Reverse edges: for each module path, who requires which version of it.
    pub fn requirers_of(&self, path: &str) -> Vec<Requirer> {
        let mut out: Vec<Requirer> = self
            .edges
            .iter()
            .flat_map(|(from, tos)| {
                tos.iter()
                    .filter(|t| t.path == path)
                    .map(move |t| Requirer {
                        by: from.to_string(),
                        version: t.version.clone(),
                    })
            })
            .collect();
        out.sort_by(|a, b| semver::compare(&b.version, &a.version).then_with(|| a.by.cmp(&b.by)));
        out
    }

    /// Requirement paths from the main modules to any version of `path`, shortest first
    /// (breadth-first over simple paths, bounded).
    pub fn paths_to(&self, path: &str) -> (Vec<Vec<Node>>, bool) {
        let mut found = Vec::new();
        let mut queue: VecDeque<Vec<Node>> = self.main.iter().map(|m| vec![m.clone()]).collect();
        let mut expansions = 0;
        while let Some(p) = queue.pop_front() {
            let last = p.last().expect("paths are never empty");
            if last.path == path && !last.is_main() {
                if found.len() == MAX_PATHS {
                    return (found, true);
                }
                found.push(p);
                continue;
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                return (found, true);
            }
            let Some(next) = self.edges.get(last) else {
                continue;
            };
            for n in next {
                if !p.contains(n) {
                    let mut q = p.clone();
                    q.push(n.clone());
                    queue.push_back(q);
                }
            }
        }
        (found, false)
    }

    pub fn why(&self, path: &str) -> WhyAnswer {
        let selected = self.selected.get(path).cloned();
        let required_by = self.requirers_of(path);
        let winners: Vec<Requirer> = required_by
            .iter()
            .filter(|r| Some(&r.version) == selected.as_ref())
            .cloned()
            .collect();
        let (paths, truncated) = self.paths_to(path);
        let summary = match &selected {
            None => format!("{path} is not in the module graph of this project."),
            Some(v) => {
                let lower: Vec<String> = required_by
                    .iter()
                    .filter(|r| &r.version != v)
                    .map(|r| format!("{} asks for {}", r.by, r.version))
                    .collect();
                let mut s = format!(
                    "{path} is selected at {v} because {} require{} {v} and minimal version selection takes the highest version required.",
                    join_names(winners.iter().map(|w| w.by.as_str())),
                    if winners.len() == 1 { "s" } else { "" }
                );
                if !lower.is_empty() {
                    s.push_str(&format!(" Lower requirements: {}.", lower.join("; ")));
                }
                let shortest = paths
                    .first()
                    .map(|p| p.len().saturating_sub(1))
                    .unwrap_or(0);
                s.push_str(&format!(
                    " It is {} requirement{} away from the main module",
                    shortest,
                    if shortest == 1 { "" } else { "s" }
                ));
                s.push_str(&if truncated {
                    format!(" (more than {} paths).", paths.len())
                } else {
                    format!(
                        " ({} path{}).",
                        paths.len(),
                        if paths.len() == 1 { "" } else { "s" }
                    )
                });
                s
            }
        };
        WhyAnswer {
            path: path.to_string(),
            selected,
            required_by,
            winners,
            paths: paths
                .into_iter()
                .map(|p| p.iter().map(Node::to_string).collect())
                .collect(),
            truncated,
            summary,
        }
    }

    /// The direct dependencies of each node, for a tree view: children of `n` with their
    /// selected versions (what the build actually uses).
    pub fn children(&self, n: &Node) -> Vec<Node> {
        let mut seen = HashSet::new();
        self.edges
            .get(n)
            .map(|tos| {
                tos.iter()
                    .filter(|t| seen.insert(t.path.clone()))
                    .map(|t| self.selected_node(&t.path).unwrap_or_else(|| t.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many requirers each selected module has (for "graph-only" vs direct in a list).
    pub fn requirer_counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for tos in self.edges.values() {
            for t in tos {
                *out.entry(t.path.clone()).or_insert(0) += 1;
            }
        }
        out
    }
}

fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = names.collect();
    match v.len() {
        0 => "nothing".into(),
        1 => v[0].into(),
        _ => format!("{} and {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
    }
}
