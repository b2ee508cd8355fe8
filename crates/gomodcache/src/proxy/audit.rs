//! Does a module proxy hold everything this project needs, with the right bytes? For each
//! module version the build needs (what `offline` and `export` compute: the `.mod` of every
//! go.mod the graph loads, the zip of every module the build looks into; `--all`: every zip of
//! the build list), the proxy's `.info`, `.mod` (hashed against go.sum) and zip (HEAD, or with
//! `full` downloaded and hashed against go.sum), and, as advice, `@v/list` and the proxy's
//! checksum-database route. Each is present, absent (with what go does next under the GOPROXY
//! list's `,`/`|` rules), wrong (other bytes than go.sum's: a security finding) or an error.

use super::report::{Counts, Entry, EntryState, ProxyAudit};
use super::source::{Body, ProxySource, Response};
use crate::bundle::plan::plan;
use crate::bundle::{BundleFile, BundleLayout};
use crate::cache::dirhash::{hash_go_mod, hash_zip};
use crate::fix::commands::shell_quote;
use crate::fs::read::limits;
use crate::goenv::goproxy::{ProxyKind, ProxyList};
use crate::graph::{ModGraph, Node};
use crate::offline::verdict::OfflineReport;
use crate::progress::{CancelFlag, NoProgress};
use crate::project::Project;
use crate::version::semver;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One module version the project needs from a proxy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Need {
    /// As stored (after a module replacement).
    pub module: Node,
    /// The zip too, not only the `.mod`.
    pub zip: bool,
}

/// What the project needs: the export's plan, or with `all` every zip of the build list.
pub fn needs(project: &Project, report: &OfflineReport, graph: &ModGraph, all: bool) -> Vec<Need> {
    let bundle = plan(project, report, graph);
    let mut out: Vec<Need> = bundle
        .mods
        .keys()
        .map(|m| Need {
            module: m.clone(),
            zip: bundle.zips.contains_key(m),
        })
        .collect();
    if all {
        let listed: BTreeSet<Node> = out.iter().map(|n| n.module.clone()).collect();
        for n in graph.build_list().into_iter().filter(|n| !n.is_main()) {
            if !listed.contains(&n) {
                out.push(Need {
                    module: n,
                    zip: true,
                });
            }
        }
        for n in &mut out {
            n.zip = true;
        }
    }
    out.sort();
    out
}

/// How an audit runs.
pub struct AuditOptions<'a> {
    /// Download and hash every zip instead of asking whether it is there.
    pub full: bool,
    /// Requests in flight.
    pub jobs: usize,
    /// The GOPROXY list the proxy is audited as part of (for what go does next).
    pub list: &'a ProxyList,
    /// The checksum database's name, for the proxy's `sumdb/<db>/supported` route.
    pub sumdb: Option<&'a str>,
    /// Raised, the module versions not yet started are skipped (the audit is not complete).
    pub cancel: &'a CancelFlag,
    /// Called after each module version with (done, total).
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Audits `source` for `needs`, comparing bytes with the project's go.sum.
pub fn audit(
    source: &dyn ProxySource,
    project: &Project,
    needs: &[Need],
    opts: &AuditOptions<'_>,
) -> ProxyAudit {
    let done = AtomicUsize::new(0);
    let check = |n: &Need| {
        let entries = if opts.cancel.is_cancelled() {
            Vec::new()
        } else {
            check_need(source, project, n, opts)
        };
        (opts.progress)(done.fetch_add(1, Ordering::Relaxed) + 1, needs.len());
        entries
    };
    let lists = listed_versions(needs);
    let list = |(path, versions): &(&str, Vec<&str>)| {
        if opts.cancel.is_cancelled() {
            return None;
        }
        list_entry(source, path, versions, opts)
    };
    // The `@v/list` requests in the same pool as the rest: one after the other they took a
    // round trip each, as long as all the others together.
    let (per_module, lists): (Vec<Vec<Entry>>, Vec<Option<Entry>>) =
        match rayon::ThreadPoolBuilder::new()
            .num_threads(opts.jobs.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| {
                (
                    needs.par_iter().map(check).collect(),
                    lists.par_iter().map(list).collect(),
                )
            }),
            Err(_) => (
                needs.iter().map(check).collect(),
                lists.iter().map(list).collect(),
            ),
        };
    let mut entries: Vec<Entry> = per_module.into_iter().flatten().collect();
    entries.extend(lists.into_iter().flatten());
    if let Some(db) = opts.sumdb {
        let rel = format!("sumdb/{db}/supported");
        let r = source.head(&rel);
        let mut e = entry(source, None, "sumdb", &rel, &r, opts.list);
        e.advisory = true;
        e.detail = match e.state {
            EntryState::Present => format!("the proxy serves the checksum database {db}"),
            _ => format!(
                "the proxy does not serve the checksum database {db}: go asks {db} itself for go.sum lines it lacks (a network access an air-gapped build does not have)"
            ),
        };
        e.next = None;
        entries.push(e);
    }
    let mut counts = Counts::default();
    for e in entries.iter().filter(|e| !e.advisory) {
        match e.state {
            EntryState::Present => counts.present += 1,
            EntryState::Absent => counts.absent += 1,
            EntryState::Wrong => counts.wrong += 1,
            EntryState::Error => counts.error += 1,
        }
    }
    ProxyAudit {
        schema_version: 1,
        proxy: source.base().to_string(),
        full: opts.full,
        modules: needs.len(),
        complete: counts.absent + counts.wrong + counts.error == 0 && !opts.cancel.is_cancelled(),
        entries,
        counts,
    }
}

/// Where a proxy serves `file` of `n`: the GOPROXY layout the export writes.
fn rel_for(n: &Node, file: BundleFile) -> Option<String> {
    BundleLayout::Goproxy.rel(&n.path, &n.version, file).ok()
}

/// What go does after `r` from this proxy: the next entry of the list, or failing.
fn next_step(list: &ProxyList, base: &str, r: &Response) -> Option<String> {
    let (not_found, message) = match r {
        Response::Found(_) => return None,
        Response::NotFound { .. } => (true, "not found"),
        Response::Failed { .. } => (false, "an error"),
    };
    let at = list
        .entries
        .iter()
        .position(|e| e.url.trim_end_matches('/') == base.trim_end_matches('/'));
    let Some(at) = at else {
        return Some(format!(
            "on {message}, go stops (this proxy is not in GOPROXY)"
        ));
    };
    if !(not_found || list.entries[at].fall_back_on_error) {
        return Some("go stops with this error (`,` falls back only on not found; `|` would try the next entry)".into());
    }
    Some(match list.entries.get(at + 1) {
        None => "go stops: no GOPROXY entry is left".into(),
        Some(e) => match e.kind {
            ProxyKind::Direct => "go fetches it from its origin (direct): a network access".into(),
            ProxyKind::Off => "go stops: the next GOPROXY entry is off".into(),
            _ => format!("go tries the next GOPROXY entry, {}", e.url),
        },
    })
}

fn entry(
    source: &dyn ProxySource,
    module: Option<&Node>,
    file: &str,
    rel: &str,
    r: &Response,
    list: &ProxyList,
) -> Entry {
    let (state, status, detail) = match r {
        Response::Found(_) => (EntryState::Present, Some(200), String::new()),
        Response::NotFound { status } => (EntryState::Absent, Some(*status), "not found".into()),
        Response::Failed { status, error } => (EntryState::Error, *status, error.clone()),
    };
    Entry {
        module: module.map(Node::to_string),
        file: file.into(),
        url: format!("{}/{rel}", source.base()),
        state,
        status,
        detail,
        next: next_step(list, source.base(), r),
        fix: None,
        advisory: false,
    }
}

/// The command that puts `n` into the proxy: through an HTTP proxy (a caching proxy fetches it
/// from upstream), or copied from the module cache into a `file://` one.
fn fill_command(base: &str, n: &Node) -> Option<String> {
    let module = shell_quote(&n.to_string());
    if let Some(dir) = base.strip_prefix("file://") {
        // `<escaped path>/@v/<escaped version>`: the proxy's and the cache download's layout.
        let stem = rel_for(n, BundleFile::Info)?
            .strip_suffix(".info")?
            .to_string();
        let (at, _) = stem.rsplit_once('/')?;
        let to = shell_quote(&format!("{dir}/{at}"));
        // Quoted: an escaped path holds `!`, which an interactive bash would expand.
        let from = format!(
            "\"$(go env GOMODCACHE)\"{}",
            shell_quote(&format!("/cache/download/{stem}"))
        );
        return Some(format!(
            "go mod download {module} && mkdir -p {to} && cp {from}.info {from}.mod {from}.zip {to}/"
        ));
    }
    Some(format!(
        "GOPROXY={} GOFLAGS=-mod=mod go mod download -json {module}",
        shell_quote(base)
    ))
}

fn check_need(
    source: &dyn ProxySource,
    project: &Project,
    n: &Need,
    opts: &AuditOptions<'_>,
) -> Vec<Entry> {
    let m = &n.module;
    let Some(info_rel) = rel_for(m, BundleFile::Info) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let r = source.get(&info_rel, 64 << 10);
    let mut info = entry(source, Some(m), "info", &info_rel, &r, opts.list);
    if !n.zip {
        // go asks for the `.info` of a version only with its zip (`go mod download` records
        // both); of a version whose go.mod alone the graph loads, it reads the `.mod` and
        // nothing else (a proxy filled from such a cache has no `.info` for it, and go builds).
        info.advisory = true;
        info.next = None;
        if info.state != EntryState::Present {
            info.detail = format!(
                "{}; go does not ask for it: it reads only this version's .mod",
                if info.detail.is_empty() {
                    "absent"
                } else {
                    &info.detail
                }
            );
        }
    }
    out.push(info);
    let mod_rel = rel_for(m, BundleFile::Mod).unwrap_or_default();
    let r = source.get(&mod_rel, limits::GO_MOD);
    let mut e = entry(source, Some(m), "mod", &mod_rel, &r, opts.list);
    if let Response::Found(Some(Body::Bytes(data))) = &r
        && let Some((_, line)) = project.sums.go_mod_line(&m.path, &m.version)
    {
        let h = hash_go_mod(data);
        if h != line.hash {
            e.state = EntryState::Wrong;
            e.detail = format!(
                "the proxy's .mod hashes to {h}, go.sum says {}: go refuses it (SECURITY ERROR)",
                line.hash
            );
        }
    }
    out.push(e);
    if n.zip {
        let zip_rel = rel_for(m, BundleFile::Zip).unwrap_or_default();
        let r = if opts.full {
            source.get(&zip_rel, limits::ZIP)
        } else {
            source.head(&zip_rel)
        };
        let mut e = entry(source, Some(m), "zip", &zip_rel, &r, opts.list);
        if let Response::Found(Some(Body::File(path, _))) = &r
            && let Some((_, line)) = project.sums.zip_line(&m.path, &m.version)
        {
            match hash_zip(path, opts.cancel, &NoProgress) {
                Ok(h) if h != line.hash => {
                    e.state = EntryState::Wrong;
                    e.detail = format!(
                        "the proxy's zip hashes to {h}, go.sum says {}: go refuses it (SECURITY ERROR)",
                        line.hash
                    );
                }
                Ok(_) => {}
                Err(err) => {
                    e.state = EntryState::Wrong;
                    e.detail = format!("the proxy's zip cannot be read: {err}");
                }
            }
        }
        out.push(e);
    }
    for e in &mut out {
        if e.state == EntryState::Absent && !e.advisory {
            e.fix = fill_command(source.base(), m);
        }
    }
    out
}

/// Each needed path with its needed release versions (go reads `@v/list` only to resolve
/// queries such as `@latest`; pseudo-versions are never listed).
fn listed_versions(needs: &[Need]) -> Vec<(&str, Vec<&str>)> {
    let mut by_path: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for n in needs
        .iter()
        .filter(|n| !semver::is_pseudo_version(&n.module.version))
    {
        by_path
            .entry(&n.module.path)
            .or_default()
            .push(&n.module.version);
    }
    by_path.into_iter().collect()
}

/// Whether `path`'s `@v/list` names each of `versions` (advice).
fn list_entry(
    source: &dyn ProxySource,
    path: &str,
    versions: &[&str],
    opts: &AuditOptions<'_>,
) -> Option<Entry> {
    let rel = BundleLayout::Goproxy.list_rel(path).ok().flatten()?;
    let r = source.get(&rel, 16 << 20);
    let mut e = entry(source, None, "list", &rel, &r, opts.list);
    e.module = Some(path.to_string());
    e.advisory = true;
    e.next = None;
    if let Response::Found(Some(Body::Bytes(data))) = &r {
        let listed: BTreeSet<&str> = std::str::from_utf8(data)
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .collect();
        let unlisted: Vec<&str> = versions
            .iter()
            .copied()
            .filter(|v| !listed.contains(v))
            .collect();
        if !unlisted.is_empty() {
            e.state = EntryState::Absent;
            e.detail = format!(
                "@v/list does not name {}: go cannot resolve @latest or a version query to it (builds pinned by go.mod do not need it)",
                unlisted.join(", ")
            );
        }
    }
    Some(e)
}
