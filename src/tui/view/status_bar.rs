//! The bottom line: the filter being typed, or the last notice and the key hints.

use super::theme::Theme;
use crate::tui::app_state::AppState;
use crate::tui::keymap::bindings;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
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
    let mut spans = Vec::new();
    if let Some(n) = &state.notice {
        spans.push(Span::styled(format!("{n}  "), theme.warn()));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let mut hints = Vec::new();
    let mut width = used;
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
    spans.extend(hints);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
