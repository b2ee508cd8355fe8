//! The task pane's own actions: a task's whole log, and clearing the tasks that ended.

use super::super::app_state::{AppState, Focus, Overlay};
use super::geometry::relayout;

/// Enter in the task pane: the selected task's command line and whole log, in an overlay.
pub(super) fn open_log(state: &mut AppState) {
    if let Some(t) = state.tasks.get(state.selected_task) {
        state.overlay = Some(Overlay::TaskLog { id: t.id });
        state.overlay_scroll = 0;
    }
}

/// `x`: only running and queued tasks stay.
pub(super) fn clear_finished(state: &mut AppState) {
    let selected = state.tasks.get(state.selected_task).map(|t| t.id);
    let before = state.tasks.len();
    state.tasks.retain(|t| t.state.is_active());
    if state.tasks.len() == before {
        state.say("no finished task to clear");
        return;
    }
    state.selected_task = selected
        .and_then(|id| state.tasks.iter().position(|t| t.id == id))
        .unwrap_or(state.tasks.len().saturating_sub(1));
    if state.tasks.is_empty() && state.focus == Focus::Tasks {
        state.focus = Focus::List;
    }
    // The task pane shrinks (or goes): the list gets the rows back.
    relayout(state);
}
