//! Starting a task: its row in the task pane, the go command it runs (with the inspector's go
//! environment), an in-process verification, and cancelling the ones running.

use super::super::app_state::AppState;
use super::super::effect::Effect;
use super::super::task_log::{JobPurpose, TaskView};
use super::geometry::relayout;
use crate::jobs::{GoInvocation, JobId};
use gomodcache::analysis::report::CheckMode;

/// The go command `args` in the project directory, with the inspector's go environment.
pub(super) fn go(state: &AppState, args: &[&str]) -> GoInvocation {
    state.go_env.iter().fold(
        GoInvocation::new(state.project_dir.clone(), args),
        |inv, (k, v)| inv.with_env(k.clone(), v.clone()),
    )
}

pub(super) fn start_task(state: &mut AppState, purpose: JobPurpose, command_line: String) -> JobId {
    let id = state.allocate_job_id();
    state
        .tasks
        .push(TaskView::new(id, purpose, command_line, state.now));
    state.selected_task = state.tasks.len() - 1;
    relayout(state);
    id
}

pub(super) fn start_verify(state: &mut AppState, only: Option<Vec<String>>) -> Effect {
    start_verify_with(state, only, false)
}

/// [`start_verify`]; `fresh` re-hashes what the verify memo knows unchanged too.
pub(super) fn start_verify_with(
    state: &mut AppState,
    only: Option<Vec<String>>,
    fresh: bool,
) -> Effect {
    let title = match &only {
        Some(paths) if paths.len() == 1 => format!("verify {} (in-process)", paths[0]),
        Some(paths) => format!("verify {} modules (in-process)", paths.len()),
        None => "verify every module (in-process)".to_string(),
    };
    let id = start_task(state, JobPurpose::Verify, title);
    if only.is_none() {
        state.full_verify = Some(id);
    }
    Effect::Verify {
        id,
        only,
        mode: CheckMode::Full,
        fresh,
    }
}

pub(super) fn cancel_verifications(state: &AppState) -> Vec<Effect> {
    state
        .tasks
        .iter()
        .filter(|t| t.purpose == JobPurpose::Verify && t.state.is_active())
        .map(|t| Effect::CancelJob(t.id))
        .collect()
}
