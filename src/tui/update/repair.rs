//! `X`: repair the selected module. The plan (which files move into the quarantine, which go
//! command runs) is worked out by the event loop, shown, and only `y` starts the job; when it
//! ends the module is verified again, as after a download.

use super::task_start::{start_task, start_verify};
use crate::tui::app_state::{AppState, Overlay};
use crate::tui::effect::Effect;
use crate::tui::task_log::JobPurpose;

/// Asks for the plan of the selected module's repair, unless a go job may be using it.
pub(super) fn request(state: &mut AppState) -> Vec<Effect> {
    let Some(m) = state.selected_module() else {
        state.say("no module selected");
        return Vec::new();
    };
    if let Some(busy) = busy_with(state, &m.path) {
        let text = format!(
            "{} is in use by a running job ({busy}): repair it when that ends",
            m.path
        );
        state.say(text);
        return Vec::new();
    }
    vec![Effect::PlanRepair {
        module: Box::new(m.clone()),
    }]
}

/// The title of an active job that may read or write `path`'s cache files: a download or
/// repair of it, or a tidy (which may download anything).
fn busy_with(state: &AppState, path: &str) -> Option<String> {
    state
        .tasks
        .iter()
        .filter(|t| t.state.is_active())
        .find(|t| match &t.purpose {
            JobPurpose::Download(paths) | JobPurpose::Repair(paths) => {
                paths.iter().any(|p| p == path)
            }
            JobPurpose::Tidy
            | JobPurpose::TidyDiff
            | JobPurpose::GoSumFix(_)
            | JobPurpose::CachePrune => true,
            JobPurpose::Verify | JobPurpose::Export | JobPurpose::ProxyCheck => false,
        })
        .map(|t| t.command_line.clone())
}

/// The plan arrived: the confirmation, or why there is nothing to repair.
pub(super) fn planned(
    state: &mut AppState,
    plan: Result<crate::jobs::repair_job::RepairPlan, String>,
) {
    match plan {
        Ok(plan) => {
            state.overlay = Some(Overlay::ConfirmRepair {
                plan: Box::new(plan),
            });
            state.overlay_scroll = 0;
        }
        Err(why) => state.say(why),
    }
}

/// `y` on the confirmation: the job starts (unless a job took the module meanwhile).
pub(super) fn confirm(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::ConfirmRepair { plan }) = state.overlay.take() else {
        return Vec::new();
    };
    let path = plan.candidate.path.clone();
    if let Some(busy) = busy_with(state, &path) {
        state.say(format!(
            "{path} is in use by a running job ({busy}): nothing was moved"
        ));
        return Vec::new();
    }
    let id = start_task(
        state,
        JobPurpose::Repair(vec![path]),
        format!("repair {}", plan.candidate.cache_at()),
    );
    vec![Effect::Repair {
        id,
        candidate: Box::new(plan.candidate),
    }]
}

/// `n` or Esc on the confirmation.
pub(super) fn cancel(state: &mut AppState) {
    if matches!(state.overlay, Some(Overlay::ConfirmRepair { .. })) {
        state.overlay = None;
        state.say("repair cancelled: nothing was moved");
    }
}

/// The repair job ended: whatever happened, the cache changed, so verify the module again.
pub(super) fn finished(
    state: &mut AppState,
    paths: &[String],
    failed: Option<&str>,
) -> Vec<Effect> {
    state.offline_stale = true;
    match failed {
        Some(message) => state.say(format!("repair failed: {message}")),
        None => state.say(format!("repaired {}: verifying it again", paths.join(", "))),
    }
    vec![start_verify(state, Some(paths.to_vec()))]
}
