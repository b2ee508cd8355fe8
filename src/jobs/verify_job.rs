//! In-process verification: classify (and in full mode re-hash) modules on the rayon pool, off
//! the async reactor, streaming one `Module` event per module and throttled byte progress
//! (architecture practices 7–9).

use super::blocking_work::{Counters, run_with_progress};
use super::{JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream, send};
use gomodcache::analysis::build_list::{GraphNeeds, build_list};
use gomodcache::analysis::classify::{ClassifyContext, classify};
use gomodcache::analysis::provenance::attach_provenance;
use gomodcache::analysis::report::CheckMode;
use gomodcache::cache::dirhash::MAX_UNCOMPRESSED;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::cache::probe_memo::{PROBE_MEMO_DIR, ProbeMemo};
use gomodcache::cache::verify_memo::{MEMO_DIR as VERIFY_MEMO_DIR, MemoMode, VerifyMemo};
use gomodcache::goenv::env::GoEnv;
use gomodcache::modfile::go_mod::ReplaceTarget;
use gomodcache::progress::{CancelFlag, HashProgress};
use gomodcache::project::Project;
use gomodcache::project::requirements::{Requirement, requirements};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct VerifyRequest {
    pub project: Project,
    pub cache: ModuleCache,
    /// Module paths (as required, before replacement) to check; `None` = all.
    pub only: Option<Vec<String>>,
    pub mode: CheckMode,
    /// modscope's cache directory, where the verify and quick-scan memos are kept; `None` uses
    /// neither (the demo, whose cache is temporary; tests).
    pub memos: Option<PathBuf>,
    /// The whole build list (graph-only modules too, checked for what go needs of them, as
    /// `check` does), with the environment go would run with; `None`: the required modules.
    pub go_env: Option<Vec<(String, String)>>,
    /// Full mode: re-hash what the verify memo knows unchanged too (and refresh the memo).
    pub fresh: bool,
}

impl VerifyRequest {
    /// The modules this request covers, sorted by path, and what go needs of the graph-only
    /// ones.
    pub fn selected(&self) -> (Vec<Requirement>, Option<GraphNeeds>) {
        let (mut reqs, needs) = match &self.go_env {
            Some(go_env) => {
                let list = build_list(
                    &self.project,
                    &self.cache,
                    requirements(&self.project),
                    go_env,
                );
                (list.modules, Some(list.needs))
            }
            None => (requirements(&self.project), None),
        };
        if let Some(only) = &self.only {
            reqs.retain(|r| only.contains(&r.path));
        }
        (reqs, needs)
    }
}

/// Classifies the selected modules: `Started { "verify N modules (in-process, full|quick)" }`,
/// one `Module` per module in completion order (not sorted), `Progress` in bytes hashed (full
/// mode only: quick mode hashes no content and sends none), then `Finished`. Cancelling stops
/// the hashing within one read chunk (256 KiB); the job then ends with `Finished(Cancelled)`.
pub fn spawn_verify(id: JobId, req: VerifyRequest, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        let outcome = run_verify(id, req, &tx, &token).await;
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

struct ByteCounter(Arc<Counters>);

impl HashProgress for ByteCounter {
    fn on_bytes(&self, bytes: u64) {
        self.0.add_done(bytes);
    }
}

async fn run_verify(
    id: JobId,
    req: VerifyRequest,
    tx: &JobSender,
    token: &CancellationToken,
) -> JobOutcome {
    // Off the reactor: the build list reads every go.mod of the graph (and, for an unpruned
    // graph, the sources of the build).
    let selection = {
        let req = req.clone();
        tokio::task::spawn_blocking(move || req.selected()).await
    };
    let (reqs, needs) = match selection {
        Ok(selection) => selection,
        Err(e) => {
            return JobOutcome::Failed {
                message: format!("verify job failed: {e}"),
                exit_code: None,
            };
        }
    };
    let mode = match (req.mode, req.fresh, req.memos.is_some()) {
        (CheckMode::Quick, _, _) => "quick",
        (CheckMode::Full, true, _) | (CheckMode::Full, false, false) => "full re-hash",
        (CheckMode::Full, false, true) => "full, through the verify memo",
    };
    let noun = if reqs.len() == 1 { "module" } else { "modules" };
    send(
        tx,
        id,
        JobEvent::Started {
            command_line: format!("verify {} {noun} (in-process, {mode})", reqs.len()),
        },
    );
    if token.is_cancelled() {
        return JobOutcome::Cancelled;
    }
    let result = run_with_progress(id, tx, token, {
        let tx = tx.clone();
        move |counters, flag| {
            verify_blocking(id, &req, &reqs, needs.as_ref(), &counters, &flag, &tx)
        }
    })
    .await;
    match result {
        Ok(true) => JobOutcome::Cancelled,
        Ok(false) => JobOutcome::Succeeded,
        Err(e) => JobOutcome::Failed {
            message: format!("verify job failed: {e}"),
            exit_code: None,
        },
    }
}

/// Measures, then classifies in parallel. Returns whether it was cancelled before every module
/// was classified.
fn verify_blocking(
    id: JobId,
    req: &VerifyRequest,
    reqs: &[Requirement],
    needs: Option<&GraphNeeds>,
    counters: &Arc<Counters>,
    flag: &CancelFlag,
    tx: &JobSender,
) -> bool {
    if req.mode == CheckMode::Full {
        let total: u64 = reqs
            .par_iter()
            .map(|r| content_size(r, &req.cache, flag))
            .sum();
        counters.set_total(total);
    }
    let progress = ByteCounter(counters.clone());
    // As for `modscope check`: unchanged modules are taken from the verify memo, and their
    // files' presence from the quick-scan memo, checked: every zip is looked at, and a line
    // the inspector's quick scan could not correct (a zip rewritten in place, whose size it
    // took from the memo) is written anew.
    let memo = (req.mode == CheckMode::Full)
        .then(|| {
            let dir = req.memos.as_ref()?.join(VERIFY_MEMO_DIR);
            let memo_mode = if req.fresh {
                MemoMode::Refresh
            } else {
                MemoMode::Use
            };
            VerifyMemo::open_in(&dir, &req.cache.root, memo_mode)
        })
        .flatten();
    let probe_memo = req
        .memos
        .as_ref()
        .and_then(|dir| ProbeMemo::open_in(&dir.join(PROBE_MEMO_DIR), &req.cache.root));
    let ctx = ClassifyContext {
        cache: &req.cache,
        sums: &req.project.sums,
        mode: req.mode,
        cancel: flag,
        progress: &progress,
        memo: memo.as_ref(),
        probe_memo: probe_memo.as_ref(),
        needs,
    };
    // A mismatch found gets the checksum database's word on it (which side it backs).
    let env = req
        .go_env
        .as_ref()
        .map(|vars| GoEnv::from_vars(vars.iter().cloned()));
    let cancelled = AtomicBool::new(false);
    reqs.par_iter().for_each(|r| {
        if flag.is_cancelled() {
            cancelled.store(true, Ordering::Relaxed);
            return;
        }
        match classify(r, &ctx) {
            Ok(mut report) => {
                if let Some(env) = &env {
                    attach_provenance(&mut report, &req.project, &req.cache, env);
                }
                send(tx, id, JobEvent::Module(Box::new(report)))
            }
            Err(_) => cancelled.store(true, Ordering::Relaxed),
        }
    });
    if let Some(memo) = &memo {
        let (unchanged, rehashed) = memo.stats();
        let line = if req.fresh {
            format!(
                "verify: {rehashed} zips and trees re-hashed (verify memo ignored and refreshed)"
            )
        } else {
            format!(
                "verify: {unchanged} zips and trees unchanged (verify memo), {rehashed} re-hashed; R re-hashes everything"
            )
        };
        send(
            tx,
            id,
            JobEvent::Output {
                stream: OutputStream::Stdout,
                line,
            },
        );
        // Memos not saved only make the next check slower: nothing to tell the user here.
        let _ = memo.save();
    }
    if let Some(memo) = &probe_memo {
        let _ = memo.save();
    }
    cancelled.into_inner()
}

/// The bytes `classify` will hash for `r` in full mode: the uncompressed content of the zip
/// (from its central directory) and the files of a complete extracted tree. 0 when unknown.
fn content_size(r: &Requirement, cache: &ModuleCache, flag: &CancelFlag) -> u64 {
    if flag.is_cancelled() {
        return 0;
    }
    let (path, version) = match r.replacement.as_ref().map(|x| &x.target) {
        Some(ReplaceTarget::Dir(_)) => return 0,
        Some(ReplaceTarget::Module { path, version }) => (path, version),
        None => (&r.path, &r.version),
    };
    let Ok(files) = cache.files(path, version) else {
        return 0;
    };
    let mut n = 0;
    if files.zip.is_file() {
        n += zip_content_size(&files.zip);
    }
    if files.dir.is_dir() && !files.partial.exists() {
        n += tree_size(&files.dir);
    }
    n
}

fn zip_content_size(zip: &Path) -> u64 {
    let Ok((file, _)) = gomodcache::fs::read::open_regular(zip, gomodcache::fs::read::limits::ZIP)
    else {
        return 0;
    };
    let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let Ok(archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return file_len;
    };
    (0..archive.len())
        .map(|i| archive.by_index_data(i).map(|e| e.size()).unwrap_or(0))
        .fold(0u64, u64::saturating_add)
        .min(MAX_UNCOMPRESSED)
}

/// Sizes of the non-directory entries, symlinks read through (as `hash_dir` hashes them).
fn tree_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| std::fs::metadata(e.path()).map(|m| m.len()).unwrap_or(0))
        .fold(0u64, u64::saturating_add)
        .min(MAX_UNCOMPRESSED)
}
