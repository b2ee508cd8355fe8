//! A verdict for every go.sum (and go.work.sum) line against what go cached of the checksum
//! database: vouched (the database records the same hash, signed and proven in its log), in
//! conflict (it records another: which side is wrong is named), unchecked (and why), or
//! unverifiable (a cached answer whose signature or proof fails: a security finding).

use super::note::key_for_gosumdb;
use super::store::{DbFiles, Lookup, LookupRead, record_hash_for};
use super::tiles::TileStore;
use super::tlog::{ProofError, Tree, prove_consistent, prove_record};
use crate::core::analysis::problems::shell_quote;
use crate::core::analysis::project::Project;
use crate::core::cache::dirhash::hash_go_mod;
use crate::core::cache::env::GoEnv;
use crate::core::cache::layout::{ModuleCache, Ziphash};
use crate::core::files::go_sum::SumLine;
use crate::core::fs_util::{limits, read_regular_file};
use crate::core::offline::goenv_doctor::effective_private;
use crate::core::offline::patterns::matching_pattern;
use base64::Engine as _;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Vouched,
    Conflict,
    Unchecked,
    Unverifiable,
}

/// In a conflict, what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

impl SumdbReport {
    /// Conflicts, unverifiable lines and findings fail the check.
    pub fn ok(&self) -> bool {
        self.counts.conflict == 0 && self.counts.unverifiable == 0 && self.findings.is_empty()
    }
}

/// Verdicts for every line of the project's go.sum files. `Err` when go would refuse GOSUMDB.
pub fn sumdb_report(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
) -> Result<SumdbReport, String> {
    let gosumdb = env.get("GOSUMDB").unwrap_or("sum.golang.org").to_string();
    let key = key_for_gosumdb(&gosumdb)?;
    let lines: Vec<(&Path, &SumLine)> = project
        .sums
        .files
        .iter()
        .flat_map(|(file, sum)| sum.lines.iter().map(move |l| (file.as_path(), l)))
        .filter(|(_, l)| l.hash.starts_with("h1:"))
        .collect();
    let Some(key) = key else {
        let lines = lines
            .into_iter()
            .map(|(f, l)| {
                unchecked(
                    f,
                    l,
                    "GOSUMDB=off: go never consults a checksum database".into(),
                )
            })
            .collect();
        return Ok(finish(None, gosumdb, Vec::new(), Vec::new(), lines));
    };
    let gopath = env
        .gopath()
        .and_then(|(g, _)| std::env::split_paths(&g).next());
    let db = DbFiles::new(key, &cache.root, gopath.as_deref());
    let tiles = TileStore::new(&db.dir);
    let (private, _) = effective_private(env, "GONOSUMDB");
    let mut heads: Vec<TreeHead> = Vec::new();
    let mut findings = Vec::new();
    let mut trees: BTreeSet<Tree> = BTreeSet::new();
    match db.latest_tree() {
        Some(Ok(t)) => {
            trees.insert(t);
            heads.push(head(&t, db.latest.as_deref().unwrap_or(Path::new(""))));
        }
        Some(Err(why)) => findings.push(format!(
            "{}: {why}",
            db.latest.as_deref().unwrap_or(Path::new("")).display()
        )),
        None => {}
    }
    let mut lookups: HashMap<(String, String), LookupRead> = HashMap::new();
    for (_, l) in &lines {
        let key = (l.path.clone(), l.version.clone());
        if !lookups.contains_key(&key) && matching_pattern(&private, &l.path).is_none() {
            let read = db.lookup(&l.path, &l.version);
            if let LookupRead::Found(found) = &read
                && trees.insert(found.tree)
            {
                heads.push(head(&found.tree, &found.file));
            }
            lookups.insert(key, read);
        }
    }
    let (fork_findings, consistency) = forks(&tiles, &trees);
    findings.extend(fork_findings);
    let mut proofs: HashMap<(u64, Tree), Result<(), ProofError>> = HashMap::new();
    let mut out = Vec::with_capacity(lines.len());
    for (file, l) in lines {
        if let Some(pattern) = matching_pattern(&private, &l.path) {
            let var = if env.get("GONOSUMDB").is_some() {
                "GONOSUMDB"
            } else {
                "GOPRIVATE"
            };
            out.push(unchecked(
                file,
                l,
                format!(
                    "{var} matches it ({pattern}): go never consults the checksum database for it"
                ),
            ));
            continue;
        }
        let read = &lookups[&(l.path.clone(), l.version.clone())];
        out.push(match read {
            LookupRead::Absent => unchecked(file, l, "no cached answer of the checksum database: go never looked this version up with this cache (the line came with the repository)".into()),
            LookupRead::Bad { file: f, why } => LineVerdict {
                verdict: Verdict::Unverifiable,
                reason: format!("the cached answer {} cannot be trusted: {why}", f.display()),
                ..unchecked(file, l, String::new())
            },
            LookupRead::Found(found) => judge(file, l, found, &trees, &tiles, &mut proofs, cache),
        });
    }
    let mut report = finish(Some(db.key.name.clone()), gosumdb, heads, findings, out);
    report.consistency = consistency;
    Ok(report)
}

fn head(t: &Tree, from: &Path) -> TreeHead {
    TreeHead {
        size: t.n,
        hash: base64::engine::general_purpose::STANDARD.encode(t.hash),
        from: from.display().to_string(),
    }
}

fn finish(
    database: Option<String>,
    gosumdb: String,
    tree_heads: Vec<TreeHead>,
    findings: Vec<String>,
    lines: Vec<LineVerdict>,
) -> SumdbReport {
    let mut counts = Counts::default();
    for l in &lines {
        match l.verdict {
            Verdict::Vouched => counts.vouched += 1,
            Verdict::Conflict => counts.conflict += 1,
            Verdict::Unchecked => counts.unchecked += 1,
            Verdict::Unverifiable => counts.unverifiable += 1,
        }
    }
    SumdbReport {
        schema_version: 1,
        database,
        gosumdb,
        tree_heads,
        findings,
        consistency: String::new(),
        lines,
        counts,
    }
}

fn unchecked(file: &Path, l: &SumLine, reason: String) -> LineVerdict {
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
    }
}

/// Consecutive tree heads (by size) must be consistent; one that is not is a fork. Returns the
/// forks found and a summary of how many pairs could be proven from the cached tiles.
fn forks(tiles: &TileStore, trees: &BTreeSet<Tree>) -> (Vec<String>, String) {
    let trees: Vec<&Tree> = trees.iter().collect();
    let mut out = Vec::new();
    let (mut proven, mut unprovable) = (0, 0);
    let mut first_missing = None;
    for pair in trees.windows(2) {
        let (old, new) = (pair[0], pair[1]);
        let result = if old.n == new.n {
            Err(ProofError::Mismatch)
        } else {
            prove_consistent(tiles, old, new)
        };
        match result {
            Ok(()) => proven += 1,
            Err(ProofError::MissingTile(t)) => {
                unprovable += 1;
                first_missing.get_or_insert(t);
            }
            Err(e) => out.push(format!(
                "two signed tree heads fork: size {} and size {} are not one log ({e}): a database showing different logs to different clients, or a cached tile was changed",
                old.n, new.n
            )),
        }
    }
    let summary = match trees.len() {
        0 => "no signed tree head is cached".to_string(),
        1 => "one signed tree head is cached".to_string(),
        n => format!(
            "{n} signed tree heads: {proven} of {} consecutive pairs proven consistent from the cached tiles{}",
            n - 1,
            match first_missing {
                Some(t) => format!(", {unprovable} not provable: tiles not cached ({t}, …)"),
                None => String::new(),
            }
        ),
    };
    (out, summary)
}

/// The record proven in some signed tree head go has seen (the answer's own first, the way go
/// checked it when it was fetched, then any later one).
fn prove(
    found: &Lookup,
    trees: &BTreeSet<Tree>,
    tiles: &TileStore,
    proofs: &mut HashMap<(u64, Tree), Result<(), ProofError>>,
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

fn judge(
    file: &Path,
    l: &SumLine,
    found: &Lookup,
    trees: &BTreeSet<Tree>,
    tiles: &TileStore,
    proofs: &mut HashMap<(u64, Tree), Result<(), ProofError>>,
    cache: &ModuleCache,
) -> LineVerdict {
    let base = unchecked(file, l, String::new());
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
