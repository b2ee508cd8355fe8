//! The problems in the project's files (`modscope check`'s "project files"): each scan
//! outcome replaces them, the graph adds the build list's, the header warns, `!` lists them.

use super::view_tests::screen;
use super::*;
use crate::tui::app_state::Overlay;
use crate::tui::keymap::{Context, translate};
use crate::tui::layout::Areas;
use crate::tui::scan::{Preloaded, ScanContext, scan};
use gomodcache::project::FileProblem;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// A merge left in go.sum: the marker line is what go stops on ("malformed go.sum").
const CONFLICT_MARKER: &str = "<<<<<<< HEAD";

/// The demo with a merge conflict's first marker appended to its go.sum; the marker's line.
fn demo_with_conflict(width: u16, height: u16) -> (Fixture, usize) {
    let mut line = 0;
    let f = demo_state_edited(width, height, |layout| {
        let path = layout.project_dir.join("go.sum");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(CONFLICT_MARKER);
        text.push('\n');
        line = text.lines().count();
        std::fs::write(&path, text).unwrap();
    });
    (f, line)
}

/// The inspector's own scan of the fixture's project (as `r` and a job's end run it), with
/// `cache` as the module cache.
fn rescan(f: &Fixture, cache: &std::path::Path, scan_id: u64) -> Msg {
    let ctx = ScanContext {
        project_dir: f.layout.project_dir.clone(),
        cache: gomodcache::cache::layout::ModuleCache::new(cache),
        source: gomodcache::goenv::env::ValueSource::CommandLine,
        gowork: Some("off".into()),
        go_env: f.state.go_env.clone(),
        demo: true,
        cache_projects: Vec::new(),
        project_root: None,
        open_cache_view: false,
        first_scan: Preloaded::none(),
    };
    Msg::Scanned(scan(&ctx, scan_id).map(Box::new))
}

fn press(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn key_msg(f: &Fixture, event: &Event) -> Option<Msg> {
    translate(
        &f.state,
        event,
        &Areas::compute(f.state.width, f.state.height, &f.state),
    )
}

#[test]
fn a_scan_with_a_malformed_go_sum_line_keeps_it_and_a_later_scan_without_clears_it() {
    let (mut f, line) = demo_with_conflict(120, 40);
    let go_sum = f.layout.project_dir.join("go.sum");
    assert_eq!(
        f.state.file_problems,
        vec![FileProblem {
            file: go_sum.display().to_string(),
            line: Some(line),
            message: "malformed go.sum: wrong number of fields 2".into(),
        }]
    );
    // The inspector's own scan finds it too.
    let cache = f.layout.gomodcache.clone();
    f.send(rescan(&f, &cache, 2));
    assert_eq!(
        f.state.file_problems.len(),
        1,
        "{:?}",
        f.state.file_problems
    );
    assert_eq!(f.state.file_problems[0].line, Some(line));

    // The conflict resolved: the next scan has none, and they are gone.
    let text = std::fs::read_to_string(&go_sum).unwrap();
    std::fs::write(&go_sum, text.replace(&format!("{CONFLICT_MARKER}\n"), "")).unwrap();
    f.send(rescan(&f, &cache, 3));
    assert_eq!(f.state.scan_id, 3);
    assert!(
        f.state.file_problems.is_empty(),
        "{:?}",
        f.state.file_problems
    );
}

/// A go line newer than the installed go under GOTOOLCHAIN=local: every go command (and so
/// every job) would refuse to run; the scan says so in go's words, as `check` does.
#[test]
fn go_refusing_the_project_s_go_line_is_a_problem_of_the_scan() {
    let mut f = demo_state_edited(120, 40, |layout| {
        let path = layout.project_dir.join("go.mod");
        let text = std::fs::read_to_string(&path).unwrap();
        let edited: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("toolchain "))
            .map(|l| match l.starts_with("go ") {
                true => "go 1.99".to_string(),
                false => l.to_string(),
            })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    });
    let cache = f.layout.gomodcache.clone();
    f.state.go_env.retain(|(k, _)| k != "GOTOOLCHAIN");
    f.state
        .go_env
        .push(("GOTOOLCHAIN".to_string(), "local".to_string()));
    f.send(rescan(&f, &cache, 2));
    let go_mod = f.layout.project_dir.join("go.mod");
    let refusal: Vec<_> = f
        .state
        .file_problems
        .iter()
        .filter(|p| p.file == go_mod.display().to_string())
        .collect();
    assert_eq!(refusal.len(), 1, "{:?}", f.state.file_problems);
    let message = &refusal[0].message;
    assert!(
        message.starts_with("go: go.mod requires go >= 1.99 (running go ")
            && message.contains("GOTOOLCHAIN=local)")
            && message.contains("To fix: "),
        "{message}"
    );
}

#[test]
fn a_scan_that_fails_keeps_the_last_problems_under_its_error() {
    let (mut f, _) = demo_with_conflict(120, 40);
    f.send(Msg::Scanned(Err("cannot read go.mod".into())));
    assert_eq!(f.state.file_problems.len(), 1);
    assert_eq!(f.state.scan_error.as_deref(), Some("cannot read go.mod"));
}

#[test]
fn a_module_cache_that_is_not_there_is_a_problem_of_the_scan() {
    let mut f = demo_state(120, 40);
    assert!(f.state.file_problems.is_empty());
    let absent = f.tmp.path().join("no-cache-here");
    f.send(rescan(&f, &absent, 2));
    assert_eq!(
        f.state.file_problems,
        vec![FileProblem {
            file: absent.display().to_string(),
            line: None,
            message: "the module cache directory does not exist (nothing has been downloaded yet?)"
                .into(),
        }]
    );
}

#[test]
fn the_graph_adds_the_build_lists_problems_to_its_own_scans_only() {
    let (mut f, _) = demo_with_conflict(120, 40);
    let graph = f.state.graph.clone().unwrap();
    let problem = FileProblem {
        file: "/w/go.work".into(),
        line: None,
        message: "loading the workspace's module graph reads the go.mod of example.com/a@v1.0.0"
            .into(),
    };
    let outcome = |scan_id| {
        Msg::GraphLoaded(Box::new(crate::tui::scan::GraphOutcome {
            scan_id,
            graph: graph.clone(),
            graph_only: Vec::new(),
            file_problems: vec![problem.clone()],
        }))
    };
    f.send(outcome(f.state.scan_id + 1));
    assert_eq!(
        f.state.file_problems.len(),
        1,
        "an older scan's graph adds nothing"
    );
    f.send(outcome(f.state.scan_id));
    assert_eq!(f.state.file_problems.len(), 2);
    assert_eq!(f.state.file_problems[1], problem);
}

#[test]
fn the_key_opens_the_list_only_when_there_are_problems_and_esc_or_the_key_closes_it() {
    let mut f = demo_state(120, 40);
    assert_eq!(key_msg(&f, &press('!')), Some(Msg::ToggleFileProblems));
    f.send(Msg::ToggleFileProblems);
    assert_eq!(f.state.overlay, None);
    assert_eq!(
        f.state.notice_text(),
        Some("no problems in the project's files")
    );

    let (mut f, _) = demo_with_conflict(120, 40);
    f.state.overlay_scroll = 5;
    f.send(Msg::ToggleFileProblems);
    assert_eq!(f.state.overlay, Some(Overlay::FileProblems));
    assert_eq!(f.state.overlay_scroll, 0);
    assert_eq!(Context::of(&f.state), Context::FileProblems);
    // `!` again closes it; so does Esc (translated in the overlay's context).
    assert_eq!(key_msg(&f, &press('!')), Some(Msg::ToggleFileProblems));
    f.send(Msg::ToggleFileProblems);
    assert_eq!(f.state.overlay, None);
    f.send(Msg::ToggleFileProblems);
    let esc = Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    let msg = key_msg(&f, &esc).unwrap();
    f.send(msg);
    assert_eq!(f.state.overlay, None);
}

fn hint_row(f: &Fixture) -> String {
    screen_rows(f).last().unwrap().trim_end().to_string()
}

#[test]
fn the_hint_shows_only_while_there_are_problems_and_is_kept_at_80_columns() {
    let f = demo_state(80, 24);
    assert!(
        !hint_row(&f).contains("! file problems"),
        "{}",
        hint_row(&f)
    );
    let (mut f, _) = demo_with_conflict(80, 24);
    let row = hint_row(&f);
    assert!(row.ends_with("! file problems  ? help"), "{row}");
    f.send(Msg::ToggleFileProblems);
    assert_eq!(hint_row(&f), "↓ scroll  End bottom  Esc close");
}

/// The header's third row.
fn counts_row(f: &Fixture) -> String {
    screen_rows(f)[2].trim_end().to_string()
}

#[test]
fn the_header_warns_whole_at_80_120_and_200_columns_cutting_the_counts_first() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let (f, _) = demo_with_conflict(w, h);
        let row = counts_row(&f);
        assert!(
            row.ends_with("  ⚠ 1 problem in project files (! to see)"),
            "{w}x{h}: {row}"
        );
        assert!(
            row.starts_with("✗ 6 mismatch  ○ 2 missing"),
            "{w}x{h}: {row}"
        );
        // Cut with an ellipsis where the counts do not fit whole; whole where they do.
        assert_eq!(row.contains("… "), w < 200, "{w}x{h}: {row}");
    }
    let f = demo_state(200, 60);
    let whole = counts_row(&f);
    assert!(!whole.contains('⚠'), "{whole}");
    // Where the short warning keeps the counts whole and the long one would not, the short.
    let width = whole.chars().count() + "  ⚠ 1 file problem (!)".chars().count();
    let (f, _) = demo_with_conflict(width as u16, 40);
    // (The malformed line is one more offline blocker: same width, another digit.)
    let row = counts_row(&f);
    assert!(
        row.ends_with("offline: 7 blockers (o)  ⚠ 1 file problem (!)") && !row.contains('…'),
        "{row}"
    );
    assert_eq!(row.chars().count(), width);
}

#[test]
fn screen_80x24_with_a_merge_conflict_in_go_sum() {
    let (mut f, line) = demo_with_conflict(80, 24);
    let s = screen(&f);
    assert!(s.contains("⚠ 1 problem in project files (! to see)"), "{s}");
    insta::assert_snapshot!(s);
    f.send(Msg::ToggleFileProblems);
    let s = screen(&f);
    // The location as go prints it, the message wrapped inside the pop-up.
    assert!(
        s.contains(&format!(
            "/project/go.sum:{line}: malformed go.sum: wrong number of"
        )) && s.contains("│fields 2 "),
        "{s}"
    );
    insta::assert_snapshot!("file_problems_overlay_80x24", s);
}

#[test]
fn a_long_list_scrolls_to_its_last_problem() {
    let mut marker_lines = Vec::new();
    let mut f = demo_state_edited(80, 24, |layout| {
        let path = layout.project_dir.join("go.sum");
        let mut text = std::fs::read_to_string(&path).unwrap();
        for i in 0..30 {
            text.push_str(&format!("<<<<<<< HEAD~{i}\n"));
            marker_lines.push(text.lines().count());
        }
        std::fs::write(&path, text).unwrap();
    });
    assert_eq!(f.state.file_problems.len(), 30);
    f.send(Msg::ToggleFileProblems);
    let last = format!("go.sum:{}: malformed", marker_lines[29]);
    assert!(!screen(&f).contains(&last));
    f.send(Msg::End);
    let s = screen(&f);
    assert!(f.state.overlay_scroll > 0);
    // The heading (two rows at this width), then a blank row and two rows per problem: at
    // the end, the last row is the last one shown.
    assert!(s.contains(&last) && s.contains("–92/92 ┘"), "{s}");
}
