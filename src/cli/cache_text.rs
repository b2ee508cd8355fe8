//! The human `modscope cache` report, and the byte sizes every cache line on a terminal shows.

use super::cache_json::CacheJson;
use gomodcache::inventory::usage::ProjectSource;
use std::fmt::Write as _;
use std::time::Duration;

pub(super) fn size(n: u64) -> String {
    bytesize::ByteSize::b(n).to_string()
}

/// The human report: totals, the largest paths first, the projects, what can go.
pub fn render_report(r: &CacheJson) -> String {
    let mut out = String::new();
    let versions: usize = r.modules.iter().map(|m| m.versions.len()).sum();
    let _ = writeln!(out, "modscope cache · {}", r.gomodcache);
    let _ = writeln!(
        out,
        "{} on disk ({} apparent) in {} files; {} module paths, {versions} versions",
        size(r.total.disk),
        size(r.total.apparent),
        r.files,
        r.modules.len()
    );
    let _ = writeln!(
        out,
        "sumdb {} · cache/vcs {} ({} clones) · leftovers {} ({}) · layout and other {}",
        size(r.sumdb.disk),
        size(r.vcs.iter().map(|c| c.bytes.disk).sum()),
        r.vcs.len(),
        size(r.leftovers.iter().map(|l| l.bytes.disk).sum()),
        r.leftovers.len(),
        size(r.other.disk)
    );
    let _ = writeln!(
        out,
        "(bytes on disk: allocated blocks, hard links once, as du -s)\n"
    );
    let _ = writeln!(
        out,
        "{:>11} {:>11} {:>8} {:>5}  PATH",
        "DISK", "APPARENT", "VERSIONS", "USED"
    );
    const SHOWN: usize = 40;
    for m in r.modules.iter().take(SHOWN) {
        let used = m.versions.iter().filter(|v| !v.used_by.is_empty()).count();
        let _ = writeln!(
            out,
            "{:>11} {:>11} {:>8} {:>5}  {}",
            size(m.bytes.disk),
            size(m.bytes.apparent),
            m.versions.len(),
            used,
            m.path
        );
    }
    if r.modules.len() > SHOWN {
        let _ = writeln!(
            out,
            "… {} more paths (--json lists every version)",
            r.modules.len() - SHOWN
        );
    }
    let _ = writeln!(out, "\nprojects ({}):", r.projects.len());
    if r.projects.is_empty() {
        let _ = writeln!(
            out,
            "  none known: pass --projects DIR, or run modscope check in your projects once"
        );
    }
    for p in &r.projects {
        let from = match p.source {
            ProjectSource::Found => "found".to_string(),
            ProjectSource::Registry => format!(
                "inspected {}",
                p.last_seen
                    .map(|t| gomodcache::fs::timestamp::rfc3339_utc(
                        std::time::UNIX_EPOCH + Duration::from_secs(t)
                    ))
                    .unwrap_or_default()
            ),
        };
        match &p.error {
            Some(e) => {
                let _ = writeln!(out, "  ✗ {} ({from}): {e}", p.dir);
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {} ({from}): {} versions, {} with their zip",
                    p.dir, p.versions, p.zips
                );
            }
        }
    }
    let _ = writeln!(out, "\nwhat can go (modscope cache prune FLAG):");
    for c in &r.reclaimable {
        let _ = writeln!(
            out,
            "  {:<18} {:>11}  {:>5} items  {}",
            c.flag,
            size(c.bytes.disk),
            c.items,
            c.what
        );
        if let Some(n) = &c.note {
            let _ = writeln!(out, "  {:<18} {:>11}  {:>5}        ({n})", "", "", "");
        }
    }
    for n in r.notes.iter().chain(&r.errors) {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
