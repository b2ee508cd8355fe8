//! One view at a time in the list's place: the cache view, the proxy view and the tree replace
//! each other (from the task pane, where all three keys work), and Esc goes back to the list.

use super::*;
use crate::tui::app_state::{Focus, ListArea};
use crate::tui::effect::Effect;
use crate::tui::keymap::{Context, translate};
use crate::tui::layout::Areas;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// Presses `code` as the terminal would: through the keymap of the state as it is.
fn key(f: &mut Fixture, code: KeyCode) -> Vec<Effect> {
    let areas = Areas::compute(f.state.width, f.state.height, &f.state);
    let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let msg = translate(&f.state, &event, &areas)
        .unwrap_or_else(|| panic!("{code:?} does nothing in {:?}", Context::of(&f.state)));
    f.send(msg)
}

fn cancels(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::CancelJob(_)))
}

#[test]
fn p_from_the_task_pane_replaces_the_cache_view_and_esc_returns_to_the_list() {
    let mut f = demo_state(100, 30);
    assert!(!f.state.tasks.is_empty(), "Tab needs a task to focus");
    key(&mut f, KeyCode::Char('C'));
    assert_eq!(f.state.list_area, ListArea::Cache);
    let scan = f.state.cache.scanning.as_ref().map(|s| s.job);
    assert!(scan.is_some());
    key(&mut f, KeyCode::Tab);
    assert_eq!(f.state.focus, Focus::Tasks);
    let effects = key(&mut f, KeyCode::Char('P'));
    assert_eq!(f.state.list_area, ListArea::Proxy);
    assert_eq!(Context::of(&f.state), Context::Proxy);
    assert!(screen_rows(&f).iter().any(|r| r.contains(" Proxy check ")));
    // The cache scan is not the proxy's to cancel: it goes on, as when P opens over the list.
    assert!(!cancels(&effects), "{effects:?}");
    assert_eq!(f.state.cache.scanning.as_ref().map(|s| s.job), scan);
    // One Esc closes the proxy view, and the list (not the cache view) is back.
    key(&mut f, KeyCode::Esc);
    assert_eq!(f.state.list_area, ListArea::Modules);
    assert_eq!(Context::of(&f.state), Context::List);
    let areas = Areas::compute(f.state.width, f.state.height, &f.state);
    assert!(
        areas.detail.height > 2,
        "the detail pane is back beside the list"
    );
}

#[test]
fn t_from_the_task_pane_replaces_the_proxy_view_and_esc_returns_to_the_list() {
    let mut f = demo_state(100, 30);
    key(&mut f, KeyCode::Char('P'));
    assert_eq!(f.state.list_area, ListArea::Proxy);
    key(&mut f, KeyCode::Tab);
    assert_eq!(f.state.focus, Focus::Tasks);
    let proxy_check = f.state.proxy.running;
    assert!(proxy_check.is_some());
    let effects = key(&mut f, KeyCode::Char('T'));
    assert!(matches!(f.state.list_area, ListArea::Tree(_)));
    assert_eq!(Context::of(&f.state), Context::Tree);
    assert!(!cancels(&effects), "{effects:?}");
    assert_eq!(f.state.proxy.running, proxy_check, "the check goes on");
    // The tree shares the screen with the detail pane, as over the list.
    let areas = Areas::compute(f.state.width, f.state.height, &f.state);
    assert!(areas.detail.height > 2);
    assert_eq!(f.state.list_rows, areas.list_rows().max(1));
    key(&mut f, KeyCode::Esc);
    assert_eq!(f.state.list_area, ListArea::Modules);
    assert_eq!(Context::of(&f.state), Context::List);
}
