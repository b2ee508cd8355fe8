//! The cache view's state machine and its screens, on a hand-made scan (no IO): opening starts
//! a scan job whose parts and result arrive as job events; rows, marks, the unused filter, the
//! prune's refusals and its confirmation.

use crate::jobs::CacheScan;
use crate::jobs::{JobEvent, JobId, JobOutcome};
use crate::tui::app_state::{AppState, ListArea, Overlay};
use crate::tui::effect::Effect;
use crate::tui::message::{CacheMsg, Msg};
use crate::tui::task_log::{JobPurpose, TaskView};
use crate::tui::update::update;
use gomodcache::inventory::usage::{Need, ProjectSource, ProjectUsage, Usage};
use gomodcache::inventory::{
    Bytes, CacheInventory, ModuleEntry, PartKind, ScannedPart, VersionEntry,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

mod prune;

const MIB: u64 = 1 << 20;

fn bytes(disk: u64) -> Bytes {
    Bytes {
        disk,
        apparent: disk,
    }
}

fn version(v: &str, disk: u64) -> VersionEntry {
    VersionEntry {
        version: v.into(),
        escaped_version: v.into(),
        files: Default::default(),
        tree: Some(bytes(disk)),
        download: Bytes::default(),
        total: bytes(disk),
        modified: 0,
    }
}

fn module(path: &str, versions: &[(&str, u64)]) -> ModuleEntry {
    let versions: Vec<VersionEntry> = versions.iter().map(|(v, d)| version(v, *d)).collect();
    ModuleEntry {
        path: path.into(),
        escaped_path: path.into(),
        total: bytes(versions.iter().map(|v| v.total.disk).sum()),
        versions,
        path_files: Bytes::default(),
    }
}

fn project(dir: &str, uses: &[(&str, &str)]) -> ProjectUsage {
    ProjectUsage {
        dir: PathBuf::from(dir),
        source: ProjectSource::Registry,
        last_seen: Some(0),
        uses: uses
            .iter()
            .map(|(p, v)| ((p.to_string(), v.to_string()), Need::Zip))
            .collect::<BTreeMap<_, _>>(),
        error: None,
    }
}

/// `big` (this project uses v1.0.0; v0.9.0 unused), `shared` (used by another project only),
/// `old` (unused), sorted by path as the scan sorts them.
fn scan() -> CacheScan {
    let modules = vec![
        module(
            "example.com/big",
            &[("v0.9.0", 30 * MIB), ("v1.0.0", 40 * MIB)],
        ),
        module("example.com/old", &[("v0.0.1", 5 * MIB)]),
        module("example.com/shared", &[("v0.1.0", 12 * MIB)]),
    ];
    CacheScan {
        inventory: CacheInventory {
            root: "/cache".into(),
            total: bytes(88 * MIB),
            modules,
            ..Default::default()
        },
        usage: Usage {
            projects: vec![
                project("/work/app", &[("example.com/big", "v1.0.0")]),
                project("/work/other", &[("example.com/shared", "v0.1.0")]),
            ],
            notes: Vec::new(),
        },
        this_project: Some("/work/app".into()),
    }
}

fn state(width: u16, height: u16) -> AppState {
    let mut s = AppState::new(
        "/work/app".into(),
        "/cache".into(),
        Vec::new(),
        false,
        Instant::now(),
    );
    s.color = false;
    s.quarantine_root = Some("/home/u/.cache/modscope/quarantine".into());
    update(&mut s, Msg::Resize { width, height });
    s
}

fn cache(s: &mut AppState, m: CacheMsg) -> Vec<Effect> {
    update(s, Msg::Cache(m))
}

/// Opens the view; returns the scan job's id.
fn open(s: &mut AppState) -> JobId {
    match cache(s, CacheMsg::Toggle).as_slice() {
        [Effect::ScanCache { id }] => *id,
        other => panic!("{other:?}"),
    }
}

/// Opens the view and lets the scan finish.
fn scanned(width: u16, height: u16) -> AppState {
    let mut s = state(width, height);
    let id = open(&mut s);
    update(
        &mut s,
        Msg::Job(id, JobEvent::CacheScanned(Box::new(scan()))),
    );
    update(
        &mut s,
        Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)),
    );
    s
}

fn row_names(s: &AppState) -> Vec<String> {
    let found = s.cache.found.as_ref().unwrap();
    s.cache
        .rows
        .iter()
        .map(|r| match r {
            crate::tui::cache_view::CacheRow::Path(p) => found.paths[*p].path.clone(),
            crate::tui::cache_view::CacheRow::Version(p, v) => {
                format!("  {}", found.paths[*p].versions[*v].version)
            }
            crate::tui::cache_view::CacheRow::Partial(_) => "partial".into(),
        })
        .collect()
}

fn notice(s: &AppState) -> String {
    s.notice_text().unwrap_or_default().to_string()
}

#[test]
fn opening_scans_in_the_background_and_closing_cancels_the_scan() {
    let mut s = state(80, 24);
    let id = open(&mut s);
    assert_eq!(s.list_area, ListArea::Cache);
    assert!(s.cache.scanning.is_some());
    // Parts arrive while the walk runs: per-path totals, largest first.
    let part = |m: &str, disk| ScannedPart {
        kind: PartKind::Tree,
        module: Some(m.into()),
        version: Some("v1".into()),
        bytes: bytes(disk),
        files: 1,
    };
    update(
        &mut s,
        Msg::Job(
            id,
            JobEvent::CacheParts(vec![
                part("example.com/a", MIB),
                part("example.com/!b", 3 * MIB),
            ]),
        ),
    );
    let scan = s.cache.scanning.as_ref().unwrap();
    assert_eq!(
        scan.sorted[0],
        ("example.com/B".to_string(), 3 * MIB),
        "unescaped"
    );
    assert_eq!(s.cache.rows.len(), 2);
    // Space before the scan ends marks nothing.
    cache(&mut s, CacheMsg::Mark);
    assert!(s.cache.marked.is_empty());
    assert_eq!(cache(&mut s, CacheMsg::Toggle), vec![Effect::CancelJob(id)]);
    assert_eq!(s.list_area, ListArea::Modules);
    assert!(s.cache.scanning.is_none());
    // Quit cancels a running cache scan as any job.
    let id = open(&mut s);
    assert!(update(&mut s, Msg::Quit).contains(&Effect::CancelJob(id)));
}

#[test]
fn paths_come_largest_first_and_expand_to_versions_newest_first() {
    let mut s = scanned(80, 24);
    assert_eq!(
        row_names(&s),
        ["example.com/big", "example.com/shared", "example.com/old"]
    );
    let big = &s.cache.found.as_ref().unwrap().paths[0];
    assert_eq!(
        (big.users, big.this_uses, big.reclaimable),
        (1, true, 30 * MIB)
    );
    cache(&mut s, CacheMsg::Expand);
    assert_eq!(
        row_names(&s)[..3],
        ["example.com/big", "  v1.0.0", "  v0.9.0"]
    );
    update(&mut s, Msg::MoveDown);
    update(&mut s, Msg::MoveDown);
    // ← on a version goes to its path; ← again collapses it; Enter toggles.
    cache(&mut s, CacheMsg::Collapse);
    assert_eq!(s.cache.cursor, 0);
    cache(&mut s, CacheMsg::Collapse);
    assert_eq!(row_names(&s).len(), 3);
    cache(&mut s, CacheMsg::ToggleExpand);
    assert_eq!(row_names(&s).len(), 5);
    cache(&mut s, CacheMsg::ToggleExpand);
    assert_eq!(row_names(&s).len(), 3);
    // Esc closes the view (no filter to clear first).
    update(&mut s, Msg::CloseOverlay);
    assert_eq!(s.list_area, ListArea::Modules);
}

#[test]
fn the_unused_filter_and_the_text_filter_narrow_the_rows() {
    let mut s = scanned(80, 24);
    cache(&mut s, CacheMsg::ToggleUnused);
    cache(&mut s, CacheMsg::Expand);
    assert_eq!(
        row_names(&s),
        ["example.com/big", "  v0.9.0", "example.com/old"]
    );
    cache(&mut s, CacheMsg::ToggleUnused);
    update(&mut s, Msg::StartFilter);
    for c in "sha".chars() {
        update(&mut s, Msg::FilterInput(c));
    }
    update(&mut s, Msg::FilterAccept);
    assert_eq!(row_names(&s), ["example.com/shared"]);
    assert_eq!(s.filter_text, "", "the list's own filter is untouched");
    // Esc clears the filter first, then closes.
    update(&mut s, Msg::CloseOverlay);
    assert_eq!(s.list_area, ListArea::Cache);
    assert!(s.cache.filter.is_empty());
}

#[test]
fn space_marks_versions_or_a_paths_unused_versions_and_the_header_counts_them() {
    let mut s = scanned(80, 24);
    // On a path: its unused versions only.
    cache(&mut s, CacheMsg::Mark);
    assert_eq!(
        s.cache.marked.iter().collect::<Vec<_>>(),
        [&("example.com/big".to_string(), "v0.9.0".to_string())]
    );
    assert_eq!(s.cache.marked_bytes(), (1, 30 * MIB));
    // Again on the path: unmarked.
    update(&mut s, Msg::Home);
    cache(&mut s, CacheMsg::Mark);
    assert!(s.cache.marked.is_empty());
    // A path whose every version is used: nothing to mark, and it says so.
    update(&mut s, Msg::Home);
    update(&mut s, Msg::MoveDown);
    cache(&mut s, CacheMsg::Mark);
    assert!(s.cache.marked.is_empty());
    assert!(
        notice(&s).contains("every version of example.com/shared is used"),
        "{}",
        notice(&s)
    );
    // The old path's one version, then the header line.
    cache(&mut s, CacheMsg::Mark);
    assert_eq!(s.cache.marked_bytes(), (1, 5 * MIB));
}

/// The view at a size, as text.
fn screen(s: &AppState) -> String {
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(s.width, s.height)).unwrap();
    t.draw(|f| crate::tui::view::view(s, f)).unwrap();
    t.backend().to_string()
}

#[test]
fn cache_view_80x24() {
    let mut s = scanned(80, 24);
    cache(&mut s, CacheMsg::Expand);
    update(&mut s, Msg::MoveDown);
    update(&mut s, Msg::MoveDown);
    cache(&mut s, CacheMsg::Mark);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn cache_view_120x40_scanning_then_the_prune_confirmation() {
    let mut s = state(120, 40);
    let id = open(&mut s);
    let part = |m: &str, disk| ScannedPart {
        kind: PartKind::Tree,
        module: Some(m.into()),
        version: None,
        bytes: bytes(disk),
        files: 3,
    };
    update(
        &mut s,
        Msg::Job(
            id,
            JobEvent::CacheParts(vec![
                part("example.com/big", 40 * MIB),
                part("example.com/old", 5 * MIB),
            ]),
        ),
    );
    insta::assert_snapshot!("cache_view_120x40_scanning", screen(&s));
    update(
        &mut s,
        Msg::Job(id, JobEvent::CacheScanned(Box::new(scan()))),
    );
    update(
        &mut s,
        Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)),
    );
    cache(&mut s, CacheMsg::ToggleUnused);
    cache(&mut s, CacheMsg::Mark);
    cache(&mut s, CacheMsg::Mark);
    cache(&mut s, CacheMsg::Prune);
    insta::assert_snapshot!("cache_view_120x40_confirm", screen(&s));
}

/// After a cache scan, the project view's detail pane says what the selected module costs on
/// disk and which other known projects use it; before one, it says nothing of it.
#[test]
fn the_detail_pane_names_the_other_projects_using_a_module_after_a_scan() {
    use gomodcache::analysis::classify::new_report;
    use gomodcache::project::requirements::Requirement;
    let detail = |s: &AppState| -> String {
        crate::tui::view::detail_pane::lines(
            s,
            crate::tui::view::theme::Theme { color: false },
            120,
        )
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n")
    };
    let select = |s: &mut AppState| {
        s.modules = vec![new_report(&Requirement {
            path: "example.com/shared".into(),
            version: "v0.1.0".into(),
            indirect: false,
            required_by: Vec::new(),
            graph_only: false,
            replacement: None,
        })];
        s.visible = vec![0];
        s.selected = 0;
    };
    let mut before = state(120, 40);
    select(&mut before);
    assert!(!detail(&before).contains("on disk"), "{}", detail(&before));
    let mut s = scanned(120, 40);
    select(&mut s);
    let text = detail(&s);
    assert!(
        text.contains("12.0 MiB on disk · also used by other"),
        "{text}"
    );
}
