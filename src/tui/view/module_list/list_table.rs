//! The module list drawn as ratatui's `Table` draws it (a test renders both and compares every
//! cell), without its layouts: a table places its header, rows and columns through the
//! constraint solver, three solves per frame, and on the first frame (nothing cached yet)
//! that was a fifth of a millisecond of drawing. Columns here are fixed widths but one, which
//! takes what is left: arithmetic. A list too narrow for the fixed widths is left to the
//! solver, which decides what gives way.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Widget};

const HEADER: [&str; 5] = ["status", "module", "version", "dep", "zip"];
/// Drawn before the selected row, as the table's highlight symbol; the others get as many
/// spaces.
const SELECTION_SYMBOL: &str = "▶ ";
const SELECTION_WIDTH: u16 = 2;
const COLUMN_SPACING: u16 = 1;
/// The column that takes the width left by the others (its width in `widths` is ignored).
const FILL_COLUMN: usize = 1;

pub struct ListTable<'a> {
    pub block: Block<'a>,
    pub header_style: Style,
    pub widths: [u16; 5],
    /// The rows in the window, top first: those that do not fit are cut, not scrolled to (the
    /// view passes exactly the rows that fit, and `Table` would scroll to a selected one).
    pub rows: Vec<[Span<'a>; 5]>,
    /// Index in `rows`.
    pub selected: Option<usize>,
    pub selected_style: Style,
}

impl ListTable<'_> {
    pub fn render(self, area: Rect, buf: &mut Buffer) {
        let inner = self.block.inner(area);
        (&self.block).render(area, buf);
        if inner.is_empty() {
            return;
        }
        let selected = self
            .selected
            .filter(|_| !self.rows.is_empty())
            .map(|s| s.min(self.rows.len() - 1));
        let selection_width = if selected.is_some() {
            SELECTION_WIDTH
        } else {
            0
        };
        let columns = self.columns(inner.width, selection_width);
        let header = Rect { height: 1, ..inner };
        buf.set_style(header, self.header_style);
        for (column, text) in columns.iter().zip(HEADER) {
            Span::raw(text).render(at(header, *column), buf);
        }
        let body = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        for (i, cells) in self.rows.iter().enumerate().take(body.height.into()) {
            let row = Rect {
                y: body.y + i as u16,
                height: 1,
                ..body
            };
            if selected == Some(i) {
                Span::raw(SELECTION_SYMBOL).render(
                    Rect {
                        width: selection_width,
                        ..row
                    },
                    buf,
                );
            }
            for (column, cell) in columns.iter().zip(cells) {
                cell.render(at(row, *column), buf);
            }
            if selected == Some(i) {
                buf.set_style(row, self.selected_style);
            }
        }
    }

    /// Each column's x (from the left of the inner area) and width.
    fn columns(&self, width: u16, selection_width: u16) -> [(u16, u16); 5] {
        let available = width.saturating_sub(selection_width);
        let fixed: u16 = self
            .widths
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != FILL_COLUMN)
            .map(|(_, w)| w)
            .sum::<u16>()
            + COLUMN_SPACING * (self.widths.len() as u16 - 1);
        let mut out = [(0, 0); 5];
        if fixed <= available {
            let mut x = selection_width;
            for (i, w) in self.widths.iter().enumerate() {
                let w = if i == FILL_COLUMN {
                    available - fixed
                } else {
                    *w
                };
                out[i] = (x, w);
                x += w + COLUMN_SPACING;
            }
            return out;
        }
        let constraints = self.widths.iter().enumerate().map(|(i, &w)| {
            if i == FILL_COLUMN {
                Constraint::Fill(1)
            } else {
                Constraint::Length(w)
            }
        });
        let [_, area] =
            Layout::horizontal([Constraint::Length(selection_width), Constraint::Fill(0)])
                .areas(Rect::new(0, 0, width, 1));
        let rects = Layout::horizontal(constraints)
            .spacing(COLUMN_SPACING)
            .split(area);
        for (slot, r) in out.iter_mut().zip(rects.iter()) {
            *slot = (r.x, r.width);
        }
        out
    }
}

/// The cell of `row` at `column` (x from the row's left, width).
fn at(row: Rect, (x, width): (u16, u16)) -> Rect {
    Rect {
        x: row.x + x,
        width,
        ..row
    }
}

#[cfg(test)]
mod tests;
