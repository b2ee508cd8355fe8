//! `modscope sumdb --online` without the network: what to ask the checksum database, where
//! (the route go would take), and what of the answers to keep. The binary's fetcher
//! (the `net` module of the binary side) does the requests and hands the bytes back; every byte is verified here as
//! a cached answer is (signature, inclusion proof, consistency of the tree heads) before it is
//! kept, in modscope's own cache laid out as go's (`<own>/<db>/{latest,lookup/…,tile/…}`).

use super::note::key_for_gosumdb;
use super::store::lookup_path;
use super::tiles::Tile;
use super::verdict::{NO_ANSWER, SumdbReport, Verdict};
use crate::goenv::env::GoEnv;
use crate::goenv::env::effective_private;
use crate::goenv::goproxy::{ProxyKind, parse_goproxy};
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

/// go's default GOPROXY when none is set.
const DEFAULT_GOPROXY: &str = "https://proxy.golang.org,direct";

/// One place that may serve the database: a proxy's `sumdb/<db>` route (used when its
/// `supported` answers), or the database itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Through a proxy from GOPROXY.
    Proxy {
        /// `<proxy>/sumdb/<db>/supported`.
        supported: String,
        /// `<proxy>/sumdb/<db>`.
        base: String,
        /// `|` after the entry: any error moves on, not only "not found" (404/410).
        fall_back_on_error: bool,
    },
    /// The database's own URL (GOSUMDB's second field, or `https://<name>`).
    Direct {
        /// The database's base URL.
        base: String,
    },
}

/// What go would do for the database: the routes in order (`modfetch/sumdb.go initBase`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlinePlan {
    /// The database's name (GOSUMDB's first field).
    pub database: String,
    /// The routes to try, in order.
    pub routes: Vec<Route>,
}

/// The routes go takes to the database, or why `--online` asks nothing (GOSUMDB=off, GOPROXY
/// off, an invalid GOSUMDB or GOPROXY).
pub fn plan(env: &GoEnv) -> Result<OnlinePlan, String> {
    let gosumdb = env.get("GOSUMDB").unwrap_or("sum.golang.org");
    let gosumdb = if gosumdb == "sum.golang.google.cn" {
        "sum.golang.org https://sum.golang.google.cn"
    } else {
        gosumdb
    };
    let Some(key) = key_for_gosumdb(gosumdb)? else {
        return Err("GOSUMDB=off: go never consults a checksum database".into());
    };
    let fields: Vec<&str> = gosumdb.split_whitespace().collect();
    if fields.len() > 2 {
        return Err("invalid GOSUMDB: too many fields".into());
    }
    let direct = match fields.get(1) {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => format!("https://{}", key.name),
    };
    let goproxy = env
        .get("GOPROXY")
        .filter(|g| !g.is_empty())
        .unwrap_or(DEFAULT_GOPROXY);
    let (gonoproxy, _) = effective_private(env, "GONOPROXY");
    let list = parse_goproxy(goproxy, &gonoproxy);
    if let Some(e) = list.error {
        return Err(format!("GOPROXY: {e}"));
    }
    let mut routes = Vec::new();
    for entry in list.entries {
        match entry.kind {
            ProxyKind::NoProxy => {}
            ProxyKind::Off if routes.is_empty() => {
                return Err(
                    "GOPROXY=off: go looks nothing up, and neither does --online".to_string(),
                );
            }
            ProxyKind::Off | ProxyKind::Direct => {
                routes.push(Route::Direct {
                    base: direct.clone(),
                });
                break;
            }
            ProxyKind::Proxy => {
                let base = format!("{}/sumdb/{}", entry.url.trim_end_matches('/'), key.name);
                routes.push(Route::Proxy {
                    supported: format!("{base}/supported"),
                    base,
                    fall_back_on_error: entry.fall_back_on_error,
                });
            }
        }
    }
    // Every proxy answered "not found": go connects to the database itself.
    if !matches!(routes.last(), Some(Route::Direct { .. })) {
        routes.push(Route::Direct { base: direct });
    }
    Ok(OnlinePlan {
        database: key.name,
        routes,
    })
}

/// The module versions of `report`'s lines that no cache answers for (and that are not
/// private: those lines are unchecked for another reason).
pub fn lookups_needed(report: &SumdbReport) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    report
        .lines
        .iter()
        .filter(|l| l.answer_from.is_none() && l.reason == NO_ANSWER)
        .filter(|l| seen.insert((l.path.clone(), l.version.clone())))
        .map(|l| (l.path.clone(), l.version.clone()))
        .collect()
}

/// What the fetcher got, by what was asked. An error is one sentence naming the URL.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// The base URL answers came from (`<proxy>/sumdb/<db>` or the database's own).
    pub base: String,
    /// The `lookup/<path>@<version>` answers (signed note bytes), by `(path, version)`.
    pub lookups: HashMap<(String, String), Result<Vec<u8>, String>>,
    /// The `latest` signed tree head, when it was asked for.
    pub latest: Option<Result<Vec<u8>, String>>,
    /// The tiles asked for, with their bytes.
    pub tiles: Vec<(Tile, Result<Vec<u8>, String>)>,
}

impl Fetched {
    /// The URL of `rel` (e.g. `latest`, a tile path) under [`base`](Self::base).
    pub fn url(&self, rel: &str) -> String {
        format!("{}/{rel}", self.base)
    }

    /// The URL of the `lookup` of `path@version` (the path case-encoded, as go asks it).
    pub fn lookup_url(&self, path: &str, version: &str) -> String {
        self.url(&lookup_path(path, version).unwrap_or_default())
    }

    /// Tiles already asked for (whatever the answer), so a need is not asked twice.
    pub fn asked(&self) -> BTreeSet<Tile> {
        self.tiles.iter().map(|(t, _)| *t).collect()
    }
}

/// What of `fetched` verified in `report`: the answers proven in a signed tree head, the
/// tiles a proof that held went through, the latest tree head. Nothing when a tree head forks
/// (go stops with a security error then, and so does the cache).
pub struct Keep {
    /// Lookup answers to keep, by their path relative to the database directory.
    pub lookups: Vec<(String, Vec<u8>)>,
    /// Tiles to keep, with their bytes.
    pub tiles: Vec<(Tile, Vec<u8>)>,
    /// The `latest` tree head to keep, unless a finding was about it.
    pub latest: Option<Vec<u8>>,
}

/// Picks from `fetched` what [`write_keep`] may keep, given the verdicts in `report`; an error
/// (nothing is kept) when a tree head forks.
pub fn what_to_keep(report: &SumdbReport, fetched: &Fetched) -> Result<Keep, String> {
    if let Some(f) = report.findings.iter().find(|f| f.contains("fork")) {
        return Err(format!("a tree head forks ({f})"));
    }
    let proven: BTreeSet<(&str, &str)> = report
        .lines
        .iter()
        .filter(|l| l.looked_up_now && l.database_hash.is_some())
        .filter(|l| matches!(l.verdict, Verdict::Vouched | Verdict::Conflict))
        .map(|l| (l.path.as_str(), l.version.as_str()))
        .collect();
    let lookups = fetched
        .lookups
        .iter()
        .filter(|((p, v), _)| proven.contains(&(p.as_str(), v.as_str())))
        .filter_map(|((p, v), data)| Some((lookup_path(p, v)?, data.as_ref().ok()?.clone())))
        .collect();
    let tiles = fetched
        .tiles
        .iter()
        .filter(|(t, _)| report.authenticated_tiles.contains(t))
        .filter_map(|(t, data)| {
            let mut data = data.as_ref().ok()?.clone();
            data.truncate(t.width as usize * 32);
            (data.len() == t.width as usize * 32).then_some((*t, data))
        })
        .collect();
    let latest = fetched
        .latest
        .as_ref()
        .and_then(|l| l.as_ref().ok())
        .filter(|_| !report.findings.iter().any(|f| f.contains("/latest:")))
        .cloned();
    Ok(Keep {
        lookups,
        tiles,
        latest,
    })
}

/// Writes `keep` under `<own_root>/<db>/` (each file whole, by rename): lookups and tiles at
/// go's paths, `latest` only when it is larger than the one kept before. Returns how many
/// lookups and tiles were written.
pub fn write_keep(
    own_root: &Path,
    database: &str,
    keep: &Keep,
    newer_than: impl Fn(&[u8]) -> bool,
) -> io::Result<(usize, usize)> {
    let dir = own_root.join(database);
    for (rel, data) in &keep.lookups {
        write_whole(&dir.join(rel), data)?;
    }
    for (tile, data) in &keep.tiles {
        write_whole(&dir.join(tile.path()), data)?;
    }
    if let Some(latest) = &keep.latest
        && newer_than(latest)
    {
        write_whole(&dir.join("latest"), latest)?;
    }
    Ok((keep.lookups.len(), keep.tiles.len()))
}

fn write_whole(path: &Path, data: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    io::Write::write_all(&mut tmp, data)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `own` lies inside `modcache` (modscope never writes there).
pub fn inside(own: &Path, modcache: &Path) -> bool {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| PathBuf::from(p));
    abs(own).starts_with(abs(modcache))
}
