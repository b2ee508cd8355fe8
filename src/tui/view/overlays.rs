//! Pop-ups drawn over everything: the help generated from the keymap, and the tidy diff to
//! confirm.

use super::theme::Theme;
use crate::tui::app_state::AppState;
use crate::tui::keymap::bindings;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn help(frame: &mut Frame, area: Rect, theme: Theme) {
    let all = bindings();
    let mut lines = Vec::new();
    let mut group = "";
    for b in &all {
        if b.group != group {
            if !group.is_empty() {
                lines.push(Line::raw(""));
            }
            group = b.group;
            lines.push(Line::styled(group.to_string(), theme.title()));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<10}", b.label), theme.key()),
            Span::raw(b.description),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Mouse: click selects a row, the wheel scrolls.  Esc, ? or q closes.",
        theme.dim(),
    ));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = area.centered(
        Constraint::Length(74.min(area.width)),
        Constraint::Length(height),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(" Keys ", theme.title()))
                .border_style(theme.key()),
        ),
        popup,
    );
}

pub fn confirm_tidy(
    state: &AppState,
    diff: &[String],
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let popup = area.centered(Constraint::Percentage(90), Constraint::Percentage(80));
    frame.render_widget(Clear, popup);
    let lines: Vec<Line> = diff
        .iter()
        .map(|l| {
            let style = if l.starts_with("+++") || l.starts_with("---") {
                theme.title()
            } else if l.starts_with('+') {
                theme.diff_added()
            } else if l.starts_with('-') {
                theme.diff_removed()
            } else if l.starts_with("@@") {
                theme.diff_hunk()
            } else {
                theme.dim()
            };
            Line::styled(l.clone(), style)
        })
        .collect();
    let block = Block::bordered()
        .title(Span::styled(
            " go mod tidy would change go.mod / go.sum ",
            theme.title(),
        ))
        .title_bottom(Line::from(vec![
            Span::styled(" y ", theme.key()),
            Span::raw("apply (a backup is kept; u undoes)  "),
            Span::styled(" n ", theme.key()),
            Span::raw("cancel  "),
            Span::styled(" ↑/↓ ", theme.key()),
            Span::raw("scroll "),
        ]))
        .border_style(theme.key());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((state.overlay_scroll, 0)),
        popup,
    );
}

/// What blocks an offline build, each with its fix (the same verdict as `modscope offline`).
pub fn offline(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let popup = area.centered(Constraint::Percentage(90), Constraint::Percentage(80));
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = Vec::new();
    match &state.offline {
        None => lines.push(Line::styled(
            "not computed yet (the scan is running)",
            theme.dim(),
        )),
        Some(r) => {
            lines.push(if r.ready {
                Line::styled(
                    "✓ ready: GOPROXY=off go build ./... has everything it needs in the cache",
                    theme.good(),
                )
            } else {
                Line::styled(
                    format!(
                        "✗ not ready: {} blocker(s) for GOPROXY=off go build ./...",
                        r.blockers.len()
                    ),
                    theme.bad(),
                )
            });
            lines.push(Line::styled(
                format!(
                    "{} · {} module(s) needed by the build",
                    r.build_mode_reason,
                    r.modules.len()
                ),
                theme.dim(),
            ));
            for b in &r.blockers {
                lines.push(Line::raw(""));
                let kind = serde_json::to_value(b.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                lines.push(Line::from(vec![
                    Span::styled(format!("✗ {kind}  "), theme.bad()),
                    Span::raw(b.module.clone().unwrap_or_default()),
                ]));
                lines.push(Line::raw(format!("  {}", b.message)));
                lines.push(Line::from(vec![
                    Span::styled("  fix: ", theme.key()),
                    Span::raw(b.fix.clone()),
                ]));
            }
            for w in &r.warnings {
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    format!("! {}: {}", w.kind, w.message),
                    theme.warn(),
                ));
            }
            if !r.not_needed.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    format!(
                        "not needed by go build (test-only or unused): {}",
                        r.not_needed.join(", ")
                    ),
                    theme.dim(),
                ));
            }
        }
    }
    let block = Block::bordered()
        .title(Span::styled(" Offline readiness ", theme.title()))
        .title_bottom(Line::from(vec![
            Span::styled(" o/Esc ", theme.key()),
            Span::raw("close  "),
            Span::styled(" ↑/↓ ", theme.key()),
            Span::raw("scroll  "),
            Span::styled(" e ", theme.key()),
            Span::raw("export a bundle for an offline machine "),
        ]))
        .border_style(theme.key());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .scroll((state.overlay_scroll, 0)),
        popup,
    );
}

/// The directory the offline bundle goes to, edited in place.
pub fn export_prompt(path: &str, frame: &mut Frame, area: Rect, theme: Theme) {
    let width = 90.min(area.width);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(7));
    frame.render_widget(Clear, popup);
    // The end of a long path is what the user is typing: keep it in view.
    let room = usize::from(width.saturating_sub(5)).max(2);
    let chars: Vec<char> = path.chars().collect();
    let shown: String = if chars.len() > room {
        std::iter::once('…')
            .chain(chars[chars.len() + 1 - room..].iter().copied())
            .collect()
    } else {
        path.to_string()
    };
    let lines = vec![
        Line::styled(
            "Write a file:// GOPROXY of exactly what the build needs to this new or empty directory:",
            theme.dim(),
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled(shown, theme.title()),
            Span::styled("▏", theme.key()),
        ]),
        Line::raw(""),
        Line::styled(
            "~/ is your home; a relative path starts at the project directory",
            theme.dim(),
        ),
    ];
    let block = Block::bordered()
        .title(Span::styled(" Export offline bundle ", theme.title()))
        .title_bottom(Line::from(vec![
            Span::styled(" Enter ", theme.key()),
            Span::raw("export  "),
            Span::styled(" Ctrl-U ", theme.key()),
            Span::raw("clear  "),
            Span::styled(" Esc ", theme.key()),
            Span::raw("cancel "),
        ]))
        .border_style(theme.key());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        popup,
    );
}
