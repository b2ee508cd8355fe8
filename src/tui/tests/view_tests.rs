use super::*;
use crate::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The screen as text, with the demo's random temporary directory replaced by a placeholder of
/// the same length (so the layout is unchanged).
pub(super) fn screen(f: &Fixture) -> String {
    let mut t = Terminal::new(TestBackend::new(f.state.width, f.state.height)).unwrap();
    t.draw(|frame| view(&f.state, frame)).unwrap();
    let tmp = f.tmp.path().display().to_string();
    let placeholder: String = "/tmp/"
        .chars()
        .chain(std::iter::repeat('X'))
        .take(tmp.chars().count())
        .collect();
    let mut text = t.backend().to_string().replace(&tmp, &placeholder);
    // A path cut by an overlay shows only the start of the directory's random name: that
    // start gets the placeholder's start.
    for len in (1..tmp.len()).rev().filter(|&n| n > "/tmp/".len()) {
        text = text.replace(&tmp[..len], &placeholder[..len]);
    }
    text
}

#[test]
fn main_view_80x24() {
    let f = demo_state(80, 24);
    let s = screen(&f);
    assert!(
        s.contains("✗ mismatch") && s.contains("Modules 23/23") && s.contains("23 …"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn main_view_120x40_with_a_mismatch_detail() {
    let mut f = demo_state(120, 40);
    f.select("github.com/google/uuid");
    let s = screen(&f);
    assert!(
        s.contains("extracted-files-modified") && s.contains("dir has been modified"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    // Enter gives the detail the whole height: every hash side by side, the odd one marked.
    f.send(Msg::OpenDetail);
    let full = screen(&f);
    assert!(
        full.contains("✗ tree (now)")
            && full.contains("✓ .ziphash")
            && full.contains("✓ zip (now)"),
        "{full}"
    );
    insta::assert_snapshot!("mismatch_detail_maximized", full);
}

#[test]
fn help_overlay_lists_every_binding() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ToggleHelp);
    let mut seen = screen(&f);
    insta::assert_snapshot!(seen.clone());
    // What does not fit is a page or more down.
    for _ in 0..6 {
        f.send(Msg::PageDown);
        seen.push_str(&screen(&f));
    }
    for b in crate::tui::keymap::bindings() {
        assert!(
            seen.contains(b.description),
            "help lacks {:?}",
            b.description
        );
    }
}

#[test]
fn task_pane_shows_command_state_and_progress() {
    let mut f = demo_state(120, 40);
    f.select("github.com/sirupsen/logrus");
    let crate::tui::effect::Effect::RunGo { id, .. } = f.send(Msg::DownloadSelected).remove(0)
    else {
        panic!()
    };
    f.send(Msg::Job(
        id,
        crate::jobs::JobEvent::Started {
            command_line: String::new(),
        },
    ));
    f.send(Msg::Job(
        id,
        crate::jobs::JobEvent::Progress { done: 0, total: 1 },
    ));
    f.send(Msg::Job(
        id,
        crate::jobs::JobEvent::Output {
            stream: crate::jobs::OutputStream::Stderr,
            line: "go: downloading github.com/sirupsen/logrus v1.9.3".into(),
        },
    ));
    let s = screen(&f);
    assert!(
        s.contains("go mod download -json github.com/sirupsen/logrus@v1.9.3")
            && s.contains("0/1")
            && s.contains("running"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn narrow_terminal_and_empty_filter_result_still_render() {
    let mut f = demo_state(80, 24);
    f.send(Msg::StartFilter);
    for c in "zzz".chars() {
        f.send(Msg::FilterInput(c));
    }
    let s = screen(&f);
    assert!(
        s.contains("no module matches the filter") && s.contains("/zzz"),
        "{s}"
    );
    let mut tiny = demo_state(20, 6);
    tiny.send(Msg::ToggleHelp);
    let _ = screen(&tiny);
}

#[test]
fn tree_view_120x40() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ToggleTree);
    f.send(Msg::MoveDown);
    f.send(Msg::TreeExpand);
    let s = screen(&f);
    assert!(
        s.contains("Dependency tree") && s.contains("▾ github.com/acme/inventory"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn offline_badge_and_overlay() {
    let mut f = demo_state(120, 40);
    let s = screen(&f);
    assert!(s.contains("offline:") && s.contains("blockers (o)"), "{s}");
    f.send(Msg::ToggleOffline);
    let s = screen(&f);
    assert!(
        s.contains("Offline readiness")
            && s.contains("module-not-downloaded")
            && s.contains("go mod download github.com/sirupsen/logrus@v1.9.3"),
        "{s}"
    );
}

#[test]
fn export_prompt_keeps_the_end_of_a_long_path_in_view() {
    let mut f = demo_state(80, 24);
    f.send(Msg::StartExport);
    f.send(Msg::ExportClear);
    let long = format!("/{}/the-end", "very-long-directory-name/".repeat(8));
    for c in long.chars() {
        f.send(Msg::ExportInput(c));
    }
    let s = screen(&f);
    assert!(
        s.contains("Export offline bundle") && s.contains("/the-end▏") && s.contains('…'),
        "{s}"
    );
    // The narrowest terminal still draws it.
    f.send(Msg::Resize {
        width: 4,
        height: 3,
    });
    screen(&f);
}
