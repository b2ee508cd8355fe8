use super::*;
use crate::tui::keymap::{Context, bindings, translate};
use crate::tui::layout::Areas;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn areas(f: &Fixture) -> Areas {
    Areas::compute(f.state.width, f.state.height, &f.state)
}

#[test]
fn every_user_action_has_a_key_and_every_key_is_in_help() {
    let bound: Vec<Msg> = bindings().into_iter().map(|b| b.msg).collect();
    for msg in [
        Msg::MoveUp,
        Msg::MoveDown,
        Msg::PageUp,
        Msg::PageDown,
        Msg::Home,
        Msg::End,
        Msg::FocusNext,
        Msg::OpenDetail,
        Msg::StartFilter,
        Msg::CycleStatusFilter,
        Msg::CycleSort,
        Msg::CloseOverlay,
        Msg::DownloadSelected,
        Msg::DownloadMissing,
        Msg::VerifySelected,
        Msg::VerifyAll,
        Msg::Tidy,
        Msg::UndoTidy,
        Msg::CancelSelectedJob,
        Msg::Rescan,
        Msg::ToggleHelp,
        Msg::Quit,
        Msg::ToggleTree,
        Msg::ToggleOffline,
        Msg::ToggleFileProblems,
    ] {
        assert!(bound.contains(&msg), "{msg:?} has no key");
    }
    // Within one context, a key does one thing.
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
        let mut keys: Vec<_> = bindings()
            .into_iter()
            .filter(|b| b.contexts.contains(&context))
            .flat_map(|b| b.keys)
            .collect();
        let n = keys.len();
        keys.sort_by_key(|k| format!("{k:?}"));
        keys.dedup();
        assert_eq!(keys.len(), n, "a key bound twice in {context:?}");
    }
    assert!(
        bindings()
            .iter()
            .all(|b| !b.description.is_empty() && !b.label.is_empty())
    );
}

#[test]
fn keys_translate_by_mode() {
    let mut f = demo_state(120, 40);
    let a = areas(&f);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('d')), &a),
        Some(Msg::DownloadSelected)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('D')), &a),
        Some(Msg::DownloadMissing)
    );
    assert_eq!(
        translate(
            &f.state,
            &Event::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            &a
        ),
        Some(Msg::End)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('j')), &a),
        Some(Msg::MoveDown)
    );
    let release = Event::Key(KeyEvent::new_with_kind(
        KeyCode::Char('d'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ));
    assert_eq!(
        translate(&f.state, &release, &a),
        None,
        "key releases never fire twice"
    );
    f.send(Msg::StartFilter);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('d')), &a),
        Some(Msg::FilterInput('d'))
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('q')), &a),
        Some(Msg::FilterInput('q')),
        "typing q filters, it does not quit"
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Esc), &a),
        Some(Msg::FilterClear)
    );
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(
        translate(&f.state, &ctrl_c, &a),
        Some(Msg::Quit),
        "Ctrl-C always quits"
    );
    f.send(Msg::FilterClear);
    f.send(Msg::StartExport);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('q')), &a),
        Some(Msg::ExportInput('q')),
        "the export prompt takes every letter"
    );
    assert_eq!(
        translate(
            &f.state,
            &Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            &a
        ),
        Some(Msg::ExportClear)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Enter), &a),
        Some(Msg::ExportConfirm)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Esc), &a),
        Some(Msg::CloseOverlay)
    );
    f.send(Msg::CloseOverlay);
    f.send(Msg::ToggleOffline);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('e')), &a),
        Some(Msg::StartExport),
        "e exports from the offline view"
    );
    f.send(Msg::ToggleOffline);
    f.send(Msg::ToggleHelp);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('q')), &a),
        Some(Msg::ToggleHelp),
        "q closes help first"
    );
}

#[test]
fn mouse_clicks_hit_the_row_drawn_there() {
    let f = demo_state(120, 40);
    let a = areas(&f);
    let click = |row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 0 of data is under the top border and the column header.
    assert_eq!(
        translate(&f.state, &click(a.list.y + 2), &a),
        Some(Msg::ClickRow(0))
    );
    assert_eq!(
        translate(&f.state, &click(a.list.y + 4), &a),
        Some(Msg::ClickRow(2))
    );
    assert_eq!(translate(&f.state, &click(a.list.y), &a), None);
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 0,
        row: 0,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(translate(&f.state, &wheel, &a), Some(Msg::ScrollDown));
}

#[test]
fn tree_mode_keys() {
    let mut f = demo_state(120, 40);
    let a = areas(&f);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Char('T')), &a),
        Some(Msg::ToggleTree)
    );
    f.send(Msg::ToggleTree);
    assert_eq!(
        translate(&f.state, &press(KeyCode::Right), &a),
        Some(Msg::TreeExpand)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Left), &a),
        Some(Msg::TreeCollapse)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Enter), &a),
        Some(Msg::TreeJump)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Esc), &a),
        Some(Msg::ToggleTree)
    );
    assert_eq!(
        translate(&f.state, &press(KeyCode::Down), &a),
        Some(Msg::MoveDown)
    );
}
