//! "Why is this module here, and why this version?" — every requirement path from the main
//! module (shortest first) and which requirer asked for which version.

use super::model::{ModGraph, Node};
use crate::version::semver;
use std::collections::{BTreeMap, HashSet};

pub use super::paths::MAX_PATHS;

/// One requirement of a module: which go.mod asks for which version of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Requirer {
    /// The module whose go.mod asks for it (`path@version`, bare path for a main module).
    pub by: String,
    /// The version it asks for.
    pub version: String,
}

/// Why a module is in the graph, and why at its selected version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WhyAnswer {
    /// The module path asked about.
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
    /// True when there are more paths than `paths` holds (`path_count` says how many).
    pub truncated: bool,
    /// How many requirement paths lead from a main module to the module: counted, not listed,
    /// so it is exact however many there are (saturating at u64::MAX). A requirement cycle
    /// is not followed round (paths are simple).
    #[serde(default)]
    pub path_count: u64,
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
    pub(crate) fn requirers_of(&self, path: &str) -> Vec<Requirer> {
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

    /// Why `path` is in the graph: who requires which version, which requirers made MVS select
    /// the version it did, and the requirement paths to it from the main modules.
    pub fn why(&self, path: &str) -> WhyAnswer {
        self.why_at(path, None)
    }

    /// [`why`](Self::why), with the paths (and their count) to `version` only when given.
    pub fn why_at(&self, path: &str, version: Option<&str>) -> WhyAnswer {
        let selected = self.selected.get(path).cloned();
        let required_by = self.requirers_of(path);
        let winners: Vec<Requirer> = required_by
            .iter()
            .filter(|r| Some(&r.version) == selected.as_ref())
            .cloned()
            .collect();
        let (paths, path_count) = self.paths_to(path, version);
        let truncated = (paths.len() as u64) < path_count;
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
                    format!(" ({path_count} paths, {} shown).", paths.len())
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
            path_count,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn n(p: &str, v: &str) -> Node {
        Node::new(p, v)
    }

    /// `main → a → x`, and a large unrelated part of the graph that never leads to x.
    fn graph(edges: &[(Node, Vec<Node>)]) -> ModGraph {
        let mut g = ModGraph {
            main: vec![n("main", "")],
            ..ModGraph::default()
        };
        for (from, tos) in edges {
            g.edges.insert(from.clone(), tos.clone());
            for t in tos {
                g.selected.insert(t.path.clone(), t.version.clone());
            }
        }
        g
    }

    /// A chain of 3,000 modules, each also requiring one a few steps ahead: billions of paths
    /// to the last one. Listing them breadth first ran out of its budget with none found
    /// (and took a second); depth first, nearest first, finds a shortest one and fills the list.
    #[test]
    fn dense_graphs_still_show_paths_and_a_shortest_one_first() {
        let m = |i: usize| n(&format!("m{i}"), "v1.0.0");
        let count = 3000;
        let mut edges = vec![(n("main", ""), vec![m(0)])];
        for i in 0..count - 1 {
            let mut tos = vec![m(i + 1)];
            if i + 7 < count {
                tos.push(m(i + 7));
            }
            edges.push((m(i), tos));
        }
        let g = graph(&edges);
        let (paths, total) = g.paths_to("m2999", None);
        assert_eq!(paths.len(), MAX_PATHS);
        assert!(total > MAX_PATHS as u64);
        // Shortest: main, m0, then jumps of 7 and steps of 1: 2 + 428 + 2 nodes.
        let shortest = 2 + (count - 1) / 7 + (count - 1) % 7;
        assert_eq!(paths[0].len(), shortest, "{:?}", paths[0].len());
        assert!(paths.windows(2).all(|w| w[0].len() <= w[1].len()));
        assert!(g.why("m2999").summary.contains("paths, 50 shown"));
    }

    #[test]
    fn one_path_is_not_truncated_however_large_the_rest_of_the_graph() {
        // A wide, deep lattice that never reaches x: exploring its simple paths would use up
        // any bound before the answer was known.
        let mut edges = vec![(
            n("main", ""),
            vec![n("x", "v1.0.0"), n("l0a", "v1"), n("l0b", "v1")],
        )];
        for i in 0..30 {
            let next = vec![
                n(&format!("l{}a", i + 1), "v1"),
                n(&format!("l{}b", i + 1), "v1"),
            ];
            edges.push((n(&format!("l{i}a"), "v1"), next.clone()));
            edges.push((n(&format!("l{i}b"), "v1"), next));
        }
        let g = graph(&edges);
        let why = g.why("x");
        assert_eq!(why.path_count, 1);
        assert!(!why.truncated, "{why:?}");
        assert_eq!(
            why.paths,
            vec![vec!["main".to_string(), "x@v1.0.0".to_string()]]
        );
    }

    #[test]
    fn many_paths_are_counted_exactly_and_truncation_says_how_many() {
        // 2^10 paths: main → (a0|b0) → (a1|b1) → … → x.
        let mut edges = vec![(n("main", ""), vec![n("a0", "v1"), n("b0", "v1")])];
        for i in 0..9 {
            let next = vec![
                n(&format!("a{}", i + 1), "v1"),
                n(&format!("b{}", i + 1), "v1"),
            ];
            edges.push((n(&format!("a{i}"), "v1"), next.clone()));
            edges.push((n(&format!("b{i}"), "v1"), next));
        }
        edges.push((n("a9", "v1"), vec![n("x", "v2.0.0")]));
        edges.push((n("b9", "v1"), vec![n("x", "v2.0.0")]));
        let g = graph(&edges);
        let why = g.why("x");
        assert_eq!(why.path_count, 1024);
        assert!(why.truncated);
        assert_eq!(why.paths.len(), MAX_PATHS);
        assert!(
            why.summary.contains("(1024 paths, 50 shown)"),
            "{}",
            why.summary
        );
    }

    #[test]
    fn a_requirement_cycle_is_not_followed_round() {
        // main → a → b → a (a cycle), b → x: one simple path.
        let g = graph(&[
            (n("main", ""), vec![n("a", "v1")]),
            (n("a", "v1"), vec![n("b", "v1")]),
            (n("b", "v1"), vec![n("a", "v1"), n("x", "v1")]),
        ]);
        let why = g.why("x");
        assert_eq!(why.path_count, 1);
        assert!(!why.truncated);
    }

    #[test]
    fn paths_to_one_version_are_counted_for_that_version() {
        let g = graph(&[
            (n("main", ""), vec![n("a", "v1"), n("x", "v2")]),
            (n("a", "v1"), vec![n("x", "v1")]),
        ]);
        let v1 = g.why_at("x", Some("v1"));
        assert_eq!(v1.path_count, 1);
        assert_eq!(v1.paths, vec![vec!["main", "a@v1", "x@v1"]]);
        let all = g.why_at("x", None);
        assert_eq!(all.path_count, 2);
        assert!(!all.truncated);
    }
}
