//! Progress for `go mod download`, which prints nothing until it is done (spec §5.2): watch the
//! cache for the `.ziphash` files go writes when each module's zip is complete.

use super::go_process::{run_child, send_started};
use super::{GoInvocation, JobEvent, JobHandle, JobId, JobSender, send};
use std::path::PathBuf;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often the watched files are counted.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// [`spawn_go`](super::spawn_go) plus `Progress { done, total: watched.len() }` whenever the
/// number of `watched` files that exist changes (sampled every 250 ms, and once more when the
/// child has exited, before `Finished`). `watched` are the `.ziphash` paths of the modules being
/// downloaded (`ModuleCache::files(path, version).ziphash`).
pub fn spawn_go_with_cache_progress(
    id: JobId,
    inv: GoInvocation,
    watched: Vec<PathBuf>,
    tx: JobSender,
) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        send_started(id, &inv, &tx);
        let mut sampler = Sampler::new(watched);
        let outcome = {
            let child = run_child(id, &inv, &tx, &token);
            tokio::pin!(child);
            let mut tick = tokio::time::interval(SAMPLE_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    outcome = &mut child => break outcome,
                    _ = tick.tick() => sampler.sample(&tx, id).await,
                }
            }
        };
        sampler.sample(&tx, id).await;
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

struct Sampler {
    watched: std::sync::Arc<Vec<PathBuf>>,
    last: Option<u64>,
}

impl Sampler {
    fn new(watched: Vec<PathBuf>) -> Self {
        Sampler {
            watched: std::sync::Arc::new(watched),
            last: None,
        }
    }

    /// Counts the watched files off the reactor (stat calls block) and reports a change.
    async fn sample(&mut self, tx: &JobSender, id: JobId) {
        if self.watched.is_empty() {
            return;
        }
        let watched = self.watched.clone();
        let count = tokio::task::spawn_blocking(move || count_existing(&watched))
            .await
            .unwrap_or(0);
        // The count only grows during a download; a smaller sample is noise (a file replaced).
        let done = count.max(self.last.unwrap_or(0));
        if self.last != Some(done) {
            self.last = Some(done);
            let total = self.watched.len() as u64;
            send(tx, id, JobEvent::Progress { done, total });
        }
    }
}

/// How many of `paths` exist.
pub fn count_existing(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .count() as u64
}
