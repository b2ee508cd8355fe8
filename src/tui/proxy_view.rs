//! The proxy view's state (`P`): the last `proxy check` of the project's proxy, as one row per
//! entry that is not present; wrong bytes (security findings) first, then what is absent, what
//! failed, and last what go does not need to build (advice). Filled by a background job; only
//! `update` changes it.

use crate::jobs::JobId;
use crate::tui::list_window::{moved, offset_showing};
use gomodcache::proxy::report::{Entry, EntryState, ProxyAudit};

/// Lines under the table: a rule, then the entry under the cursor (URL, what the proxy
/// answered, what go does next, the fix).
pub const DETAIL_LINES: usize = 5;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProxyView {
    /// The check running, if any (its progress is its task's).
    pub running: Option<JobId>,
    /// The last check's audit (kept while a new one runs).
    pub audit: Option<ProxyAudit>,
    /// Why the last check ended without an audit (cancelled, no proxy to check, …).
    pub error: Option<String>,
    /// Indexes into the audit's entries, in the order shown (see [`rows_of`]).
    pub rows: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
}

/// How a row reads, and in which order rows come: what go refuses first.
pub fn rank(e: &Entry) -> u8 {
    match (e.advisory, e.state) {
        (false, EntryState::Wrong) => 0,
        (false, EntryState::Absent) => 1,
        (false, EntryState::Error) => 2,
        _ => 3,
    }
}

/// The entries that are not present: wrong, absent, failed, then advice; each group in the
/// audit's order (by module).
pub fn rows_of(audit: &ProxyAudit) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..audit.entries.len())
        .filter(|&i| audit.entries[i].state != EntryState::Present)
        .collect();
    rows.sort_by_key(|&i| rank(&audit.entries[i]));
    rows
}

impl ProxyView {
    /// Takes a finished check's audit; the cursor goes back to the first row.
    pub fn set_audit(&mut self, audit: ProxyAudit, window: usize) {
        self.rows = rows_of(&audit);
        self.audit = Some(audit);
        self.error = None;
        self.cursor = 0;
        self.offset = 0;
        self.scroll_to_cursor(window);
    }

    /// The entry under the cursor.
    pub fn at_cursor(&self) -> Option<&Entry> {
        let audit = self.audit.as_ref()?;
        audit.entries.get(*self.rows.get(self.cursor)?)
    }

    pub fn move_by(&mut self, delta: isize, window: usize) {
        self.cursor = moved(self.cursor, delta, self.rows.len());
        self.scroll_to_cursor(window);
    }

    pub fn scroll_to_cursor(&mut self, window: usize) {
        self.offset = offset_showing(self.cursor, self.offset, self.rows.len(), window);
    }
}
