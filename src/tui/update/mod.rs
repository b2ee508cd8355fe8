//! The state machine: the only place the UI state changes. It does no IO; what must happen
//! outside is returned as [`Effect`]s.

mod cache;
mod copy_fix;
mod geometry;
mod go_sum_fix;
mod graph_rows;
mod jobs;
mod proxy;
mod repair;
mod scanned;
mod scrolling;
mod task_start;
mod tasks;
mod tree;

use geometry::relayout;
use scrolling::Step;

use super::app_state::{AppState, Focus, Overlay};
use super::effect::Effect;
use super::message::Msg;
use crate::jobs::{JobEvent, JobOutcome};
use gomodcache::analysis::report::Status;

/// Rows a mouse wheel notch or a page moves when the pane height is unknown.
const WHEEL_STEP: usize = 3;

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let had_notice = state.notice.is_some();
    if msg.is_user_action() {
        // A key answers the notice: it has been read (the key may well say something new).
        state.notice = None;
    }
    let mut effects = apply(state, msg);
    refresh_why(state);
    expire_notice(state, &mut effects);
    if had_notice != state.notice.is_some() {
        // The notice has a row of its own: the panes above it change height.
        relayout(state);
        state.dirty = true;
    }
    effects
}

/// Drops a notice whose time is up, and asks for one wake-up when a new one appears.
fn expire_notice(state: &mut AppState, effects: &mut Vec<Effect>) {
    if state.notice.as_ref().is_some_and(|n| n.until <= state.now) {
        state.notice = None;
    }
    if let Some(n) = &mut state.notice
        && !n.wake_scheduled
    {
        n.wake_scheduled = true;
        effects.push(Effect::WakeAt(n.until));
    }
}

/// Keeps the "why" answer in step with the selection (computed here, never in a view).
fn refresh_why(state: &mut AppState) {
    let Some(graph) = &state.graph else { return };
    let selected = state.selected_module().map(|m| m.path.clone());
    if state.why.as_ref().map(|w| &w.path) != selected.as_ref() {
        state.why = selected.map(|p| graph.why(&p));
    }
}

fn apply(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    if !matches!(msg, Msg::Tick(_)) {
        state.dirty = true;
    }
    if let Some(effects) = cache::route(state, &msg) {
        return effects;
    }
    if let Some(effects) = proxy::route(state, &msg) {
        return effects;
    }
    match msg {
        Msg::Cache(m) => return cache::handle(state, m),
        Msg::Proxy(m) => return proxy::handle(state, m),
        Msg::MoveUp => scrolling::step(state, Step::Lines(-1)),
        Msg::MoveDown => scrolling::step(state, Step::Lines(1)),
        Msg::PageUp => scrolling::step(state, Step::Pages(-1)),
        Msg::PageDown => scrolling::step(state, Step::Pages(1)),
        Msg::Home => scrolling::step(state, Step::First),
        Msg::End => scrolling::step(state, Step::Last),
        Msg::ScrollUp => scrolling::step(state, Step::Lines(-(WHEEL_STEP as isize))),
        Msg::ScrollDown => scrolling::step(state, Step::Lines(WHEEL_STEP as isize)),
        Msg::ClickRow(n) => {
            state.focus = Focus::List;
            let row = state.list_offset + n;
            if row < state.visible.len() {
                state.selected = row;
                state.detail_scroll = 0;
            }
        }
        Msg::FocusNext => {
            state.focus = match state.focus {
                Focus::List => Focus::Detail,
                Focus::Detail if !state.tasks.is_empty() => Focus::Tasks,
                _ => Focus::List,
            };
            relayout(state);
        }
        Msg::OpenDetail => {
            state.detail_maximized = !state.detail_maximized;
            state.focus = if state.detail_maximized {
                Focus::Detail
            } else {
                Focus::List
            };
            relayout(state);
        }
        Msg::StartFilter => state.filter_editing = true,
        Msg::FilterInput(c) => {
            state.filter_text.push(c);
            state.recompute_visible();
            tree::refilter(state);
        }
        Msg::FilterBackspace => {
            state.filter_text.pop();
            state.recompute_visible();
            tree::refilter(state);
        }
        Msg::FilterClear => {
            state.filter_editing = false;
            state.filter_text.clear();
            state.recompute_visible();
            tree::refilter(state);
        }
        Msg::FilterAccept => state.filter_editing = false,
        Msg::CycleStatusFilter => {
            state.status_filter = state.status_filter.next();
            state.recompute_visible();
        }
        Msg::CycleSort => {
            state.sort = state.sort.next();
            state.recompute_visible();
        }
        Msg::CloseOverlay => {
            if state.overlay.is_some() {
                state.overlay = None;
            } else if !state.filter_text.is_empty() {
                state.filter_text.clear();
                state.recompute_visible();
            } else if state.detail_maximized {
                state.detail_maximized = false;
                state.focus = Focus::List;
                relayout(state);
            }
        }
        Msg::OfflineChecked(report) => {
            state.offline = Some(*report);
            state.offline_stale = false;
        }
        Msg::ToggleOffline => {
            state.overlay = if state.overlay == Some(Overlay::Offline) {
                None
            } else {
                Some(Overlay::Offline)
            };
            state.overlay_scroll = 0;
        }
        Msg::ToggleFileProblems => scanned::toggle_file_problems(state),
        Msg::ToggleTree => tree::toggle(state),
        Msg::TreeExpand => tree::expand_or_collapse(state, true),
        Msg::TreeCollapse => tree::expand_or_collapse(state, false),
        Msg::TreeJump => tree::jump(state),
        Msg::ToggleHelp => {
            state.overlay = if state.overlay == Some(Overlay::Help) {
                None
            } else {
                Some(Overlay::Help)
            };
            state.overlay_scroll = 0;
        }
        Msg::DownloadSelected => return jobs::download_selected(state),
        Msg::DownloadMissing => return jobs::download_missing(state),
        Msg::VerifySelected => match state.selected_module() {
            Some(m) if m.status == Status::ReplacedLocal => state.say(format!(
                "{} is replaced by a local directory: nothing cached to verify",
                m.path
            )),
            Some(m) => {
                let only = vec![m.path.clone()];
                return vec![task_start::start_verify(state, Some(only))];
            }
            None => state.say("no module selected"),
        },
        Msg::VerifyAll | Msg::RehashAll => {
            // Not by the task's title: the job replaces it with its own when it starts.
            if state
                .full_verify
                .and_then(|id| state.task(id))
                .is_some_and(|t| t.state.is_active())
            {
                state.say("a full verification is already running");
            } else {
                let fresh = msg == Msg::RehashAll;
                return vec![task_start::start_verify_with(state, None, fresh)];
            }
        }
        Msg::Tidy => return jobs::tidy_diff(state),
        Msg::ConfirmYes if matches!(state.overlay, Some(Overlay::ConfirmRepair { .. })) => {
            return repair::confirm(state);
        }
        Msg::ConfirmNo if matches!(state.overlay, Some(Overlay::ConfirmRepair { .. })) => {
            repair::cancel(state)
        }
        Msg::ConfirmYes if matches!(state.overlay, Some(Overlay::ConfirmGoSumFix { .. })) => {
            return go_sum_fix::confirm(state);
        }
        Msg::ConfirmNo if matches!(state.overlay, Some(Overlay::ConfirmGoSumFix { .. })) => {
            go_sum_fix::cancel(state)
        }
        Msg::FixGoSum => go_sum_fix::request(state),
        Msg::ConfirmYes => return jobs::confirm_yes(state),
        Msg::ConfirmNo => jobs::confirm_no(state),
        Msg::Repair => return repair::request(state),
        Msg::RepairPlanned(plan) => repair::planned(state, *plan),
        Msg::StartExport => jobs::export_prompt(state),
        Msg::ExportInput(c) => {
            if let Some(Overlay::ExportPrompt { path }) = &mut state.overlay {
                path.push(c);
            }
        }
        Msg::ExportBackspace => {
            if let Some(Overlay::ExportPrompt { path }) = &mut state.overlay {
                path.pop();
            }
        }
        Msg::ExportClear => {
            if let Some(Overlay::ExportPrompt { path }) = &mut state.overlay {
                path.clear();
            }
        }
        Msg::ExportConfirm => return jobs::export_confirm(state),
        Msg::UndoTidy => match state.last_backup.clone() {
            Some(b) => return vec![Effect::Restore(b)],
            None => state.say("no tidy to undo in this session"),
        },
        Msg::CancelSelectedJob => {
            let task = state
                .tasks
                .get(state.selected_task)
                .filter(|t| t.state.is_active())
                .or_else(|| state.tasks.iter().rev().find(|t| t.state.is_active()));
            match task {
                Some(t) => return vec![Effect::CancelJob(t.id)],
                None => state.say("no running job to cancel"),
            }
        }
        Msg::CopyFix => return copy_fix::copy_fix(state),
        Msg::OpenTaskLog => tasks::open_log(state),
        Msg::ClearFinishedTasks => tasks::clear_finished(state),
        Msg::Rescan => {
            let mut effects = task_start::cancel_verifications(state);
            state.scanning = true;
            state.say("rescanning…");
            effects.push(Effect::Scan);
            return effects;
        }
        Msg::Quit => {
            state.should_quit = true;
            let mut effects: Vec<Effect> = state
                .tasks
                .iter()
                .filter(|t| t.state.is_active())
                .map(|t| Effect::CancelJob(t.id))
                .chain(
                    state
                        .cache
                        .scanning
                        .as_ref()
                        .map(|s| Effect::CancelJob(s.job)),
                )
                .collect();
            effects.push(Effect::Quit);
            return effects;
        }
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            relayout(state);
        }
        Msg::Tick(now) => {
            state.now = now;
            if state.has_running_jobs() {
                state.dirty = true;
            }
            if state.visible_stale {
                state.visible_stale = false;
                state.recompute_visible();
                state.dirty = true;
            }
        }
        Msg::Job(id, event) => return jobs::job_event(state, id, event),
        Msg::Scanned(result) => return scanned::scanned(state, result),
        Msg::GraphLoaded(outcome) => scanned::graph_loaded(state, *outcome),
        Msg::BackedUp(id, result) => match result {
            Ok(backup) => {
                state.say(format!(
                    "go.mod and go.sum backed up to {}",
                    backup.dir.display()
                ));
                // Also in the task's own output, where it stays: if modscope dies during tidy,
                // the last screen said where the backup is.
                if let Some(t) = state.task_mut(id) {
                    t.log.push_front(format!(
                        "go.mod and go.sum saved in {}",
                        backup.dir.display()
                    ));
                }
                state.last_backup = Some(backup);
            }
            Err(e) => {
                let now = state.now;
                if let Some(t) = state.task_mut(id) {
                    t.apply(
                        &JobEvent::Finished(JobOutcome::Failed {
                            message: format!("backup failed, nothing was changed: {e}"),
                            exit_code: None,
                        }),
                        now,
                    );
                }
            }
        },
        Msg::Restored(result) => match result {
            Ok(b) => {
                state.say(format!(
                    "undone: go.mod and go.sum restored from {}",
                    b.dir.display()
                ));
                state.last_backup = None;
                state.scanning = true;
                return vec![Effect::Scan];
            }
            Err(e) => state.say(format!("undo failed: {e} (the backup is still there)")),
        },
    }
    Vec::new()
}
