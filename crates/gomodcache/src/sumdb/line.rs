//! One go.sum line judged against the database's cached answer for its module version: the
//! answer proven in a signed tree head, its hash compared with go.sum's and with the cache's,
//! and in a conflict, the side that is wrong and the command that fixes it.

use super::store::{Lookup, record_hash_for};
use super::tiles::Recording;
use super::tlog::{ProofError, Tree, prove_record};
use super::verdict::{LineVerdict, Verdict, WrongSide};
use crate::cache::dirhash::hash_go_mod;
use crate::cache::layout::{ModuleCache, Ziphash};
use crate::fix::commands::shell_quote;
use crate::fs::read::{limits, read_regular_file};
use crate::modfile::go_sum::SumLine;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Proofs already made, by (record id, tree head).
pub(super) type Proofs = HashMap<(u64, Tree), Result<(), ProofError>>;

pub(super) fn unchecked(file: &Path, l: &SumLine, reason: String) -> LineVerdict {
    LineVerdict {
        file: file.display().to_string(),
        line: l.line,
        path: l.path.clone(),
        version: l.version.clone(),
        go_mod: l.go_mod,
        hash: l.hash.clone(),
        verdict: Verdict::Unchecked,
        reason,
        database_hash: None,
        cache_hash: None,
        wrong: None,
        fix: None,
        answer_from: None,
        looked_up_now: false,
    }
}

/// The record proven in some signed tree head go has seen (the answer's own first, the way go
/// checked it when it was fetched, then any later one).
fn prove(
    found: &Lookup,
    trees: &BTreeSet<Tree>,
    tiles: &Recording,
    proofs: &mut Proofs,
) -> Result<(), ProofError> {
    let candidates = std::iter::once(found.tree).chain(
        trees
            .iter()
            .copied()
            .filter(|t| t.n > found.id && *t != found.tree),
    );
    let mut worst = ProofError::MissingTile(String::new());
    for tree in candidates {
        let r = proofs
            .entry((found.id, tree))
            .or_insert_with(|| prove_record(tiles, &tree, found.id, found.text.as_bytes()))
            .clone();
        match r {
            Ok(()) => return Ok(()),
            Err(ProofError::MissingTile(t)) => {
                if matches!(worst, ProofError::MissingTile(_)) {
                    worst = ProofError::MissingTile(t);
                }
            }
            Err(e) => worst = e,
        }
    }
    Err(worst)
}

pub(super) fn judge(
    file: &Path,
    l: &SumLine,
    found: &Lookup,
    trees: &BTreeSet<Tree>,
    tiles: &Recording,
    proofs: &mut Proofs,
    cache: &ModuleCache,
) -> LineVerdict {
    let base = LineVerdict {
        answer_from: Some(found.file.display().to_string()),
        ..unchecked(file, l, String::new())
    };
    let Some(db_hash) = record_hash_for(&found.text, &l.path, &l.version, l.go_mod) else {
        return LineVerdict {
            verdict: Verdict::Unverifiable,
            reason: format!(
                "the cached answer {} has no line for it",
                found.file.display()
            ),
            ..base
        };
    };
    let cache_hash = cache_side(cache, l);
    let base = LineVerdict {
        database_hash: Some(db_hash.clone()),
        cache_hash: cache_hash.clone(),
        ..base
    };
    match prove(found, trees, tiles, proofs) {
        Ok(()) => {}
        Err(ProofError::MissingTile(t)) => {
            return LineVerdict {
                reason: format!(
                    "the database's answer is cached, but not the log tiles that prove it ({t})"
                ),
                ..base
            };
        }
        Err(e) => {
            return LineVerdict {
                verdict: Verdict::Unverifiable,
                reason: format!("record {} in {}: {e}", found.id, found.file.display()),
                ..base
            };
        }
    }
    let module = format!("{}@{}", l.path, l.version);
    if db_hash == l.hash {
        if let Some(c) = cache_hash.as_ref().filter(|c| **c != db_hash) {
            return LineVerdict {
                verdict: Verdict::Conflict,
                reason: format!(
                    "go.sum agrees with the checksum database; the cache holds {c}: it was changed after download"
                ),
                wrong: Some(WrongSide::Cache),
                fix: Some(format!("modscope repair --yes {}", shell_quote(&module))),
                ..base
            };
        }
        return LineVerdict {
            verdict: Verdict::Vouched,
            reason: "the checksum database records the same hash (signed, and proven in its log)"
                .into(),
            ..base
        };
    }
    let (wrong, reason, fix) = match &cache_hash {
        Some(c) if *c == db_hash => (
            WrongSide::GoSum,
            format!("go.sum line {} was edited (or merged badly): the checksum database and the cache agree on {db_hash}", l.line),
            Some(restore_line(file, l, &db_hash)),
        ),
        Some(c) if *c == l.hash => (
            WrongSide::Source,
            "go.sum and the cache agree with each other but not with the checksum database: they came through a source that served other bytes (a private proxy, or GOPROXY=direct after the tag moved)".to_string(),
            None,
        ),
        Some(_) => (
            WrongSide::Both,
            "go.sum, the cache and the checksum database all disagree: go.sum was edited and the cache changed".to_string(),
            None,
        ),
        None => (
            WrongSide::GoSum,
            format!("go.sum line {} disagrees with the checksum database ({db_hash}); the module is not in the cache", l.line),
            Some(restore_line(file, l, &db_hash)),
        ),
    };
    LineVerdict {
        verdict: Verdict::Conflict,
        reason,
        wrong: Some(wrong),
        fix,
        ..base
    }
}

/// Writes the database's hash back into the line (a backup beside it, `.bak`).
fn restore_line(file: &Path, l: &SumLine, db_hash: &str) -> String {
    let suffix = if l.go_mod { "/go.mod" } else { "" };
    let script = format!("{}s|.*|{} {}{suffix} {db_hash}|", l.line, l.path, l.version);
    format!(
        "sed -i.bak {} {}",
        shell_quote(&script),
        shell_quote(&file.display().to_string())
    )
}

/// The cache's hash for the line: the `.ziphash` (what go trusts), or the cached `.mod`.
fn cache_side(cache: &ModuleCache, l: &SumLine) -> Option<String> {
    let files = cache.files(&l.path, &l.version).ok()?;
    if l.go_mod {
        let data = read_regular_file(&files.go_mod, limits::GO_MOD).ok()?;
        Some(hash_go_mod(&data))
    } else {
        match cache.probe(&l.path, &l.version).ok()?.ziphash {
            Ziphash::Valid(h) => Some(h),
            _ => None,
        }
    }
}
