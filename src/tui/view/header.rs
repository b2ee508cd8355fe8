//! The top three lines: what project, which cache and settings, how many of each status (and
//! of problems in the project's files).

use super::theme::{Theme, short_word};
use crate::tui::app_state::AppState;
use gomodcache::analysis::report::Status;
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
        // The short word ("replaced"): the three lines must fit 120 columns with the offline
        // verdict, and the list's column says the same.
        let mut text = format!("{} {count} {}", status.glyph(), short_word(status));
        if status == Status::ReplacedLocal && summary.replaced_local_broken > 0 {
            text.push_str(&format!(" ({} broken)", summary.replaced_local_broken));
        }
        let style = if status == Status::ReplacedLocal && summary.replaced_local_broken > 0 {
            theme.bad()
        } else {
            theme.status(status)
        };
        third.push(Span::styled(text, style));
        third.push(Span::raw("  "));
    }
    third.push(Span::styled(
        format!("{} modules", summary.total),
        theme.dim(),
    ));
    if let Some(off) = &state.offline {
        third.push(Span::raw("  "));
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
    let width = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(vec![
            fit(Line::from(first), width),
            fit(second, width),
            with_file_problems(Line::from(third), state.file_problems.len(), width, theme),
        ]),
        area,
    );
}

/// Room the counts keep beside the long warning (the first three statuses), when the two do
/// not fit whole.
const COUNTS_KEPT: usize = 36;

/// The third line with, when the project's files have problems, a warning that says how many
/// and which key shows them: the counts are cut (`…`) before the warning is, and the warning
/// is shortened when that keeps the counts whole, or when a narrow screen would leave them
/// next to nothing.
fn with_file_problems(
    counts: Line<'static>,
    problems: usize,
    width: usize,
    theme: Theme,
) -> Line<'static> {
    if problems == 0 {
        return fit(counts, width);
    }
    let plural = if problems == 1 { "" } else { "s" };
    let long = format!("⚠ {problems} problem{plural} in project files (! to see)");
    let short = format!("⚠ {problems} file problem{plural} (!)");
    let need = |warning: &str| Span::raw(warning).width() + 2;
    let whole = counts.width();
    let warning = if whole + need(&long) <= width {
        long
    } else if whole + need(&short) <= width {
        // Everything whole, the warning shorter, rather than the counts cut.
        short
    } else if width >= need(&long) + COUNTS_KEPT.min(whole) {
        long
    } else {
        short
    };
    let room = width.saturating_sub(need(&warning));
    let mut line = fit(counts, room);
    line.spans.push(Span::raw("  "));
    line.spans.push(Span::styled(warning, theme.warn()));
    fit(line, width)
}

/// `line` cut to `width` columns, ending with `…` when something was cut (a header line that
/// just stops mid-word reads as complete).
fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width || width == 0 {
        return line;
    }
    let mut left = width - 1;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let w = span.width();
        if w <= left {
            left -= w;
            spans.push(span);
        } else {
            let mut text = String::new();
            let mut used = 0;
            for c in span.content.chars() {
                let cw = Span::raw(c.to_string()).width();
                if used + cw > left {
                    break;
                }
                used += cw;
                text.push(c);
            }
            spans.push(Span::styled(text, span.style));
            left = 0;
        }
    }
    spans.push(Span::raw("…"));
    Line::from(spans)
}
