//! The hint bar follows the focused pane and the open overlay, from the key table.

use super::*;
use crate::tui::app_state::{Focus, Overlay};
use crate::tui::keymap::{Context, bindings, hints};

fn hint_row(f: &Fixture) -> String {
    screen_rows(f).last().unwrap().trim_end().to_string()
}

#[test]
fn the_hint_bar_follows_the_focused_pane_and_the_overlay() {
    let mut f = demo_state(120, 40);
    let list = hint_row(&f);
    assert!(
        list.starts_with("Tab focus  Enter zoom  / filter"),
        "{list}"
    );
    assert!(list.ends_with("? help  q quit"), "{list}");

    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, Focus::Detail);
    assert_eq!(
        hint_row(&f),
        "↓ scroll  End bottom  Tab focus  Enter zoom  X repair  y copy fix  ? help"
    );

    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, Focus::Tasks);
    let tasks = hint_row(&f);
    assert!(
        tasks.contains("↓ next task")
            && tasks.contains("Enter log")
            && tasks.contains("c cancel")
            && tasks.contains("x clear finished"),
        "{tasks}"
    );

    f.send(Msg::FocusNext);
    f.send(Msg::ToggleTree);
    assert_eq!(
        hint_row(&f),
        "/ filter  → expand  ← collapse  Enter select  Esc close  ? help"
    );
    f.send(Msg::ToggleTree);

    f.send(Msg::ToggleHelp);
    assert_eq!(hint_row(&f), "↓ scroll  End bottom  Esc close");
    f.send(Msg::ToggleHelp);

    f.send(Msg::ToggleOffline);
    assert_eq!(hint_row(&f), "↓ scroll  End bottom  e export  Esc close");
    f.send(Msg::ToggleOffline);

    f.state.overlay = Some(Overlay::ConfirmTidy {
        diff: vec!["+x".into()],
    });
    assert_eq!(hint_row(&f), "↓ scroll  y apply  n cancel");
    f.send(Msg::ConfirmNo);

    f.send(Msg::StartExport);
    assert_eq!(hint_row(&f), "Enter export  Ctrl-U clear  Esc cancel");
    f.send(Msg::CloseOverlay);

    f.send(Msg::StartFilter);
    f.send(Msg::FilterInput('x'));
    assert_eq!(hint_row(&f), "/x   Enter keep  Esc clear");
}

#[test]
fn every_hint_is_a_binding_of_its_context_and_help_stays_in_reach() {
    for context in [
        Context::List,
        Context::Tree,
        Context::Detail,
        Context::Tasks,
        Context::Help,
        Context::Offline,
        Context::FileProblems,
        Context::ConfirmTidy,
        Context::ExportPrompt,
        Context::TaskLog,
        Context::Filter,
    ] {
        let shown = hints(context);
        assert!(!shown.is_empty(), "{context:?} has no hint");
        for (b, _) in &shown {
            assert!(
                b.contexts.contains(&context),
                "{:?} hinted in {context:?}",
                b.msg
            );
        }
    }
    // At the 80-column minimum the list's hints still end with help, whatever else fits.
    let f = demo_state(80, 24);
    assert!(hint_row(&f).ends_with("? help"), "{}", hint_row(&f));
    assert!(
        bindings()
            .iter()
            .any(|b| b.hint_in(Context::List) == Some("help"))
    );
}
