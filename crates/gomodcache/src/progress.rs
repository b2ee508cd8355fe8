//! How long-running core work reports progress and learns it should stop.
//!
//! Modelled on uv's `Reporter` traits: the core calls these hooks from worker threads; the CLI
//! implements them with a stderr line, the TUI with a channel sender sampled at ~10–20 Hz.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Hooks called while modules are hashed. Every method has a no-op default.
pub trait HashProgress: Send + Sync {
    /// The total amount of work is known: `modules` modules.
    fn on_start(&self, _modules: usize) {}
    /// `bytes` more bytes of file content were hashed.
    fn on_bytes(&self, _bytes: u64) {}
    /// One module is fully classified.
    fn on_module_done(&self, _path: &str, _version: &str) {}
}

/// A progress sink that ignores everything.
pub struct NoProgress;
impl HashProgress for NoProgress {}

/// A cheap, clonable cancellation flag, checked before every chunk read while hashing.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    /// A flag not yet cancelled.
    pub fn new() -> Self {
        Self::default()
    }
    /// Cancels the work of every clone of this flag (it stops at its next check).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    /// Whether [`cancel`](Self::cancel) was called on any clone.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
