//! Starting jobs and following their events: download, verify, tidy, export.

use super::super::app_state::{AppState, Overlay};
use super::super::effect::Effect;
use super::super::task_log::{JobPurpose, TaskState};
use super::task_start::{cancel_verifications, go, start_task, start_verify};
use crate::jobs::{JobEvent, JobId, JobOutcome};
use gomodcache::analysis::cache_fault::CACHE_CONTENT_KINDS;
use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::{ModuleReport, Status};
use gomodcache::cache::layout::ModuleCache;

/// `t`: ask go what tidy would change; nothing is written until the diff is confirmed.
pub(super) fn tidy_diff(state: &mut AppState) -> Vec<Effect> {
    let inv = go(state, &["mod", "tidy", "-diff"]);
    let id = start_task(state, JobPurpose::TidyDiff, inv.command_line());
    state.say("computing what go mod tidy would change (nothing is written yet)");
    vec![Effect::RunGo {
        id,
        invocation: inv,
        watched: Vec::new(),
    }]
}

pub(super) fn confirm_yes(state: &mut AppState) -> Vec<Effect> {
    if !matches!(state.overlay, Some(Overlay::ConfirmTidy { .. })) {
        return Vec::new();
    }
    state.overlay = None;
    let inv = go(state, &["mod", "tidy"]);
    let id = start_task(state, JobPurpose::Tidy, inv.command_line());
    vec![Effect::BackupThenTidy {
        id,
        invocation: inv,
    }]
}

/// `e`: the prompt, filled in with a directory next to the project (not inside it: the bundle
/// is for another machine, and a module tree is no place for hundreds of MiB of zips). The
/// project is the main module's directory, which may be above the one modscope started in.
pub(super) fn export_prompt(state: &mut AppState) {
    let dir = state
        .project
        .as_ref()
        .and_then(|p| p.main.as_ref())
        .map_or(&state.project_dir, |m| &m.dir);
    let name = dir
        .file_name()
        .map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned());
    let path = dir
        .parent()
        .unwrap_or(dir)
        .join(format!("{name}-offline-bundle"));
    state.overlay = Some(Overlay::ExportPrompt {
        path: path.display().to_string(),
    });
}

pub(super) fn export_confirm(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::ExportPrompt { path }) = &state.overlay else {
        return Vec::new();
    };
    let path = path.trim().to_string();
    if path.is_empty() {
        state.say("type the directory to write the bundle to");
        return Vec::new();
    }
    if state.project.is_none() {
        state.say("the project is not loaded yet");
        return Vec::new();
    }
    if let Some(t) = state
        .tasks
        .iter()
        .find(|t| t.purpose == JobPurpose::Export && t.state.is_active())
    {
        state.say(format!("an export is already running (job {})", t.id));
        return Vec::new();
    }
    state.overlay = None;
    let id = start_task(
        state,
        JobPurpose::Export,
        format!("export offline bundle to {path}"),
    );
    vec![Effect::Export {
        id,
        out: path.into(),
    }]
}

pub(super) fn confirm_no(state: &mut AppState) {
    if matches!(state.overlay, Some(Overlay::ConfirmTidy { .. })) {
        state.overlay = None;
        state.say("tidy cancelled: go.mod and go.sum are unchanged");
    }
}

/// What `go mod download` must fetch for a module: the replacement when replaced by a module.
fn download_target(m: &ModuleReport) -> Option<(String, String)> {
    match &m.replace {
        Some(r) if r.version.is_none() => None,
        Some(r) => Some((r.path.clone(), r.version.clone().unwrap_or_default())),
        None => Some((m.path.clone(), m.version.clone())),
    }
}

fn download(state: &mut AppState, modules: Vec<(String, String, String)>) -> Vec<Effect> {
    let cache = ModuleCache::new(&state.gomodcache);
    let watched = modules
        .iter()
        .filter_map(|(_, p, v)| cache.files(p, v).ok())
        .map(|f| f.ziphash)
        .collect();
    let mut args = vec!["mod".to_string(), "download".into(), "-json".into()];
    args.extend(modules.iter().map(|(_, p, v)| format!("{p}@{v}")));
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let inv = go(state, &arg_refs);
    let paths = modules
        .into_iter()
        .map(|(required, _, _)| required)
        .collect();
    let id = start_task(state, JobPurpose::Download(paths), inv.command_line());
    vec![Effect::RunGo {
        id,
        invocation: inv,
        watched,
    }]
}

pub(super) fn download_selected(state: &mut AppState) -> Vec<Effect> {
    let Some(m) = state.selected_module() else {
        state.say("no module selected");
        return Vec::new();
    };
    // go trusts what its cache holds: a download of a changed copy ends "done" and changes
    // nothing. (A .partial tree or a tree without its zip is what go does redo.)
    if m.problems.iter().any(|p| {
        CACHE_CONTENT_KINDS.contains(&p.kind)
            && !matches!(
                p.kind,
                ProblemKind::PartialDownload
                    | ProblemKind::ReExtractionPending
                    | ProblemKind::IncompleteExtraction
            )
    }) {
        let text = format!(
            "go mod download keeps the changed copy of {} (it does not re-check what the cache holds): X repairs it (to the quarantine, then a fresh download)",
            m.path
        );
        state.say(text);
        return Vec::new();
    }
    match download_target(m) {
        Some((p, v)) => {
            let required = m.path.clone();
            download(state, vec![(required, p, v)])
        }
        None => {
            state.say(format!(
                "{} is replaced by a local directory: there is nothing to download",
                m.path
            ));
            Vec::new()
        }
    }
}

pub(super) fn download_missing(state: &mut AppState) -> Vec<Effect> {
    let missing: Vec<(String, String, String)> = state
        .modules
        .iter()
        .filter(|m| m.status == Status::Missing)
        .filter_map(|m| download_target(m).map(|(p, v)| (m.path.clone(), p, v)))
        .collect();
    if missing.is_empty() {
        state.say("nothing is missing");
        return Vec::new();
    }
    download(state, missing)
}

pub(super) fn job_event(state: &mut AppState, id: JobId, event: JobEvent) -> Vec<Effect> {
    if let JobEvent::Module(report) = event {
        let report = *report;
        match state.modules.iter_mut().find(|m| m.path == report.path) {
            Some(slot) => *slot = report,
            None => state.modules.push(report),
        }
        // Re-sorting 10,000 rows per streamed module would be quadratic: once per batch instead.
        state.visible_stale = true;
        return Vec::new();
    }
    if let JobEvent::ProxyAudited(audit) = event {
        super::proxy::audited(state, id, *audit);
        return Vec::new();
    }
    if super::cache::is_scan(state, id) {
        super::cache::scan_event(state, event);
        return Vec::new();
    }
    let now = state.now;
    let Some(task) = state.task_mut(id) else {
        return Vec::new();
    };
    task.apply(&event, now);
    let JobEvent::Finished(outcome) = event else {
        return Vec::new();
    };
    let task = task.clone();
    let mut effects = edit_finished(state, &task.purpose);
    effects.extend(match (&task.purpose, &outcome) {
        (JobPurpose::GoSumFix(_), outcome) => {
            // go.sum changed (or was restored on failure by nobody: say where the backup is).
            let backup = state
                .last_backup
                .as_ref()
                .map(|b| {
                    format!(
                        "; the old go.mod/go.sum are in {} (u undoes)",
                        b.dir.display()
                    )
                })
                .unwrap_or_default();
            match outcome {
                JobOutcome::Succeeded => {
                    state.say(format!("go.sum line written again by go{backup}"))
                }
                JobOutcome::Failed { message, .. } => {
                    state.say(format!("go.sum fix failed: {message}{backup}"))
                }
                JobOutcome::Cancelled => state.say(format!("go.sum fix cancelled{backup}")),
            }
            vec![Effect::Scan]
        }
        (JobPurpose::Repair(paths), outcome) => {
            let failed = match outcome {
                JobOutcome::Failed { message, .. } => Some(message.as_str()),
                JobOutcome::Cancelled => Some("cancelled"),
                JobOutcome::Succeeded => None,
            };
            super::repair::finished(state, paths, failed)
        }
        (JobPurpose::CachePrune, outcome) => super::cache::prune_finished(state, outcome),
        (JobPurpose::ProxyCheck, outcome) => {
            super::proxy::finished(state, id, outcome);
            Vec::new()
        }
        (JobPurpose::Download(paths), _) => {
            state.offline_stale = true;
            if let JobOutcome::Failed { message, .. } = &outcome {
                state.say(format!("download failed: {message}"));
            }
            // Whatever happened, the cache may have changed: re-classify those modules.
            vec![start_verify(state, Some(paths.clone()))]
        }
        (JobPurpose::TidyDiff, JobOutcome::Succeeded) => {
            state.say("go.mod and go.sum are already tidy");
            Vec::new()
        }
        (
            JobPurpose::TidyDiff,
            JobOutcome::Failed {
                exit_code: Some(1), ..
            },
        ) if !task.stdout.is_empty() => {
            state.overlay = Some(Overlay::ConfirmTidy {
                diff: task.stdout.clone(),
            });
            state.overlay_scroll = 0;
            Vec::new()
        }
        (JobPurpose::TidyDiff, JobOutcome::Failed { message, .. }) => {
            if let Some(t) = state.task_mut(id) {
                t.state = TaskState::Failed(message.clone());
            }
            state.say(format!("go mod tidy cannot run: {message}"));
            Vec::new()
        }
        (JobPurpose::Tidy, JobOutcome::Succeeded) => {
            state.say(match &state.last_backup {
                Some(b) => format!(
                    "tidied; the old go.mod/go.sum are in {} (u undoes)",
                    b.dir.display()
                ),
                None => "tidied".into(),
            });
            state.scanning = true;
            let mut effects = cancel_verifications(state);
            effects.push(Effect::Scan);
            effects
        }
        (JobPurpose::Export, outcome) => {
            state.say(match outcome {
                JobOutcome::Succeeded => {
                    "bundle written: the task pane shows how to use it".to_string()
                }
                JobOutcome::Failed { message, .. } => format!("export: {message}"),
                JobOutcome::Cancelled => {
                    "export cancelled: the files written so far were removed".to_string()
                }
            });
            Vec::new()
        }
        (JobPurpose::Tidy, JobOutcome::Failed { message, .. }) => {
            state.say(format!(
                "tidy failed: {message}{}",
                if state.last_backup.is_some() {
                    " (u restores the backup)"
                } else {
                    ""
                }
            ));
            Vec::new()
        }
        _ => Vec::new(),
    });
    effects
}

/// A tidy or go.sum fix has ended, whatever its outcome: its backup is marked finished.
fn edit_finished(state: &AppState, purpose: &JobPurpose) -> Vec<Effect> {
    match (purpose, &state.last_backup) {
        (JobPurpose::Tidy | JobPurpose::GoSumFix(_), Some(b)) => {
            vec![Effect::MarkEditFinished(b.clone())]
        }
        _ => Vec::new(),
    }
}
