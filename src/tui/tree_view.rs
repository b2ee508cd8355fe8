//! The dependency tree as the tree pane shows it: which rows are visible, where the cursor is.

use gomodcache::graph::{ModGraph, Node};
use std::collections::HashSet;

/// One visible line of the dependency tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    pub depth: usize,
    pub node: Node,
    pub has_children: bool,
    pub expanded: bool,
    /// The module already appears above on this branch (a requirement cycle): not expanded.
    pub cycle: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeView {
    pub rows: Vec<TreeRow>,
    pub cursor: usize,
    pub offset: usize,
    /// Module paths whose children are shown.
    pub expanded: HashSet<String>,
}

impl TreeView {
    /// Recomputes the visible rows: a depth-first walk from the main modules through the
    /// selected versions, expanding what the user expanded. With a filter, the rows of the
    /// modules whose path contains it and the rows above them, whatever is expanded.
    pub fn rebuild(&mut self, graph: &ModGraph, filter: &str) {
        if !filter.is_empty() {
            return self.rebuild_filtered(graph, &filter.to_lowercase());
        }
        fn walk(
            graph: &ModGraph,
            node: &Node,
            depth: usize,
            stack: &mut Vec<String>,
            expanded: &HashSet<String>,
            out: &mut Vec<TreeRow>,
        ) {
            let children = graph.children(node);
            let cycle = stack.contains(&node.path);
            let open = !cycle && (node.is_main() || expanded.contains(&node.path));
            out.push(TreeRow {
                depth,
                node: node.clone(),
                has_children: !children.is_empty(),
                expanded: open && !children.is_empty(),
                cycle,
            });
            if open {
                stack.push(node.path.clone());
                for c in &children {
                    walk(graph, c, depth + 1, stack, expanded, out);
                }
                stack.pop();
            }
        }
        let mut rows = Vec::new();
        for m in &graph.main {
            walk(graph, m, 0, &mut Vec::new(), &self.expanded, &mut rows);
        }
        self.rows = rows;
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    /// Every module once (where the walk first meets it), kept when its path contains
    /// `needle` or a module below it does; the cursor goes to the first match.
    fn rebuild_filtered(&mut self, graph: &ModGraph, needle: &str) {
        fn walk(
            graph: &ModGraph,
            node: &Node,
            depth: usize,
            needle: &str,
            seen: &mut HashSet<String>,
            out: &mut Vec<TreeRow>,
        ) -> bool {
            let children = if seen.insert(node.path.clone()) {
                graph.children(node)
            } else {
                Vec::new()
            };
            let start = out.len();
            out.push(TreeRow {
                depth,
                node: node.clone(),
                has_children: !children.is_empty(),
                expanded: !children.is_empty(),
                cycle: false,
            });
            let mut matched = node.path.to_lowercase().contains(needle);
            for c in &children {
                matched |= walk(graph, c, depth + 1, needle, seen, out);
            }
            if !matched {
                out.truncate(start);
            }
            matched
        }
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for m in &graph.main {
            walk(graph, m, 0, needle, &mut seen, &mut rows);
        }
        self.cursor = rows
            .iter()
            .position(|r| r.node.path.to_lowercase().contains(needle))
            .unwrap_or(0);
        self.offset = self.offset.min(self.cursor);
        self.rows = rows;
    }
}
