//! The whole module cache as background jobs, for the inspector's cache view: the scan (with
//! who uses each version) and the prune of chosen versions. Both run the core's blocking work on
//! the blocking pool; the scan streams each measured part as it is done (batched, ~15 Hz), the
//! prune reports bytes as `Progress` and each step as an `Output` line.

use super::blocking_work::{PROGRESS_EVERY, run_with_progress};
use super::{CacheScan, JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream, send};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::inventory::plan::PrunePlan;
use gomodcache::inventory::prune::{self, PruneProgress};
use gomodcache::inventory::usage::{
    Candidate, ProjectSource, collect_usage, find_projects, registry_candidates,
};
use gomodcache::inventory::{ScanProgress, ScannedPart, scan};
use gomodcache::progress::CancelFlag;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// What to scan and whose use counts.
#[derive(Debug, Clone)]
pub struct CacheScanRequest {
    pub cache: ModuleCache,
    /// The environment go would run with (GOMODCACHE set to `cache`).
    pub go_vars: Vec<(String, String)>,
    /// The project open in the inspector: it counts as a user even if the registry lacks it.
    pub this_project: Option<PathBuf>,
    /// Directories searched for more projects (`modscope cache --projects`).
    pub project_dirs: Vec<PathBuf>,
}

/// Parts measured since the last batch.
#[derive(Default)]
struct PartBuffer(Mutex<Vec<ScannedPart>>);

impl ScanProgress for PartBuffer {
    fn on_part(&self, part: &ScannedPart) {
        if let Ok(mut parts) = self.0.lock() {
            parts.push(part.clone());
        }
    }
}

impl PartBuffer {
    fn flush(&self, tx: &JobSender, id: JobId) {
        let parts = self
            .0
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        if !parts.is_empty() {
            send(tx, id, JobEvent::CacheParts(parts));
        }
    }
}

fn say(tx: &JobSender, id: JobId, line: String) {
    send(
        tx,
        id,
        JobEvent::Output {
            stream: OutputStream::Stdout,
            line,
        },
    );
}

/// Scans the cache, then reads every known project. Sends `CacheParts` while scanning, one
/// `CacheScanned` before `Finished(Succeeded)`; cancelled, only `Finished(Cancelled)`.
pub fn spawn_cache_scan(id: JobId, req: CacheScanRequest, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        send(
            &tx,
            id,
            JobEvent::Started {
                command_line: format!("modscope cache --modcache {}", req.cache.root.display()),
            },
        );
        let buffer = Arc::new(PartBuffer::default());
        let flag = CancelFlag::new();
        let mut work = tokio::task::spawn_blocking({
            let (buffer, flag, tx) = (buffer.clone(), flag.clone(), tx.clone());
            move || scan_and_usage(id, &req, &buffer, &flag, &tx)
        });
        let mut tick = tokio::time::interval(PROGRESS_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let result = loop {
            tokio::select! {
                r = &mut work => break r,
                _ = token.cancelled(), if !flag.is_cancelled() => flag.cancel(),
                _ = tick.tick() => buffer.flush(&tx, id),
            }
        };
        buffer.flush(&tx, id);
        let outcome = match result {
            Ok(Some(found)) => {
                send(&tx, id, JobEvent::CacheScanned(Box::new(found)));
                JobOutcome::Succeeded
            }
            Ok(None) => JobOutcome::Cancelled,
            Err(e) => JobOutcome::Failed {
                message: format!("the cache scan panicked: {e}"),
                exit_code: None,
            },
        };
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

fn scan_and_usage(
    id: JobId,
    req: &CacheScanRequest,
    progress: &PartBuffer,
    cancel: &CancelFlag,
    tx: &JobSender,
) -> Option<CacheScan> {
    let inventory = scan(&req.cache, progress, cancel);
    if inventory.cancelled {
        return None;
    }
    let mut notes = Vec::new();
    let mut candidates = registry_candidates(&mut notes);
    let this = req
        .this_project
        .as_ref()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
    if let Some(dir) = &this {
        candidates.push(Candidate {
            dir: dir.clone(),
            source: ProjectSource::Found,
            last_seen: None,
        });
    }
    for dir in &req.project_dirs {
        let (found, errors) = find_projects(dir, &req.cache.root);
        notes.extend(errors);
        candidates.extend(found.into_iter().map(|dir| Candidate {
            dir,
            source: ProjectSource::Found,
            last_seen: None,
        }));
    }
    say(
        tx,
        id,
        format!(
            "{} files scanned; reading {} projects to know who uses what",
            inventory.files,
            candidates.len()
        ),
    );
    let mut usage = collect_usage(&candidates, &req.cache, &req.go_vars);
    usage.notes = notes;
    if cancel.is_cancelled() {
        return None;
    }
    Some(CacheScan {
        inventory,
        usage,
        this_project: this,
    })
}

/// Where a prune moves what it removes.
#[derive(Debug, Clone)]
pub struct CachePruneRequest {
    pub plan: PrunePlan,
    pub cache: ModuleCache,
    pub quarantine_root: PathBuf,
}

/// Bytes as `Progress`, each step and each item as an `Output` line.
struct PruneReporter {
    counters: Arc<super::blocking_work::Counters>,
    tx: JobSender,
    id: JobId,
}

impl PruneProgress for PruneReporter {
    fn on_start(&self, _items: usize, bytes: u64) {
        self.counters.set_total(bytes);
    }
    fn on_step(&self, item: &str, step: &str) {
        say(&self.tx, self.id, format!("{item}: {step}"));
    }
    fn on_item_done(&self, item: &str, bytes: u64, error: Option<&str>) {
        self.counters.add_done(bytes);
        if let Some(e) = error {
            say(&self.tx, self.id, format!("{item}: not removed: {e}"));
        }
    }
}

/// Runs the plan: versions to the quarantine, crash-safe and under go's locks. Cancelling stops
/// before the next version. `Succeeded` when every version moved.
pub fn spawn_cache_prune(id: JobId, req: CachePruneRequest, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        let ats: Vec<String> = req
            .plan
            .versions
            .iter()
            .map(|v| format!("{}@{}", v.path, v.version))
            .collect();
        send(
            &tx,
            id,
            JobEvent::Started {
                command_line: format!("prune {} from the module cache", ats.join(" ")),
            },
        );
        let quarantine = req.quarantine_root.clone();
        let result = run_with_progress(id, &tx, &token, {
            let tx = tx.clone();
            move |counters, flag| {
                let reporter = PruneReporter { counters, tx, id };
                prune::execute(
                    &req.plan,
                    &req.cache,
                    &req.quarantine_root,
                    &reporter,
                    &flag,
                )
            }
        })
        .await;
        let outcome = match result {
            Ok(o) => {
                let moved = o.items.len() - o.failed;
                say(
                    &tx,
                    id,
                    format!(
                        "moved {moved} versions ({}) to the quarantine {}; their bytes stay on disk until `modscope repair --purge-quarantine` removes them",
                        bytesize::ByteSize::b(o.quarantined.disk),
                        quarantine.display()
                    ),
                );
                if o.cancelled {
                    JobOutcome::Cancelled
                } else if o.failed > 0 {
                    JobOutcome::Failed {
                        message: format!("{} of {} versions not removed", o.failed, o.items.len()),
                        exit_code: None,
                    }
                } else {
                    JobOutcome::Succeeded
                }
            }
            Err(e) => JobOutcome::Failed {
                message: format!("the prune panicked: {e}"),
                exit_code: None,
            },
        };
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}
