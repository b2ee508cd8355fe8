//! What the checksum database says of each go.sum line, as data: the verdict of a line, the
//! side that is wrong in a conflict, the tree heads read, and the report the CLI and the
//! inspector print. [`super::check`] computes it.

use super::tiles::Tile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Vouched,
    Conflict,
    Unchecked,
    Unverifiable,
}

/// In a conflict, what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WrongSide {
    /// go.sum: the cache agrees with the database (an edit, a bad merge).
    GoSum,
    /// The cache: go.sum agrees with the database, the cached zip or `.mod` changed after
    /// download.
    Cache,
    /// go.sum and the cache agree with each other, not with the database: they came through a
    /// source that served other bytes.
    Source,
    /// go.sum and the cache disagree with the database and with each other.
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineVerdict {
    /// go.sum or go.work.sum, as given.
    pub file: String,
    pub line: usize,
    pub path: String,
    pub version: String,
    pub go_mod: bool,
    pub hash: String,
    pub verdict: Verdict,
    /// Why, in plain words.
    pub reason: String,
    pub database_hash: Option<String>,
    /// What the module cache holds for the same thing (`.ziphash`, or the `.mod` hashed).
    pub cache_hash: Option<String>,
    pub wrong: Option<WrongSide>,
    /// A command that fixes it, to paste as it is.
    pub fix: Option<String>,
    /// Where the database's answer was read: go's cache, modscope's own (`--online` kept it),
    /// or the URL it was fetched from in this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_from: Option<String>,
    /// The answer was fetched by this run (`--online`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub looked_up_now: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeHead {
    pub size: u64,
    pub hash: String,
    /// Where it was read (the `latest` file, or a lookup answer).
    pub from: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub vouched: usize,
    pub conflict: usize,
    pub unchecked: usize,
    pub unverifiable: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SumdbReport {
    pub schema_version: u32,
    /// The database's name; null when GOSUMDB=off.
    pub database: Option<String>,
    pub gosumdb: String,
    pub tree_heads: Vec<TreeHead>,
    /// Security findings about the database's cached state itself: a tree head that does not
    /// verify, two tree heads that fork.
    pub findings: Vec<String>,
    /// How far the cached tree heads were proven to be one log.
    pub consistency: String,
    pub lines: Vec<LineVerdict>,
    pub counts: Counts,
    /// What `--online` did (absent without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online: Option<OnlineSummary>,
    /// Tiles the proofs lacked (at the width their trees give them): what `--online` fetches.
    #[serde(skip)]
    pub missing_tiles: Vec<Tile>,
    /// The fetched tiles whose every hash is proven in a signed tree head.
    #[serde(skip)]
    pub authenticated_tiles: BTreeSet<Tile>,
}

impl SumdbReport {
    /// Conflicts, unverifiable lines and findings fail the check.
    pub fn ok(&self) -> bool {
        self.counts.conflict == 0 && self.counts.unverifiable == 0 && self.findings.is_empty()
    }
}

/// What an online run did, in the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OnlineSummary {
    /// Where the database was reached (`<proxy>/sumdb/<db>` or its own URL); empty when no
    /// route answered.
    pub via: String,
    /// Module versions looked up.
    pub looked_up: usize,
    /// Requests answered (lookups, tiles, `latest`, `supported`).
    pub requests: usize,
    /// Requests that failed, each naming its URL.
    pub errors: Vec<String>,
    /// Why nothing was asked (GOSUMDB=off, GOPROXY=off, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Where the verified answers were kept, and how many.
    pub kept_in: Option<String>,
    pub kept_lookups: usize,
    pub kept_tiles: usize,
    /// Why nothing was kept, when nothing was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_kept: Option<String>,
}

/// Why a line without any answer is unchecked.
pub const NO_ANSWER: &str = "no cached answer of the checksum database: go never looked this version up with this cache (the line came with the repository; `modscope sumdb --online` looks it up)";
