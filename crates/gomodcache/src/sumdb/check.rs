//! A verdict for every go.sum (and go.work.sum) line against what go cached of the checksum
//! database: vouched (the database records the same hash, signed and proven in its log), in
//! conflict (it records another: which side is wrong is named), unchecked (and why), or
//! unverifiable (a cached answer whose signature or proof fails: a security finding).

use super::line::{judge, unchecked};
use super::note::key_for_gosumdb;
use super::online::Fetched;
use super::store::{DbFiles, LookupRead};
use super::tiles::{Recording, Tile, TileStore, tile_subtrees};
use super::tlog::{ProofError, Tree, prove_consistent, prove_subtree};
use super::verdict::{Counts, LineVerdict, NO_ANSWER, SumdbReport, TreeHead, Verdict};
use crate::cache::layout::ModuleCache;
use crate::cache::verify_memo::modscope_cache_dir;
use crate::goenv::env::GoEnv;
use crate::goenv::env::effective_private;
use crate::goenv::patterns::matching_pattern;
use crate::modfile::go_sum::SumLine;
use crate::project::Project;
use base64::Engine as _;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where the database's answers are read besides go's cache.
#[derive(Default)]
pub struct Sources<'a> {
    /// modscope's own copy (`<modscope cache>/sumdb`), read after go's.
    pub own: Option<PathBuf>,
    /// What `--online` fetched in this run (answers to lines neither cache has, tiles, the
    /// database's latest tree head).
    pub fetched: Option<&'a Fetched>,
    /// Missing tiles read as zeros so that every tile a proof needs is listed: the verdicts
    /// are then meaningless, only [`SumdbReport::missing_tiles`] is of use.
    pub list_needs: bool,
}

impl Sources<'_> {
    /// modscope's own copy in its default place (`$MODSCOPE_CACHE_DIR/sumdb`, or
    /// `~/.cache/modscope/sumdb`).
    pub fn default_own() -> Option<PathBuf> {
        modscope_cache_dir().map(|d| d.join("sumdb"))
    }
}

/// Verdicts for every line of the project's go.sum files. `Err` when go would refuse GOSUMDB.
pub fn sumdb_report(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
) -> Result<SumdbReport, String> {
    sumdb_report_with(
        project,
        cache,
        env,
        &Sources {
            own: Sources::default_own(),
            ..Sources::default()
        },
    )
}

/// [`sumdb_report`] reading the database's answers from `sources` too.
pub fn sumdb_report_with(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
    sources: &Sources,
) -> Result<SumdbReport, String> {
    sumdb_report_for(project, cache, env, |_| true, sources)
}

/// The verdicts of one module version's go.sum lines: which side of a checksum mismatch the
/// database backs. Empty when GOSUMDB is invalid.
pub(crate) fn module_provenance(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
    path: &str,
    version: &str,
) -> Vec<LineVerdict> {
    let sources = Sources {
        own: Sources::default_own(),
        ..Sources::default()
    };
    sumdb_report_for(
        project,
        cache,
        env,
        |l| l.path == path && l.version == version,
        &sources,
    )
    .map(|r| r.lines)
    .unwrap_or_default()
}

/// [`sumdb_report`] of the lines `wanted` keeps.
fn sumdb_report_for(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
    wanted: impl Fn(&SumLine) -> bool,
    sources: &Sources,
) -> Result<SumdbReport, String> {
    let gosumdb = env.get("GOSUMDB").unwrap_or("sum.golang.org").to_string();
    let key = key_for_gosumdb(&gosumdb)?;
    let lines: Vec<(&Path, &SumLine)> = project
        .sums
        .files
        .iter()
        .flat_map(|(file, sum)| sum.lines.iter().map(move |l| (file.as_path(), l)))
        .filter(|(_, l)| l.hash.starts_with("h1:") && wanted(l))
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
    let db = DbFiles::new(key, &cache.root, gopath.as_deref()).with_own(sources.own.as_deref());
    let mut store = TileStore::with_dirs(&db.tile_dirs());
    let fetched = sources.fetched;
    for (tile, data) in fetched.iter().flat_map(|f| f.tiles.iter()) {
        if let Ok(data) = data {
            store.add_fetched(*tile, data.clone());
        }
    }
    let tiles = if sources.list_needs {
        Recording::listing_needs(&store)
    } else {
        Recording::new(&store)
    };
    let (private, _) = effective_private(env, "GONOSUMDB");
    let mut heads: Vec<TreeHead> = Vec::new();
    let mut findings = Vec::new();
    let mut trees: BTreeSet<Tree> = BTreeSet::new();
    let mut latest = db.latest_trees();
    if let Some(Ok(data)) = fetched.and_then(|f| f.latest.as_ref()) {
        let url = fetched.map(|f| f.url("latest")).unwrap_or_default();
        latest.push((PathBuf::from(url), db.open_tree(data)));
    }
    for (file, read) in latest {
        match read {
            Ok(t) => {
                if trees.insert(t) {
                    heads.push(head(&t, &file));
                }
            }
            Err(why) => findings.push(format!("{}: {why}", file.display())),
        }
    }
    let mut lookups: HashMap<(String, String), LookupRead> = HashMap::new();
    let mut now: HashMap<(String, String), Result<(), String>> = HashMap::new();
    for (_, l) in &lines {
        let key = (l.path.clone(), l.version.clone());
        if !lookups.contains_key(&key) && matching_pattern(&private, &l.path).is_none() {
            let mut read = db.lookup(&l.path, &l.version);
            if let (LookupRead::Absent, Some(f)) = (&read, fetched)
                && let Some(got) = f.lookups.get(&key)
            {
                let url = f.lookup_url(&l.path, &l.version);
                match got {
                    Ok(data) => {
                        read = db.open_lookup(PathBuf::from(url), data);
                        now.insert(key.clone(), Ok(()));
                    }
                    Err(e) => {
                        now.insert(key.clone(), Err(e.clone()));
                    }
                }
            }
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
        let key = (l.path.clone(), l.version.clone());
        let read = &lookups[&key];
        let mut verdict = match read {
            LookupRead::Absent => match now.get(&key) {
                Some(Err(e)) => unchecked(file, l, format!("looked up now, but {e}")),
                _ => unchecked(file, l, NO_ANSWER.into()),
            },
            LookupRead::Bad { file: f, why } => LineVerdict {
                verdict: Verdict::Unverifiable,
                reason: format!("the answer {} cannot be trusted: {why}", f.display()),
                answer_from: Some(f.display().to_string()),
                ..unchecked(file, l, String::new())
            },
            LookupRead::Found(found) => judge(file, l, found, &trees, &tiles, &mut proofs, cache),
        };
        if now.get(&key).is_some_and(Result::is_ok) {
            verdict.looked_up_now = true;
            let url = fetched
                .map(|f| f.lookup_url(&l.path, &l.version))
                .unwrap_or_default();
            verdict.reason = format!("looked up now ({url}): {}", verdict.reason);
        }
        out.push(verdict);
    }
    let mut report = finish(Some(db.key.name.clone()), gosumdb, heads, findings, out);
    report.consistency = consistency;
    report.missing_tiles = tiles.missing();
    report.authenticated_tiles = fetched
        .iter()
        .flat_map(|f| f.tiles.iter())
        .filter_map(|(t, d)| Some((*t, d.as_ref().ok()?)))
        .filter(|(t, data)| authentic(&store, &trees, *t, data))
        .map(|(t, _)| t)
        .collect();
    Ok(report)
}

/// Every hash of `tile` (its bytes `data`, cut to its width) proven in some signed tree head.
fn authentic(store: &TileStore, trees: &BTreeSet<Tree>, tile: Tile, data: &[u8]) -> bool {
    let subtrees = tile_subtrees(tile, data);
    !subtrees.is_empty()
        && subtrees.iter().all(|(level, index, hash)| {
            trees
                .iter()
                .any(|t| prove_subtree(store, t, *level, *index, hash).is_ok())
        })
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
        online: None,
        missing_tiles: Vec::new(),
        authenticated_tiles: BTreeSet::new(),
    }
}

/// Consecutive tree heads (by size) must be consistent; one that is not is a fork. Returns the
/// forks found and a summary of how many pairs could be proven from the cached tiles.
fn forks(tiles: &Recording, trees: &BTreeSet<Tree>) -> (Vec<String>, String) {
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
