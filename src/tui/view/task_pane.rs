//! Background jobs: one line each (state, elapsed, command, progress), then the selected job's
//! output tail.

use super::theme::{Theme, ellipsize, human_duration, human_size};
use super::wrap::wrap_lines;
use crate::tui::app_state::{AppState, Focus};
use crate::tui::task_log::{TaskState, TaskView};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

const BAR_WIDTH: usize = 16;

fn state_style(t: &TaskView, theme: Theme) -> Style {
    match t.state {
        TaskState::Queued | TaskState::Running => theme.warn(),
        TaskState::Done | TaskState::DiffReady => theme.good(),
        TaskState::Failed(_) => theme.bad(),
        TaskState::Cancelled => theme.dim(),
    }
}

/// `[██████░░░░] 3/5` or, in bytes, `[███░░░] 12.0 MiB/40.0 MiB`.
pub fn progress_text(t: &TaskView) -> Option<String> {
    let (done, total) = t.progress?;
    if total == 0 {
        return Some(if t.progress_in_bytes {
            human_size(done)
        } else {
            format!("{done}")
        });
    }
    let filled = ((done.min(total) as f64 / total as f64) * BAR_WIDTH as f64).round() as usize;
    let bar = format!("[{}{}]", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled));
    Some(if t.progress_in_bytes {
        format!("{bar} {}/{}", human_size(done), human_size(total))
    } else {
        format!("{bar} {done}/{total}")
    })
}

fn task_line(
    t: &TaskView,
    selected: bool,
    state: &AppState,
    width: u16,
    theme: Theme,
) -> Line<'static> {
    let marker = if selected { "▶ " } else { "  " };
    let progress = progress_text(t).unwrap_or_default();
    let fixed = 2 + 10 + 8 + progress.chars().count() + 2;
    let command = ellipsize(
        &t.command_line,
        usize::from(width).saturating_sub(fixed + 2),
    );
    let mut spans = vec![
        Span::raw(marker),
        Span::styled(format!("{:<10}", t.state.label()), state_style(t, theme)),
        Span::styled(
            format!("{:>7} ", human_duration(t.elapsed(state.now))),
            theme.dim(),
        ),
        Span::raw(command),
    ];
    if !progress.is_empty() {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(progress, theme.key()));
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let focused = state.focus == Focus::Tasks;
    let block = Block::bordered()
        .title(Span::styled(
            format!(" Tasks {} ", state.tasks.len()),
            theme.title(),
        ))
        .border_style(theme.border(focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let list_height = (state.tasks.len() as u16)
        .min(inner.height.saturating_sub(1).max(1))
        .min(4);
    let [list_area, log_area] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(inner);
    // Keep the selected task in view: show the window of tasks ending at it.
    let sel = state.selected_task.min(state.tasks.len().saturating_sub(1));
    let first = (sel + 1).saturating_sub(usize::from(list_height));
    let lines: Vec<Line> = state
        .tasks
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(list_height))
        .map(|(i, t)| task_line(t, i == sel, state, inner.width, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(t) = state.tasks.get(sel) {
        let rows = usize::from(log_area.height);
        // Wrapped, not cut at the border: a go error is often one long line. Each line wraps
        // to one row or more, so the last `rows` lines are enough to fill the tail.
        let last: Vec<Line<'static>> = t
            .log
            .iter()
            .skip(t.log.len().saturating_sub(rows))
            .map(|l| Line::styled(format!("  {l}"), theme.dim()))
            .collect();
        let wrapped = wrap_lines(last, usize::from(log_area.width));
        let mut tail: Vec<Line> = wrapped[wrapped.len().saturating_sub(rows)..].to_vec();
        if let TaskState::Failed(msg) = &t.state {
            if tail.len() == rows && rows > 0 {
                tail.remove(0);
            }
            tail.push(Line::styled(format!("  ✗ {msg}"), theme.bad()));
        }
        frame.render_widget(Paragraph::new(tail), log_area);
    }
}
