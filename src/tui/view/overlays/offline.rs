//! What blocks `GOPROXY=off go build ./...`, each blocker with its fix (the same verdict as
//! `modscope offline`).

use crate::tui::app_state::AppState;
use crate::tui::view::theme::Theme;
use ratatui::text::{Line, Span};

pub fn lines(state: &AppState, theme: Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
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
                if let Some(fix) = &b.fix {
                    lines.push(Line::from(vec![
                        Span::styled("  fix: ", theme.key()),
                        Span::raw(fix.clone()),
                    ]));
                }
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
    lines
}
