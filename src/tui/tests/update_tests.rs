//! `update` on the module list: scans filling it, moving, filters and sorting, clicks, the
//! tree, graph-only rows and the graph arriving after the first frame.

use super::*;
use crate::jobs::{JobEvent, JobOutcome};
use crate::tui::app_state::{Focus, Overlay, SortKey, StatusFilter};
use crate::tui::task_log::JobPurpose;
use gomodcache::analysis::report::Status;

#[test]
fn a_scan_fills_the_list_worst_first_and_starts_a_full_verify() {
    let mut f = demo_state(120, 40);
    assert_eq!(f.state.visible.len(), f.state.modules.len());
    assert!(f.state.modules.len() >= 16);
    let first = f.state.selected_module().unwrap();
    assert_eq!(
        first.status,
        Status::Mismatch,
        "sorted by status, worst first"
    );
    assert_eq!(f.state.tasks.len(), 1);
    assert_eq!(f.state.tasks[0].purpose, JobPurpose::Verify);
    assert!(!f.state.scanning);
    // The effect of the scan (returned by update) was a full verify of everything.
    let again = f.send(Msg::Scanned(Err("boom".into())));
    assert!(again.is_empty());
    assert_eq!(f.state.scan_error.as_deref(), Some("boom"));
}

#[test]
fn moving_is_clamped_and_scrolls_the_window() {
    let mut f = demo_state(80, 24);
    let n = f.state.visible.len();
    f.send(Msg::MoveUp);
    assert_eq!(f.state.selected, 0);
    f.send(Msg::End);
    assert_eq!(f.state.selected, n - 1);
    assert!(
        f.state.list_offset + f.state.list_rows > f.state.selected
            && f.state.list_offset <= f.state.selected
    );
    f.send(Msg::MoveDown);
    assert_eq!(f.state.selected, n - 1);
    f.send(Msg::Home);
    assert_eq!((f.state.selected, f.state.list_offset), (0, 0));
    f.send(Msg::PageDown);
    assert_eq!(f.state.selected, f.state.list_rows.min(n - 1));
}

#[test]
fn text_filter_narrows_and_esc_clears() {
    let mut f = demo_state(80, 24);
    let all = f.state.visible.len();
    f.send(Msg::StartFilter);
    for c in "yaml".chars() {
        f.send(Msg::FilterInput(c));
    }
    assert_eq!(f.state.visible.len(), 1);
    assert_eq!(f.state.selected_module().unwrap().path, "gopkg.in/yaml.v3");
    f.send(Msg::FilterAccept);
    assert!(
        !f.state.filter_editing && f.state.visible.len() == 1,
        "Enter keeps the filter"
    );
    f.send(Msg::CloseOverlay);
    assert_eq!(f.state.visible.len(), all, "Esc clears it");
    // Problem kinds match too.
    f.send(Msg::StartFilter);
    for c in "re-extraction".chars() {
        f.send(Msg::FilterInput(c));
    }
    assert_eq!(f.state.selected_module().unwrap().path, "golang.org/x/text");
    f.send(Msg::FilterClear);
    assert!(f.state.filter_text.is_empty() && !f.state.filter_editing);
}

#[test]
fn status_filter_and_sort_cycle() {
    let mut f = demo_state(80, 24);
    f.send(Msg::CycleStatusFilter);
    assert_eq!(f.state.status_filter, StatusFilter::Problems);
    assert!(
        f.state
            .visible
            .iter()
            .all(|&i| !f.state.modules[i].problems.is_empty())
    );
    f.send(Msg::CycleStatusFilter);
    assert_eq!(f.state.status_filter, StatusFilter::Only(Status::Mismatch));
    assert_eq!(f.state.visible.len(), f.state.summary().mismatch);
    for _ in 0..4 {
        f.send(Msg::CycleStatusFilter);
    }
    assert_eq!(f.state.status_filter, StatusFilter::Only(Status::Graph));
    assert_eq!(f.state.visible.len(), f.state.summary().graph);
    f.send(Msg::CycleStatusFilter);
    assert_eq!(f.state.status_filter, StatusFilter::All);
    f.send(Msg::CycleSort);
    assert_eq!(f.state.sort, SortKey::Path);
    let paths: Vec<&str> = f
        .state
        .visible
        .iter()
        .map(|&i| f.state.modules[i].path.as_str())
        .collect();
    assert!(paths.windows(2).all(|w| w[0] <= w[1]));
    f.send(Msg::CycleSort);
    assert_eq!(f.state.sort, SortKey::Size);
    let sizes: Vec<Option<u64>> = f
        .state
        .visible
        .iter()
        .map(|&i| f.state.modules[i].zip_size)
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

#[test]
fn clicks_select_rows_and_help_toggles() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ClickRow(3));
    assert_eq!(f.state.selected, 3);
    f.send(Msg::ClickRow(500));
    assert_eq!(
        f.state.selected, 3,
        "a click below the last row changes nothing"
    );
    f.send(Msg::ToggleHelp);
    assert_eq!(f.state.overlay, Some(Overlay::Help));
    f.send(Msg::ToggleHelp);
    assert_eq!(f.state.overlay, None);
    f.send(Msg::OpenDetail);
    assert!(f.state.detail_maximized && f.state.focus == Focus::Detail);
    f.send(Msg::CloseOverlay);
    assert!(!f.state.detail_maximized);
}

#[test]
fn ticks_only_dirty_the_state_while_something_runs() {
    let mut f = demo_state(120, 40);
    let verify = f.state.tasks[0].id;
    f.state.dirty = false;
    f.send(Msg::Tick(f.t0));
    assert!(f.state.dirty, "a running verify animates");
    f.send(Msg::Job(verify, JobEvent::Finished(JobOutcome::Succeeded)));
    f.state.dirty = false;
    f.send(Msg::Tick(f.t0));
    assert!(!f.state.dirty, "idle: no redraw");
}

#[test]
fn the_selected_modules_why_follows_the_selection() {
    let mut f = demo_state(120, 40);
    f.select("golang.org/x/sys");
    let why = f.state.why.clone().expect("why is computed in update");
    assert_eq!(why.path, "golang.org/x/sys");
    assert_eq!(why.selected.as_deref(), Some("v0.15.0"));
    assert!(why.required_by.len() >= 2 && !why.paths.is_empty());
    f.select("github.com/google/uuid");
    assert_eq!(f.state.why.as_ref().unwrap().path, "github.com/google/uuid");
}

#[test]
fn graph_only_modules_are_listed_and_counted_apart() {
    let f = demo_state(120, 40);
    let graph = f.state.graph.as_ref().unwrap();
    let listed: Vec<&str> = f.state.modules.iter().map(|m| m.path.as_str()).collect();
    for path in graph.selected.keys() {
        assert!(
            listed.contains(&path.as_str()),
            "the list covers the build list: {path}"
        );
    }
    let graph_only = f.state.modules.iter().filter(|m| m.graph_only).count();
    assert!(graph_only >= 3, "the demo has graph-only modules");
    let summary = f.state.summary();
    assert_eq!(summary.total, f.state.modules.len());
    assert_eq!(summary.graph_only, graph_only);
    // None of them reads missing: go needs nothing more of them than the cache holds.
    assert!(
        f.state
            .modules
            .iter()
            .filter(|m| m.graph_only)
            .all(|m| m.status == gomodcache::analysis::report::Status::Graph)
    );
}

#[test]
fn the_tree_expands_collapses_and_jumps_to_a_module() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ToggleTree);
    let tree = f.state.tree().expect("T opens the tree");
    assert_eq!(tree.rows[0].node.path, "github.com/acme/inventory");
    assert!(
        tree.rows[0].expanded && tree.rows.iter().all(|r| r.depth <= 1),
        "only the main module is open"
    );
    let color = tree
        .rows
        .iter()
        .position(|r| r.node.path == "github.com/fatih/color")
        .unwrap();
    f.send(Msg::Home);
    for _ in 0..color {
        f.send(Msg::MoveDown);
    }
    let before = f.state.tree().unwrap().rows.len();
    f.send(Msg::TreeExpand);
    let tree = f.state.tree().unwrap();
    assert!(tree.rows.len() > before, "color's requirements appear");
    assert!(tree.rows[color + 1].depth == 2);
    f.send(Msg::MoveDown);
    f.send(Msg::TreeCollapse);
    assert_eq!(
        f.state.tree().unwrap().cursor,
        color,
        "← on a leaf goes to its parent"
    );
    f.send(Msg::TreeCollapse);
    assert_eq!(f.state.tree().unwrap().rows.len(), before);
    f.send(Msg::TreeJump);
    assert!(f.state.tree().is_none());
    assert_eq!(
        f.state.selected_module().unwrap().path,
        "github.com/fatih/color"
    );
}

#[test]
fn the_graph_arrives_after_the_first_frame_and_one_from_an_older_scan_is_dropped() {
    let mut f = demo_state(120, 40);
    let graph = f.state.graph.clone().expect("the fixture sends the graph");
    let mut extra = f.state.modules[0].clone();
    extra.path = "example.com/only-in-the-graph".into();
    extra.graph_only = true;
    let graph_only = vec![extra];
    f.send(Msg::GraphLoaded(Box::new(crate::tui::scan::GraphOutcome {
        scan_id: f.state.scan_id,
        graph: graph.clone(),
        graph_only: graph_only.clone(),
        file_problems: Vec::new(),
    })));
    let count = f.state.modules.len();
    let outcome = |scan_id, graph_only| {
        Msg::GraphLoaded(Box::new(crate::tui::scan::GraphOutcome {
            scan_id,
            graph: graph.clone(),
            graph_only,
            file_problems: Vec::new(),
        }))
    };
    f.send(outcome(f.state.scan_id + 1, Vec::new()));
    assert_eq!(
        f.state.modules.len(),
        count,
        "a stale graph changes nothing"
    );
    f.send(outcome(f.state.scan_id, Vec::new()));
    assert_eq!(
        f.state.modules.len(),
        count - graph_only.len(),
        "the current scan's graph replaces the graph-only rows"
    );
    f.send(outcome(f.state.scan_id, graph_only.clone()));
    assert_eq!(f.state.modules.len(), count);
    assert!(
        f.state
            .visible
            .iter()
            .any(|&i| f.state.modules[i].path == graph_only[0].path),
        "graph-only rows are listed again"
    );
}
