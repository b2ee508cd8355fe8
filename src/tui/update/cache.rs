//! The cache view (`C`): opening it starts a scan of the whole module cache (a background job
//! whose parts stream in), the rows are paths largest first, expanded to versions; Space marks
//! versions and `p` prunes them after a confirmation, as a job in the task pane. A prune is
//! refused while another job may touch the cache, and for any version a known project uses.

use super::geometry::{cache_window, focus_next_in_view, relayout, show_in_list_area};
use super::task_start::start_task;
use crate::jobs::{JobEvent, JobId, JobOutcome};
use crate::tui::app_state::{AppState, Focus, ListArea, Overlay};
use crate::tui::cache_view::{CacheRow, ScanInProgress, summarize};
use crate::tui::effect::Effect;
use crate::tui::list_window::clicked_row;
use crate::tui::message::{CacheMsg, Msg};
use crate::tui::task_log::JobPurpose;
use crate::tui::view::theme::human_size;
use gomodcache::inventory::plan::{Refusal, plan_chosen};

fn refresh(state: &mut AppState) {
    let rows = cache_window(state);
    state.cache.refresh_rows(rows);
}

pub(super) fn handle(state: &mut AppState, msg: CacheMsg) -> Vec<Effect> {
    let shown = state.list_area == ListArea::Cache;
    if msg != CacheMsg::Toggle && !shown {
        return Vec::new();
    }
    match msg {
        CacheMsg::Toggle if shown => return close(state),
        CacheMsg::Toggle => return open(state),
        CacheMsg::Expand => expand(state, Some(true)),
        CacheMsg::Collapse => expand(state, Some(false)),
        CacheMsg::ToggleExpand => expand(state, None),
        CacheMsg::Mark => mark(state),
        CacheMsg::ToggleUnused => {
            state.cache.unused_only = !state.cache.unused_only;
            refresh(state);
        }
        CacheMsg::Prune => prune(state),
        CacheMsg::Rescan if state.cache.scanning.is_some() => {
            state.say("the cache is being scanned already");
        }
        CacheMsg::Rescan => return vec![start_scan(state)],
    }
    Vec::new()
}

/// Messages shared with the list that mean something else while the cache view is open;
/// `None` when `msg` is not one of them (or the view is closed).
pub(super) fn route(state: &mut AppState, msg: &Msg) -> Option<Vec<Effect>> {
    if state.list_area != ListArea::Cache {
        return None;
    }
    match msg {
        Msg::StartFilter => {
            state.cache.filter_editing = true;
            state.focus = Focus::List;
        }
        Msg::FilterInput(c) => {
            state.cache.filter.push(*c);
            refresh(state);
        }
        Msg::FilterBackspace => {
            state.cache.filter.pop();
            refresh(state);
        }
        Msg::FilterClear => {
            state.cache.filter_editing = false;
            state.cache.filter.clear();
            refresh(state);
        }
        Msg::FilterAccept => state.cache.filter_editing = false,
        Msg::CloseOverlay if state.overlay.is_none() => {
            if state.cache.filter.is_empty() {
                return Some(close(state));
            }
            state.cache.filter.clear();
            refresh(state);
        }
        Msg::ConfirmYes if matches!(state.overlay, Some(Overlay::ConfirmPrune { .. })) => {
            return Some(confirm(state));
        }
        Msg::ConfirmNo if matches!(state.overlay, Some(Overlay::ConfirmPrune { .. })) => {
            state.overlay = None;
            state.say("prune cancelled: nothing was moved");
        }
        Msg::FocusNext => focus_next_in_view(state),
        Msg::ClickRow(n) => {
            state.focus = Focus::List;
            let view = &mut state.cache;
            if let Some(row) = clicked_row(*n, view.offset, view.rows.len()) {
                view.cursor = row;
            }
        }
        _ => return None,
    }
    Some(Vec::new())
}

fn open(state: &mut AppState) -> Vec<Effect> {
    show_in_list_area(state, ListArea::Cache);
    refresh(state);
    if state.cache.scanning.is_some() {
        return Vec::new();
    }
    vec![start_scan(state)]
}

fn close(state: &mut AppState) -> Vec<Effect> {
    state.list_area = ListArea::Modules;
    state.cache.filter_editing = false;
    relayout(state);
    // A scan nobody watches is cancelled; its partial figures go with it.
    match state.cache.scanning.take() {
        Some(s) => vec![Effect::CancelJob(s.job)],
        None => Vec::new(),
    }
}

pub(super) fn start_scan(state: &mut AppState) -> Effect {
    let id = state.allocate_job_id();
    state.cache.scanning = Some(ScanInProgress::new(id));
    state.cache.error = None;
    Effect::ScanCache { id }
}

/// The cache scan running as `id`, if that is what `id` is.
pub(super) fn is_scan(state: &AppState, id: JobId) -> bool {
    state.cache.scanning.as_ref().is_some_and(|s| s.job == id)
}

pub(super) fn scan_event(state: &mut AppState, event: JobEvent) {
    let Some(scanning) = &mut state.cache.scanning else {
        return;
    };
    match event {
        JobEvent::CacheParts(parts) => {
            scanning.add(&parts);
            if state.cache.found.is_none() {
                refresh(state);
            }
        }
        JobEvent::Output { line, .. } => scanning.reading_projects = Some(line),
        JobEvent::CacheScanned(scan) => {
            let rows = cache_window(state);
            state.cache.replace_found(summarize(*scan), rows);
        }
        JobEvent::Finished(outcome) => {
            state.cache.scanning = None;
            match outcome {
                JobOutcome::Failed { message, .. } => state.cache.error = Some(message),
                JobOutcome::Cancelled => state.cache.error = Some("scan cancelled".into()),
                JobOutcome::Succeeded => {}
            }
            refresh(state);
        }
        JobEvent::Started { .. }
        | JobEvent::Progress { .. }
        | JobEvent::Module(_)
        | JobEvent::ProxyAudited(_) => {}
    }
}

fn expand(state: &mut AppState, to: Option<bool>) {
    let view = &mut state.cache;
    let Some(found) = &view.found else { return };
    match view.rows.get(view.cursor).copied() {
        Some(CacheRow::Path(p)) => {
            let path = found.paths[p].path.clone();
            let open = to.unwrap_or(!view.expanded.contains(&path));
            if open {
                view.expanded.insert(path);
            } else {
                view.expanded.remove(&path);
            }
        }
        // ← (or Enter) on a version goes to its path.
        Some(CacheRow::Version(p, _)) if to != Some(true) => {
            if let Some(at) = view.rows.iter().position(|r| *r == CacheRow::Path(p)) {
                view.cursor = at;
            }
        }
        _ => return,
    }
    refresh(state);
}

fn mark(state: &mut AppState) {
    let view = &mut state.cache;
    let (Some(found), Some(row)) = (&view.found, view.rows.get(view.cursor).copied()) else {
        state.say("wait for the scan to finish to mark versions");
        return;
    };
    match row {
        CacheRow::Version(p, v) => {
            let (path, version) = (&found.paths[p], &found.paths[p].versions[v]);
            let key = (path.path.clone(), version.version.clone());
            if !view.marked.remove(&key) {
                view.marked.insert(key);
                if !version.unused() {
                    let text = format!(
                        "{}@{} is used by {} known project(s): a prune refuses it",
                        path.path,
                        version.version,
                        version.users.len()
                    );
                    state.say(text);
                }
            }
        }
        CacheRow::Path(p) => {
            let path = &found.paths[p];
            let unused: Vec<(String, String)> = path
                .versions
                .iter()
                .filter(|v| v.unused())
                .map(|v| (path.path.clone(), v.version.clone()))
                .collect();
            if unused.is_empty() {
                let text = format!(
                    "every version of {} is used by a known project: nothing to mark",
                    path.path
                );
                state.say(text);
            } else if unused.iter().all(|k| view.marked.contains(k)) {
                for k in &unused {
                    view.marked.remove(k);
                }
            } else {
                view.marked.extend(unused);
            }
        }
        CacheRow::Partial(_) => state.say("wait for the scan to finish to mark versions"),
    }
    // Down to the next row, as file managers do after a mark.
    let view = &mut state.cache;
    view.cursor = (view.cursor + 1).min(view.rows.len().saturating_sub(1));
    let rows = cache_window(state);
    state.cache.scroll_to_cursor(rows);
}

/// An active job that may read or write the module cache, by its command line.
fn cache_busy(state: &AppState) -> Option<String> {
    state
        .tasks
        .iter()
        .filter(|t| t.state.is_active())
        .find(|t| {
            matches!(
                t.purpose,
                JobPurpose::Download(_)
                    | JobPurpose::Repair(_)
                    | JobPurpose::Tidy
                    | JobPurpose::TidyDiff
                    | JobPurpose::GoSumFix(_)
                    | JobPurpose::CachePrune
            )
        })
        .map(|t| t.command_line.clone())
}

fn prune(state: &mut AppState) {
    let Some(found) = &state.cache.found else {
        state.say("the cache scan has not finished: nothing to prune yet");
        return;
    };
    let chosen: Vec<(String, String)> = state.cache.marked.iter().cloned().collect();
    let refusal = if chosen.is_empty() {
        Some("nothing is marked: Space marks a version (on a path, its unused versions)".into())
    } else if let Some(busy) = cache_busy(state) {
        Some(format!(
            "a job that may use the module cache is running ({busy}): prune when it ends"
        ))
    } else if state.cache.scanning.is_some() {
        Some("the cache is being scanned again: prune when the scan ends".to_string())
    } else if state.quarantine_root.is_none() {
        Some("no cache directory to keep the quarantine in: set MODSCOPE_CACHE_DIR".to_string())
    } else {
        match plan_chosen(&found.scan.inventory, &found.scan.usage, &chosen) {
            Ok(plan) if plan.versions.is_empty() => {
                Some("the marked versions are no longer in the cache".to_string())
            }
            Ok(plan) => {
                state.overlay = Some(Overlay::ConfirmPrune {
                    plan: Box::new(plan),
                });
                state.overlay_scroll = 0;
                None
            }
            Err(Refusal::Used(used)) => Some(used_message(&used)),
            Err(Refusal::Blocked(projects)) => Some(format!(
                "nothing can be pruned: what {} uses cannot be known (fix it, or remove it from the registry)",
                projects.join("; ")
            )),
        }
    };
    if let Some(text) = refusal {
        state.say(text);
    }
}

fn used_message(used: &[(String, Vec<std::path::PathBuf>)]) -> String {
    let first = used
        .iter()
        .take(2)
        .map(|(at, users)| {
            let names: Vec<String> = users.iter().map(|d| d.display().to_string()).collect();
            format!("{at} is used by {}", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let more = used.len().saturating_sub(2);
    let more = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    format!("refused, nothing was moved: {first}{more}; unmark it with Space")
}

fn confirm(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::ConfirmPrune { plan }) = state.overlay.take() else {
        return Vec::new();
    };
    if let Some(busy) = cache_busy(state) {
        state.say(format!(
            "a job that may use the module cache is running ({busy}): nothing was moved"
        ));
        return Vec::new();
    }
    for v in &plan.versions {
        state
            .cache
            .marked
            .remove(&(v.path.clone(), v.version.clone()));
    }
    let id = start_task(
        state,
        JobPurpose::CachePrune,
        format!(
            "prune {} versions ({}) to the quarantine",
            plan.versions.len(),
            human_size(plan.total.disk)
        ),
    );
    vec![Effect::PruneCache { id, plan }]
}

/// The prune ended: the cache changed, so scan it again, and the project too.
pub(super) fn prune_finished(state: &mut AppState, outcome: &JobOutcome) -> Vec<Effect> {
    let free = "the bytes stay in the quarantine until `modscope repair --purge-quarantine`";
    state.say(match outcome {
        JobOutcome::Succeeded => format!("pruned; {free}"),
        JobOutcome::Failed { message, .. } => format!("prune: {message}; {free}"),
        JobOutcome::Cancelled => format!("prune cancelled; what moved so far: {free}"),
    });
    state.offline_stale = true;
    let mut effects = Vec::new();
    if state.cache.scanning.is_none() {
        effects.push(start_scan(state));
    }
    state.scanning = true;
    effects.extend(super::task_start::cancel_verifications(state));
    effects.push(Effect::Scan);
    effects
}
