//! Where each pane goes for a terminal size: one pure function shared by the views and by mouse
//! hit-testing, so a click lands on the row that was drawn there.

use super::app_state::{AppState, Focus};
use ratatui::layout::{Constraint, Layout, Rect};

/// Widths at or above this put the detail pane beside the list instead of below it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 160;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub tasks: Rect,
    pub status: Rect,
}

impl Areas {
    pub fn compute(width: u16, height: u16, state: &AppState) -> Areas {
        let area = Rect::new(0, 0, width, height);
        let tasks_height = if state.tasks.is_empty() {
            0
        } else if state.focus == Focus::Tasks {
            (height / 2).max(6)
        } else if height < 30 {
            4
        } else {
            7
        };
        let [header, main, tasks, status] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Length(tasks_height),
            Constraint::Length(1),
        ])
        .areas(area);
        let (list, detail) = if state.detail_maximized {
            (Rect::default(), main)
        } else if width >= SIDE_BY_SIDE_WIDTH {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Fill(1)]).areas(main);
            (l, d)
        } else {
            let [l, d] =
                Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(main);
            (l, d)
        };
        Areas {
            header,
            list,
            detail,
            tasks,
            status,
        }
    }

    /// Data rows the module list shows (inside its border, under its column header).
    pub fn list_rows(&self) -> usize {
        usize::from(self.list.height.saturating_sub(3))
    }

    /// The n-th shown row of the list under a mouse position, if any.
    pub fn list_row_at(&self, column: u16, row: u16) -> Option<usize> {
        let first = self.list.y + 2;
        let inside = column > self.list.x && column + 1 < self.list.x + self.list.width;
        (inside && row >= first && row < first + self.list_rows() as u16)
            .then(|| usize::from(row - first))
    }
}
