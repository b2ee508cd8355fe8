//! What can go, as data: a pure function of the inventory, who uses it and the options. Never
//! a version any counted project uses; a front end shows the plan (`--dry-run`) and hands the
//! same plan to [`execute`](super::prune::execute).
//!
//! - `unused`: every version no counted project uses.
//! - `keep_latest: N`: unused versions older than the newest used version of the same path,
//!   except the N newest versions of that path in the cache.
//! - `older_than_days: D`: projects of the registry not inspected for D days no longer count
//!   as users, and a version downloaded (its files' modification time) less than D days ago is
//!   kept; alone it selects the versions unused in that sense. (File access times are not used:
//!   most mounts do not record them faithfully, `relatime`/`noatime`.)
//! - `drop_zips`: the zip of a version whose extracted tree is complete; go builds from the tree,
//!   but `modscope export`, `go mod vendor` of a fresh checkout and `go mod download` offline
//!   need the zip again.
//! - `leftovers`: temporary files and directories of interrupted downloads older than
//!   [`LEFTOVER_MIN_AGE`] (a younger one may belong to a running go), `.partial` markers with no
//!   tree, lock files alone.
//! - `vcs`: the `cache/vcs` clones (`GOPROXY=direct` clones them again when it needs them).

use super::usage::{ProjectSource, Usage};
use super::{Bytes, CacheInventory, Leftover, LeftoverKind, VcsClone};
use serde::{Deserialize, Serialize};

/// A temporary file or directory younger than this may belong to a go that is running.
pub const LEFTOVER_MIN_AGE: u64 = 3600;

/// What to prune (`modscope cache prune`'s flags); each selection is described in the
/// module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneOptions {
    /// `--unused`: every version no counted project uses.
    pub unused: bool,
    /// `--keep-latest N`: unused versions older than a used one, except the N newest of the path.
    pub keep_latest: Option<usize>,
    /// `--older-than DAYS`: registry projects unseen that long do not count, and versions
    /// downloaded more recently are kept.
    pub older_than_days: Option<u64>,
    /// `--drop-zips`: the zips of versions whose extracted tree is complete.
    pub drop_zips: bool,
    /// `--leftovers`: what interrupted downloads left behind.
    pub leftovers: bool,
    /// `--vcs`: the `cache/vcs` clones.
    pub vcs: bool,
    /// Seconds since the epoch.
    pub now: u64,
}

/// Why a version is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PruneReason {
    /// No counted project uses it.
    Unused,
    /// Unused, and a newer version of the path is used (`--keep-latest`).
    Superseded,
}

/// A module version to evict whole (all its files and its extracted tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedVersion {
    /// The module path, unescaped.
    pub path: String,
    /// The version, unescaped.
    pub version: String,
    /// Everything the version has in the cache.
    pub bytes: Bytes,
    /// Why it goes.
    pub reason: PruneReason,
}

/// A zip to drop, its version's extracted tree staying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedZip {
    /// The module path, unescaped.
    pub path: String,
    /// The version, unescaped.
    pub version: String,
    /// The zip's bytes.
    pub bytes: Bytes,
}

/// What a prune removes, item by item, as [`execute`](super::prune::execute) carries it out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrunePlan {
    /// Versions evicted whole.
    pub versions: Vec<PlannedVersion>,
    /// Zips dropped.
    pub zips: Vec<PlannedZip>,
    /// Leftovers deleted.
    pub leftovers: Vec<Leftover>,
    /// `cache/vcs` clones moved to the quarantine.
    pub vcs: Vec<VcsClone>,
    /// Leftovers kept because they are too recent.
    pub recent_leftovers: usize,
    /// The bytes of every item together.
    pub total: Bytes,
    /// Projects that could not be read: what they use is unknown, so nothing is pruned.
    pub blocked_by: Vec<String>,
}

impl PrunePlan {
    /// Nothing to remove (kept recent leftovers do not count).
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
            && self.zips.is_empty()
            && self.leftovers.is_empty()
            && self.vcs.is_empty()
    }
}

/// Whether project `i` counts as a user under `opts`.
fn counts(usage: &Usage, i: usize, opts: &PruneOptions) -> bool {
    let p = &usage.projects[i];
    match (opts.older_than_days, p.source) {
        (Some(days), ProjectSource::Registry) => p
            .last_seen
            .is_some_and(|t| t.saturating_add(days.saturating_mul(86_400)) >= opts.now),
        _ => true,
    }
}

/// The known projects that could not be read, each as `dir: why`: what they use cannot be
/// known, so while there is any, nothing may be pruned.
fn unreadable_projects(usage: &Usage) -> Vec<String> {
    usage
        .projects
        .iter()
        .filter_map(|p| {
            p.error
                .as_ref()
                .map(|e| format!("{}: {e}", p.dir.display()))
        })
        .collect()
}

/// The prune plan for `inv` under `opts`.
pub fn plan_prune(inv: &CacheInventory, usage: &Usage, opts: &PruneOptions) -> PrunePlan {
    let mut plan = PrunePlan {
        blocked_by: unreadable_projects(usage),
        ..Default::default()
    };
    let by_versions = opts.unused || opts.keep_latest.is_some() || opts.older_than_days.is_some();
    for m in &inv.modules {
        let used: Vec<bool> = m
            .versions
            .iter()
            .map(|v| {
                usage
                    .users(&m.path, &v.version)
                    .any(|(i, _)| counts(usage, i, opts))
            })
            .collect();
        let newest_used = used.iter().rposition(|u| *u);
        for (i, v) in m.versions.iter().enumerate() {
            let mut reason = None;
            if by_versions && !used[i] {
                let recent = opts.older_than_days.is_some_and(|d| {
                    (v.modified.max(0) as u64).saturating_add(d.saturating_mul(86_400)) > opts.now
                });
                let superseded = opts.keep_latest.is_some_and(|n| {
                    newest_used.is_some_and(|u| i < u) && m.versions.len() - i > n
                });
                if recent {
                } else if opts.unused
                    || (opts.older_than_days.is_some() && opts.keep_latest.is_none())
                {
                    reason = Some(PruneReason::Unused);
                } else if superseded {
                    reason = Some(PruneReason::Superseded);
                }
            }
            match reason {
                Some(reason) => plan.versions.push(PlannedVersion {
                    path: m.path.clone(),
                    version: v.version.clone(),
                    bytes: v.total,
                    reason,
                }),
                None if opts.drop_zips && v.files.zip && v.tree_complete() => {
                    plan.zips.push(PlannedZip {
                        path: m.path.clone(),
                        version: v.version.clone(),
                        bytes: v.files.zip_bytes,
                    })
                }
                None => {}
            }
        }
    }
    if opts.leftovers {
        for l in &inv.leftovers {
            let temporary = matches!(l.kind, LeftoverKind::TempFile | LeftoverKind::TempTree);
            if temporary && (l.modified.max(0) as u64).saturating_add(LEFTOVER_MIN_AGE) > opts.now {
                plan.recent_leftovers += 1;
            } else {
                plan.leftovers.push(l.clone());
            }
        }
    }
    if opts.vcs {
        plan.vcs = inv.vcs.clone();
    }
    plan.total = plan.versions.iter().map(|v| v.bytes).sum::<Bytes>()
        + plan.zips.iter().map(|z| z.bytes).sum()
        + plan.leftovers.iter().map(|l| l.bytes).sum()
        + plan.vcs.iter().map(|c| c.bytes).sum();
    plan
}

/// Why a prune of chosen versions cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Projects that could not be read (`dir: error`): what they use is unknown.
    Blocked(Vec<String>),
    /// Chosen versions a known project uses: `path@version` with the project roots.
    Used(Vec<(String, Vec<std::path::PathBuf>)>),
}

/// The plan that removes exactly `chosen` (`(path, version)` pairs, as a front end lets the
/// user pick them): refused as a whole when a project cannot be read or a chosen version is
/// used by any known project (every project counts, however long ago it was seen). Chosen
/// versions the inventory no longer holds are left out.
pub fn plan_chosen(
    inv: &CacheInventory,
    usage: &Usage,
    chosen: &[(String, String)],
) -> Result<PrunePlan, Refusal> {
    let blocked = unreadable_projects(usage);
    if !blocked.is_empty() {
        return Err(Refusal::Blocked(blocked));
    }
    let mut plan = PrunePlan::default();
    let mut used = Vec::new();
    for (path, version) in chosen {
        let Some(v) = inv.version(path, version) else {
            continue;
        };
        let users: Vec<std::path::PathBuf> = usage
            .users(path, version)
            .map(|(i, _)| usage.projects[i].dir.clone())
            .collect();
        if !users.is_empty() {
            used.push((format!("{path}@{version}"), users));
            continue;
        }
        plan.total += v.total;
        plan.versions.push(PlannedVersion {
            path: path.clone(),
            version: version.clone(),
            bytes: v.total,
            reason: PruneReason::Unused,
        });
    }
    if used.is_empty() {
        Ok(plan)
    } else {
        Err(Refusal::Used(used))
    }
}

#[cfg(test)]
mod tests;
