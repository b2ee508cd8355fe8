//! The dependency tree view: opening it, expanding and collapsing rows, and jumping from a row
//! to that module in the list.

use super::super::app_state::{AppState, Focus, ListArea, StatusFilter, TreeView};
use super::geometry::relayout;

/// `T`: open the tree over the list (once the graph is loaded), or close it.
pub(super) fn toggle(state: &mut AppState) {
    match (&state.list_area, &state.graph) {
        (ListArea::Tree(_), _) => state.list_area = ListArea::Modules,
        (_, Some(graph)) => {
            let mut tree = TreeView::default();
            tree.rebuild(graph, &state.filter_text);
            // From the task pane, the tree replaces the cache or the proxy view as either
            // replaces the other: their jobs go on.
            let detail_was_covered = state.list_area.covers_detail();
            state.list_area = ListArea::Tree(tree);
            state.focus = Focus::List;
            if detail_was_covered {
                relayout(state);
            }
        }
        (_, None) => state.say("the module graph is not loaded yet"),
    }
}

/// → expands the row under the cursor; ← collapses it, or on a leaf goes to its parent.
pub(super) fn expand_or_collapse(state: &mut AppState, expand: bool) {
    if let (ListArea::Tree(tree), Some(graph)) = (&mut state.list_area, &state.graph)
        && let Some(row) = tree.rows.get(tree.cursor).cloned()
    {
        let path = row.node.path.clone();
        if expand && row.has_children && !row.cycle {
            tree.expanded.insert(path);
        } else if !expand {
            if row.expanded {
                tree.expanded.remove(&path);
            } else if let Some(parent) = tree.rows[..tree.cursor]
                .iter()
                .rposition(|r| r.depth + 1 == row.depth)
            {
                // ← on a leaf goes to its parent, like a file tree.
                tree.cursor = parent;
            }
        }
        tree.rebuild(graph, &state.filter_text);
    }
}

/// `/` in the tree filters it (with the list: one filter text for both).
pub(super) fn refilter(state: &mut AppState) {
    if let (ListArea::Tree(tree), Some(graph)) = (&mut state.list_area, &state.graph) {
        tree.rebuild(graph, &state.filter_text);
        // Keep the cursor (the first match) in the window.
        let rows = state.list_rows.max(1);
        if tree.cursor < tree.offset || tree.cursor >= tree.offset + rows {
            tree.offset = tree.cursor.saturating_sub(rows / 2);
        }
        tree.offset = tree.offset.min(tree.rows.len().saturating_sub(rows));
    }
}

/// Enter: close the tree and select the row's module in the list.
pub(super) fn jump(state: &mut AppState) {
    if !matches!(state.list_area, ListArea::Tree(_)) {
        return;
    }
    if let ListArea::Tree(tree) = std::mem::take(&mut state.list_area)
        && let Some(row) = tree.rows.get(tree.cursor)
    {
        let path = row.node.path.clone();
        if !state.visible.iter().any(|&i| state.modules[i].path == path) {
            // Make the module visible first: clear the filters that hide it.
            state.filter_text.clear();
            state.status_filter = StatusFilter::All;
            state.recompute_visible();
        }
        match state
            .visible
            .iter()
            .position(|&i| state.modules[i].path == path)
        {
            Some(row) => {
                state.selected = row;
                state.detail_scroll = 0;
                state.scroll_to_selected();
            }
            None => state.say(format!("{path} is a main module")),
        }
    }
}
