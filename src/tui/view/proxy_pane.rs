//! The proxy view: a summary line (the check's progress, or its counts), one row per entry the
//! proxy does not serve as go.sum wants it (WRONG bytes first: go refuses them, a security
//! finding; then absent, errors, advice), and under a rule the entry at the cursor: its URL,
//! what the proxy answered, what go does next, and the command that fills it.

use super::theme::{Theme, ellipsize};
use crate::tui::app_state::{AppState, Focus};
use crate::tui::proxy_view::{DETAIL_LINES, ProxyView, rank};
use gomodcache::proxy::report::{Entry, EntryState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// State word, kind, status (each left-aligned but the status, a space after).
const COLUMNS: [usize; 3] = [6, 5, 6];

fn word(e: &Entry) -> &'static str {
    match rank(e) {
        0 => "WRONG",
        1 => "absent",
        2 => "error",
        _ => "advice",
    }
}

fn style_of(e: &Entry, theme: Theme) -> Style {
    match rank(e) {
        0 => theme.bad().add_modifier(Modifier::BOLD),
        1 => theme.warn(),
        2 => theme.bad(),
        _ => theme.dim(),
    }
}

fn status_text(e: &Entry) -> String {
    e.status.map_or_else(|| "—".into(), |s| s.to_string())
}

fn row_line(e: &Entry, name_width: usize, theme: Theme) -> Line<'static> {
    let [w, k, s] = COLUMNS;
    Line::from(vec![
        Span::raw("  "),
        Span::styled(format!("{:<w$} ", word(e)), style_of(e, theme)),
        Span::raw(format!("{:<k$} ", e.file)),
        Span::raw(format!(
            "{:<name_width$}",
            ellipsize(e.module.as_deref().unwrap_or("(the proxy)"), name_width)
        )),
        Span::styled(format!(" {:>s$}", status_text(e)), theme.dim()),
    ])
}

fn summary(state: &AppState, view: &ProxyView, theme: Theme) -> Line<'static> {
    let mut spans = Vec::new();
    if let Some(task) = view.running.and_then(|id| state.task(id)) {
        let progress = match task.progress {
            Some((done, total)) if total > 0 => format!("{done}/{total} module versions"),
            _ => "reading what the project needs".into(),
        };
        spans.push(Span::styled(
            format!("⟳ checking: {progress} (c cancels) "),
            theme.warn(),
        ));
    } else if let Some(e) = &view.error {
        spans.push(Span::styled(format!("{e} (r checks again) "), theme.bad()));
    }
    if let Some(a) = &view.audit {
        let c = &a.counts;
        let (verdict, style) = if a.complete {
            ("✓ complete", theme.good())
        } else {
            ("✗ incomplete", theme.bad())
        };
        if !spans.is_empty() {
            spans.push(Span::styled("· last: ", theme.dim()));
        }
        spans.push(Span::styled(verdict, style));
        spans.push(Span::raw(format!(
            ": {} present · {} absent · ",
            c.present, c.absent
        )));
        // Other bytes than go.sum's: someone changed what the proxy serves.
        spans.push(if c.wrong > 0 {
            Span::styled(
                format!("⚠ {} wrong", c.wrong),
                theme.bad().add_modifier(Modifier::BOLD),
            )
        } else {
            Span::raw("0 wrong")
        });
        spans.push(Span::raw(format!(
            " · {} errors ({} modules)",
            c.error, a.modules
        )));
    } else if spans.is_empty() {
        spans.push(Span::styled("no check yet (r checks)", theme.dim()));
    }
    Line::from(spans)
}

/// The entry at the cursor, on at most `DETAIL_LINES - 1` lines under a rule.
fn detail(view: &ProxyView, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("─".repeat(width), theme.dim())];
    let Some(e) = view.at_cursor() else {
        return lines;
    };
    let field = |label: &'static str, text: &str, style: Style| {
        Line::from(vec![
            Span::styled(label, theme.dim()),
            Span::styled(ellipsize(text, width.saturating_sub(6)), style),
        ])
    };
    lines.push(field("url   ", &e.url, Style::default()));
    let answer = match (&e.status, e.detail.is_empty()) {
        (Some(s), true) => format!("{s}"),
        (Some(s), false) => format!("{s}: {}", e.detail),
        (None, _) => e.detail.clone(),
    };
    lines.push(field("got   ", &answer, style_of(e, theme)));
    if let Some(next) = &e.next {
        lines.push(field("then  ", next, Style::default()));
    }
    match (&e.fix, e.state) {
        (Some(fix), _) => lines.push(field("fix   ", fix, theme.key())),
        (None, EntryState::Wrong) => lines.push(field(
            "fix   ",
            "take these bytes out of the proxy: nothing here vouches for them",
            theme.bad(),
        )),
        _ => {}
    }
    lines
}

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let view = &state.proxy;
    let inner_width = usize::from(area.width.saturating_sub(2));
    let [w, k, s] = COLUMNS;
    let name_width = inner_width.saturating_sub(2 + w + 1 + k + 1 + 1 + s).max(8);
    let rows = usize::from(area.height.saturating_sub(4)).saturating_sub(DETAIL_LINES);
    let mut lines = vec![
        summary(state, view, theme),
        Line::styled(
            format!(
                "  {:<w$} {:<k$} {:<name_width$} {:>s$}",
                "state", "kind", "module@version", "status"
            ),
            theme.title(),
        ),
    ];
    let entries = view.audit.as_ref().map_or(&[][..], |a| &a.entries[..]);
    for (i, &at) in view.rows.iter().enumerate().skip(view.offset).take(rows) {
        let line = row_line(&entries[at], name_width, theme);
        lines.push(if i == view.cursor && state.focus != Focus::Tasks {
            line.style(theme.selected())
        } else {
            line
        });
    }
    if view.rows.is_empty() {
        let text = match &view.audit {
            Some(a) if a.complete => format!(
                "  the proxy serves every .info, .mod and zip this project needs ({} modules)",
                a.modules
            ),
            Some(_) => "  nothing to list".into(),
            None if view.running.is_some() => "  checking the proxy…".into(),
            None => String::new(),
        };
        lines.push(Line::styled(text, theme.dim()));
    }
    let shown = lines.len();
    let table_end = 2 + rows;
    lines.extend(std::iter::repeat_n(
        Line::raw(""),
        table_end.saturating_sub(shown),
    ));
    lines.extend(detail(view, inner_width, theme));
    let url = view.audit.as_ref().map_or("", |a| a.proxy.as_str());
    let title = Line::from(vec![Span::styled(
        format!(" Proxy check {url} "),
        theme.title(),
    )]);
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border(state.focus != Focus::Tasks));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
