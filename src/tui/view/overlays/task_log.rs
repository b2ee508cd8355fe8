//! One task in full: its exact command line, its state, and every line of output kept.

use crate::jobs::JobId;
use crate::tui::app_state::AppState;
use crate::tui::task_log::{LOG_LINES, TaskState};
use crate::tui::view::task_pane::progress_text;
use crate::tui::view::theme::{Theme, human_duration};
use ratatui::text::{Line, Span};

pub fn lines(state: &AppState, id: JobId, theme: Theme) -> Vec<Line<'static>> {
    let Some(t) = state.task(id) else {
        return vec![Line::styled("this task was cleared", theme.dim())];
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled("$ ", theme.dim()),
            Span::styled(t.command_line.clone(), theme.key()),
        ]),
        Line::styled(
            format!(
                "{} · {}{}",
                t.state.label(),
                human_duration(t.elapsed(state.now)),
                progress_text(t)
                    .map(|p| format!(" · {p}"))
                    .unwrap_or_default()
            ),
            theme.dim(),
        ),
        Line::raw(""),
    ];
    if t.log_dropped > 0 {
        lines.push(Line::styled(
            format!(
                "… {} earlier lines not kept (the last {LOG_LINES} are)",
                t.log_dropped
            ),
            theme.dim(),
        ));
    }
    if t.log.is_empty() && t.log_dropped == 0 {
        lines.push(Line::styled("(no output)", theme.dim()));
    }
    lines.extend(t.log.iter().map(|l| Line::raw(l.clone())));
    if let TaskState::Failed(message) = &t.state {
        lines.push(Line::styled(format!("✗ {message}"), theme.bad()));
    }
    lines
}
