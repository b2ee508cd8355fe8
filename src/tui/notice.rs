//! One line of feedback ("rescanning…", "download failed: …") that goes away by itself: after
//! [`NOTICE_FOR`], or at the next key, whichever comes first. Its expiry is a one-shot wake-up
//! the event loop schedules (`Effect::WakeAt`), so no tick runs while the UI is idle.

use std::time::{Duration, Instant};

/// How long a notice stays when no key is pressed.
pub const NOTICE_FOR: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub until: Instant,
    /// Whether the wake-up that removes it was asked for (once per notice).
    pub wake_scheduled: bool,
}
