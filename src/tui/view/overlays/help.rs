//! Help, generated from the key table: every binding under its group, then the mouse.

use crate::tui::keymap::bindings;
use crate::tui::view::theme::Theme;
use crate::tui::view::wrap::wrap_lines;
use ratatui::text::{Line, Span};

/// The pop-up's width (less on a narrower screen).
pub const WIDTH: u16 = 80;

/// Every line of help, wrapped to `width` columns.
pub fn lines(theme: Theme, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut group = "";
    for b in bindings() {
        if b.group != group {
            if !group.is_empty() {
                lines.push(Line::raw(""));
            }
            group = b.group;
            lines.push(Line::styled(group, theme.title()));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<10}", b.label), theme.key()),
            Span::raw(b.description),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Mouse: a click selects a row, the wheel scrolls.",
        theme.dim(),
    ));
    // Wrapped under the description, not under the key.
    lines
        .into_iter()
        .flat_map(|l| {
            if l.width() <= usize::from(width) || l.spans.len() < 2 {
                wrap_lines(vec![l], usize::from(width))
            } else {
                wrap_binding(l, usize::from(width))
            }
        })
        .collect()
}

/// A `key  description` line too long for `width`, continued under the description.
fn wrap_binding(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let mut spans = line.spans.into_iter();
    let key = spans.next().unwrap_or_default();
    let indent = key.width();
    let rest: Vec<Span<'static>> = std::iter::once(Span::raw(" ".repeat(indent)))
        .chain(spans)
        .collect();
    let mut wrapped = wrap_lines(vec![Line::from(rest)], width);
    if let Some(first) = wrapped.first_mut() {
        let text: String = first.to_string().chars().skip(indent).collect();
        *first = Line::from(vec![key, Span::raw(text)]);
    }
    wrapped
}
