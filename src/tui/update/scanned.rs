//! A scan's outcomes arriving: the quick classification (the first frame, and every rescan
//! after a job), then the module graph; and the problems in the project's files they carry.

use super::graph_rows;
use super::task_start;
use crate::tui::app_state::{AppState, ListArea, Overlay};
use crate::tui::effect::Effect;
use crate::tui::scan::{GraphOutcome, ScanOutcome};

pub(super) fn scanned(
    state: &mut AppState,
    result: Result<Box<ScanOutcome>, String>,
) -> Vec<Effect> {
    state.scanning = false;
    let outcome = match result {
        Ok(outcome) => *outcome,
        Err(e) => {
            // What the last scan showed stays (file problems included), under the error.
            state.scan_error = Some(e);
            return Vec::new();
        }
    };
    state.header.main_module = outcome.report.main_module.clone();
    state.header.workspace = outcome.report.workspace.clone();
    if let Some(main) = outcome.project.main.as_ref() {
        state.header.go_version = main.go_mod.go.clone();
        state.header.toolchain = main.go_mod.toolchain.clone();
    }
    state.header.env = outcome.env;
    state.scan_id = outcome.scan_id;
    state.offline_stale = true;
    state.why = None;
    // Replaced, not added to: a scan that finds none clears the last one's (the graph's
    // own arrive with it, for this scan).
    state.file_problems = outcome.report.file_problems;
    state.modules = outcome.report.modules;
    state.project = Some(outcome.project);
    state.scan_error = None;
    state.recompute_visible();
    // The quick scan goes on screen first; then the graph loads, and every module is
    // re-hashed in the background.
    let mut effects = vec![Effect::LoadGraph {
        scan_id: state.scan_id,
    }];
    if !state.modules.is_empty() {
        effects.push(task_start::start_verify(state, None));
        effects.push(Effect::CheckOffline);
    }
    effects
}

pub(super) fn graph_loaded(state: &mut AppState, outcome: GraphOutcome) {
    // A graph from an older scan than the list on screen is out of date.
    if outcome.scan_id != state.scan_id {
        return;
    }
    let GraphOutcome {
        graph,
        graph_only,
        file_problems,
        ..
    } = outcome;
    if let ListArea::Tree(tree) = &mut state.list_area {
        tree.rebuild(&graph, &state.filter_text);
    }
    state.graph = Some(graph);
    state.why = None;
    // The build list's problems, which the quick scan does not see: one graph per scan, so
    // they are added once.
    state.file_problems.extend(file_problems);
    graph_rows::merge_graph_only(&mut state.modules, graph_only);
    state.recompute_visible();
}

/// `!`: the problems in the project's files, or a word that there are none (the overlay
/// always closes).
pub(super) fn toggle_file_problems(state: &mut AppState) {
    if state.overlay == Some(Overlay::FileProblems) {
        state.overlay = None;
    } else if state.file_problems.is_empty() {
        state.say(if state.scanning {
            "no problems in the project's files so far (the scan is running)"
        } else {
            "no problems in the project's files"
        });
    } else {
        state.overlay = Some(Overlay::FileProblems);
        state.overlay_scroll = 0;
    }
}
