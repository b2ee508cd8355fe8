//! A one-line progress indicator on stderr (only used when stderr is a terminal).

use gomodcache::progress::HashProgress;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct StderrProgress {
    total: AtomicUsize,
    done: AtomicUsize,
    bytes: AtomicU64,
    last_draw: Mutex<Option<Instant>>,
}

impl StderrProgress {
    pub fn new() -> Self {
        StderrProgress {
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            last_draw: Mutex::new(None),
        }
    }

    /// Redraws at most ten times a second so the terminal is not the bottleneck.
    fn draw(&self, force: bool) {
        // try_lock: a worker that finds another one drawing simply skips this frame.
        let Ok(mut last) = self.last_draw.try_lock() else {
            return;
        };
        if !force && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let mib = self.bytes.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0);
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2Kchecking {}/{} modules, {mib:.1} MiB hashed",
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed)
        );
    }

    /// Clears the line, if anything was drawn.
    pub fn finish(&self) {
        if self.last_draw.lock().map(|l| l.is_some()).unwrap_or(false) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

impl HashProgress for StderrProgress {
    fn on_start(&self, modules: usize) {
        self.total.store(modules, Ordering::Relaxed);
        self.draw(true);
    }
    fn on_bytes(&self, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.draw(false);
    }
    fn on_module_done(&self, _path: &str, _version: &str) {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.draw(false);
    }
}
