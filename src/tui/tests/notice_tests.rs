//! Notices go away by themselves (a one-shot wake-up, no idle tick) or at the next key, and
//! never take the key hints' place.

use super::*;
use crate::tui::effect::Effect;
use crate::tui::notice::NOTICE_FOR;
use std::time::Duration;

#[test]
fn a_notice_asks_for_one_wake_up_and_is_gone_when_it_comes() {
    let mut f = demo_state(80, 24);
    let effects = f.send(Msg::Rescan);
    let until = f.t0 + NOTICE_FOR;
    assert!(effects.contains(&Effect::WakeAt(until)), "{effects:?}");
    assert_eq!(f.state.notice_text(), Some("rescanning…"));
    // Asked for once: the ticks of later batches do not ask again.
    assert!(f.send(Msg::Tick(f.t0 + Duration::from_secs(1))).is_empty());
    assert_eq!(f.state.notice_text(), Some("rescanning…"));
    f.state.dirty = false;
    f.send(Msg::Tick(until));
    assert_eq!(f.state.notice_text(), None);
    assert!(f.state.dirty, "the frame without the notice is drawn");
}

#[test]
fn the_next_key_clears_a_notice_but_a_job_event_does_not() {
    let mut f = demo_state(80, 24);
    f.send(Msg::Rescan);
    f.send(Msg::Job(
        1,
        crate::jobs::JobEvent::Progress { done: 1, total: 2 },
    ));
    assert_eq!(f.state.notice_text(), Some("rescanning…"));
    f.send(Msg::MoveDown);
    assert_eq!(f.state.notice_text(), None);
    // A key whose answer is a notice shows the new one.
    f.send(Msg::UndoTidy);
    assert_eq!(
        f.state.notice_text(),
        Some("no tidy to undo in this session")
    );
}

#[test]
fn a_long_notice_never_pushes_the_key_hints_off_screen() {
    let mut f = demo_state(80, 24);
    let hints = screen_rows(&f)[23].clone();
    assert!(hints.starts_with("Tab focus"), "{hints}");
    let list_rows = f.state.list_rows;
    f.state
        .say("download failed: ".to_string() + &"x".repeat(200));
    f.send(Msg::Tick(f.t0));
    let screen = screen_rows(&f);
    assert_eq!(screen[23], hints, "the hints keep the last row");
    assert!(
        screen[22].starts_with("download failed: xxx") && screen[22].ends_with("x…"),
        "{}",
        screen[22]
    );
    assert_eq!(
        f.state.list_rows, list_rows,
        "the row comes from the detail pane, not the list"
    );
    f.send(Msg::MoveDown);
    assert_eq!(screen_rows(&f)[23], hints);
}
