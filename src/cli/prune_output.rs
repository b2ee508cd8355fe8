//! What `modscope cache prune` prints: its JSON document (schema 1), the list it shows before
//! it asks (all a dry run does), and what it did.

use super::cache_json::{LeftoverJson, VcsJson, leftover_json, vcs_json};
use super::cache_text::size;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::inventory::Bytes;
use gomodcache::inventory::plan::{PrunePlan, PruneReason};
use gomodcache::inventory::prune::{ItemKind, PruneOutcome};
use gomodcache::inventory::usage::Usage;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::Path;

pub const PURGE_COMMAND: &str = "modscope repair --purge-quarantine";

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
        "modscope cache prune · {} · {} known project{}",
        p.gomodcache,
        p.projects,
        if p.projects == 1 { "" } else { "s" }
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
