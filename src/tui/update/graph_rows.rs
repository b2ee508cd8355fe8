//! The graph-only rows that arrive with the module graph, after the first frame.

use gomodcache::analysis::report::ModuleReport;

/// Takes the graph's graph-only rows: rows of modules no longer graph-only go, and a row a
/// verify pass already sent (it may finish first on a small project) is kept, being the
/// fuller answer.
pub(super) fn merge_graph_only(modules: &mut Vec<ModuleReport>, graph_only: Vec<ModuleReport>) {
    let new_paths: std::collections::HashSet<&str> =
        graph_only.iter().map(|m| m.path.as_str()).collect();
    modules.retain(|m| !m.graph_only || new_paths.contains(m.path.as_str()));
    let present: std::collections::HashSet<String> =
        modules.iter().map(|m| m.path.clone()).collect();
    modules.extend(
        graph_only
            .into_iter()
            .filter(|m| !present.contains(&m.path)),
    );
}
