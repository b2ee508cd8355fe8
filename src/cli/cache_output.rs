//! What `modscope cache` and `modscope cache prune` print: the JSON documents (schema 1), the
//! human tables, and a progress line on stderr for the scan and the prune.

use super::cache_command::CacheOpts;
use gomodcache::cache::inventory::plan::{PruneOptions, PrunePlan, PruneReason, plan_prune};
use gomodcache::cache::inventory::prune::{ItemKind, PruneOutcome, PruneProgress};
use gomodcache::cache::inventory::usage::{Need, ProjectSource, Usage};
use gomodcache::cache::inventory::{
    Bytes, CacheInventory, Leftover, LeftoverKind, ScanProgress, ScannedPart, VcsClone,
    VersionEntry,
};
use gomodcache::cache::layout::ModuleCache;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const COUNTING: &str = "disk = allocated blocks (st_blocks * 512) as du -s -B1 counts them, apparent = file lengths as du -s -B1 --apparent-size; a file with several hard links is counted once; symbolic links are not followed";
pub const PURGE_COMMAND: &str = "modscope repair --purge-quarantine";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheJson {
    pub schema_version: u32,
    pub gomodcache: String,
    pub counting: String,
    pub total: Bytes,
    pub files: u64,
    /// Largest first (bytes on disk).
    pub modules: Vec<ModuleJson>,
    pub sumdb: Bytes,
    pub vcs: Vec<VcsJson>,
    pub leftovers: Vec<LeftoverJson>,
    pub other: Bytes,
    pub projects: Vec<ProjectJson>,
    pub reclaimable: Vec<Reclaim>,
    pub notes: Vec<String>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModuleJson {
    pub path: String,
    pub bytes: Bytes,
    pub versions: Vec<VersionJson>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionJson {
    pub version: String,
    pub bytes: Bytes,
    pub tree: Option<Bytes>,
    pub zip: Option<Bytes>,
    /// `complete` (tree + zip), `tree` (tree without zip), `zip` (zip, no tree), `incomplete`
    /// (tree with .partial or no .ziphash), `mod` (only the go.mod), `info` (only .info).
    pub state: String,
    pub used_by: Vec<UseJson>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UseJson {
    pub project: String,
    pub needs: Need,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VcsJson {
    pub name: String,
    pub remote: Option<String>,
    pub bytes: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LeftoverJson {
    pub kind: LeftoverKind,
    pub path: String,
    pub module: Option<String>,
    pub bytes: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectJson {
    pub dir: String,
    pub source: ProjectSource,
    pub last_seen: Option<u64>,
    pub versions: usize,
    pub zips: usize,
    pub error: Option<String>,
}

/// One kind of thing that can go, with the prune flag that removes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reclaim {
    pub what: String,
    pub flag: String,
    pub items: usize,
    pub bytes: Bytes,
    pub note: Option<String>,
}

fn state(v: &VersionEntry) -> &'static str {
    match (v.tree.is_some(), v.files.zip) {
        (true, _) if !v.tree_complete() => "incomplete",
        (true, true) => "complete",
        (true, false) => "tree",
        (false, true) => "zip",
        (false, false) if v.files.go_mod => "mod",
        _ => "info",
    }
}

fn vcs_json(c: &VcsClone) -> VcsJson {
    VcsJson {
        name: c.name.clone(),
        remote: c.remote.clone(),
        bytes: c.bytes,
    }
}

fn leftover_json(l: &Leftover) -> LeftoverJson {
    LeftoverJson {
        kind: l.kind,
        path: l.path.display().to_string(),
        module: l.module.as_ref().map(|(p, v)| format!("{p}@{v}")),
        bytes: l.bytes,
    }
}

impl CacheJson {
    pub fn new(inv: &CacheInventory, usage: &Usage, opts: &CacheOpts, now: u64) -> Self {
        let mut modules: Vec<ModuleJson> = inv
            .modules
            .iter()
            .map(|m| ModuleJson {
                path: m.path.clone(),
                bytes: m.total,
                versions: m
                    .versions
                    .iter()
                    .map(|v| VersionJson {
                        version: v.version.clone(),
                        bytes: v.total,
                        tree: v.tree,
                        zip: v.files.zip.then_some(v.files.zip_bytes),
                        state: state(v).into(),
                        used_by: usage
                            .users(&m.path, &v.version)
                            .map(|(i, needs)| UseJson {
                                project: usage.projects[i].dir.display().to_string(),
                                needs,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        modules.sort_by(|a, b| b.bytes.disk.cmp(&a.bytes.disk).then(a.path.cmp(&b.path)));
        let base = PruneOptions {
            now,
            ..Default::default()
        };
        let mut reclaimable = Vec::new();
        let mut add = |what: &str, flag: String, o: PruneOptions, note: Option<&str>| {
            let p = plan_prune(inv, usage, &o);
            let items = p.versions.len() + p.zips.len() + p.leftovers.len() + p.vcs.len();
            reclaimable.push(Reclaim {
                what: what.into(),
                flag,
                items,
                bytes: p.total,
                note: note.map(Into::into),
            });
        };
        add(
            "versions no known project uses",
            "--unused".into(),
            PruneOptions {
                unused: true,
                ..base.clone()
            },
            None,
        );
        let n = opts.keep_latest.unwrap_or(1);
        add(
            "unused versions older than the newest used one of their path",
            format!("--keep-latest {n}"),
            PruneOptions {
                keep_latest: Some(n),
                ..base.clone()
            },
            None,
        );
        if let Some(d) = opts.older_than {
            add(
                "versions not used for that many days (registry last-seen; downloaded before)",
                format!("--older-than {d}"),
                PruneOptions {
                    older_than_days: Some(d),
                    ..base.clone()
                },
                Some(
                    "file access times are not used: most mounts do not record them (relatime, noatime)",
                ),
            );
        }
        add(
            "zips whose extracted tree is complete",
            "--drop-zips".into(),
            PruneOptions {
                drop_zips: true,
                ..base.clone()
            },
            Some(
                "only on request: go builds from the tree, but modscope export, go mod vendor and go mod download offline need the zip",
            ),
        );
        add(
            "leftovers of interrupted downloads",
            "--leftovers".into(),
            PruneOptions {
                leftovers: true,
                ..base.clone()
            },
            None,
        );
        add(
            "cache/vcs clones",
            "--vcs".into(),
            PruneOptions { vcs: true, ..base },
            Some("GOPROXY=direct clones them again when it needs them"),
        );
        CacheJson {
            schema_version: 1,
            gomodcache: inv.root.display().to_string(),
            counting: COUNTING.into(),
            total: inv.total,
            files: inv.files,
            modules,
            sumdb: inv.sumdb,
            vcs: inv.vcs.iter().map(vcs_json).collect(),
            leftovers: inv.leftovers.iter().map(leftover_json).collect(),
            other: inv.other,
            projects: usage
                .projects
                .iter()
                .map(|p| ProjectJson {
                    dir: p.dir.display().to_string(),
                    source: p.source,
                    last_seen: p.last_seen,
                    versions: p.uses.len(),
                    zips: p.uses.values().filter(|n| **n == Need::Zip).count(),
                    error: p.error.clone(),
                })
                .collect(),
            reclaimable,
            notes: usage.notes.clone(),
            errors: inv.errors.clone(),
        }
    }
}

fn size(n: u64) -> String {
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
                    .map(|t| gomodcache::edit::tidy_backup::rfc3339_utc(
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedJson {
    pub path: String,
    pub version: String,
    pub reason: Option<PruneReason>,
    pub bytes: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemJson {
    pub kind: ItemKind,
    pub item: String,
    pub bytes: Bytes,
    pub quarantine_dir: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutcomeJson {
    pub items: Vec<ItemJson>,
    /// Deleted: freed now.
    pub freed: Bytes,
    /// Moved to the quarantine: still on disk until the purge command runs.
    pub moved_to_quarantine: Bytes,
    pub purge_command: Option<String>,
    pub failed: usize,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PruneJson {
    pub schema_version: u32,
    pub gomodcache: String,
    pub dry_run: bool,
    pub quarantine: String,
    pub projects: usize,
    pub versions: Vec<PlannedJson>,
    pub zips: Vec<PlannedJson>,
    pub leftovers: Vec<LeftoverJson>,
    pub vcs: Vec<VcsJson>,
    /// Temporary files younger than an hour, kept (a running go may own them).
    pub recent_leftovers: usize,
    pub total: Bytes,
    pub outcome: Option<OutcomeJson>,
    pub notes: Vec<String>,
}

impl PruneJson {
    pub fn new(
        cache: &ModuleCache,
        plan: &PrunePlan,
        usage: &Usage,
        quarantine: &Path,
        dry_run: bool,
    ) -> Self {
        PruneJson {
            schema_version: 1,
            gomodcache: cache.root.display().to_string(),
            dry_run,
            quarantine: quarantine.display().to_string(),
            projects: usage.projects.len(),
            versions: plan
                .versions
                .iter()
                .map(|v| PlannedJson {
                    path: v.path.clone(),
                    version: v.version.clone(),
                    reason: Some(v.reason),
                    bytes: v.bytes,
                })
                .collect(),
            zips: plan
                .zips
                .iter()
                .map(|z| PlannedJson {
                    path: z.path.clone(),
                    version: z.version.clone(),
                    reason: None,
                    bytes: z.bytes,
                })
                .collect(),
            leftovers: plan.leftovers.iter().map(leftover_json).collect(),
            vcs: plan.vcs.iter().map(vcs_json).collect(),
            recent_leftovers: plan.recent_leftovers,
            total: plan.total,
            outcome: None,
            notes: usage.notes.clone(),
        }
    }

    pub fn record(&mut self, o: &PruneOutcome) {
        self.outcome = Some(OutcomeJson {
            items: o
                .items
                .iter()
                .map(|i| ItemJson {
                    kind: i.kind,
                    item: i.item.clone(),
                    bytes: i.bytes,
                    quarantine_dir: i.quarantine_dir.as_ref().map(|d| d.display().to_string()),
                    error: i.error.clone(),
                })
                .collect(),
            freed: o.deleted,
            moved_to_quarantine: o.quarantined,
            purge_command: (o.quarantined.disk > 0
                || o.items.iter().any(|i| i.quarantine_dir.is_some()))
            .then(|| PURGE_COMMAND.to_string()),
            failed: o.failed,
            cancelled: o.cancelled,
        });
    }

    pub fn failed(&self) -> usize {
        self.outcome.as_ref().map_or(0, |o| o.failed)
    }
}

/// The list a prune shows before it asks (and all a dry run does).
pub fn render_plan(p: &PruneJson) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "modscope cache prune · {} · {} known projects",
        p.gomodcache, p.projects
    );
    let n = p.versions.len() + p.zips.len() + p.leftovers.len() + p.vcs.len();
    if n == 0 {
        let _ = writeln!(out, "nothing to prune");
    }
    for v in &p.versions {
        let why = match v.reason {
            Some(PruneReason::Superseded) => "superseded",
            _ => "unused",
        };
        let _ = writeln!(
            out,
            "  version   {:>11}  {}@{} ({why})",
            size(v.bytes.disk),
            v.path,
            v.version
        );
    }
    for z in &p.zips {
        let _ = writeln!(
            out,
            "  zip       {:>11}  {}@{}",
            size(z.bytes.disk),
            z.path,
            z.version
        );
    }
    for l in &p.leftovers {
        let _ = writeln!(out, "  leftover  {:>11}  {}", size(l.bytes.disk), l.path);
    }
    for c in &p.vcs {
        let _ = writeln!(
            out,
            "  vcs clone {:>11}  cache/vcs/{} {}",
            size(c.bytes.disk),
            c.name,
            c.remote.as_deref().unwrap_or("")
        );
    }
    if p.recent_leftovers > 0 {
        let _ = writeln!(
            out,
            "  ({} temporary files younger than an hour kept: a running go may own them)",
            p.recent_leftovers
        );
    }
    if !p.zips.is_empty() {
        let _ = writeln!(
            out,
            "  (without their zips, modscope export, go mod vendor and go mod download offline fail for those versions until they are downloaded again)"
        );
    }
    if n > 0 {
        let _ = writeln!(
            out,
            "{n} items, {} on disk ({} apparent)",
            size(p.total.disk),
            size(p.total.apparent)
        );
        if !p.versions.is_empty() || !p.zips.is_empty() || !p.vcs.is_empty() {
            let _ = writeln!(
                out,
                "versions, zips and clones move to the quarantine {} (leftovers are deleted)",
                p.quarantine
            );
        }
    }
    for note in &p.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

/// What a prune did.
pub fn render_outcome(p: &PruneJson) -> String {
    let mut out = String::new();
    let Some(o) = &p.outcome else {
        if p.dry_run {
            out.push_str("dry run: nothing was changed\n");
        }
        return out;
    };
    for i in o.items.iter().filter(|i| i.error.is_some()) {
        let _ = writeln!(out, "✗ {}: {}", i.item, i.error.as_deref().unwrap_or(""));
    }
    let done = o.items.len() - o.failed;
    let _ = writeln!(
        out,
        "pruned {done} of {} items; freed {} now",
        o.items.len(),
        size(o.freed.disk)
    );
    if o.moved_to_quarantine.disk > 0 || o.purge_command.is_some() {
        let _ = writeln!(
            out,
            "{} moved to the quarantine {} (still on disk); free it with: {}",
            size(o.moved_to_quarantine.disk),
            p.quarantine,
            PURGE_COMMAND
        );
    }
    if o.cancelled {
        let _ = writeln!(out, "interrupted: the items not listed were not touched");
    }
    out
}

/// A progress line on stderr: parts and bytes while scanning, a byte bar while pruning.
pub struct StderrBar {
    parts: AtomicU64,
    files: AtomicU64,
    bytes: AtomicU64,
    total: AtomicU64,
    last: Mutex<Option<Instant>>,
}

impl StderrBar {
    pub fn new() -> Self {
        StderrBar {
            parts: AtomicU64::new(0),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            total: AtomicU64::new(0),
            last: Mutex::new(None),
        }
    }

    fn draw(&self, force: bool, line: impl FnOnce() -> String) {
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if !force && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2K{}",
            super::output::escape_controls(&line())
        );
    }

    pub fn finish(&self) {
        if self.last.lock().map(|l| l.is_some()).unwrap_or(false) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

impl ScanProgress for StderrBar {
    fn on_part(&self, p: &ScannedPart) {
        let parts = self.parts.fetch_add(1, Ordering::Relaxed) + 1;
        let files = self.files.fetch_add(p.files, Ordering::Relaxed) + p.files;
        let bytes = self.bytes.fetch_add(p.bytes.disk, Ordering::Relaxed) + p.bytes.disk;
        self.draw(false, || {
            format!(
                "scanning the module cache: {parts} parts, {files} files, {}",
                size(bytes)
            )
        });
    }
}

impl PruneProgress for StderrBar {
    fn on_start(&self, _items: usize, bytes: u64) {
        self.total.store(bytes, Ordering::Relaxed);
    }
    fn on_step(&self, item: &str, step: &str) {
        let (done, total) = (
            self.bytes.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed).max(1),
        );
        let width = 30u64;
        let filled = (done.min(total) * width / total) as usize;
        let item = item.to_string();
        let step: String = step.chars().take(60).collect();
        self.draw(false, || {
            format!(
                "[{}{}] {} / {}  {item}: {step}",
                "#".repeat(filled),
                " ".repeat(width as usize - filled),
                size(done),
                size(total)
            )
        });
    }
    fn on_item_done(&self, item: &str, bytes: u64, _error: Option<&str>) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.on_step(item, "done");
    }
}
