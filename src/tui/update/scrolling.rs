//! Moving and scrolling: the arrows, pages, Home and End move the selection in the list, the
//! tree and the task pane, and scroll the detail pane and the overlays, which stop at their
//! last line.

use super::super::app_state::{AppState, Focus, ListArea};
use super::super::view::scroll::{Scrolled, scrolled};

#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    Lines(isize),
    Pages(isize),
    First,
    Last,
}

pub(super) fn step(state: &mut AppState, step: Step) {
    let Some((what, extent)) = scrolled(state) else {
        let page = state.list_rows.max(1) as isize;
        let delta = match step {
            Step::Lines(n) => n,
            Step::Pages(n) => n * page,
            Step::First => isize::MIN / 2,
            Step::Last => isize::MAX / 2,
        };
        return move_by(state, delta);
    };
    let current = match what {
        Scrolled::Detail => state.detail_scroll,
        Scrolled::Overlay => state.overlay_scroll,
    };
    let current = usize::from(current).min(extent.max_offset()) as isize;
    let target = match step {
        Step::Lines(n) => current.saturating_add(n),
        // A page keeps one line of the last page in view.
        Step::Pages(n) => current.saturating_add(n * (extent.rows.max(2) - 1) as isize),
        Step::First => 0,
        Step::Last => extent.max_offset() as isize,
    };
    let offset = target.clamp(0, extent.max_offset() as isize);
    let offset = u16::try_from(offset).unwrap_or(u16::MAX);
    match what {
        Scrolled::Detail => state.detail_scroll = offset,
        Scrolled::Overlay => state.overlay_scroll = offset,
    }
}

pub(super) fn move_by(state: &mut AppState, delta: isize) {
    match (&state.list_area, state.focus) {
        (_, Focus::Tasks) => {}
        (ListArea::Cache, _) => {
            let rows = super::geometry::cache_window(state);
            let view = &mut state.cache;
            view.cursor = crate::tui::list_window::moved(view.cursor, delta, view.rows.len());
            view.scroll_to_cursor(rows);
            return;
        }
        (ListArea::Proxy, _) => {
            let rows = super::geometry::proxy_window(state);
            state.proxy.move_by(delta, rows);
            return;
        }
        _ => {}
    }
    if let (ListArea::Tree(tree), Focus::List) = (&mut state.list_area, state.focus) {
        let last = tree.rows.len().saturating_sub(1) as isize;
        tree.cursor = (tree.cursor as isize)
            .saturating_add(delta)
            .clamp(0, last.max(0)) as usize;
        let rows = state.list_rows.max(1);
        if tree.cursor < tree.offset {
            tree.offset = tree.cursor;
        } else if tree.cursor >= tree.offset + rows {
            tree.offset = tree.cursor + 1 - rows;
        }
        return;
    }
    match state.focus {
        Focus::List => {
            let last = state.visible.len().saturating_sub(1) as isize;
            state.selected = (state.selected as isize)
                .saturating_add(delta)
                .clamp(0, last.max(0)) as usize;
            state.detail_scroll = 0;
            state.scroll_to_selected();
        }
        // The detail pane scrolls (`step`), with its extent known.
        Focus::Detail => {}
        Focus::Tasks => {
            let last = state.tasks.len().saturating_sub(1) as isize;
            state.selected_task = (state.selected_task as isize)
                .saturating_add(delta)
                .clamp(0, last.max(0)) as usize;
        }
    }
}
