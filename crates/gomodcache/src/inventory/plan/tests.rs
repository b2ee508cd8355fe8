use super::*;
use crate::inventory::usage::{Need, ProjectUsage};
use crate::inventory::{ModuleEntry, VersionEntry, VersionFiles};
use std::collections::BTreeMap;
use std::path::PathBuf;

const DAY: u64 = 86_400;
const NOW: u64 = 1_000 * DAY;

fn version(v: &str, zip: bool, modified: u64) -> VersionEntry {
    VersionEntry {
        version: v.into(),
        escaped_version: v.into(),
        files: VersionFiles {
            go_mod: true,
            zip,
            ziphash: zip,
            zip_bytes: Bytes {
                disk: 4096,
                apparent: 100,
            },
            ..Default::default()
        },
        tree: zip.then_some(Bytes {
            disk: 8192,
            apparent: 200,
        }),
        download: Bytes {
            disk: 4096,
            apparent: 10,
        },
        total: Bytes {
            disk: 1000,
            apparent: 1,
        },
        modified: modified as i64,
    }
}

/// `example.com/a` v1.0.0 … v1.4.0; project 0 (found) uses v1.3.0's zip, project 1 (registry,
/// seen 40 days ago) uses v1.1.0's `.mod`.
fn fixture() -> (CacheInventory, Usage) {
    let versions: Vec<VersionEntry> = (0..5)
        .map(|i| version(&format!("v1.{i}.0"), i >= 3, NOW - 100 * DAY))
        .collect();
    let inv = CacheInventory {
        modules: vec![ModuleEntry {
            path: "example.com/a".into(),
            escaped_path: "example.com/a".into(),
            versions,
            path_files: Bytes::default(),
            total: Bytes::default(),
        }],
        ..Default::default()
    };
    let uses = |v: &str, n| BTreeMap::from([(("example.com/a".to_string(), v.to_string()), n)]);
    let usage = Usage {
        projects: vec![
            ProjectUsage {
                dir: PathBuf::from("/p0"),
                source: ProjectSource::Found,
                last_seen: None,
                uses: uses("v1.3.0", Need::Zip),
                error: None,
            },
            ProjectUsage {
                dir: PathBuf::from("/p1"),
                source: ProjectSource::Registry,
                last_seen: Some(NOW - 40 * DAY),
                uses: uses("v1.1.0", Need::Mod),
                error: None,
            },
        ],
        notes: Vec::new(),
    };
    (inv, usage)
}

fn planned(p: &PrunePlan) -> Vec<&str> {
    p.versions.iter().map(|v| v.version.as_str()).collect()
}

#[test]
fn unused_never_takes_a_used_version() {
    let (inv, usage) = fixture();
    let opts = PruneOptions {
        unused: true,
        now: NOW,
        ..Default::default()
    };
    let p = plan_prune(&inv, &usage, &opts);
    assert_eq!(planned(&p), ["v1.0.0", "v1.2.0", "v1.4.0"]);
    assert_eq!(p.total.disk, 3000);
}

#[test]
fn keep_latest_takes_only_older_than_the_newest_used() {
    let (inv, usage) = fixture();
    let opts = |n| PruneOptions {
        keep_latest: Some(n),
        now: NOW,
        ..Default::default()
    };
    // v1.4.0 is newer than every used version: kept. v1.1.0 and v1.3.0 are used.
    assert_eq!(
        planned(&plan_prune(&inv, &usage, &opts(0))),
        ["v1.0.0", "v1.2.0"]
    );
    // The 3 newest (v1.2.0 … v1.4.0) stay.
    assert_eq!(planned(&plan_prune(&inv, &usage, &opts(3))), ["v1.0.0"]);
    assert!(planned(&plan_prune(&inv, &usage, &opts(5))).is_empty());
}

#[test]
fn older_than_drops_stale_registry_projects_and_keeps_recent_downloads() {
    let (mut inv, usage) = fixture();
    let opts = |d| PruneOptions {
        older_than_days: Some(d),
        now: NOW,
        ..Default::default()
    };
    // Seen 40 days ago: counts under 60 days, not under 30.
    assert_eq!(
        planned(&plan_prune(&inv, &usage, &opts(60))),
        ["v1.0.0", "v1.2.0", "v1.4.0"]
    );
    assert_eq!(
        planned(&plan_prune(&inv, &usage, &opts(30))),
        ["v1.0.0", "v1.1.0", "v1.2.0", "v1.4.0"]
    );
    inv.modules[0].versions[0].modified = (NOW - DAY) as i64;
    assert_eq!(
        planned(&plan_prune(&inv, &usage, &opts(30))),
        ["v1.1.0", "v1.2.0", "v1.4.0"]
    );
}

#[test]
fn zips_go_only_on_request_and_only_beside_a_complete_tree() {
    let (mut inv, usage) = fixture();
    let opts = PruneOptions {
        drop_zips: true,
        now: NOW,
        ..Default::default()
    };
    let p = plan_prune(&inv, &usage, &opts);
    assert!(p.versions.is_empty());
    let zips: Vec<&str> = p.zips.iter().map(|z| z.version.as_str()).collect();
    assert_eq!(zips, ["v1.3.0", "v1.4.0"]);
    assert_eq!(p.total.disk, 2 * 4096);
    inv.modules[0].versions[3].files.partial = true;
    let p = plan_prune(&inv, &usage, &opts);
    assert_eq!(p.zips.len(), 1, "an incomplete tree keeps its zip");
    assert!(
        plan_prune(
            &inv,
            &usage,
            &PruneOptions {
                now: NOW,
                ..Default::default()
            }
        )
        .is_empty()
    );
}

#[test]
fn recent_temporary_files_are_kept_and_unreadable_projects_block() {
    let (mut inv, mut usage) = fixture();
    let leftover = |kind, age: u64| Leftover {
        kind,
        path: PathBuf::from(format!("/c/{kind:?}{age}")),
        module: None,
        bytes: Bytes {
            disk: 4096,
            apparent: 1,
        },
        modified: (NOW - age) as i64,
    };
    inv.leftovers = vec![
        leftover(LeftoverKind::TempFile, 60),
        leftover(LeftoverKind::TempFile, 2 * LEFTOVER_MIN_AGE),
        leftover(LeftoverKind::OrphanPartial, 1),
    ];
    let opts = PruneOptions {
        leftovers: true,
        now: NOW,
        ..Default::default()
    };
    let p = plan_prune(&inv, &usage, &opts);
    assert_eq!(p.leftovers.len(), 2);
    assert_eq!(p.recent_leftovers, 1);
    assert!(p.blocked_by.is_empty());
    usage.projects[1].error = Some("go.mod: parse error".into());
    assert_eq!(plan_prune(&inv, &usage, &opts).blocked_by.len(), 1);
}

#[test]
fn chosen_versions_are_planned_only_when_no_project_uses_them() {
    let (inv, usage) = fixture();
    let pair = |v: &str| ("example.com/a".to_string(), v.to_string());
    let plan = plan_chosen(
        &inv,
        &usage,
        &[pair("v1.0.0"), pair("v1.4.0"), pair("v9.0.0")],
    )
    .expect("unused versions are planned");
    let planned: Vec<&str> = plan.versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(
        planned,
        ["v1.0.0", "v1.4.0"],
        "a version no longer cached is left out"
    );
    assert_eq!(plan.total.disk, 2000);
    // A registry project seen long ago still counts: the whole prune is refused, naming it.
    assert_eq!(
        plan_chosen(&inv, &usage, &[pair("v1.0.0"), pair("v1.1.0")]),
        Err(Refusal::Used(vec![(
            "example.com/a@v1.1.0".into(),
            vec![PathBuf::from("/p1")]
        )]))
    );
    let mut broken = usage.clone();
    broken.projects[0].error = Some("go.mod: syntax error".into());
    assert!(matches!(
        plan_chosen(&inv, &broken, &[pair("v1.0.0")]),
        Err(Refusal::Blocked(b)) if b == ["/p0: go.mod: syntax error"]
    ));
}
