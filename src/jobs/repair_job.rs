//! `modscope repair` as a background job, for the inspector: each module's version is evicted
//! into the quarantine (on the blocking pool: it renames and may copy), then
//! `go mod download -json` runs for them as any go job. The caller re-verifies the modules when
//! it ends, as it does after a download.

use super::go_process::run_child;
use super::{GoInvocation, JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream, send};
use gomodcache::analysis::cache_fault::{cache_faults, cache_target};
use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::repair_plan::RepairCandidate;
use gomodcache::analysis::report::ModuleReport;
use gomodcache::cache::evict::Eviction;
use gomodcache::cache::layout::ModuleCache;
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// What to repair and where.
#[derive(Debug, Clone)]
pub struct RepairRequest {
    /// Where go runs (the module root or the go.work directory).
    pub project_dir: PathBuf,
    /// Environment overrides go must see (the same GOMODCACHE, in the demo its proxy).
    pub go_env: Vec<(String, String)>,
    pub cache: ModuleCache,
    /// Usually `gomodcache::cache::evict::default_quarantine_root()`.
    pub quarantine_root: PathBuf,
    /// From `gomodcache::analysis::repair_plan::select_repairs`.
    pub candidates: Vec<RepairCandidate>,
}

/// `go mod download -json path@version ...` in `project_dir`, with `go_env` on top of the
/// inherited environment.
pub fn download_invocation(
    project_dir: &Path,
    go_env: &[(String, String)],
    modules_at: &[String],
) -> GoInvocation {
    let mut args = vec!["mod", "download", "-json"];
    args.extend(modules_at.iter().map(String::as_str));
    go_env
        .iter()
        .fold(GoInvocation::new(project_dir, &args), |inv, (k, v)| {
            inv.with_env(k, v)
        })
}

/// Evicts every candidate, then downloads them again. `Output` lines say what moved where (and
/// what could not be evicted), followed by go's own output. Cancelling stops before the next
/// eviction (one in progress runs to its end) or stops go. `Succeeded` when every eviction and
/// go succeeded.
pub fn spawn_repair(id: JobId, req: RepairRequest, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        let ats: Vec<String> = req.candidates.iter().map(|c| c.cache_at()).collect();
        send(
            &tx,
            id,
            JobEvent::Started {
                command_line: format!("modscope repair --yes {}", ats.join(" ")),
            },
        );
        let (evict_tx, evict_token, evict_req) = (tx.clone(), token.clone(), req.clone());
        let evicted =
            tokio::task::spawn_blocking(move || evict_all(id, &evict_req, &evict_tx, &evict_token))
                .await;
        let (touched, first_error) = match evicted {
            Ok(r) => r,
            Err(e) => (Vec::new(), Some(format!("the eviction panicked: {e}"))),
        };
        let outcome = if touched.is_empty() && token.is_cancelled() {
            JobOutcome::Cancelled
        } else if touched.is_empty() {
            JobOutcome::Failed {
                message: first_error.unwrap_or_else(|| "nothing was evicted".into()),
                exit_code: None,
            }
        } else {
            let inv = download_invocation(&req.project_dir, &req.go_env, &touched);
            let line = format!("running {}", inv.command_line());
            send(&tx, id, output(line));
            match (run_child(id, &inv, &tx, &token).await, first_error) {
                (JobOutcome::Succeeded, Some(message)) => JobOutcome::Failed {
                    message,
                    exit_code: None,
                },
                (outcome, _) => outcome,
            }
        };
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

fn output(line: String) -> JobEvent {
    JobEvent::Output {
        stream: OutputStream::Stdout,
        line,
    }
}

/// Runs each eviction; returns the `path@version`s whose cache was touched (to download again,
/// even after a failed step: `.partial` marks them) and the first error.
fn evict_all(
    id: JobId,
    req: &RepairRequest,
    tx: &JobSender,
    token: &CancellationToken,
) -> (Vec<String>, Option<String>) {
    let mut touched = Vec::new();
    let mut first_error = None;
    for c in &req.candidates {
        if token.is_cancelled() {
            break;
        }
        let planned = Eviction::plan(
            &req.cache,
            &c.cache_path,
            &c.cache_version,
            &req.quarantine_root,
            &c.reason(),
        );
        let result = planned.and_then(|mut e| {
            let ran = e.run();
            if e.touched_cache() {
                touched.push(c.cache_at());
            }
            ran.map(|()| e)
        });
        let line = match result {
            Ok(e) => format!(
                "evicted {} ({} files) into {}",
                c.cache_at(),
                e.moves().len(),
                e.quarantine_dir().display()
            ),
            Err(err) => {
                let line = format!("cannot evict {}: {err}", c.cache_at());
                first_error.get_or_insert_with(|| line.clone());
                line
            }
        };
        send(tx, id, output(line));
    }
    (touched, first_error)
}

/// What a repair of one module will do, shown before it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairPlan {
    pub candidate: RepairCandidate,
    /// Each file or tree that moves, and where to in the quarantine.
    pub moves: Vec<(PathBuf, PathBuf)>,
    /// The module cache the files leave, and the quarantine folder of this repair.
    pub cache_root: PathBuf,
    pub quarantine_dir: PathBuf,
    /// The go command that then runs.
    pub command_line: String,
}

/// Plans the repair of `module` (a row of the last check): which of its cache files move into
/// the quarantine under `quarantine_root`, and the download that follows. Reads only. The
/// error says why there is nothing to repair (go.sum's side, a local replacement, nothing
/// wrong in the cache) or why it cannot be planned.
pub fn plan_repair(
    module: &ModuleReport,
    cache: &ModuleCache,
    quarantine_root: &Path,
    project_dir: &Path,
    go_env: &[(String, String)],
) -> Result<RepairPlan, String> {
    let Some((cache_path, cache_version)) = cache_target(module) else {
        return Err(format!(
            "{} is replaced by a local directory: nothing in the module cache to repair",
            module.path
        ));
    };
    let faults = cache_faults(module, cache);
    if faults.is_empty() {
        let go_sum = module
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::GoSumMismatch || p.kind == ProblemKind::GoModMismatch);
        return Err(match go_sum {
            Some(p) => format!(
                "the cache of {} is consistent; go.sum is the side that differs ({}): evicting would not help",
                module.path,
                p.kind.as_str()
            ),
            None => format!(
                "nothing in the cache of {}@{} needs a repair",
                module.path, module.version
            ),
        });
    }
    let candidate = RepairCandidate {
        path: module.path.clone(),
        version: module.version.clone(),
        cache_path: cache_path.to_string(),
        cache_version: cache_version.to_string(),
        faults: faults.into_iter().cloned().collect(),
    };
    let eviction = Eviction::plan(
        cache,
        cache_path,
        cache_version,
        quarantine_root,
        &candidate.reason(),
    )
    .map_err(|e| e.to_string())?;
    let moves = eviction
        .moves()
        .into_iter()
        .map(|(from, to)| (from.to_path_buf(), to.to_path_buf()))
        .collect();
    let command_line =
        download_invocation(project_dir, go_env, &[candidate.cache_at()]).command_line();
    Ok(RepairPlan {
        candidate,
        moves,
        cache_root: eviction.cache_root().to_path_buf(),
        quarantine_dir: eviction.quarantine_dir().to_path_buf(),
        command_line,
    })
}
