//! Where each pane goes for a terminal size: one pure function shared by the views and by mouse
//! hit-testing, so a click lands on the row that was drawn there.

use super::app_state::{AppState, Focus};
use ratatui::layout::{Constraint, Layout, Rect};

/// Widths at or above this put the detail pane beside the list instead of below it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 160;
/// Side by side, the list is at least this wide (its title) and at most `LIST_MAX_PERCENT` of
/// the width; within that, only as wide as its columns need: the detail pane, whose lines are
/// long (hashes, paths, fix commands), gets the rest.
const LIST_MIN_WIDTH: u16 = 50;
const LIST_MAX_PERCENT: u16 = 60;

/// Header (3 rows), the panes (the rest), tasks (`tasks_height` rows) and status lines
/// (`status_height` rows: the hints, and the notice above them when there is one), as
/// `Layout::vertical([Length(3), Fill(1), Length(tasks_height), Length(status_height)])` places
/// them.
/// By arithmetic when everything fits (a test compares the two): ratatui's constraint solver
/// took a quarter of a millisecond per layout before the first frame, where nothing is cached
/// yet. A terminal too small for them is left to the solver, which decides what gives way.
fn rows(area: Rect, tasks_height: u16, status_height: u16) -> [Rect; 4] {
    let fixed = 3 + tasks_height + status_height;
    if area.height < fixed {
        return Layout::vertical([
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Length(tasks_height),
            Constraint::Length(status_height),
        ])
        .areas(area);
    }
    let row = |y: u16, height: u16| Rect {
        y: area.y + y,
        height,
        ..area
    };
    let main = area.height - fixed;
    [
        row(0, 3),
        row(3, main),
        row(3 + main, tasks_height),
        row(3 + main + tasks_height, status_height),
    ]
}

/// `percent`% of `total`, rounded to the nearest cell (half away from zero), as ratatui sizes
/// `Percentage(percent)` beside a `Fill`.
fn percent_of(total: u16, percent: u16) -> u16 {
    ((u32::from(total) * u32::from(percent) + 50) / 100) as u16
}

enum Cut {
    Left(u16),
    Top(u16),
}

/// `area` cut in two: its first `n` columns (or rows) and the rest.
fn cut(area: Rect, at: Cut) -> (Rect, Rect) {
    match at {
        Cut::Left(n) => (
            Rect { width: n, ..area },
            Rect {
                x: area.x + n,
                width: area.width - n,
                ..area
            },
        ),
        Cut::Top(n) => (
            Rect { height: n, ..area },
            Rect {
                y: area.y + n,
                height: area.height - n,
                ..area
            },
        ),
    }
}

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
        // A notice gets a row of its own above the hints, so it never pushes them off screen.
        let status_height = if state.notice.is_some() { 2 } else { 1 };
        let [header, main, tasks, status] = rows(area, tasks_height, status_height);
        let (list, detail) = if state.list_area.covers_detail() {
            // The cache and proxy views take the list's and the detail pane's place.
            (main, Rect::default())
        } else if state.detail_maximized {
            (Rect::default(), main)
        } else if width >= SIDE_BY_SIDE_WIDTH {
            let most = percent_of(main.width, LIST_MAX_PERCENT);
            cut(main, Cut::Left(state.list_need.clamp(LIST_MIN_WIDTH, most)))
        } else {
            cut(main, Cut::Top(percent_of(main.height, 45)))
        };
        Areas {
            header,
            list,
            detail,
            tasks,
            status,
        }
    }

    /// Where overlays go: the whole screen but the notice and hint rows, which stay visible
    /// (the hints say how to close the overlay).
    pub fn overlay_area(&self) -> Rect {
        Rect {
            x: 0,
            y: 0,
            width: self.status.width,
            height: self.status.y,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The arithmetic places the panes exactly where ratatui's solver does.
    #[test]
    fn the_arithmetic_agrees_with_the_solver() {
        for height in 0..=120 {
            for tasks_height in [0, 4, 6, 7, 20, 60] {
                for status_height in [1, 2] {
                    let area = Rect::new(0, 0, 80, height);
                    let solved: [Rect; 4] = Layout::vertical([
                        Constraint::Length(3),
                        Constraint::Fill(1),
                        Constraint::Length(tasks_height),
                        Constraint::Length(status_height),
                    ])
                    .areas(area);
                    assert_eq!(
                        rows(area, tasks_height, status_height),
                        solved,
                        "{height} {tasks_height} {status_height}"
                    );
                }
            }
        }
        for total in 0..=600 {
            let main = Rect::new(0, 3, total, 40);
            let [l, _]: [Rect; 2] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Fill(1)]).areas(main);
            assert_eq!(percent_of(total, 60), l.width, "width {total}");
            let main = Rect::new(0, 3, 100, total);
            let [l, _]: [Rect; 2] =
                Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(main);
            assert_eq!(percent_of(total, 45), l.height, "height {total}");
        }
    }
}
