//! Many GETs with a bounded number in flight: `jobs` worker threads share one client (one
//! connection pool) and take the next URL as they finish one. The caller's thread waits,
//! reports progress and watches the cancel flag; on cancel it returns at once and the workers,
//! left behind, stop before their next request (the process is about to end anyway).

use super::http::{Client, FetchError};
use gomodcache::progress::CancelFlag;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

pub struct Cancelled;

/// The answers to `urls`, in order. `progress(done, total)` is called as they come.
pub fn fetch_all(
    client: &Arc<Client>,
    urls: Vec<String>,
    jobs: usize,
    cancel: &CancelFlag,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Result<Vec<u8>, FetchError>>, Cancelled> {
    let total = urls.len();
    let mut out: Vec<Option<Result<Vec<u8>, FetchError>>> = vec![None; total];
    if total == 0 {
        return Ok(Vec::new());
    }
    let urls = Arc::new(urls);
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    for _ in 0..jobs.clamp(1, total) {
        let (client, urls, next, tx, cancel) = (
            client.clone(),
            urls.clone(),
            next.clone(),
            tx.clone(),
            cancel.clone(),
        );
        std::thread::spawn(move || {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= urls.len() || cancel.is_cancelled() {
                    return;
                }
                let got = client.get(&urls[i], &cancel);
                if tx.send((i, got)).is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    let mut done = 0;
    progress(0, total);
    while done < total {
        if cancel.is_cancelled() {
            return Err(Cancelled);
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok((i, got)) => {
                out[i] = Some(got);
                done += 1;
                progress(done, total);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    if cancel.is_cancelled() {
        return Err(Cancelled);
    }
    Ok(out
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(cancelled_error())))
        .collect())
}

fn cancelled_error() -> FetchError {
    FetchError {
        url: String::new(),
        kind: super::http::FailKind::Cancelled,
        message: "cancelled".into(),
    }
}
