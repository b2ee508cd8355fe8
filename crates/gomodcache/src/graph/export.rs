//! The graph as data for other tools: JSON (schema 1), Graphviz dot, Mermaid.

use super::model::{GoModSource, ModGraph};
use serde::{Deserialize, Serialize};

/// The version of [`GraphJson`]'s shape.
pub(crate) const GRAPH_SCHEMA_VERSION: u32 = 1;

/// One module of the build list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphModule {
    /// The module path.
    pub path: String,
    /// Null for a main module.
    pub version: Option<String>,
    /// Whether it is a main module.
    pub main: bool,
}

/// One requirement: a line of `go mod graph`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    /// The requiring module, `path@version` (the bare path for a main module).
    pub from: String,
    /// The required module, `path@version`.
    pub to: String,
}

/// A go.mod the graph needs but cannot read offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingGoMod {
    /// The module whose go.mod it is, `path@version`.
    pub module: String,
    /// Where go would read it, and the fix (a `missing` or `invalid` kind).
    pub source: GoModSource,
}

/// The graph as `modscope graph --json` prints it (schema 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphJson {
    /// Version of this JSON shape (1).
    pub schema_version: u32,
    /// The build list, as `go list -m all`: main modules first, then by path.
    pub modules: Vec<GraphModule>,
    /// Every requirement edge of the loaded graph, as `go mod graph` (without go@/toolchain@).
    pub edges: Vec<GraphEdge>,
    /// go.mod files the graph needs that are not available offline (the graph is incomplete).
    pub missing: Vec<MissingGoMod>,
}

impl ModGraph {
    /// The graph as [`GraphJson`].
    pub fn to_json(&self) -> GraphJson {
        GraphJson {
            schema_version: GRAPH_SCHEMA_VERSION,
            modules: self
                .build_list()
                .into_iter()
                .map(|n| GraphModule {
                    main: n.is_main(),
                    version: (!n.is_main()).then(|| n.version.clone()),
                    path: n.path,
                })
                .collect(),
            edges: self
                .edge_list()
                .into_iter()
                .map(|(f, t)| GraphEdge {
                    from: f.to_string(),
                    to: t.to_string(),
                })
                .collect(),
            missing: self
                .missing()
                .into_iter()
                .map(|(n, s)| MissingGoMod {
                    module: n.to_string(),
                    source: s.clone(),
                })
                .collect(),
        }
    }

    /// Graphviz: selected versions in bold, unselected ones dashed.
    pub fn to_dot(&self) -> String {
        let mut out = String::from(
            "digraph modules {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
        );
        let mut nodes: Vec<_> = self
            .edges
            .iter()
            .flat_map(|(f, ts)| std::iter::once(f.clone()).chain(ts.iter().cloned()))
            .collect();
        nodes.sort();
        nodes.dedup();
        for n in &nodes {
            let style = if n.is_main() || self.selected.get(&n.path) == Some(&n.version) {
                "bold"
            } else {
                "dashed"
            };
            out.push_str(&format!("  {:?} [style={style}];\n", n.to_string()));
        }
        for (f, t) in self.edge_list() {
            out.push_str(&format!("  {:?} -> {:?};\n", f.to_string(), t.to_string()));
        }
        out.push_str("}\n");
        out
    }

    /// Mermaid flowchart (`graph LR`): one arrow per requirement, between boxes named as
    /// `go mod graph` names modules.
    pub fn to_mermaid(&self) -> String {
        let mut ids = std::collections::BTreeMap::new();
        let mut out = String::from("graph LR\n");
        let mut id = |n: &super::model::Node, out: &mut String| -> String {
            let next = ids.len();
            ids.entry(n.clone())
                .or_insert_with(|| {
                    let key = format!("m{next}");
                    out.push_str(&format!(
                        "  {key}[\"{}\"]\n",
                        n.to_string().replace('"', "'")
                    ));
                    key
                })
                .clone()
        };
        for (f, t) in self.edge_list() {
            let a = id(&f, &mut out);
            let b = id(&t, &mut out);
            out.push_str(&format!("  {a} --> {b}\n"));
        }
        out
    }
}
