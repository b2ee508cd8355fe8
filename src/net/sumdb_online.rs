//! `modscope sumdb --online`: the engine's first report says which lines no cache answers
//! for; this asks the database for them the way go does (the first GOPROXY entry whose
//! `sumdb/<db>/supported` answers, else the database's own URL), then `latest` and the tiles
//! the proofs lack, hands every byte back to the engine to verify, and keeps what verified in
//! modscope's own cache.

use super::goauth::GoAuth;
use super::http::{Client, FailKind, FetchError};
use super::pool::{Cancelled, fetch_all};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::GoEnv;
use gomodcache::progress::CancelFlag;
use gomodcache::project::Project;
use gomodcache::sumdb::check::{Sources, sumdb_report_with};
use gomodcache::sumdb::online::{
    Fetched, Route, inside, lookups_needed, plan, what_to_keep, write_keep,
};
use gomodcache::sumdb::tiles::Tile;
use gomodcache::sumdb::verdict::OnlineSummary;
use gomodcache::sumdb::verdict::SumdbReport;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Rounds of tile fetching: one normally (a proof lists every tile it lacks at once); more
/// only when an answer named tiles no earlier round knew of.
const TILE_ROUNDS: usize = 3;

pub struct OnlineOptions {
    /// Requests in flight at once.
    pub jobs: usize,
    /// For each request, the whole of it.
    pub timeout: Duration,
    /// Where verified answers are kept (`<modscope cache>/sumdb`); `None`: nowhere.
    pub own: Option<PathBuf>,
    pub cancel: CancelFlag,
    /// The process environment go runs with: GOAUTH's commands run with it and `.netrc` is
    /// found through it (GOAUTH itself is read from the go environment, the env file included).
    pub vars: Vec<(String, String)>,
}

pub enum OnlineError {
    /// go would refuse the environment (an invalid GOSUMDB or GOAUTH): bad input.
    Usage(String),
    Cancelled,
}

impl From<Cancelled> for OnlineError {
    fn from(_: Cancelled) -> Self {
        OnlineError::Cancelled
    }
}

/// The report, with every line no cache answered for looked up.
pub fn online_report(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
    opts: &OnlineOptions,
) -> Result<SumdbReport, OnlineError> {
    let own = opts.own.clone();
    let first = sumdb_report_with(
        project,
        cache,
        env,
        &Sources {
            own: own.clone(),
            ..Sources::default()
        },
    )
    .map_err(OnlineError::Usage)?;
    let mut summary = OnlineSummary::default();
    let plan = match plan(env) {
        Ok(p) => p,
        Err(why) => {
            summary.skipped = Some(why);
            return Ok(SumdbReport {
                online: Some(summary),
                ..first
            });
        }
    };
    let needed = lookups_needed(&first);
    // go sends what GOAUTH gives on every web request, the checksum database's included (the
    // proxy's sumdb route often wants the proxy's credentials). Read only now: with nothing to
    // ask (GOSUMDB=off, GOPROXY=off) go never reads it either.
    let auth = GoAuth::new(env.get("GOAUTH"), &opts.vars).map_err(OnlineError::Usage)?;
    let client = Arc::new(Client::new(opts.timeout, opts.jobs).with_auth(auth));
    let mut bar = Bar::new();
    let mut fetched = Fetched::default();
    // The route, as go's initBase picks it.
    let mut reached = Err(String::new());
    for route in &plan.routes {
        match route {
            Route::Direct { base } => {
                reached = Ok(base.clone());
                break;
            }
            Route::Proxy {
                supported,
                base,
                fall_back_on_error,
            } => {
                bar.say(&format!("asking {supported}"));
                let got = fetch_all(
                    &client,
                    vec![supported.clone()],
                    1,
                    &opts.cancel,
                    &mut |_, _| {},
                )?;
                summary.requests += 1;
                match got.into_iter().next() {
                    Some(Ok(_)) => {
                        reached = Ok(base.clone());
                        break;
                    }
                    Some(Err(e)) if e.kind == FailKind::NotFound => {}
                    Some(Err(e)) if *fall_back_on_error => summary.errors.push(e.to_string()),
                    Some(Err(e)) => {
                        reached = Err(e.to_string());
                        break;
                    }
                    None => {}
                }
            }
        }
    }
    let base = match reached {
        Ok(b) => b,
        Err(e) => {
            summary.errors.push(e.clone());
            for key in &needed {
                fetched.lookups.insert(
                    key.clone(),
                    Err(format!("the checksum database could not be reached: {e}")),
                );
            }
            return finish(project, cache, env, &own, &fetched, summary, bar);
        }
    };
    summary.via = base.clone();
    fetched.base = base;
    summary.looked_up = needed.len();
    // The lookups and the database's latest tree head, together.
    let mut urls: Vec<String> = needed
        .iter()
        .map(|(p, v)| fetched.lookup_url(p, v))
        .collect();
    urls.push(fetched.url("latest"));
    let got = fetch_all(&client, urls, opts.jobs, &opts.cancel, &mut |d, t| {
        bar.progress("looking up", d, t)
    })?;
    let mut got = got.into_iter();
    for key in &needed {
        let r = got.next().unwrap_or_else(|| Err(missing()));
        fetched.lookups.insert(key.clone(), note(&mut summary, r));
    }
    let latest = got.next().unwrap_or_else(|| Err(missing()));
    fetched.latest = Some(note(&mut summary, latest));
    // The tiles the proofs lack.
    for _ in 0..TILE_ROUNDS {
        let needs = sumdb_report_with(
            project,
            cache,
            env,
            &Sources {
                own: own.clone(),
                fetched: Some(&fetched),
                list_needs: true,
            },
        )
        .map_err(OnlineError::Usage)?
        .missing_tiles;
        let asked = fetched.asked();
        let tiles: Vec<Tile> = needs.into_iter().filter(|t| !asked.contains(t)).collect();
        if tiles.is_empty() {
            break;
        }
        let urls = tiles.iter().map(|t| fetched.url(&t.path())).collect();
        let got = fetch_all(&client, urls, opts.jobs, &opts.cancel, &mut |d, t| {
            bar.progress("fetching tiles", d, t)
        })?;
        // A partial tile the server no longer has: the full one, whose prefix it is (go's
        // readTile does the same).
        let retry: Vec<usize> = got
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                matches!(r, Err(e) if e.kind == FailKind::NotFound) && tiles[*i].width < 256
            })
            .map(|(i, _)| i)
            .collect();
        let mut got: Vec<_> = got.into_iter().map(Some).collect();
        if !retry.is_empty() {
            let urls = retry
                .iter()
                .map(|&i| fetched.url(&tiles[i].full().path()))
                .collect();
            let full = fetch_all(&client, urls, opts.jobs, &opts.cancel, &mut |_, _| {})?;
            for (i, r) in retry.into_iter().zip(full) {
                if r.is_ok() {
                    got[i] = Some(r);
                }
            }
        }
        for (tile, r) in tiles.into_iter().zip(got) {
            let r = r.unwrap_or_else(|| Err(missing()));
            fetched.tiles.push((tile, note(&mut summary, r)));
        }
    }
    finish(project, cache, env, &own, &fetched, summary, bar)
}

/// The final report from everything fetched, and what verified kept.
fn finish(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
    own: &Option<PathBuf>,
    fetched: &Fetched,
    mut summary: OnlineSummary,
    bar: Bar,
) -> Result<SumdbReport, OnlineError> {
    bar.clear();
    let mut report = sumdb_report_with(
        project,
        cache,
        env,
        &Sources {
            own: own.clone(),
            fetched: Some(fetched),
            list_needs: false,
        },
    )
    .map_err(OnlineError::Usage)?;
    match own {
        None => {
            summary.not_kept =
                Some("no cache directory for modscope (set MODSCOPE_CACHE_DIR)".into())
        }
        Some(o) if inside(o, &cache.root) => {
            summary.not_kept = Some(format!(
                "{} is inside the module cache, where modscope never writes (set MODSCOPE_CACHE_DIR)",
                o.display()
            ))
        }
        Some(o) => match what_to_keep(&report, fetched) {
            Err(why) => summary.not_kept = Some(format!("nothing was kept: {why}")),
            Ok(keep) => {
                let newer = |new: &[u8]| {
                    let size = |d: &[u8]| {
                        String::from_utf8_lossy(d)
                            .lines()
                            .nth(1)
                            .and_then(|n| n.parse::<u64>().ok())
                    };
                    let old = std::fs::read(o.join(report_db(&report)).join("latest")).ok();
                    match (old.as_deref().and_then(size), size(new)) {
                        (Some(old), Some(new)) => new > old,
                        _ => true,
                    }
                };
                match write_keep(o, &report_db(&report), &keep, newer) {
                    Ok((lookups, tiles)) => {
                        summary.kept_in = Some(o.join(report_db(&report)).display().to_string());
                        summary.kept_lookups = lookups;
                        summary.kept_tiles = tiles;
                    }
                    Err(e) => {
                        summary.not_kept = Some(format!("writing under {}: {e}", o.display()))
                    }
                }
            }
        },
    }
    report.online = Some(summary);
    Ok(report)
}

fn report_db(r: &SumdbReport) -> String {
    r.database.clone().unwrap_or_default()
}

fn missing() -> FetchError {
    FetchError {
        url: String::new(),
        kind: FailKind::Other,
        message: "no answer".into(),
    }
}

/// The answer as the engine takes it; a failure is also listed in the summary.
fn note(summary: &mut OnlineSummary, r: Result<Vec<u8>, FetchError>) -> Result<Vec<u8>, String> {
    summary.requests += 1;
    r.map_err(|e| {
        let text = match e.kind {
            FailKind::NotFound => format!("{e} (the database does not have it)"),
            _ => e.to_string(),
        };
        summary.errors.push(text.clone());
        text
    })
}

/// A one-line progress indicator on stderr, drawn only when stderr is a terminal.
struct Bar {
    on: bool,
    drawn: bool,
    last: Option<std::time::Instant>,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            on: std::io::stderr().is_terminal(),
            drawn: false,
            last: None,
        }
    }

    fn say(&mut self, text: &str) {
        if self.on {
            let _ = write!(std::io::stderr(), "\r\x1b[2K{text}");
            self.drawn = true;
        }
    }

    fn progress(&mut self, what: &str, done: usize, total: usize) {
        let due = self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if self.on && (due || done == total) {
            self.last = Some(std::time::Instant::now());
            self.say(&format!("{what} {done}/{total}"));
        }
    }

    fn clear(&self) {
        if self.drawn {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
