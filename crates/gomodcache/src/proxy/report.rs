//! What a proxy audit finds, as data: each entry (`.info`, `.mod`, zip, `@v/list`, the sumdb
//! route) present, absent, wrong or failing, with what go does next and the command that fills
//! it; the counts; and whether the proxy is complete.

use serde::{Deserialize, Serialize};

/// What the proxy holds for one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryState {
    /// The proxy serves it; a `.mod`, and a zip that was downloaded, hash as go.sum says.
    Present,
    /// Not found (404 or 410); for a `list`, the list does not name a needed version.
    Absent,
    /// Other bytes than go.sum's (go refuses them), or a zip that cannot be read.
    Wrong,
    /// Any other failure: an HTTP error, a timeout, a file that cannot be read.
    Error,
}

/// One file asked of the proxy, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `path@version` (the bare path for a `list`), or null for the proxy's checksum-database
    /// route.
    pub module: Option<String>,
    /// `info`, `mod`, `zip`, `list` or `sumdb`.
    pub file: String,
    /// The URL asked.
    pub url: String,
    /// What the proxy holds.
    pub state: EntryState,
    /// The HTTP status (200 whenever the file was served), when there was one.
    pub status: Option<u16>,
    /// What the proxy answered or what is wrong with it, in words; empty for a plain present
    /// file.
    pub detail: String,
    /// What go does after this answer, under the GOPROXY list's rules.
    pub next: Option<String>,
    /// A command that fills the entry, for an absent one.
    pub fix: Option<String>,
    /// Reported for information: go does not need it to build this project (`@v/list` of a
    /// pinned version, the checksum-database route).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advisory: bool,
}

/// How many entries are in each [`EntryState`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Present with the right bytes.
    pub present: usize,
    /// Not found.
    pub absent: usize,
    /// Other bytes than go.sum's.
    pub wrong: usize,
    /// Failed otherwise.
    pub error: usize,
}

/// The outcome of [`audit`](super::audit::audit), as `modscope proxy check --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyAudit {
    /// Version of this JSON shape (1).
    pub schema_version: u32,
    /// The proxy's base URL.
    pub proxy: String,
    /// Zips were downloaded and hashed, not only asked for with HEAD.
    pub full: bool,
    /// How many module versions were audited.
    pub modules: usize,
    /// Every file asked, in the order of the needs, then the `list` and `sumdb` entries.
    pub entries: Vec<Entry>,
    /// Of the entries go needs (advisory ones not counted).
    pub counts: Counts,
    /// Every needed entry is present with the right bytes.
    pub complete: bool,
}
