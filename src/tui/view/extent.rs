//! How many lines a scrolling box has and how many it shows: the geometry both the views and
//! `update`'s offset clamping use.

use ratatui::layout::Rect;

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
