//! The confirmation of a prune from the cache view: every version that moves, its bytes, where
//! it goes, and how to free the quarantine.

use crate::tui::app_state::AppState;
use crate::tui::view::theme::{Theme, human_size};
use gomodcache::inventory::plan::PrunePlan;
use ratatui::text::{Line, Span};

pub fn lines(state: &AppState, plan: &PrunePlan, theme: Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            format!(
                "Moves {} versions ({} on disk) out of the module cache into the quarantine:",
                plan.versions.len(),
                human_size(plan.total.disk)
            ),
            theme.title(),
        ),
        Line::raw(""),
    ];
    let width = plan
        .versions
        .iter()
        .map(|v| v.path.chars().count() + v.version.chars().count() + 1)
        .max()
        .unwrap_or(0);
    for v in &plan.versions {
        let at = format!("{}@{}", v.path, v.version);
        out.push(Line::from(vec![
            Span::raw(format!("  {at:<width$}  ")),
            Span::styled(format!("{:>10}", human_size(v.bytes.disk)), theme.key()),
        ]));
    }
    out.push(Line::raw(""));
    let root = state
        .quarantine_root
        .as_ref()
        .map_or_else(|| "the quarantine".to_string(), |r| r.display().to_string());
    out.push(Line::raw(format!(
        "into {root} (kept, not deleted: the bytes are freed by `modscope repair --purge-quarantine`)."
    )));
    if let Some(found) = &state.cache.found {
        out.push(Line::raw(format!(
            "No known project uses them ({} counted: the projects modscope inspected and this one).",
            found.scan.usage.projects.len()
        )));
    }
    out.push(Line::styled(
        "Each version is evicted under go's lock, its .partial marker written first and removed last: interrupted, go downloads the rest again by itself. c in the task pane stops between versions.",
        theme.dim(),
    ));
    out
}
