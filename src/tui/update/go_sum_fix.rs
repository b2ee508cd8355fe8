//! `S`: go.sum disagrees with a cache that agrees with itself (zip, `.ziphash` and tree; or a
//! cached `.mod` that is the module's own go.mod, for the `/go.mod` line). Which
//! side is right is the user's call, so nothing happens before a confirmation that shows the
//! go.sum lines to delete and the command that re-adds them: `go mod download path@version`
//! writes the line from the cached download, checked against the checksum database. go.mod and
//! go.sum are backed up first, as for tidy, and `u` undoes.

use super::task_start::{go, start_task};
use crate::tui::app_state::{AppState, GoSumFix, Overlay};
use crate::tui::effect::Effect;
use crate::tui::task_log::JobPurpose;
use gomodcache::analysis::cache_fault::{cache_target, go_sum_side_keys};
use gomodcache::cache::layout::ModuleCache;

/// The confirmation for the selected module, or a notice why there is nothing to fix.
pub(super) fn request(state: &mut AppState) {
    let Some(m) = state.selected_module() else {
        state.say("no module selected");
        return;
    };
    let (Some((path, version)), Some(project)) = (cache_target(m), state.project.as_ref()) else {
        state.say("the project is not loaded");
        return;
    };
    let cache = ModuleCache::new(&state.gomodcache);
    let keys = go_sum_side_keys(m, &cache);
    if keys.is_empty() {
        let text = format!(
            "go.sum agrees with the cache for {}: no go.sum line to fix (X repairs a changed cache)",
            m.path
        );
        state.say(text);
        return;
    }
    // Every line of each key in the file that holds its first line: the first decides for go,
    // and a later one for the same key would be the one go reads once the first is gone.
    let mut file = None;
    let mut lines = Vec::new();
    for go_mod in keys {
        let first = if go_mod {
            project.sums.go_mod_line(path, version)
        } else {
            project.sums.zip_line(path, version)
        };
        let Some((f, first)) = first else {
            state.say(format!(
                "go.sum has no line for {path}@{version} any more: rescan (r)"
            ));
            return;
        };
        if file.is_some_and(|known| known != f) {
            // One file per fix: the backup and the undo are of one go.sum.
            continue;
        }
        file = Some(f);
        lines.push((first.line, first.text()));
        lines.extend(
            project
                .sums
                .disagreeing_in(path, version, go_mod)
                .into_iter()
                .filter(|(lf, _)| *lf == f)
                .map(|(_, l)| (l.line, l.text())),
        );
    }
    let Some(file) = file else { return };
    lines.sort();
    let file = file.to_path_buf();
    let at = format!("{path}@{version}");
    let invocation = go(state, &["mod", "download", "-json", &at]);
    let module = m.path.clone();
    state.overlay = Some(Overlay::ConfirmGoSumFix {
        fix: Box::new(GoSumFix {
            module,
            at: at.clone(),
            go_sum: file,
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
