//! Carrying out the effects `update` returns: jobs started, scans and plans run off the
//! reactor, their results sent back as messages.

use super::Runner;
use crate::jobs::cache_job::{
    CachePruneRequest, CacheScanRequest, spawn_cache_prune, spawn_cache_scan,
};
use crate::jobs::export_job::{ExportRequest, spawn_export};
use crate::jobs::proxy_job::{ProxyCheckRequest, spawn_proxy_check};
use crate::jobs::repair_job::{RepairRequest, plan_repair, spawn_repair};
use crate::jobs::verify_job::{VerifyRequest, spawn_verify};
use crate::jobs::{JobEvent, JobId, JobOutcome, download_progress, go_process};
use crate::tui::app_state::AppState;
use crate::tui::effect::Effect;
use crate::tui::message::Msg;
use crate::tui::scan::{ScanContext, scan, scan_graph};
use gomodcache::edit::go_sum_edit::remove_lines;
use gomodcache::edit::tidy_backup::{
    create_backup, default_backup_root, mark_finished, restore_backup,
};
use gomodcache::goenv::env::process_vars_with;

impl Runner {
    pub(super) fn execute(&mut self, effect: Effect, state: &AppState) {
        match effect {
            Effect::Scan => {
                let ctx = self.ctx.clone();
                let tx = self.msg_tx.clone();
                self.scans += 1;
                let scan_id = self.scans;
                // The first scan was started before the loop: its outcome is awaited here,
                // not on a blocking thread (one thread fewer to start before the first frame).
                if scan_id == 1
                    && let Some(first) = ctx.first_scan.take_receiver()
                {
                    tokio::spawn(async move {
                        let outcome = match first.await {
                            Ok(outcome) => outcome,
                            // The preload failed (its job panicked, or the pool could not
                            // start): scan here instead.
                            Err(_) => tokio::task::spawn_blocking(move || scan(&ctx, scan_id))
                                .await
                                .unwrap_or_else(|e| Err(format!("the scan failed: {e}"))),
                        };
                        let _ = tx.send(Msg::Scanned(outcome.map(Box::new)));
                    });
                    return;
                }
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::Scanned(scan(&ctx, scan_id).map(Box::new)));
                });
            }
            Effect::LoadGraph { scan_id } => {
                // Started after the first classified frame is drawn: loading every go.mod of
                // the graph is not on the way to it.
                let (Some(project), ctx, tx) =
                    (state.project.clone(), self.ctx.clone(), self.msg_tx.clone())
                else {
                    return;
                };
                tokio::task::spawn_blocking(move || {
                    let graph = scan_graph(&ctx, scan_id, &project);
                    let _ = tx.send(Msg::GraphLoaded(Box::new(graph)));
                });
            }
            Effect::RunGo {
                id,
                invocation,
                watched,
            } => {
                let handle = if watched.is_empty() {
                    go_process::spawn_go(id, invocation, self.job_tx.clone())
                } else {
                    download_progress::spawn_go_with_cache_progress(
                        id,
                        invocation,
                        watched,
                        self.job_tx.clone(),
                    )
                };
                self.handles.insert(id, handle);
            }
            Effect::Verify {
                id,
                only,
                mode,
                fresh,
            } => {
                let Some(project) = self.loaded(id, state) else {
                    return;
                };
                let req = VerifyRequest {
                    project,
                    cache: self.ctx.cache.clone(),
                    only,
                    mode,
                    memos: self.ctx.memos(),
                    go_env: Some(process_vars_with(&self.ctx.go_env)),
                    fresh,
                };
                self.handles
                    .insert(id, spawn_verify(id, req, self.job_tx.clone()));
            }
            Effect::PlanRepair { module } => {
                let (cache, tx) = (self.ctx.cache.clone(), self.msg_tx.clone());
                let (dir, go_env) = (state.project_dir.clone(), state.go_env.clone());
                let root = self.ctx.quarantine_root();
                tokio::task::spawn_blocking(move || {
                    let plan = root
                        .ok_or_else(|| {
                            "no cache directory to keep the quarantine in: set MODSCOPE_CACHE_DIR"
                                .to_string()
                        })
                        .and_then(|root| plan_repair(&module, &cache, &root, &dir, &go_env));
                    let _ = tx.send(Msg::RepairPlanned(Box::new(plan)));
                });
            }
            Effect::Repair { id, candidate } => {
                // The plan was made with this root: it can only be missing if HOME went away.
                let Some(quarantine_root) = self.ctx.quarantine_root() else {
                    let _ = self.job_tx.send((
                        id,
                        JobEvent::Finished(JobOutcome::Failed {
                            message: "no cache directory to keep the quarantine in".into(),
                            exit_code: None,
                        }),
                    ));
                    return;
                };
                let req = RepairRequest {
                    project_dir: state.project_dir.clone(),
                    go_env: state.go_env.clone(),
                    cache: self.ctx.cache.clone(),
                    quarantine_root,
                    candidates: vec![*candidate],
                };
                self.handles
                    .insert(id, spawn_repair(id, req, self.job_tx.clone()));
            }
            Effect::BackupThenTidy { id, invocation } => {
                if self.back_up(id, state) {
                    self.handles.insert(
                        id,
                        go_process::spawn_go(id, invocation, self.job_tx.clone()),
                    );
                }
            }
            Effect::BackupThenFixGoSum {
                id,
                go_sum,
                lines,
                invocation,
            } => {
                if !self.back_up(id, state) {
                    return;
                }
                if let Err(e) = remove_lines(&go_sum, &lines) {
                    let _ = self.job_tx.send((
                        id,
                        JobEvent::Finished(JobOutcome::Failed {
                            message: format!("go.sum was not changed: {e}"),
                            exit_code: None,
                        }),
                    ));
                    return;
                }
                self.handles.insert(
                    id,
                    go_process::spawn_go(id, invocation, self.job_tx.clone()),
                );
            }
            Effect::Export { id, out } => {
                let Some(project) = self.loaded(id, state) else {
                    return;
                };
                let req = ExportRequest {
                    project,
                    cache: self.ctx.cache.clone(),
                    go_env: self.ctx.go_env.clone(),
                    out: resolve_user_path(&out, &self.ctx.project_dir),
                };
                self.handles
                    .insert(id, spawn_export(id, req, self.job_tx.clone()));
            }
            Effect::ProxyCheck { id } => {
                let Some(project) = self.loaded(id, state) else {
                    return;
                };
                let req = ProxyCheckRequest::new(
                    project,
                    self.ctx.cache.clone(),
                    self.ctx.go_env.clone(),
                );
                self.handles
                    .insert(id, spawn_proxy_check(id, req, self.job_tx.clone()));
            }
            Effect::MarkEditFinished(backup) => {
                // Best effort: the edit itself is done; without the marker the next start only
                // names this backup once more.
                let _ = mark_finished(&backup);
            }
            Effect::Restore(backup) => {
                let result = restore_backup(&backup)
                    .map(|()| backup)
                    .map_err(|e| e.to_string());
                let _ = self.msg_tx.send(Msg::Restored(result));
            }
            Effect::CancelJob(id) => {
                if let Some(h) = self.handles.get(&id) {
                    h.cancel.cancel();
                }
            }
            Effect::ScanCache { id } => {
                let mut overrides = self.ctx.go_env.clone();
                overrides.retain(|(k, _)| k != "GOMODCACHE");
                overrides.push((
                    "GOMODCACHE".into(),
                    self.ctx.cache.root.display().to_string(),
                ));
                let req = CacheScanRequest {
                    cache: self.ctx.cache.clone(),
                    go_vars: process_vars_with(&overrides),
                    this_project: state
                        .project
                        .as_ref()
                        .map(|p| p.root_dir().to_path_buf())
                        .or_else(|| self.ctx.project_root.clone())
                        .or_else(|| Some(self.ctx.project_dir.clone())),
                    project_dirs: self.ctx.cache_projects.clone(),
                };
                self.handles
                    .insert(id, spawn_cache_scan(id, req, self.job_tx.clone()));
            }
            Effect::PruneCache { id, plan } => {
                let Some(quarantine_root) = self.ctx.quarantine_root() else {
                    let _ = self.job_tx.send((
                        id,
                        JobEvent::Finished(JobOutcome::Failed {
                            message: "no cache directory to keep the quarantine in: set MODSCOPE_CACHE_DIR".into(),
                            exit_code: None,
                        }),
                    ));
                    return;
                };
                let req = CachePruneRequest {
                    plan: *plan,
                    cache: self.ctx.cache.clone(),
                    quarantine_root,
                };
                self.handles
                    .insert(id, spawn_cache_prune(id, req, self.job_tx.clone()));
            }
            Effect::CheckOffline => {
                if let Some(project) = state.project.clone() {
                    let ctx = self.ctx.clone();
                    let tx = self.msg_tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let report = crate::tui::scan::offline_for(&ctx, &project);
                        let _ = tx.send(Msg::OfflineChecked(Box::new(report)));
                    });
                }
            }
            // Written by the loop, which holds the terminal.
            Effect::CopyToClipboard(_) => {}
            Effect::WakeAt(at) => {
                self.wakes.insert(at);
            }
            Effect::Quit => {}
        }
    }

    /// The loaded project for job `id`, or `None` after ending the job as failed: a job that
    /// needs the project cannot start before the first scan.
    /// Backs up go.mod and go.sum before job `id` edits them, says how that went
    /// (`Msg::BackedUp`), and whether the edit may go ahead.
    fn back_up(&self, id: JobId, state: &AppState) -> bool {
        let result = default_backup_root()
            .ok_or_else(|| "no cache directory to keep the backup in".to_string())
            .and_then(|root| {
                create_backup(&self.ctx.project_dir_for_files(state), &root)
                    .map_err(|e| e.to_string())
            });
        let ok = result.is_ok();
        let _ = self.msg_tx.send(Msg::BackedUp(id, result));
        ok
    }

    fn loaded(&self, id: JobId, state: &AppState) -> Option<gomodcache::project::Project> {
        if state.project.is_none() {
            let _ = self.job_tx.send((
                id,
                JobEvent::Finished(JobOutcome::Failed {
                    message: "the project is not loaded".into(),
                    exit_code: None,
                }),
            ));
        }
        state.project.clone()
    }
}

/// A path typed by the user: `~/x` is in the home directory, a relative path is taken from
/// the project directory (where the user ran modscope), not from wherever the process is.
fn resolve_user_path(typed: &std::path::Path, project_dir: &std::path::Path) -> std::path::PathBuf {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match (typed.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => project_dir.join(typed),
    }
}

impl ScanContext {
    /// The directory holding the go.mod tidy rewrites: the main module's root once loaded.
    fn project_dir_for_files(&self, state: &AppState) -> std::path::PathBuf {
        state
            .project
            .as_ref()
            .and_then(|p| p.main.as_ref().map(|m| m.dir.clone()))
            .unwrap_or_else(|| self.project_dir.clone())
    }
}
