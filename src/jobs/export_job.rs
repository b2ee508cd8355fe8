//! `modscope export` as a background job: the bundle is written off the reactor, with progress
//! in bytes copied, and cancelling takes back every file written so far.

use super::blocking_work::{Counters, run_with_progress};
use super::{JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream, send};
use gomodcache::bundle::{BundleLayout, ExportProgress, ExportResult, export_bundle_with};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::{GoEnv, process_vars_with};
use gomodcache::offline::verdict::VerdictInput;
use gomodcache::project::Project;
use gomodcache::toolchain::GoInstall;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub project: Project,
    pub cache: ModuleCache,
    /// The session's overrides of go's environment (as for every `go` child).
    pub go_env: Vec<(String, String)>,
    pub out: PathBuf,
}

struct CounterProgress(Arc<Counters>);

impl ExportProgress for CounterProgress {
    fn planned(&self, bytes: u64) {
        self.0.set_total(bytes);
    }
    fn copied(&self, bytes: u64) {
        self.0.add_done(bytes);
    }
}

/// `Started { "export offline bundle to DIR (in-process)" }`, byte `Progress`, the summary and
/// usage as `Output` lines, then `Finished` (`Failed` when anything the build needs could not be
/// exported: the bundle is written but will not build offline).
pub fn spawn_export(id: JobId, req: ExportRequest, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        send(
            &tx,
            id,
            JobEvent::Started {
                command_line: format!(
                    "export offline bundle to {} (in-process)",
                    req.out.display()
                ),
            },
        );
        let out = req.out.clone();
        let result = run_with_progress(id, &tx, &token, move |counters, flag| {
            let vars = process_vars_with(&req.go_env);
            let env = GoEnv::from_vars(vars.clone());
            // Not `GoInstall::probe`: no `go env` child outside the job layer's process groups.
            let go = GoInstall::from_installation(&vars);
            let input = VerdictInput {
                project: &req.project,
                cache: &req.cache,
                env: &env,
                go: &go,
                ignore_vendor: true,
            };
            export_bundle_with(
                &input,
                &req.out,
                None,
                BundleLayout::Goproxy,
                &CounterProgress(counters),
                &flag,
            )
        })
        .await;
        let outcome = match result {
            Ok(Ok(r)) => report(id, &tx, &r),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::Interrupted => JobOutcome::Cancelled,
            Ok(Err(e)) => JobOutcome::Failed {
                message: format!("cannot write the bundle to {}: {e}", out.display()),
                exit_code: None,
            },
            Err(e) => JobOutcome::Failed {
                message: format!("export job failed: {e}"),
                exit_code: None,
            },
        };
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

fn report(id: JobId, tx: &JobSender, r: &ExportResult) -> JobOutcome {
    let line = |text: String| {
        send(
            tx,
            id,
            JobEvent::Output {
                stream: OutputStream::Stdout,
                line: text,
            },
        )
    };
    let m = &r.manifest;
    let zips = m.modules.iter().filter(|x| x.zip).count();
    line(format!(
        "{} files, {} ({} .mod, {zips} zips) in {}",
        m.files.len(),
        bytesize::ByteSize::b(m.total_size),
        m.modules.len(),
        r.dir.display()
    ));
    for x in &m.missing {
        line(format!("✗ {}: {} ({})", x.module, x.reason, x.file));
        if let Some(fix) = &x.fix {
            line(format!("  fix: {fix}"));
        }
    }
    line("use it with:".into());
    for usage in r.usage().lines().filter(|l| !l.is_empty()) {
        line(format!("  {usage}"));
    }
    if r.complete() {
        JobOutcome::Succeeded
    } else {
        JobOutcome::Failed {
            message: format!(
                "{} item(s) the build needs could not be exported",
                m.missing.len()
            ),
            exit_code: None,
        }
    }
}
