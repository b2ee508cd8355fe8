//! The proxy view (`P`): opening it the first time checks the project's proxy (the first of
//! the effective GOPROXY, as `modscope proxy check`) as a job in the task pane, whose progress
//! is module versions checked; `c` cancels it like any job, `r` checks again. When the job
//! ends its audit becomes the view's rows; `y` copies the command that fills the entry under
//! the cursor.

use super::geometry::{focus_next_in_view, proxy_window, relayout, show_in_list_area};
use super::task_start::start_task;
use crate::jobs::{JobId, JobOutcome};
use crate::tui::app_state::{AppState, Focus, ListArea};
use crate::tui::effect::Effect;
use crate::tui::list_window::clicked_row;
use crate::tui::message::{Msg, ProxyMsg};
use crate::tui::task_log::JobPurpose;
use gomodcache::proxy::report::{EntryState, ProxyAudit};

pub(super) fn handle(state: &mut AppState, msg: ProxyMsg) -> Vec<Effect> {
    match msg {
        ProxyMsg::Toggle if state.list_area == ListArea::Proxy => close(state),
        ProxyMsg::Toggle => return open(state),
        ProxyMsg::Recheck => return start(state),
        ProxyMsg::CopyFix => return copy_fix(state),
    }
    Vec::new()
}

/// Messages shared with the list that mean something else while the proxy view is open;
/// `None` when `msg` is not one of them (or the view is closed).
pub(super) fn route(state: &mut AppState, msg: &Msg) -> Option<Vec<Effect>> {
    if state.list_area != ListArea::Proxy {
        return None;
    }
    match msg {
        Msg::CloseOverlay if state.overlay.is_none() => close(state),
        Msg::FocusNext => focus_next_in_view(state),
        Msg::ClickRow(n) => {
            state.focus = Focus::List;
            let view = &mut state.proxy;
            if let Some(row) = clicked_row(*n, view.offset, view.rows.len()) {
                view.cursor = row;
            }
        }
        _ => return None,
    }
    Some(Vec::new())
}

fn open(state: &mut AppState) -> Vec<Effect> {
    show_in_list_area(state, ListArea::Proxy);
    if state.proxy.running.is_some() || state.proxy.audit.is_some() {
        return Vec::new();
    }
    start(state)
}

/// Closing the view leaves a running check running: it is a task, cancelled with `c`.
fn close(state: &mut AppState) {
    state.list_area = ListArea::Modules;
    relayout(state);
}

fn start(state: &mut AppState) -> Vec<Effect> {
    if let Some(id) = state.proxy.running {
        state.say(format!("the proxy is being checked already (job {id})"));
        return Vec::new();
    }
    if state.project.is_none() {
        state.say("the project is not loaded yet");
        return Vec::new();
    }
    let id = start_task(
        state,
        JobPurpose::ProxyCheck,
        "modscope proxy check (in-process)".into(),
    );
    state.proxy.running = Some(id);
    state.proxy.error = None;
    vec![Effect::ProxyCheck { id }]
}

/// The check `id` sent its audit.
pub(super) fn audited(state: &mut AppState, id: JobId, audit: ProxyAudit) {
    if state.proxy.running != Some(id) {
        return;
    }
    let rows = proxy_window(state);
    state.proxy.set_audit(audit, rows);
}

/// The check ended: say how, where the list is when the view is closed.
pub(super) fn finished(state: &mut AppState, id: JobId, outcome: &JobOutcome) {
    if state.proxy.running != Some(id) {
        return;
    }
    state.proxy.running = None;
    let text = match (outcome, &state.proxy.audit) {
        (JobOutcome::Cancelled, _) => {
            state.proxy.error = Some("check cancelled".into());
            "proxy check cancelled: every request stopped".to_string()
        }
        (JobOutcome::Failed { message, .. }, Some(a)) if !a.complete => {
            format!("proxy check: {message}")
        }
        (JobOutcome::Failed { message, .. }, _) => {
            state.proxy.error = Some(message.clone());
            format!("proxy check failed: {message}")
        }
        (JobOutcome::Succeeded, _) => {
            "proxy check: the proxy holds everything this project needs".to_string()
        }
    };
    let text = if state.list_area == ListArea::Proxy {
        text
    } else {
        format!("{text} (P shows the list)")
    };
    state.say(text);
}

/// `y`: the command that fills the entry under the cursor.
fn copy_fix(state: &mut AppState) -> Vec<Effect> {
    let Some(e) = state.proxy.at_cursor() else {
        state.say("no entry selected");
        return Vec::new();
    };
    let what = format!(
        "{} {}",
        e.module.as_deref().unwrap_or("the proxy's"),
        e.file
    );
    match (&e.fix, e.state) {
        (Some(fix), _) => {
            let fix = fix.clone();
            state.say("fix copied");
            vec![Effect::CopyToClipboard(fix)]
        }
        (None, EntryState::Wrong) => {
            let text = format!(
                "{what}: the proxy serves other bytes than go.sum records; remove them from the proxy (nothing here can vouch for them)"
            );
            state.say(text);
            Vec::new()
        }
        (None, _) => {
            state.say(format!("{what}: no command fills it"));
            Vec::new()
        }
    }
}
