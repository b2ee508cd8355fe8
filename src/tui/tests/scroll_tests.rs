//! The detail pane and every overlay scroll to their last line and no further, show where they
//! are, and take Home/End and pages; help fits 80×24 by scrolling.

use super::*;
use crate::tui::app_state::{Focus, Overlay};
use crate::tui::keymap::bindings;

/// The position label ("12–30/54") in the bottom border of a pane, as (first, last, total).
fn position(row: &str) -> Option<(usize, usize, usize)> {
    let label = row.split_whitespace().find(|w| w.contains('–'))?;
    let (range, total) = label.split_once('/')?;
    let (first, last) = range.split_once('–')?;
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}

/// The bottom border row of the pop-up or pane whose top border holds `title`: the first row
/// below with a `└` under its `┌`.
fn bottom_border_below(rows: &[String], title: &str) -> String {
    let top = rows.iter().position(|r| r.contains(title)).expect(title);
    let chars: Vec<char> = rows[top].chars().collect();
    let at = rows[top].split(title).next().unwrap().chars().count();
    let corner = (0..=at.min(chars.len() - 1))
        .rev()
        .find(|&i| chars[i] == '┌')
        .unwrap();
    rows[top + 1..]
        .iter()
        .find(|r| r.chars().nth(corner) == Some('└'))
        .cloned()
        .unwrap()
}

#[test]
fn help_at_80x24_scrolls_to_its_last_line_and_shows_where_it_is() {
    let mut f = demo_state(80, 24);
    f.send(Msg::ToggleHelp);
    let rows = screen_rows(&f);
    let (first, last, total) = position(&bottom_border_below(&rows, " Keys ")).unwrap();
    assert_eq!(first, 1);
    assert!(last < total, "help is longer than 80×24 shows");
    let mut seen = rows.join("\n");
    // Down a line, a page, then to the end: each moves, and the end is the last line.
    f.send(Msg::MoveDown);
    assert_eq!(f.state.overlay_scroll, 1);
    f.send(Msg::PageDown);
    assert!(f.state.overlay_scroll > 10);
    seen.push_str(&screen_rows(&f).join("\n"));
    // Page by page to the end: every line is seen once on the way.
    loop {
        let before = f.state.overlay_scroll;
        f.send(Msg::PageDown);
        seen.push_str(&screen_rows(&f).join("\n"));
        if f.state.overlay_scroll == before {
            break;
        }
    }
    f.send(Msg::Home);
    f.send(Msg::End);
    let rows = screen_rows(&f);
    seen.push_str(&rows.join("\n"));
    let (_, last, total_at_end) = position(&bottom_border_below(&rows, " Keys ")).unwrap();
    assert_eq!((last, total_at_end), (total, total));
    assert!(
        rows.iter()
            .any(|r| r.contains("Mouse: a click selects a row")),
        "{rows:#?}"
    );
    let at_end = f.state.overlay_scroll;
    f.send(Msg::MoveDown);
    f.send(Msg::PageDown);
    assert_eq!(
        f.state.overlay_scroll, at_end,
        "no scrolling past the last line"
    );
    for b in bindings() {
        assert!(
            seen.contains(b.description),
            "help lacks {:?}",
            b.description
        );
    }
    f.send(Msg::Home);
    assert_eq!(f.state.overlay_scroll, 0);
    f.send(Msg::ToggleHelp);
    assert_eq!(f.state.overlay, None);
}

#[test]
fn the_detail_pane_stops_at_its_last_line_and_takes_home_and_end() {
    let mut f = demo_state(80, 24);
    f.select("github.com/google/uuid");
    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, Focus::Detail);
    let rows = screen_rows(&f);
    let (first, last, total) = position(&bottom_border_below(&rows, "┌ Detail")).unwrap();
    assert_eq!(first, 1);
    let shown = last;
    f.send(Msg::End);
    let rows = screen_rows(&f);
    let border = bottom_border_below(&rows, "┌ Detail");
    assert_eq!(
        position(&border),
        Some((total - shown + 1, total, total)),
        "{border}"
    );
    let border_row = rows.iter().position(|r| *r == border).unwrap();
    let go_mod_h1 = f
        .state
        .selected_module()
        .unwrap()
        .go_sum
        .go_mod_h1
        .clone()
        .unwrap();
    assert!(
        rows[border_row - 1].contains(&go_mod_h1),
        "the last line (go.sum's /go.mod line) is on the last row: {rows:#?}"
    );
    let at_end = f.state.detail_scroll;
    for _ in 0..5 {
        f.send(Msg::MoveDown);
    }
    f.send(Msg::PageDown);
    assert_eq!(
        f.state.detail_scroll, at_end,
        "no scrolling into an empty box"
    );
    f.send(Msg::PageUp);
    assert_eq!(
        usize::from(at_end - f.state.detail_scroll),
        shown - 1,
        "a page keeps one line in view"
    );
    f.send(Msg::Home);
    assert_eq!(f.state.detail_scroll, 0);
    // The wheel stops at the end too.
    for _ in 0..50 {
        f.send(Msg::ScrollDown);
    }
    assert_eq!(f.state.detail_scroll, at_end);
}

#[test]
fn the_offline_and_tidy_overlays_stop_at_their_last_line() {
    let mut f = demo_state(80, 24);
    f.send(Msg::Resize {
        width: 80,
        height: 14,
    });
    f.send(Msg::ToggleOffline);
    for _ in 0..100 {
        f.send(Msg::ScrollDown);
    }
    let rows = screen_rows(&f);
    let (_, last, total) = position(&bottom_border_below(&rows, "Offline readiness"))
        .expect("the offline view scrolls");
    assert_eq!(last, total);
    let at_end = f.state.overlay_scroll;
    f.send(Msg::End);
    assert_eq!(f.state.overlay_scroll, at_end);
    f.send(Msg::ToggleOffline);

    f.state.overlay = Some(Overlay::ConfirmTidy {
        diff: (0..60).map(|i| format!("+line {i}")).collect(),
    });
    f.state.overlay_scroll = 0;
    f.send(Msg::End);
    let rows = screen_rows(&f);
    let border = bottom_border_below(&rows, "go mod tidy would change");
    let (_, last, total) = position(&border).unwrap();
    assert_eq!((last, total), (60, 60));
    let border_row = rows.iter().position(|r| *r == border).unwrap();
    assert!(rows[border_row - 1].contains("+line 59"), "{rows:#?}");
}
