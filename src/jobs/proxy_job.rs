//! `modscope proxy check` as a background job, for the inspector: the same audit as the
//! command (the proxy given, or the first of the effective GOPROXY), module versions checked as
//! `Progress`, the audit as one `ProxyAudited` event before `Finished`. Cancelling sets the
//! audit's flag and stops the proxy's reader, which interrupts every request in flight: the job
//! ends when the audit has returned, so no request of it is left running.

use super::blocking_work::run_with_progress;
use super::{JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream, send};
use crate::net::proxy_source::{HttpSettings, open_proxy, proxy_target};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::{GoEnv, process_vars_with};
use gomodcache::offline::verdict::{VerdictInput, offline_analysis};
use gomodcache::project::Project;
use gomodcache::proxy::audit::{AuditOptions, audit, needs};
use gomodcache::proxy::report::ProxyAudit;
use gomodcache::proxy::source::ProxySource;
use gomodcache::sumdb::note::sumdb_name;
use gomodcache::toolchain::GoInstall;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct ProxyCheckRequest {
    pub project: Project,
    pub cache: ModuleCache,
    /// The session's overrides of go's environment (as for every `go` child).
    pub go_env: Vec<(String, String)>,
    /// The proxy to audit; `None`: the first proxy of the effective GOPROXY.
    pub url: Option<String>,
    pub settings: HttpSettings,
}

impl ProxyCheckRequest {
    /// The command's defaults: 16 requests in flight, 30 s per request.
    pub fn new(project: Project, cache: ModuleCache, go_env: Vec<(String, String)>) -> Self {
        ProxyCheckRequest {
            project,
            cache,
            go_env,
            url: None,
            settings: HttpSettings {
                timeout: Duration::from_secs(30),
                jobs: 16,
            },
        }
    }
}

/// `Started { "modscope proxy check URL (in-process)" }`, `Progress` in module versions, a line
/// naming what is checked, then `ProxyAudited` and `Finished`: `Succeeded` when the proxy holds
/// everything with the right bytes, `Failed` with the counts when it does not (as the command
/// exits 1), `Cancelled` (and no audit) when cancelled.
pub fn spawn_proxy_check(id: JobId, req: ProxyCheckRequest, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        let vars = process_vars_with(&req.go_env);
        let env = GoEnv::from_vars(vars.clone());
        let target = proxy_target(&env, req.url.as_deref());
        send(
            &tx,
            id,
            JobEvent::Started {
                command_line: match &target {
                    Ok((url, _)) => format!("modscope proxy check {url} (in-process)"),
                    Err(_) => "modscope proxy check (in-process)".into(),
                },
            },
        );
        let (url, list) = match target {
            Ok(t) => t,
            Err(message) => return finish_failed(&tx, id, message),
        };
        let flag = gomodcache::progress::CancelFlag::new();
        let source: Arc<dyn ProxySource + Send> =
            match open_proxy(&url, req.settings, &flag, &env, &vars) {
                Ok(s) => Arc::from(s),
                Err(message) => return finish_failed(&tx, id, message),
            };
        // The request's cancellation reaches the audit twice: its flag (no new request) and
        // the reader's stop (the requests in flight fail at once).
        let stopper = tokio::spawn({
            let (token, source, flag) = (token.clone(), source.clone(), flag.clone());
            async move {
                token.cancelled().await;
                flag.cancel();
                source.stop();
            }
        });
        let result = run_with_progress(id, &tx, &token, {
            let tx = tx.clone();
            move |counters, job_flag| {
                // Not `GoInstall::probe`: no `go env` child outside the job layer's process groups.
                let go = GoInstall::from_installation(&vars);
                let input = VerdictInput {
                    project: &req.project,
                    cache: &req.cache,
                    env: &env,
                    go: &go,
                    ignore_vendor: true,
                };
                let (report, graph) = offline_analysis(&input);
                let needed = needs(&req.project, &report, &graph, false);
                counters.set_total(needed.len() as u64);
                line(
                    &tx,
                    id,
                    format!(
                        "{url}: {} module versions this project needs (.info, .mod, zip)",
                        needed.len()
                    ),
                );
                let progress = |done: usize, _total: usize| {
                    counters
                        .done
                        .store(done as u64, std::sync::atomic::Ordering::Relaxed);
                };
                let gosumdb = env.get("GOSUMDB").unwrap_or("");
                let audited = audit(
                    source.as_ref(),
                    &req.project,
                    &needed,
                    &AuditOptions {
                        full: false,
                        jobs: req.settings.jobs,
                        list: &list,
                        sumdb: sumdb_name(gosumdb),
                        cancel: &flag,
                        progress: &progress,
                    },
                );
                (!job_flag.is_cancelled() && !flag.is_cancelled()).then_some(audited)
            }
        })
        .await;
        stopper.abort();
        let outcome = match result {
            Ok(Some(audited)) => report(id, &tx, audited),
            Ok(None) => JobOutcome::Cancelled,
            Err(e) => JobOutcome::Failed {
                message: format!("the proxy check panicked: {e}"),
                exit_code: None,
            },
        };
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

fn line(tx: &JobSender, id: JobId, text: String) {
    send(
        tx,
        id,
        JobEvent::Output {
            stream: OutputStream::Stdout,
            line: text,
        },
    );
}

fn finish_failed(tx: &JobSender, id: JobId, message: String) {
    send(
        tx,
        id,
        JobEvent::Finished(JobOutcome::Failed {
            message,
            exit_code: None,
        }),
    );
}

/// The counts as a line, the audit as an event, and the outcome the command's exit code is.
fn report(id: JobId, tx: &JobSender, audited: ProxyAudit) -> JobOutcome {
    let c = &audited.counts;
    let counts = format!(
        "{} present · {} absent · {} wrong · {} errors",
        c.present, c.absent, c.wrong, c.error
    );
    line(tx, id, format!("{}: {counts}", audited.proxy));
    let outcome = if audited.complete {
        JobOutcome::Succeeded
    } else {
        JobOutcome::Failed {
            message: format!("the proxy lacks what the build needs: {counts}"),
            exit_code: None,
        }
    };
    send(tx, id, JobEvent::ProxyAudited(Box::new(audited)));
    outcome
}
