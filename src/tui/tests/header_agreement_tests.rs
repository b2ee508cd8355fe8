//! The header's counts and the list's rows agree in every state: generated module lists (every
//! status, graph-only or required, with and without problems), under every status filter, drawn
//! on a wide test terminal and read back from the screen.

use super::super::app_state::{AppState, StatusFilter};
use super::super::message::Msg;
use super::super::update::update;
use super::super::view::view;
use gomodcache::analysis::classify::new_report;
use gomodcache::analysis::problems::{Problem, ProblemKind};
use gomodcache::analysis::report::{ModuleReport, Status};
use gomodcache::project::requirements::Requirement;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

fn module(i: usize, status: Status, graph_only: bool, broken: bool) -> ModuleReport {
    let mut m = new_report(&Requirement {
        path: format!("example.com/m{i:03}"),
        version: "v1.0.0".into(),
        indirect: graph_only,
        required_by: Vec::new(),
        graph_only,
        replacement: None,
    });
    m.status = status;
    let kind = match status {
        Status::Missing => Some(ProblemKind::NotInCache),
        Status::Mismatch => Some(ProblemKind::ZipModified),
        Status::ReplacedLocal if broken => Some(ProblemKind::ReplaceDirMissing),
        _ => None,
    };
    m.problems = kind
        .map(|k| vec![Problem::new(k, "generated", None)])
        .unwrap_or_default();
    m
}

fn status_strategy() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

/// The number the header's third line shows before `word` (e.g. `3` in `○ 3 missing`); `None`
/// when the header does not show that status.
fn header_count(line: &str, word: &str) -> Option<usize> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[1] == word)
        .and_then(|w| w[0].parse().ok())
}

fn screen(state: &AppState) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(200, 60)).unwrap();
    t.draw(|f| view(state, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn header_counts_agree_with_the_rows(
        rows in prop::collection::vec((status_strategy(), any::<bool>(), any::<bool>()), 0..40),
        filter_steps in 0usize..8,
    ) {
        let mut state = AppState::new(
            "/p".into(), "/c".into(), Vec::new(), false, Instant::now(),
        );
        state.color = false;
        update(&mut state, Msg::Resize { width: 200, height: 60 });
        state.scanning = false;
        state.modules = rows
            .iter()
            .enumerate()
            .map(|(i, &(s, g, b))| module(i, s, g, b))
            .collect();
        state.recompute_visible();
        for _ in 0..filter_steps {
            update(&mut state, Msg::CycleStatusFilter);
        }
        let lines = screen(&state);
        let header = &lines[2];
        let rows = &state.modules;
        for status in Status::ALL {
            let word = match status {
                Status::ReplacedLocal => "replaced",
                other => other.as_str(),
            };
            let actual = rows.iter().filter(|m| m.status == status).count();
            let shown = header_count(header, word).unwrap_or(0);
            prop_assert_eq!(shown, actual, "{:?} in {:?}", status, header);
        }
        let broken = rows
            .iter()
            .filter(|m| m.status == Status::ReplacedLocal && m.is_unhealthy())
            .count();
        prop_assert_eq!(header.contains(&format!("({broken} broken)")), broken > 0, "{}", header);
        prop_assert_eq!(header_count(header, "modules"), Some(rows.len()), "{}", header);
        // The list's title: visible rows of all rows, and exactly the filter's rows.
        let title = format!("Modules {}/{}", state.visible.len(), rows.len());
        prop_assert!(lines[3].contains(&title), "{} not in {}", title, lines[3]);
        let expected = match state.status_filter {
            StatusFilter::All => rows.len(),
            StatusFilter::Problems => rows.iter().filter(|m| !m.problems.is_empty()).count(),
            StatusFilter::Only(s) => rows.iter().filter(|m| m.status == s).count(),
        };
        prop_assert_eq!(state.visible.len(), expected);
    }
}
