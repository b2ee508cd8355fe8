//! Pop-ups drawn over everything. Those that scroll (help, offline readiness, the tidy diff)
//! share one frame: their lines wrapped to the pop-up, the position in the bottom border, and
//! an offset that stops at the last line.

mod export_prompt;
mod file_problems;
mod help;
mod offline;
mod prune;
mod task_log;

use super::extent::{Extent, inner_rows};
use super::theme::Theme;
use super::wrap::wrap_lines;
use crate::tui::app_state::{AppState, Overlay};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub use export_prompt::export_prompt;

/// Where `overlay` is drawn on a screen of `area`.
pub fn popup(state: &AppState, overlay: &Overlay, area: Rect) -> Rect {
    match overlay {
        Overlay::Help => {
            let width = help::WIDTH.min(area.width);
            let theme = Theme { color: state.color };
            let total = help::lines(theme, width.saturating_sub(2)).len();
            let height = (total as u16).saturating_add(2).min(area.height);
            area.centered(Constraint::Length(width), Constraint::Length(height))
        }
        // As tall as its lines (a problem or two is a small pop-up), at most the usual 80%.
        Overlay::FileProblems => {
            let width = area.width.saturating_mul(9) / 10;
            let theme = Theme { color: state.color };
            let total = lines(state, overlay, theme, width.saturating_sub(2)).len();
            let most = area.height.saturating_mul(4) / 5;
            let height = (total as u16).saturating_add(2).min(most);
            area.centered(Constraint::Length(width), Constraint::Length(height))
        }
        _ => area.centered(Constraint::Percentage(90), Constraint::Percentage(80)),
    }
}

/// The lines of a scrolling overlay, wrapped to `width` columns.
pub fn lines(state: &AppState, overlay: &Overlay, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    match overlay {
        Overlay::Help => help::lines(theme, width as u16),
        Overlay::Offline => wrap_lines(offline::lines(state, theme), width),
        Overlay::FileProblems => wrap_lines(file_problems::lines(state, theme), width),
        Overlay::ConfirmTidy { diff } => wrap_lines(diff_lines(diff, theme), width),
        Overlay::TaskLog { id } => wrap_lines(task_log::lines(state, *id, theme), width),
        Overlay::ConfirmRepair { plan } => wrap_lines(repair_lines(plan, theme), width),
        Overlay::ConfirmGoSumFix { fix } => wrap_lines(go_sum_fix_lines(fix, theme), width),
        Overlay::ConfirmPrune { plan } => wrap_lines(prune::lines(state, plan, theme), width),
        Overlay::ExportPrompt { .. } => Vec::new(),
    }
}

fn title(overlay: &Overlay) -> &'static str {
    match overlay {
        Overlay::Help => "Keys",
        Overlay::Offline => "Offline readiness",
        Overlay::FileProblems => "Problems in project files",
        Overlay::ConfirmTidy { .. } => "go mod tidy would change go.mod / go.sum",
        Overlay::ExportPrompt { .. } => "Export offline bundle",
        Overlay::TaskLog { .. } => "Task log",
        Overlay::ConfirmRepair { .. } => "Repair: evict into the quarantine, then download",
        Overlay::ConfirmGoSumFix { .. } => "Fix go.sum: delete the line, let go write it again",
        Overlay::ConfirmPrune { .. } => "Prune: move the marked versions to the quarantine",
    }
}

/// Draws the open overlay.
pub fn render(state: &AppState, overlay: &Overlay, frame: &mut Frame, area: Rect, theme: Theme) {
    if let Overlay::ExportPrompt { path } = overlay {
        return export_prompt(path, frame, area, theme);
    }
    let popup = popup(state, overlay, area);
    let lines = lines(state, overlay, theme, popup.width.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let extent = Extent {
        total: lines.len(),
        rows: inner_rows(popup),
    };
    let offset = usize::from(state.overlay_scroll).min(extent.max_offset());
    let mut block = Block::bordered()
        .title(Span::styled(format!(" {} ", title(overlay)), theme.title()))
        .border_style(theme.key());
    if let Some(position) = extent.position(offset) {
        block =
            block.title_bottom(Line::styled(format!(" {position} "), theme.dim()).right_aligned());
    }
    let offset = u16::try_from(offset).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((offset, 0)),
        popup,
    );
}

fn diff_lines(diff: &[String], theme: Theme) -> Vec<Line<'static>> {
    diff.iter()
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
        .collect()
}

/// The confirmation of a repair: what it does in two lines, then why, every file that moves
/// (and where), and what makes it safe to interrupt.
fn repair_lines(plan: &crate::jobs::repair_job::RepairPlan, theme: Theme) -> Vec<Line<'static>> {
    let c = &plan.candidate;
    let mut out = vec![
        Line::styled(
            format!("{} (cache copy {})", c.path, c.cache_at()),
            theme.title(),
        ),
        Line::raw(format!(
            "Moves {} files and trees out of the module cache into the quarantine, then runs:",
            plan.moves.len()
        )),
        Line::styled(format!("  {}", plan.command_line), theme.key()),
        Line::raw(""),
        Line::styled("Why:", theme.title()),
    ];
    for p in &c.faults {
        out.push(Line::styled(format!("● {}", p.kind.as_str()), theme.bad()));
        out.push(Line::raw(format!("  {}", p.message)));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("What moves, from {}:", plan.cache_root.display()),
        theme.title(),
    ));
    for (from, _) in &plan.moves {
        let shown = from.strip_prefix(&plan.cache_root).unwrap_or(from);
        out.push(Line::raw(format!("  {}", shown.display())));
    }
    out.push(Line::styled(
        format!(
            "into {} (kept, not deleted; `modscope repair --purge-quarantine` removes the quarantine)",
            plan.quarantine_dir.display()
        ),
        theme.dim(),
    ));
    out.push(Line::raw(""));
    out.push(Line::styled(
        "A .partial marker is written first and removed last: if this is interrupted, go repairs the rest by itself.",
        theme.dim(),
    ));
    out
}

/// The confirmation of a go.sum fix: the lines that go, the command that writes the line
/// again, and what go checks it against.
fn go_sum_fix_lines(fix: &crate::tui::app_state::GoSumFix, theme: Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(format!("{} ({})", fix.module, fix.at), theme.title()),
        Line::raw(format!(
            "go.sum disagrees with the cached download, whose zip, .ziphash and tree agree. Deletes from {}:",
            fix.go_sum.display()
        )),
    ];
    for (n, text) in &fix.lines {
        out.push(Line::styled(format!("  {n}: {text}"), theme.bad()));
    }
    out.push(Line::raw("then runs:"));
    out.push(Line::styled(format!("  {}", fix.command_line), theme.key()));
    out.push(Line::raw(""));
    out.push(Line::raw(
        "go writes the line again from the cached download and checks it against the checksum database (GOSUMDB), unless GOSUMDB=off or GONOSUMDB/GOPRIVATE covers the module: then the line is whatever the cache holds. If go.sum was right (the cache was replaced whole), the checksum database refuses it and the download fails.",
    ));
    out.push(Line::styled(
        "go.mod and go.sum are backed up first (as for tidy); u restores them byte for byte.",
        theme.dim(),
    ));
    out
}
