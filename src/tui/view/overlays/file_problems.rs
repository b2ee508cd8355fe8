//! The problems in the project's files, as `modscope check` lists them under PROJECT FILES:
//! `file:line: message` (the line when the problem is on one).

use crate::tui::app_state::AppState;
use crate::tui::view::theme::Theme;
use ratatui::text::{Line, Span};

pub fn lines(state: &AppState, theme: Theme) -> Vec<Line<'static>> {
    let problems = &state.file_problems;
    if problems.is_empty() {
        // A rescan cleared them while the overlay was open.
        return vec![Line::styled(
            "✓ the last scan found no problems in the project's files",
            theme.good(),
        )];
    }
    let mut lines = vec![Line::styled(
        format!(
            "⚠ {} problem{} in the project's files, as `modscope check` reports {}:",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            if problems.len() == 1 { "it" } else { "them" }
        ),
        theme.warn(),
    )];
    for p in problems {
        let at = match p.line {
            Some(line) => format!("{}:{line}:", p.file),
            None => format!("{}:", p.file),
        };
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled(at, theme.key()),
            Span::raw(format!(" {}", p.message)),
        ]));
    }
    lines
}
