//! What scrolls (the detail pane, the open overlay), how many lines it has and how many it
//! shows. Views draw from this; `update` clamps offsets with it, so nothing scrolls past its
//! last line into an empty box.

use super::extent::{Extent, inner_rows};
use super::theme::Theme;
use super::{detail_pane, overlays};
use crate::tui::app_state::{AppState, Focus, Overlay};
use crate::tui::layout::Areas;
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scrolled {
    Detail,
    Overlay,
}

/// What the arrows scroll now, if they scroll rather than move a selection, and its extent.
pub fn scrolled(state: &AppState) -> Option<(Scrolled, Extent)> {
    let theme = Theme { color: state.color };
    let screen = Areas::compute(state.width, state.height, state).overlay_area();
    let popup_extent = |popup: Rect, total: usize| Extent {
        total,
        rows: inner_rows(popup),
    };
    match &state.overlay {
        Some(Overlay::ExportPrompt { .. }) => None,
        Some(overlay) => {
            let popup = overlays::popup(state, overlay, screen);
            let lines = overlays::lines(state, overlay, theme, popup.width.saturating_sub(2));
            Some((Scrolled::Overlay, popup_extent(popup, lines.len())))
        }
        None if state.focus == Focus::Detail => {
            let area = Areas::compute(state.width, state.height, state).detail;
            let lines = detail_pane::lines(state, theme, area.width.saturating_sub(2));
            Some((Scrolled::Detail, popup_extent(area, lines.len())))
        }
        None => None,
    }
}
