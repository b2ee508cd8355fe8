//! What scrolls (the detail pane, the open overlay), how many lines it has and how many it
//! shows. Views draw from this; `update` clamps offsets with it, so nothing scrolls past its
//! last line into an empty box.

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

/// Lines of content and rows to show them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub total: usize,
    pub rows: usize,
}

impl Extent {
    /// The offset that shows the last line on the last row.
    pub fn max_offset(self) -> usize {
        self.total.saturating_sub(self.rows)
    }

    /// "12–30/54": the lines shown (from 1) and how many there are; `None` when all fit.
    pub fn position(self, offset: usize) -> Option<String> {
        if self.total <= self.rows {
            return None;
        }
        let first = offset.min(self.max_offset()) + 1;
        let last = (first + self.rows - 1).min(self.total);
        Some(format!("{first}–{last}/{}", self.total))
    }
}

/// Rows inside a bordered block of `area`.
pub fn inner_rows(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2))
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
