//! What depends on the screen's size: how many rows the list, the cache view and the proxy view
//! show, and keeping every selection and scroll offset inside them after a resize or new
//! content.

use super::super::app_state::{AppState, Focus, ListArea};
use super::super::layout::Areas;
use super::super::view::scroll::{Scrolled, scrolled};
use crate::tui::proxy_view::DETAIL_LINES;

/// Rows of the cache view's table: the list's rows less the summary line above the columns.
pub(super) fn cache_window(state: &AppState) -> usize {
    state.list_rows.saturating_sub(1).max(1)
}

/// Rows of the proxy view's table: the list's rows less the summary line and the detail lines.
pub(super) fn proxy_window(state: &AppState) -> usize {
    state.list_rows.saturating_sub(1 + DETAIL_LINES).max(1)
}

/// Keeps the offset of what scrolls within its lines (after a resize, or new content).
pub(super) fn clamp_scroll(state: &mut AppState) {
    if let Some((what, extent)) = scrolled(state) {
        let max = u16::try_from(extent.max_offset()).unwrap_or(u16::MAX);
        match what {
            Scrolled::Detail => state.detail_scroll = state.detail_scroll.min(max),
            Scrolled::Overlay => state.overlay_scroll = state.overlay_scroll.min(max),
        }
    }
}

/// Re-derives sizes that depend on the layout (the list's row count).
pub(super) fn relayout(state: &mut AppState) {
    state.list_rows = Areas::compute(state.width, state.height, state)
        .list_rows()
        .max(1);
    state.scroll_to_selected();
    let rows = cache_window(state);
    state.cache.scroll_to_cursor(rows);
    let rows = proxy_window(state);
    state.proxy.scroll_to_cursor(rows);
    // A taller pane or a wider one (fewer wrapped lines) may now show past the last line.
    clamp_scroll(state);
}

/// Shows `view` in the list's place (whatever was there closes), the list area has the focus
/// and the detail pane its normal size.
pub(super) fn show_in_list_area(state: &mut AppState, view: ListArea) {
    state.list_area = view;
    state.focus = Focus::List;
    state.detail_maximized = false;
    relayout(state);
}

/// Tab in a view that fills the list area (the cache or the proxy view): it has no detail
/// pane, so the focus goes between the view and the tasks (when there are any).
pub(super) fn focus_next_in_view(state: &mut AppState) {
    state.focus = if state.focus != Focus::Tasks && !state.tasks.is_empty() {
        Focus::Tasks
    } else {
        Focus::List
    };
    relayout(state);
}
