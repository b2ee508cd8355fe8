//! The top three lines: what project, which cache and settings, how many of each status.

use super::theme::Theme;
use crate::core::analysis::report::Status;
use crate::tui::app_state::AppState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(state: &AppState, frame: &mut Frame, area: Rect, theme: Theme) {
    let h = &state.header;
    let mut first = vec![Span::styled("modscope", theme.key()), Span::raw(" · ")];
    first.push(Span::styled(
        h.main_module
            .clone()
            .unwrap_or_else(|| state.project_dir.display().to_string()),
        theme.title(),
    ));
    if let Some(go) = &h.go_version {
        first.push(Span::styled(format!("  go {go}"), theme.dim()));
    }
    if let Some(tc) = &h.toolchain {
        first.push(Span::styled(format!(" · toolchain {tc}"), theme.dim()));
    }
    if let Some(ws) = &h.workspace {
        first.push(Span::styled(format!(" · workspace {ws}"), theme.dim()));
    }
    if state.demo {
        first.push(Span::styled("  [demo]", theme.warn()));
    }
    let env = &h.env;
    let second = Line::from(vec![
        Span::styled("GOMODCACHE ", theme.dim()),
        Span::raw(state.gomodcache.display().to_string()),
        Span::styled(
            format!(
                "  GOPROXY={} GOFLAGS={} GOWORK={} GOTOOLCHAIN={}",
                env.goproxy,
                if env.goflags.is_empty() {
                    "''"
                } else {
                    &env.goflags
                },
                if env.gowork.is_empty() {
                    "''"
                } else {
                    &env.gowork
                },
                env.gotoolchain
            ),
            theme.dim(),
        ),
    ]);
    let summary = state.summary();
    let mut third = Vec::new();
    for status in Status::ALL {
        let count = summary.count(status);
        // Graph-only modules are counted apart, and only when the graph has any.
        if status == Status::Graph && count == 0 {
            continue;
        }
        let mut text = format!("{} {count} {}", status.glyph(), status.as_str());
        if status == Status::ReplacedLocal && summary.replaced_local_broken > 0 {
            text.push_str(&format!(" ({} broken)", summary.replaced_local_broken));
        }
        let style = if status == Status::ReplacedLocal && summary.replaced_local_broken > 0 {
            theme.bad()
        } else {
            theme.status(status)
        };
        third.push(Span::styled(text, style));
        third.push(Span::raw("   "));
    }
    third.push(Span::styled(
        format!("{} modules", summary.total),
        theme.dim(),
    ));
    if let Some(off) = &state.offline {
        third.push(Span::raw("   "));
        let stale = if state.offline_stale {
            " (r refreshes)"
        } else {
            ""
        };
        if off.ready {
            third.push(Span::styled(format!("offline: ready{stale}"), theme.good()));
        } else {
            third.push(Span::styled(
                format!(
                    "offline: {} blocker{} (o){stale}",
                    off.blockers.len(),
                    if off.blockers.len() == 1 { "" } else { "s" }
                ),
                theme.bad(),
            ));
        }
    }
    if state.scanning {
        third.push(Span::styled("   scanning…", theme.warn()));
    }
    if let Some(e) = &state.scan_error {
        third.push(Span::styled(
            format!("   cannot load the project: {e}"),
            theme.bad(),
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), second, Line::from(third)]),
        area,
    );
}
