//! The bottom lines: the notice, when there is one, on a row of its own; under it the filter
//! being typed or the key hints.

use super::theme::Theme;
use crate::tui::app_state::{AppState, ListArea};
use crate::tui::keymap::{Context, hints};
use crate::tui::message::Msg;
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
    let mut spans = Vec::new();
    let mut used = 0;
    let editing = if state.list_area == ListArea::Cache && state.cache.filter_editing {
        Some(&state.cache.filter)
    } else {
        state.filter_editing.then_some(&state.filter_text)
    };
    if let Some(filter) = editing {
        let text = format!("/{filter}   ");
        let width = text.chars().count() as u16 - 3;
        frame.set_cursor_position((area.x + width.min(area.width.saturating_sub(1)), area.y));
        used = text.chars().count();
        spans.push(Span::styled(text, theme.key()));
    }
    spans.extend(hint_spans(
        state,
        Context::of(state),
        usize::from(area.width).saturating_sub(used),
        theme,
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints of `context` that fit in `width` columns, in table order; the ones that open
/// help and the problems in the project's files (shown only when there are some) are kept
/// whatever else has to go.
fn hint_spans(
    state: &AppState,
    context: Context,
    width: usize,
    theme: Theme,
) -> Vec<Span<'static>> {
    let pieces: Vec<(&'static str, String, bool)> = hints(context)
        .into_iter()
        .filter(|(b, _)| b.hint_when.holds(state))
        .map(|(b, text)| {
            let kept = matches!(b.msg, Msg::ToggleHelp | Msg::ToggleFileProblems);
            (b.hint_key(), format!(" {text}  "), kept)
        })
        .collect();
    let piece_width = |(k, t, _): &(&str, String, bool)| k.chars().count() + t.chars().count();
    // The room the kept pieces not placed yet need.
    let mut reserved: usize = pieces.iter().filter(|p| p.2).map(piece_width).sum();
    let mut used = 0;
    let mut spans = Vec::new();
    for piece in &pieces {
        let w = piece_width(piece);
        if piece.2 {
            reserved -= w;
        }
        let room = width.saturating_sub(reserved);
        // The two spaces after a piece need not fit at the end of the line.
        if used + w - 2 > room {
            continue;
        }
        used += w;
        spans.push(Span::styled(piece.0, theme.key()));
        spans.push(Span::styled(piece.1.clone(), theme.dim()));
    }
    spans
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
