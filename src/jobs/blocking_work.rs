//! Blocking core work (hashing, copying) run off the async reactor, with byte counters sampled
//! into throttled `Progress` events and a job's cancellation forwarded to the core's flag.

use super::{JobEvent, JobId, JobSender, send};
use gomodcache::progress::CancelFlag;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Progress is forwarded at most this often (~15 Hz).
pub const PROGRESS_EVERY: Duration = Duration::from_millis(66);

/// Shared between the workers (which only bump them) and the sampler.
#[derive(Debug, Default)]
pub struct Counters {
    pub done: AtomicU64,
    pub total: AtomicU64,
}

impl Counters {
    pub fn add_done(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }
    pub fn set_total(&self, bytes: u64) {
        self.total.store(bytes, Ordering::Relaxed);
    }
}

/// Forwards the counters when they changed. `done` never exceeds `total`: the sizes are
/// measured before the work and files may grow in between, so `total` is raised to match.
struct ProgressSampler {
    counters: Arc<Counters>,
    last: (u64, u64),
}

impl ProgressSampler {
    fn sample(&mut self, tx: &JobSender, id: JobId) {
        let done = self.counters.done.load(Ordering::Relaxed);
        let total = self.counters.total.load(Ordering::Relaxed);
        if total == 0 {
            return;
        }
        let now = (done, total.max(done));
        if now != self.last {
            self.last = now;
            send(
                tx,
                id,
                JobEvent::Progress {
                    done: now.0,
                    total: now.1,
                },
            );
        }
    }
}

/// Runs `work` on the blocking pool, sending `Progress` from its counters until it returns;
/// cancelling `token` sets the flag `work` is given. `Err` only if `work` panicked.
pub async fn run_with_progress<T, F>(
    id: JobId,
    tx: &JobSender,
    token: &CancellationToken,
    work: F,
) -> Result<T, tokio::task::JoinError>
where
    T: Send + 'static,
    F: FnOnce(Arc<Counters>, CancelFlag) -> T + Send + 'static,
{
    let counters = Arc::new(Counters::default());
    let flag = CancelFlag::new();
    if token.is_cancelled() {
        flag.cancel();
    }
    let mut job = tokio::task::spawn_blocking({
        let (counters, flag) = (counters.clone(), flag.clone());
        move || work(counters, flag)
    });
    let mut sampler = ProgressSampler {
        counters,
        last: (0, 0),
    };
    let mut tick = tokio::time::interval(PROGRESS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let result = loop {
        tokio::select! {
            r = &mut job => break r,
            _ = token.cancelled(), if !flag.is_cancelled() => flag.cancel(),
            _ = tick.tick() => sampler.sample(tx, id),
        }
    };
    sampler.sample(tx, id);
    result
}
