//! Keys as data: one table (`table.rs`) feeds key translation, the help overlay and the hint
//! bar. Each binding says in which contexts (the focused pane, an open overlay, a text being
//! typed) it works and which hint it shows there.

mod table;

use super::app_state::{AppState, Focus, ListArea, Overlay};
use super::layout::Areas;
use super::message::Msg;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind,
};
pub use table::bindings;

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

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// Where the keys go: the focused pane, or what is open over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    List,
    /// The dependency tree, open in the list's place and focused.
    Tree,
    Detail,
    Tasks,
    Help,
    Offline,
    /// The problems in the project's files.
    FileProblems,
    ConfirmTidy,
    ConfirmRepair,
    ConfirmGoSumFix,
    ExportPrompt,
    /// A task's whole log.
    TaskLog,
    /// Typing the text filter.
    Filter,
    /// The cache view, open in the place of the list and focused.
    Cache,
    /// The prune of the cache view's marked versions, to confirm.
    ConfirmPrune,
    /// The proxy view, open in the place of the list and focused.
    Proxy,
}

impl Context {
    /// The context of the UI as it is now.
    pub fn of(state: &AppState) -> Context {
        if state.filter_editing
            || (state.list_area == ListArea::Cache && state.cache.filter_editing)
        {
            return Context::Filter;
        }
        match &state.overlay {
            Some(Overlay::Help) => return Context::Help,
            Some(Overlay::Offline) => return Context::Offline,
            Some(Overlay::FileProblems) => return Context::FileProblems,
            Some(Overlay::ConfirmTidy { .. }) => return Context::ConfirmTidy,
            Some(Overlay::ConfirmRepair { .. }) => return Context::ConfirmRepair,
            Some(Overlay::ConfirmGoSumFix { .. }) => return Context::ConfirmGoSumFix,
            Some(Overlay::ExportPrompt { .. }) => return Context::ExportPrompt,
            Some(Overlay::TaskLog { .. }) => return Context::TaskLog,
            Some(Overlay::ConfirmPrune { .. }) => return Context::ConfirmPrune,
            None => {}
        }
        match (state.focus, &state.list_area) {
            // The cache and proxy views cover the detail pane too: its focus is theirs.
            (Focus::List | Focus::Detail, ListArea::Proxy) => Context::Proxy,
            (Focus::List | Focus::Detail, ListArea::Cache) => Context::Cache,
            (Focus::List, ListArea::Tree(_)) => Context::Tree,
            (Focus::List, _) => Context::List,
            (Focus::Detail, _) => Context::Detail,
            (Focus::Tasks, _) => Context::Tasks,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    /// How the keys are written in help and hints.
    pub label: &'static str,
    pub msg: Msg,
    pub description: &'static str,
    pub group: &'static str,
    /// Where the keys do this.
    pub contexts: &'static [Context],
    /// Short text for the hint bar, in the contexts where the binding shows one.
    pub hints: &'static [(Context, &'static str)],
    /// When those hints are shown (the keys work regardless).
    pub hint_when: HintWhen,
}

/// When a binding's hint is shown: a key that matters only in some states has its hint only
/// then, so that it stands out when it does appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintWhen {
    Always,
    /// While the last scan found problems in the project's files.
    FileProblems,
}

impl HintWhen {
    pub fn holds(self, state: &AppState) -> bool {
        match self {
            HintWhen::Always => true,
            HintWhen::FileProblems => !state.file_problems.is_empty(),
        }
    }
}

impl Binding {
    fn new(
        keys: &[Key],
        label: &'static str,
        msg: Msg,
        group: &'static str,
        description: &'static str,
    ) -> Binding {
        Binding {
            keys: keys.to_vec(),
            label,
            msg,
            description,
            group,
            contexts: &[],
            hints: &[],
            hint_when: HintWhen::Always,
        }
    }

    fn active_in(self, contexts: &'static [Context]) -> Binding {
        Binding { contexts, ..self }
    }

    fn hints(self, hints: &'static [(Context, &'static str)]) -> Binding {
        Binding { hints, ..self }
    }

    fn hint_when(self, hint_when: HintWhen) -> Binding {
        Binding { hint_when, ..self }
    }

    /// The key shown in the hint bar: the first of the label ("↑/k" shows as "↑"; "/" itself
    /// is a key).
    pub fn hint_key(&self) -> &'static str {
        if self.label == "/" {
            self.label
        } else {
            self.label.split('/').next().unwrap_or(self.label)
        }
    }

    /// The hint this binding shows in `context`, if any.
    pub fn hint_in(&self, context: Context) -> Option<&'static str> {
        self.hints
            .iter()
            .find(|(c, _)| *c == context)
            .map(|&(_, text)| text)
    }
}

/// The hints `context` can show, in table order: the binding and its short text (the hint
/// bar keeps those whose [`HintWhen`] holds).
pub fn hints(context: Context) -> Vec<(Binding, &'static str)> {
    bindings()
        .into_iter()
        .filter_map(|b| b.hint_in(context).map(|h| (b, h)))
        .collect()
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
    let context = Context::of(state);
    if let Some(b) = bindings()
        .into_iter()
        .find(|b| b.contexts.contains(&context) && b.keys.iter().any(|k| matches(k, ev)))
    {
        return Some(b.msg);
    }
    // Text being typed takes every other character.
    let plain = !ev.modifiers.contains(KeyModifiers::CONTROL);
    match (context, ev.code) {
        (Context::Filter, KeyCode::Char(c)) => Some(Msg::FilterInput(c)),
        (Context::ExportPrompt, KeyCode::Char(c)) if plain => Some(Msg::ExportInput(c)),
        _ => None,
    }
}
