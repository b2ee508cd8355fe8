//! The progress line `modscope cache` and `modscope cache prune` draw on stderr: parts and
//! bytes while scanning the cache, a byte bar while pruning.

use super::cache_text::size;
use gomodcache::inventory::prune::PruneProgress;
use gomodcache::inventory::{ScanProgress, ScannedPart};
use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A progress line on stderr: parts and bytes while scanning, a byte bar while pruning.
pub struct StderrBar {
    parts: AtomicU64,
    files: AtomicU64,
    bytes: AtomicU64,
    total: AtomicU64,
    last: Mutex<Option<Instant>>,
}

impl StderrBar {
    pub fn new() -> Self {
        StderrBar {
            parts: AtomicU64::new(0),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            total: AtomicU64::new(0),
            last: Mutex::new(None),
        }
    }

    fn draw(&self, force: bool, line: impl FnOnce() -> String) {
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if !force && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2K{}",
            super::output::escape_controls(&line())
        );
    }

    pub fn finish(&self) {
        if self.last.lock().map(|l| l.is_some()).unwrap_or(false) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

impl ScanProgress for StderrBar {
    fn on_part(&self, p: &ScannedPart) {
        let parts = self.parts.fetch_add(1, Ordering::Relaxed) + 1;
        let files = self.files.fetch_add(p.files, Ordering::Relaxed) + p.files;
        let bytes = self.bytes.fetch_add(p.bytes.disk, Ordering::Relaxed) + p.bytes.disk;
        self.draw(false, || {
            format!(
                "scanning the module cache: {parts} parts, {files} files, {}",
                size(bytes)
            )
        });
    }
}

impl PruneProgress for StderrBar {
    fn on_start(&self, _items: usize, bytes: u64) {
        self.total.store(bytes, Ordering::Relaxed);
    }
    fn on_step(&self, item: &str, step: &str) {
        let (done, total) = (
            self.bytes.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed).max(1),
        );
        let width = 30u64;
        let filled = (done.min(total) * width / total) as usize;
        let item = item.to_string();
        let step: String = step.chars().take(60).collect();
        self.draw(false, || {
            format!(
                "[{}{}] {} / {}  {item}: {step}",
                "#".repeat(filled),
                " ".repeat(width as usize - filled),
                size(done),
                size(total)
            )
        });
    }
    fn on_item_done(&self, item: &str, bytes: u64, _error: Option<&str>) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.on_step(item, "done");
    }
}
