//! One line of feedback ("rescanning…", "download failed: …") that goes away by itself: after
//! [`NOTICE_FOR`], or at the next key, whichever comes first. Its expiry is a one-shot wake-up
//! the event loop schedules (`Effect::WakeAt`), so no tick runs while the UI is idle.

use super::app_state::AppState;
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

impl AppState {
    /// Shows `text` as the notice, replacing any other.
    pub fn say(&mut self, text: impl Into<String>) {
        self.say_for(text, NOTICE_FOR);
    }

    /// Shows `text` for `duration` (or until the next key).
    pub fn say_for(&mut self, text: impl Into<String>, duration: Duration) {
        self.notice = Some(Notice {
            text: text.into(),
            until: self.now + duration,
            wake_scheduled: false,
        });
    }

    /// The notice's text, if one is shown.
    pub fn notice_text(&self) -> Option<&str> {
        self.notice.as_ref().map(|n| n.text.as_str())
    }
}
