//! What classifying a module reads against (the cache, go.sum, the mode, the memos) and what
//! the parts of the classification share: the module version being looked at, and the words
//! for a file that cannot be read.

use super::super::build_list::GraphNeeds;
use super::super::problems::{Problem, ProblemKind as K};
use super::super::report::CheckMode;
use crate::cache::layout::{CacheProbe, ModuleCache};
use crate::cache::probe_memo::ProbeMemo;
use crate::cache::verify_memo::VerifyMemo;
use crate::fix::commands::{download_command, evict_and_download_command, repair_command};
use crate::fs::read::NOT_REGULAR;
use crate::progress::{CancelFlag, HashProgress};
use crate::project::SumFiles;

/// What [`classify`](super::classify) reads a module against, and how.
pub struct ClassifyContext<'a> {
    /// The module cache.
    pub cache: &'a ModuleCache,
    /// The project's go.sum files (go.work.sum too in a workspace).
    pub sums: &'a SumFiles,
    /// Quick (presence and recorded hashes) or full (the zip and tree re-hashed).
    pub mode: CheckMode,
    /// Raised, hashing stops and [`classify`](super::classify) returns [`Cancelled`].
    pub cancel: &'a CancelFlag,
    /// Told the bytes hashed.
    pub progress: &'a dyn HashProgress,
    /// Full mode: take unchanged zips and trees from this memo instead of re-hashing them.
    pub memo: Option<&'a VerifyMemo>,
    /// Take the probe of an unchanged module (file presence, `.ziphash`, the `.mod`'s h1)
    /// from this memo.
    pub probe_memo: Option<&'a ProbeMemo>,
    /// What go needs of graph-only modules (the `.mod` files the graph reads, the packages the
    /// build imports from them); `None` when only the required modules are classified.
    pub needs: Option<&'a GraphNeeds>,
}

/// The [`CancelFlag`] was raised while a module was being hashed.
#[derive(Debug, PartialEq, Eq)]
pub struct Cancelled;

/// What to do about a cache file modscope may not read or look at, for the message: no command
/// fixes it, as modscope never changes permissions in go's cache, and which ones are right
/// depends on who owns it.
pub(super) const PERMISSIONS_ADVICE: &str = "To fix: check the permissions of the path named above (ls -ld it): the module cache must be readable by the user running modscope";

/// A cache file that could not be read: a file that is not a regular file (a named pipe, a
/// device) is no download of go's, so the fix evicts it and downloads again (by hand:
/// `modscope repair` only moves what go itself wrote); any other failure is about permissions,
/// which no command fixes.
pub(super) fn unreadable(message: String, error: &str, t: &Target<'_>) -> Problem {
    if error.contains(NOT_REGULAR) {
        Problem::new(K::Unreadable, message, t.evict_by_hand())
    } else {
        Problem::new(
            K::Unreadable,
            format!("{message}. {PERMISSIONS_ADVICE}"),
            None,
        )
    }
}

pub(super) struct Target<'a> {
    /// The module version whose files go reads: the replacement's, when replaced.
    pub(super) path: &'a str,
    pub(super) version: &'a str,
    /// The module path the project requires (go's hints name it, not the replacement).
    pub(super) required: &'a str,
    pub(super) probe: &'a CacheProbe,
}

impl Target<'_> {
    pub(super) fn at(&self) -> String {
        format!("{}@{}", self.path, self.version)
    }
    pub(super) fn download(&self) -> Option<String> {
        Some(download_command(self.path, self.version))
    }
    /// `modscope repair`: for cached content that changed after go wrote it.
    pub(super) fn repair(&self) -> Option<String> {
        Some(repair_command(self.path, self.version))
    }
    pub(super) fn evict_by_hand(&self) -> Option<String> {
        Some(evict_and_download_command(
            &self.probe.files,
            self.path,
            self.version,
        ))
    }
}

/// What the go.sum fix does and what to check first, for the message (the fix is a command).
pub(super) const GO_SUM_FIX_EXPLAINED: &str = "Check the line's history first (git log -p -- go.sum): the fix deletes go.sum's line for this key and has go write it again from the cached download, checked against the checksum database unless GOSUMDB=off";
