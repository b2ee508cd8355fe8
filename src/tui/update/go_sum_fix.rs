//! `S`: go.sum disagrees with a cache that agrees with itself (zip, `.ziphash` and tree). Which
//! side is right is the user's call, so nothing happens before a confirmation that shows the
//! go.sum lines to delete and the command that re-adds them: `go mod download path@version`
//! writes the line from the cached download, checked against the checksum database. go.mod and
//! go.sum are backed up first, as for tidy, and `u` undoes.

use super::jobs::{go, start_task};
use crate::core::analysis::cache_fault::cache_target;
use crate::core::analysis::problems::ProblemKind;
use crate::tui::app_state::{AppState, GoSumFix, Overlay};
use crate::tui::effect::Effect;
use crate::tui::task_log::JobPurpose;

/// The confirmation for the selected module, or a notice why there is nothing to fix.
pub(super) fn request(state: &mut AppState) {
    let Some(m) = state.selected_module() else {
        state.say("no module selected");
        return;
    };
    if !m
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::GoSumMismatch)
    {
        let text = format!(
            "go.sum agrees with the cache for {}: no go.sum line to fix (X repairs a changed cache)",
            m.path
        );
        state.say(text);
        return;
    }
    let (Some((path, version)), Some(project)) = (cache_target(m), state.project.as_ref()) else {
        state.say("the project is not loaded");
        return;
    };
    let Some((file, first)) = project.sums.zip_line(path, version) else {
        state.say(format!(
            "go.sum has no line for {path}@{version} any more: rescan (r)"
        ));
        return;
    };
    // The first line decides for go; later ones for the same key go too, or the first fresh
    // line would not be the one go reads.
    let mut lines = vec![(first.line, first.text())];
    lines.extend(
        project
            .sums
            .disagreeing(path, version, false)
            .into_iter()
            .map(|l| (l.line, l.text())),
    );
    let at = format!("{path}@{version}");
    let invocation = go(state, &["mod", "download", "-json", &at]);
    state.overlay = Some(Overlay::ConfirmGoSumFix {
        fix: Box::new(GoSumFix {
            module: m.path.clone(),
            at: at.clone(),
            go_sum: file.to_path_buf(),
            lines,
            command_line: invocation.command_line(),
        }),
    });
    state.overlay_scroll = 0;
}

/// `y`: back up, delete the lines, download.
pub(super) fn confirm(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::ConfirmGoSumFix { fix }) = state.overlay.take() else {
        return Vec::new();
    };
    let invocation = go(state, &["mod", "download", "-json", &fix.at]);
    let id = start_task(
        state,
        JobPurpose::GoSumFix(vec![fix.module.clone()]),
        invocation.command_line(),
    );
    vec![Effect::BackupThenFixGoSum {
        id,
        go_sum: fix.go_sum,
        lines: fix.lines,
        invocation,
    }]
}

/// `n` or Esc.
pub(super) fn cancel(state: &mut AppState) {
    if matches!(state.overlay, Some(Overlay::ConfirmGoSumFix { .. })) {
        state.overlay = None;
        state.say("go.sum fix cancelled: go.sum is unchanged");
    }
}
