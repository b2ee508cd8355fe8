//! Views: pure functions of the state. Layout first, then each region draws itself.

pub mod cache_pane;
pub mod detail_pane;
pub mod extent;
pub mod header;
pub mod module_list;
pub mod overlays;
pub mod proxy_pane;
pub mod scroll;
pub mod status_bar;
pub mod task_pane;
pub mod theme;
pub mod tree_pane;
pub mod wrap;

use super::app_state::{AppState, ListArea};
use super::layout::Areas;
use ratatui::Frame;
use theme::Theme;

pub fn view(state: &AppState, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme { color: state.color };
    let areas = Areas::compute(area.width, area.height, state);
    header::render(state, frame, areas.header, theme);
    if areas.list.width > 0 && areas.list.height > 2 {
        match &state.list_area {
            ListArea::Modules => module_list::render(state, frame, areas.list, theme),
            ListArea::Tree(tree) => tree_pane::render(state, tree, frame, areas.list, theme),
            ListArea::Cache => cache_pane::render(state, frame, areas.list, theme),
            ListArea::Proxy => proxy_pane::render(state, frame, areas.list, theme),
        }
    }
    if areas.detail.height > 2 {
        detail_pane::render(state, frame, areas.detail, theme);
    }
    if areas.tasks.height > 2 {
        task_pane::render(state, frame, areas.tasks, theme);
    }
    status_bar::render(state, frame, areas.status, theme);
    if let Some(overlay) = &state.overlay {
        overlays::render(state, overlay, frame, areas.overlay_area(), theme);
    }
}
