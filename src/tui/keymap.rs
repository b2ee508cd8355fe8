//! Keys as data: one table feeds key translation, the help overlay and the status-bar hints.

use super::app_state::{AppState, Overlay};
use super::layout::Areas;
use super::message::Msg;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    /// How the keys are written in help and hints.
    pub label: &'static str,
    pub msg: Msg,
    pub description: &'static str,
    pub group: &'static str,
    /// Short text for the status bar; bindings without one only appear in help.
    pub hint: Option<&'static str>,
}

fn bind(
    keys: &[Key],
    label: &'static str,
    msg: Msg,
    group: &'static str,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys: keys.to_vec(),
        label,
        msg,
        description,
        group,
        hint,
    }
}

/// Every binding of the main screen, in help order.
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    vec![
        bind(
            &[key(Up), ch('k')],
            "↑/k",
            Msg::MoveUp,
            "Move",
            "previous row",
            None,
        ),
        bind(
            &[key(Down), ch('j')],
            "↓/j",
            Msg::MoveDown,
            "Move",
            "next row",
            None,
        ),
        bind(&[key(PageUp)], "PgUp", Msg::PageUp, "Move", "page up", None),
        bind(
            &[key(PageDown)],
            "PgDn",
            Msg::PageDown,
            "Move",
            "page down",
            None,
        ),
        bind(
            &[key(Home), ch('g')],
            "Home/g",
            Msg::Home,
            "Move",
            "first row",
            None,
        ),
        bind(
            &[key(End), ch('G')],
            "End/G",
            Msg::End,
            "Move",
            "last row",
            None,
        ),
        bind(
            &[key(Tab)],
            "Tab",
            Msg::FocusNext,
            "Move",
            "focus list → detail → tasks",
            Some("focus"),
        ),
        bind(
            &[key(Enter)],
            "Enter",
            Msg::OpenDetail,
            "Move",
            "open / close the detail pane full height",
            Some("details"),
        ),
        bind(
            &[ch('T')],
            "T",
            Msg::ToggleTree,
            "Move",
            "dependency tree: → expand, ← collapse, Enter selects",
            Some("tree"),
        ),
        bind(
            &[ch('/')],
            "/",
            Msg::StartFilter,
            "Filter",
            "filter by text (Enter keeps, Esc clears)",
            Some("filter"),
        ),
        bind(
            &[ch('f')],
            "f",
            Msg::CycleStatusFilter,
            "Filter",
            "status filter: all, problems, each status",
            Some("status"),
        ),
        bind(
            &[ch('s')],
            "s",
            Msg::CycleSort,
            "Filter",
            "sort by status, path, size",
            None,
        ),
        bind(
            &[key(Esc)],
            "Esc",
            Msg::CloseOverlay,
            "Filter",
            "clear the filter / close an overlay",
            None,
        ),
        bind(
            &[ch('d')],
            "d",
            Msg::DownloadSelected,
            "Jobs",
            "download the selected module (go mod download -json)",
            Some("download"),
        ),
        bind(
            &[ch('D')],
            "D",
            Msg::DownloadMissing,
            "Jobs",
            "download every missing module",
            None,
        ),
        bind(
            &[ch('v')],
            "v",
            Msg::VerifySelected,
            "Jobs",
            "verify the selected module (re-hash in-process)",
            Some("verify"),
        ),
        bind(
            &[ch('V')],
            "V",
            Msg::VerifyAll,
            "Jobs",
            "verify every module",
            None,
        ),
        bind(
            &[ch('R')],
            "R",
            Msg::RehashAll,
            "Jobs",
            "verify every module, ignoring the verify memo",
            None,
        ),
        bind(
            &[ch('t')],
            "t",
            Msg::Tidy,
            "Jobs",
            "go mod tidy: show the diff, confirm, back up, apply",
            Some("tidy"),
        ),
        bind(
            &[ch('u')],
            "u",
            Msg::UndoTidy,
            "Jobs",
            "undo the last tidy (restore go.mod/go.sum)",
            None,
        ),
        bind(
            &[ch('e')],
            "e",
            Msg::StartExport,
            "Jobs",
            "export an offline bundle: a file:// GOPROXY for the build",
            None,
        ),
        bind(
            &[ch('c')],
            "c",
            Msg::CancelSelectedJob,
            "Jobs",
            "cancel the selected job",
            None,
        ),
        bind(
            &[ch('r')],
            "r",
            Msg::Rescan,
            "Jobs",
            "rescan the project and the cache",
            None,
        ),
        bind(
            &[ch('o')],
            "o",
            Msg::ToggleOffline,
            "Screen",
            "offline readiness: what blocks GOPROXY=off go build ./...",
            Some("offline"),
        ),
        bind(
            &[ch('?')],
            "?",
            Msg::ToggleHelp,
            "Screen",
            "this help",
            Some("help"),
        ),
        bind(
            &[
                ch('q'),
                Key {
                    code: Char('c'),
                    mods: KeyModifiers::CONTROL,
                },
            ],
            "q/Ctrl-C",
            Msg::Quit,
            "Screen",
            "quit (cancels every job)",
            Some("quit"),
        ),
    ]
}

fn matches(k: &Key, ev: &KeyEvent) -> bool {
    // Shifted letters arrive as upper-case chars, with or without SHIFT reported.
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    k.code == ev.code && k.mods == mods
}

fn is_ctrl_c(ev: &KeyEvent) -> bool {
    ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL)
}

/// Translates a terminal event into a message, given the mode the UI is in.
pub fn translate(state: &AppState, event: &Event, areas: &Areas) -> Option<Msg> {
    match event {
        Event::Key(ev) if ev.is_press() || ev.is_repeat() => translate_key(state, ev),
        Event::Resize(width, height) => Some(Msg::Resize {
            width: *width,
            height: *height,
        }),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Msg::ScrollUp),
            MouseEventKind::ScrollDown => Some(Msg::ScrollDown),
            MouseEventKind::Down(MouseButton::Left) => {
                areas.list_row_at(m.column, m.row).map(Msg::ClickRow)
            }
            _ => None,
        },
        _ => None,
    }
}

fn translate_key(state: &AppState, ev: &KeyEvent) -> Option<Msg> {
    if is_ctrl_c(ev) {
        return Some(Msg::Quit);
    }
    if state.filter_editing {
        return match ev.code {
            KeyCode::Esc => Some(Msg::FilterClear),
            KeyCode::Enter => Some(Msg::FilterAccept),
            KeyCode::Backspace => Some(Msg::FilterBackspace),
            KeyCode::Char(c) => Some(Msg::FilterInput(c)),
            _ => None,
        };
    }
    match &state.overlay {
        Some(Overlay::ConfirmTidy { .. }) => {
            return match ev.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => Some(Msg::ConfirmYes),
                KeyCode::Char('n') | KeyCode::Esc | KeyCode::Char('q') => Some(Msg::ConfirmNo),
                KeyCode::Up | KeyCode::Char('k') => Some(Msg::ScrollUp),
                KeyCode::Down | KeyCode::Char('j') => Some(Msg::ScrollDown),
                _ => None,
            };
        }
        Some(Overlay::ExportPrompt { .. }) => {
            return match ev.code {
                KeyCode::Esc => Some(Msg::CloseOverlay),
                KeyCode::Enter => Some(Msg::ExportConfirm),
                KeyCode::Backspace => Some(Msg::ExportBackspace),
                KeyCode::Char('u') if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    Some(Msg::ExportClear)
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    Some(Msg::ExportInput(c))
                }
                _ => None,
            };
        }
        Some(Overlay::Help) => {
            return match ev.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => Some(Msg::ToggleHelp),
                _ => None,
            };
        }
        Some(Overlay::Offline) => {
            return match ev.code {
                KeyCode::Esc | KeyCode::Char('o') | KeyCode::Char('q') => Some(Msg::ToggleOffline),
                KeyCode::Char('e') => Some(Msg::StartExport),
                KeyCode::Up | KeyCode::Char('k') => Some(Msg::ScrollUp),
                KeyCode::Down | KeyCode::Char('j') => Some(Msg::ScrollDown),
                _ => None,
            };
        }
        None => {}
    }
    if state.tree.is_some() && state.focus == super::app_state::Focus::List {
        match ev.code {
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                return Some(Msg::TreeExpand);
            }
            KeyCode::Left | KeyCode::Char('h') => return Some(Msg::TreeCollapse),
            KeyCode::Enter => return Some(Msg::TreeJump),
            KeyCode::Esc => return Some(Msg::ToggleTree),
            _ => {}
        }
    }
    bindings()
        .into_iter()
        .find(|b| b.keys.iter().any(|k| matches(k, ev)))
        .map(|b| b.msg)
}
