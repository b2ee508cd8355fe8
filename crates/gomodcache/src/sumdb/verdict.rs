//! What the checksum database says of each go.sum line, as data: the verdict of a line, the
//! side that is wrong in a conflict, the tree heads read, and the report the CLI and the
//! inspector print. [`super::check`] computes it.

use super::tiles::Tile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the checksum database says of one go.sum line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The database's signed, proven answer has the same hash.
    Vouched,
    /// The database's signed, proven answer has another hash.
    Conflict,
    /// No answer to compare with (never looked up, GOSUMDB=off, a GONOSUMDB match).
    Unchecked,
    /// An answer is there but cannot be trusted: bad signature, no proof, no line for it.
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

/// The verdict on one go.sum (or go.work.sum) line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineVerdict {
    /// go.sum or go.work.sum, as given.
    pub file: String,
    /// 1-based line number in that file.
    pub line: usize,
    /// The module path.
    pub path: String,
    /// The module version (without `/go.mod`).
    pub version: String,
    /// The line is the `/go.mod` hash, not the zip's.
    pub go_mod: bool,
    /// The line's hash (`h1:...`).
    pub hash: String,
    /// What the database says of it.
    pub verdict: Verdict,
    /// Why, in plain words.
    pub reason: String,
    /// The hash the database's answer has, when there is an answer.
    pub database_hash: Option<String>,
    /// What the module cache holds for the same thing (`.ziphash`, or the `.mod` hashed).
    pub cache_hash: Option<String>,
    /// In a conflict, which side is wrong.
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

/// A signed tree head of the database's log, as read from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeHead {
    /// The number of records in the tree (x/mod `tlog.Tree.N`).
    pub size: u64,
    /// The tree's root hash, base64.
    pub hash: String,
    /// Where it was read (the `latest` file, or a lookup answer).
    pub from: String,
}

/// How many lines got each [`Verdict`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Lines the database vouches for.
    pub vouched: usize,
    /// Lines the database contradicts.
    pub conflict: usize,
    /// Lines with no answer to compare with.
    pub unchecked: usize,
    /// Lines whose answer cannot be trusted.
    pub unverifiable: usize,
}

/// The `modscope sumdb` report: a verdict for every `h1:` line of go.sum and go.work.sum, from
/// the checksum database's answers go cached (x/mod `sumdb` client checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SumdbReport {
    /// Version of this JSON shape (1).
    pub schema_version: u32,
    /// The database's name; null when GOSUMDB=off.
    pub database: Option<String>,
    /// GOSUMDB as go sees it.
    pub gosumdb: String,
    /// The signed tree heads read from the cache.
    pub tree_heads: Vec<TreeHead>,
    /// Security findings about the database's cached state itself: a tree head that does not
    /// verify, two tree heads that fork.
    pub findings: Vec<String>,
    /// How far the cached tree heads were proven to be one log.
    pub consistency: String,
    /// One verdict per line, in file and line order.
    pub lines: Vec<LineVerdict>,
    /// How many lines got each verdict.
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
    /// Lookup answers kept.
    pub kept_lookups: usize,
    /// Tiles kept.
    pub kept_tiles: usize,
    /// Why nothing was kept, when nothing was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_kept: Option<String>,
}

/// Why a line without any answer is unchecked.
pub(crate) const NO_ANSWER: &str = "no cached answer of the checksum database: go never looked this version up with this cache (the line came with the repository; `modscope sumdb --online` looks it up)";
