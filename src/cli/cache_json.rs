//! The `modscope cache` JSON document (schema 1): what the module cache holds, who uses each
//! version, and what each prune flag would free, built from the inventory and the usage.

use gomodcache::inventory::plan::{PruneOptions, plan_prune};
use gomodcache::inventory::usage::{Need, ProjectSource, Usage};
use gomodcache::inventory::{
    Bytes, CacheInventory, Leftover, LeftoverKind, VcsClone, VersionEntry,
};
use serde::{Deserialize, Serialize};

pub const COUNTING: &str = "disk = allocated blocks (st_blocks * 512) as du -s -B1 counts them, apparent = file lengths as du -s -B1 --apparent-size; a file with several hard links is counted once; symbolic links are not followed";

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

pub(super) fn vcs_json(c: &VcsClone) -> VcsJson {
    VcsJson {
        name: c.name.clone(),
        remote: c.remote.clone(),
        bytes: c.bytes,
    }
}

pub(super) fn leftover_json(l: &Leftover) -> LeftoverJson {
    LeftoverJson {
        kind: l.kind,
        path: l.path.display().to_string(),
        module: l.module.as_ref().map(|(p, v)| format!("{p}@{v}")),
        bytes: l.bytes,
    }
}

impl CacheJson {
    /// `keep_latest` and `older_than` are the `--keep-latest` and `--older-than` the report was
    /// asked for: what those prune criteria would free is shown for them.
    pub fn new(
        inv: &CacheInventory,
        usage: &Usage,
        keep_latest: Option<usize>,
        older_than: Option<u64>,
        now: u64,
    ) -> Self {
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
        let n = keep_latest.unwrap_or(1);
        add(
            "unused versions older than the newest used one of their path",
            format!("--keep-latest {n}"),
            PruneOptions {
                keep_latest: Some(n),
                ..base.clone()
            },
            None,
        );
        if let Some(d) = older_than {
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
