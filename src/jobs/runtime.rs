//! The one-thread tokio runtime the inspector and `repair` run their jobs on, and how it ends:
//! whatever blocking work is still running when the front end is done (a read stuck on a hung
//! network mount, a hash that ignores its cancel flag between two checks) is abandoned, not
//! waited for. Dropping a tokio runtime waits for every `spawn_blocking` task, forever if one
//! never returns; quitting must not. The `go` children are ended by their owners before this.

use std::future::Future;

/// Runs `fut` to completion on a new current-thread runtime, then shuts the runtime down
/// without waiting for its blocking tasks (they end with the process).
pub fn run_abandoning_blocking<F: Future>(fut: F) -> std::io::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let out = runtime.block_on(fut);
    runtime.shutdown_background();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A blocking task that never returns (it waits on a channel nobody sends on) does not hold
    /// the front end: the runner returns as soon as its future is done.
    #[test]
    fn a_stuck_blocking_task_does_not_hold_the_return() {
        let (stuck_tx, stuck_rx) = mpsc::channel::<()>();
        let (done_tx, done_rx) = mpsc::channel();
        let runner = std::thread::spawn(move || {
            let out = run_abandoning_blocking(async move {
                tokio::task::spawn_blocking(move || {
                    let _ = stuck_rx.recv();
                });
                tokio::task::yield_now().await;
                7
            });
            let _ = done_tx.send(out.map_err(|e| e.to_string()));
        });
        let out = done_rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the runner waited for a blocking task that never ends");
        assert_eq!(out, Ok(7));
        runner.join().unwrap();
        drop(stuck_tx);
    }
}
