//! Tests of the UI without a terminal: `update` transitions, the keymap, and views rendered on a
//! fixed-size test backend.

mod cache_view_tests;
mod copy_fix_tests;
mod file_problems_tests;
mod go_sum_fix_tests;
mod hash_diff_tests;
mod header_agreement_tests;
mod hint_tests;
mod job_update_tests;
mod keymap_tests;
mod list_area_tests;
mod notice_tests;
mod preload_tests;
mod proxy_view_tests;
mod repair_tests;
mod scroll_tests;
mod task_tests;
mod tidy_export_tests;
mod tree_filter_tests;
mod update_tests;
mod view_tests;
mod why_tests;
mod wide_layout_tests;

use super::app_state::AppState;
use super::message::Msg;
use super::scan::{EnvSummary, GraphOutcome, ScanOutcome};
use super::update::update;
use gomodcache::analysis::check::{CheckOptions, run_check};
use gomodcache::analysis::report::CheckMode;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::demo::{DemoLayout, materialize_demo};
use gomodcache::goenv::env::ValueSource;
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::load_project;
use std::time::Instant;

pub struct Fixture {
    pub tmp: tempfile::TempDir,
    pub layout: DemoLayout,
    pub state: AppState,
    pub t0: Instant,
}

/// The demo, fully checked, loaded into a fresh state as the first scan would.
pub fn demo_state(width: u16, height: u16) -> Fixture {
    demo_state_edited(width, height, |_| {})
}

/// [`demo_state`] after `edit` changed the demo's files (a fault of a test's own).
pub fn demo_state_edited(width: u16, height: u16, edit: impl FnOnce(&DemoLayout)) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(tmp.path()).unwrap();
    edit(&layout);
    let project = load_project(&layout.project_dir, Some("off")).unwrap();
    let cache = ModuleCache::new(&layout.gomodcache);
    let opts = CheckOptions {
        scope: gomodcache::analysis::check::CheckScope::Required,
        mode: CheckMode::Full,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        gomodcache_source: ValueSource::CommandLine,
    };
    let report = run_check(&project, &cache, &opts);
    let t0 = Instant::now();
    let go_env = vec![
        (
            "GOMODCACHE".to_string(),
            layout.gomodcache.display().to_string(),
        ),
        (
            "GOPROXY".into(),
            format!("file://{}", layout.proxy_dir.display()),
        ),
    ];
    let mut state = AppState::new(
        layout.project_dir.clone(),
        layout.gomodcache.clone(),
        go_env,
        true,
        t0,
    );
    state.color = false;
    update(&mut state, Msg::Resize { width, height });
    let env = EnvSummary {
        goproxy: "file:///demo/proxy".into(),
        goflags: "-modcacherw".into(),
        gowork: "off".into(),
        gotoolchain: "local".into(),
    };
    let quick_graph =
        gomodcache::analysis::check::graph_only_quick(&project, &cache, &go_env_of(&layout));
    let vars: Vec<(String, String)> = std::env::vars()
        .chain([("GOFLAGS".to_string(), "-modcacherw".to_string())])
        .collect();
    let go = gomodcache::toolchain::GoInstall::from_installation(&vars);
    let genv = gomodcache::goenv::env::GoEnv::from_vars(vars);
    let offline = gomodcache::offline::verdict::offline_verdict(
        &gomodcache::offline::verdict::VerdictInput {
            project: &project,
            cache: &cache,
            env: &genv,
            go: &go,
            ignore_vendor: false,
        },
    );
    let effects = update(
        &mut state,
        Msg::Scanned(Ok(Box::new(ScanOutcome {
            scan_id: 1,
            project,
            report,
            env,
        }))),
    );
    update(
        &mut state,
        Msg::GraphLoaded(Box::new(GraphOutcome {
            scan_id: 1,
            graph: quick_graph.graph,
            graph_only: quick_graph.rows,
            file_problems: quick_graph.file_problems,
        })),
    );
    assert!(
        effects.first() == Some(&super::effect::Effect::LoadGraph { scan_id: 1 })
            && effects.contains(&super::effect::Effect::CheckOffline),
        "the verdict is computed after the first frame"
    );
    update(&mut state, Msg::OfflineChecked(Box::new(offline)));
    Fixture {
        tmp,
        layout,
        state,
        t0,
    }
}

/// The screen drawn from the fixture's state, cells and styles.
pub fn screen_buffer(f: &Fixture) -> ratatui::buffer::Buffer {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        f.state.width,
        f.state.height,
    ))
    .unwrap();
    t.draw(|frame| super::view::view(&f.state, frame)).unwrap();
    t.backend().buffer().clone()
}

/// The screen drawn from the fixture's state, one string per row.
pub fn screen_rows(f: &Fixture) -> Vec<String> {
    let buf = screen_buffer(f);
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

/// Whether `effects` ask for nothing but a wake-up (to expire the notice they show).
pub fn no_work(effects: &[super::effect::Effect]) -> bool {
    effects
        .iter()
        .all(|e| matches!(e, super::effect::Effect::WakeAt(_)))
}

impl Fixture {
    pub fn send(&mut self, msg: Msg) -> Vec<super::effect::Effect> {
        update(&mut self.state, msg)
    }

    /// Selects the module with this path the way a user would: Home, then Down.
    pub fn select(&mut self, path: &str) {
        let row = self
            .state
            .visible
            .iter()
            .position(|&i| self.state.modules[i].path == path)
            .unwrap_or_else(|| panic!("{path} not visible"));
        self.send(Msg::Home);
        for _ in 0..row {
            self.send(Msg::MoveDown);
        }
        assert_eq!(
            self.state.selected_module().map(|m| m.path.as_str()),
            Some(path)
        );
    }
}

fn go_env_of(layout: &DemoLayout) -> Vec<(String, String)> {
    vec![(
        "GOMODCACHE".to_string(),
        layout.gomodcache.display().to_string(),
    )]
}
