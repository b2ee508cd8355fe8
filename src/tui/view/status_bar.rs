//! The bottom lines: the notice, when there is one, on a row of its own; under it the filter
//! being typed or the key hints.

use super::theme::Theme;
use crate::tui::app_state::AppState;
use crate::tui::keymap::bindings;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    if area.height == 0 {
        return;
    }
    // The hints take the last row; the notice the row above it (the layout gives it one).
    let area = match state.notice_text() {
        Some(text) if area.height > 1 => {
            let notice_row = Rect { height: 1, ..area };
            frame.render_widget(
                Paragraph::new(Line::styled(
                    ellipsize_end(text, usize::from(area.width)),
                    theme.warn(),
                )),
                notice_row,
            );
            Rect {
                y: area.y + area.height - 1,
                height: 1,
                ..area
            }
        }
        _ => area,
    };
    if state.filter_editing {
        let text = format!("/{}", state.filter_text);
        let width = text.chars().count() as u16;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, theme.key()),
                Span::styled("   Enter keeps · Esc clears", theme.dim()),
            ])),
            area,
        );
        frame.set_cursor_position((area.x + width.min(area.width.saturating_sub(1)), area.y));
        return;
    }
    let mut hints = Vec::new();
    let mut width = 0;
    for b in bindings() {
        let Some(h) = b.hint else { continue };
        // "↑/k" shows as "↑"; "/" itself is a key.
        let first_key = if b.label == "/" {
            b.label
        } else {
            b.label.split('/').next().unwrap_or(b.label)
        };
        let piece = format!("{first_key} {h}  ");
        width += piece.chars().count();
        if width > usize::from(area.width) {
            break;
        }
        hints.push(Span::styled(first_key.to_string(), theme.key()));
        hints.push(Span::styled(format!(" {h}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(hints)), area);
}

/// `s` cut to `max` characters, the cut marked with an ellipsis at the end.
fn ellipsize_end(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
