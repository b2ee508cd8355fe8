//! The key table: every binding of every context, in help order. Help, the hint bar and key
//! translation are all read from here.

use super::{Binding, Context, HintWhen, ch, ctrl, key};
use crate::tui::message::{CacheMsg, Msg, ProxyMsg};
use Context::*;
use ratatui::crossterm::event::KeyCode::*;

/// The main screen, whatever pane has the focus.
const PANES: &[Context] = &[List, Tree, Detail, Tasks];
/// Everything that moves or scrolls with the arrows: the panes and the scrolling overlays.
const SCROLLING: &[Context] = &[
    List,
    Cache,
    Proxy,
    ConfirmPrune,
    Tree,
    Detail,
    Tasks,
    Help,
    Offline,
    FileProblems,
    ConfirmTidy,
    ConfirmRepair,
    ConfirmGoSumFix,
    TaskLog,
];
/// Every scrolling overlay: the arrows scroll it, the hint bar says so.
const SCROLL_HINT: &[(Context, &str)] = &[
    (Detail, "scroll"),
    (Help, "scroll"),
    (Offline, "scroll"),
    (FileProblems, "scroll"),
    (ConfirmTidy, "scroll"),
    (ConfirmRepair, "scroll"),
    (ConfirmGoSumFix, "scroll"),
    (ConfirmPrune, "scroll"),
    (TaskLog, "scroll"),
    (Tasks, "next task"),
];

#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    vec![
        // --- moving and scrolling: rows in the list and tree, tasks in the task pane, lines in
        // the detail pane and the overlays.
        Binding::new(&[key(Up), ch('k')], "↑/k", Msg::MoveUp, "Move and scroll",
            "up: the previous row, task or line").active_in(SCROLLING),
        Binding::new(&[key(Down), ch('j')], "↓/j", Msg::MoveDown, "Move and scroll",
            "down: the next row, task or line").active_in(SCROLLING).hints(SCROLL_HINT),
        Binding::new(&[key(PageUp)], "PgUp", Msg::PageUp, "Move and scroll", "a page up")
            .active_in(SCROLLING),
        Binding::new(&[key(PageDown)], "PgDn", Msg::PageDown, "Move and scroll", "a page down")
            .active_in(SCROLLING),
        Binding::new(&[key(Home), ch('g')], "Home/g", Msg::Home, "Move and scroll",
            "to the first row or line").active_in(SCROLLING),
        Binding::new(&[key(End), ch('G')], "End/G", Msg::End, "Move and scroll",
            "to the last row or line").active_in(SCROLLING)
            .hints(&[(Detail, "bottom"), (Help, "bottom"), (Offline, "bottom"), (FileProblems, "bottom"),
                (TaskLog, "bottom")]),
        Binding::new(&[key(Tab)], "Tab", Msg::FocusNext, "Move and scroll",
            "focus list → detail → tasks").active_in(&[List, Detail, Tasks, Cache, Proxy])
            .hints(&[(List, "focus"), (Detail, "focus"), (Tasks, "focus")]),
        Binding::new(&[key(Enter)], "Enter", Msg::OpenDetail, "Move and scroll",
            "open / close the detail pane full height").active_in(&[List, Detail])
            .hints(&[(List, "zoom"), (Detail, "zoom")]),
        // --- the module list
        Binding::new(&[ch('/')], "/", Msg::StartFilter, "Filter",
            "filter by text: path, version or problem kind (in the tree: path)")
            .active_in(&[List, Tree, Detail, Tasks, Cache])
            .hints(&[(List, "filter"), (Tree, "filter"), (Cache, "filter")]),
        Binding::new(&[ch('f')], "f", Msg::CycleStatusFilter, "Filter",
            "status filter: all, problems, each status").active_in(&[List, Detail, Tasks])
            .hints(&[(List, "status")]),
        Binding::new(&[ch('s')], "s", Msg::CycleSort, "Filter", "sort by status, path, size")
            .active_in(&[List, Detail, Tasks]),
        Binding::new(&[key(Esc)], "Esc", Msg::CloseOverlay, "Filter",
            "clear the filter, or leave the full-height detail").active_in(&[List, Detail, Tasks]),
        Binding::new(&[key(Enter)], "Enter", Msg::FilterAccept, "Filter",
            "while typing a filter: keep it").active_in(&[Filter]).hints(&[(Filter, "keep")]),
        Binding::new(&[key(Esc)], "Esc", Msg::FilterClear, "Filter",
            "while typing a filter: clear it").active_in(&[Filter]).hints(&[(Filter, "clear")]),
        Binding::new(&[key(Backspace)], "Backspace", Msg::FilterBackspace, "Filter",
            "while typing a filter: delete a character").active_in(&[Filter]),
        // --- the dependency tree
        Binding::new(&[ch('T')], "T", Msg::ToggleTree, "Tree",
            "dependency tree (opens over the list; T or Esc closes)")
            .active_in(&[List, Tree, Detail, Tasks]).hints(&[(List, "tree")]),
        Binding::new(&[key(Right), ch('l'), ch(' ')], "→/l", Msg::TreeExpand, "Tree",
            "expand the module under the cursor").active_in(&[Tree]).hints(&[(Tree, "expand")]),
        Binding::new(&[key(Left), ch('h')], "←/h", Msg::TreeCollapse, "Tree",
            "collapse it, or go to its parent").active_in(&[Tree]).hints(&[(Tree, "collapse")]),
        Binding::new(&[key(Enter)], "Enter", Msg::TreeJump, "Tree",
            "select that module in the list").active_in(&[Tree]).hints(&[(Tree, "select")]),
        Binding::new(&[key(Esc)], "Esc", Msg::ToggleTree, "Tree", "close the tree")
            .active_in(&[Tree]).hints(&[(Tree, "close")]),
        // --- the cache view
        Binding::new(&[ch('C')], "C", Msg::Cache(CacheMsg::Toggle), "Cache",
            "the whole module cache: sizes, users, prune (C/Esc closes)")
            .active_in(&[List, Tree, Detail, Tasks, Cache]).hints(&[(Cache, "close")]),
        Binding::new(&[key(Right), ch('l')], "→/l", Msg::Cache(CacheMsg::Expand), "Cache",
            "show the versions of the path").active_in(&[Cache]),
        Binding::new(&[key(Left), ch('h')], "←/h", Msg::Cache(CacheMsg::Collapse), "Cache",
            "hide them, or go to the version's path").active_in(&[Cache]),
        Binding::new(&[key(Enter)], "Enter", Msg::Cache(CacheMsg::ToggleExpand), "Cache",
            "expand or collapse the path").active_in(&[Cache]).hints(&[(Cache, "versions")]),
        Binding::new(&[ch(' ')], "Space", Msg::Cache(CacheMsg::Mark), "Cache",
            "mark or unmark the version (on a path: its unused versions)")
            .active_in(&[Cache]).hints(&[(Cache, "mark")]),
        Binding::new(&[ch('f')], "f", Msg::Cache(CacheMsg::ToggleUnused), "Cache",
            "only what no known project uses").active_in(&[Cache]).hints(&[(Cache, "unused")]),
        Binding::new(&[ch('p')], "p", Msg::Cache(CacheMsg::Prune), "Cache",
            "prune the marked versions (confirmed first; to the quarantine)")
            .active_in(&[Cache]).hints(&[(Cache, "prune")]),
        Binding::new(&[ch('r')], "r", Msg::Cache(CacheMsg::Rescan), "Cache",
            "scan the cache again").active_in(&[Cache]),
        Binding::new(&[key(Esc)], "Esc", Msg::CloseOverlay, "Cache",
            "clear the filter, or close the cache view").active_in(&[Cache]),
        // --- the proxy view
        Binding::new(&[ch('P')], "P", Msg::Proxy(ProxyMsg::Toggle), "Proxy",
            "what GOPROXY's first proxy lacks for this build (P/Esc closes)")
            .active_in(&[List, Tree, Detail, Tasks, Proxy]).hints(&[(Proxy, "close")]),
        Binding::new(&[ch('y')], "y", Msg::Proxy(ProxyMsg::CopyFix), "Proxy",
            "copy the command that fills the entry (OSC 52)")
            .active_in(&[Proxy]).hints(&[(Proxy, "copy fix")]),
        Binding::new(&[ch('r')], "r", Msg::Proxy(ProxyMsg::Recheck), "Proxy",
            "check the proxy again").active_in(&[Proxy]).hints(&[(Proxy, "check again")]),
        Binding::new(&[key(Esc)], "Esc", Msg::CloseOverlay, "Proxy",
            "close the proxy view (a running check goes on; c cancels)").active_in(&[Proxy]),
        // --- jobs
        Binding::new(&[ch('d')], "d", Msg::DownloadSelected, "Jobs",
            "download the selected module (go mod download -json)").active_in(PANES)
            .hints(&[(List, "download")]),
        Binding::new(&[ch('D')], "D", Msg::DownloadMissing, "Jobs", "download every missing module")
            .active_in(PANES),
        Binding::new(&[ch('v')], "v", Msg::VerifySelected, "Jobs",
            "verify the selected module (re-hash in-process)").active_in(PANES)
            .hints(&[(List, "verify")]),
        Binding::new(&[ch('V')], "V", Msg::VerifyAll, "Jobs", "verify every module")
            .active_in(PANES),
        Binding::new(&[ch('X')], "X", Msg::Repair, "Jobs",
            "repair the selected module (quarantine, download again)")
            .active_in(PANES).hints(&[(Detail, "repair")]),
        Binding::new(&[ch('S')], "S", Msg::FixGoSum, "Jobs",
            "fix the go.sum line that disagrees with the cache (u undoes)")
            .active_in(PANES),
        Binding::new(&[ch('R')], "R", Msg::RehashAll, "Jobs",
            "verify every module, ignoring the verify memo").active_in(PANES),
        Binding::new(&[ch('t')], "t", Msg::Tidy, "Jobs",
            "go mod tidy: show the diff, confirm, back up, apply").active_in(PANES)
            .hints(&[(List, "tidy")]),
        Binding::new(&[ch('u')], "u", Msg::UndoTidy, "Jobs",
            "undo the last tidy (restore go.mod/go.sum)").active_in(PANES),
        Binding::new(&[ch('e')], "e", Msg::StartExport, "Jobs",
            "export an offline bundle: a file:// GOPROXY for the build")
            .active_in(&[List, Tree, Detail, Tasks, Offline]).hints(&[(Offline, "export")]),
        Binding::new(&[ch('y')], "y", Msg::CopyFix, "Jobs",
            "copy the selected module's fix command to the clipboard (OSC 52)")
            .active_in(PANES).hints(&[(List, "copy fix"), (Detail, "copy fix")]),
        Binding::new(&[ch('c')], "c", Msg::CancelSelectedJob, "Jobs", "cancel the selected job")
            .active_in(&[List, Tree, Detail, Tasks, Cache, Proxy])
            .hints(&[(Tasks, "cancel"), (Proxy, "cancel")]),
        Binding::new(&[key(Enter)], "Enter", Msg::OpenTaskLog, "Jobs",
            "in the task pane: the task's whole log and exact command line")
            .active_in(&[Tasks]).hints(&[(Tasks, "log")]),
        Binding::new(&[ch('x')], "x", Msg::ClearFinishedTasks, "Jobs",
            "clear finished tasks from the task pane").active_in(PANES)
            .hints(&[(Tasks, "clear finished")]),
        Binding::new(&[ch('r')], "r", Msg::Rescan, "Jobs", "rescan the project and the cache")
            .active_in(PANES),
        // --- screen
        Binding::new(&[ch('o')], "o", Msg::ToggleOffline, "Screen",
            "offline readiness: what blocks GOPROXY=off go build ./...").active_in(PANES)
            .hints(&[(List, "offline")]),
        Binding::new(&[ch('!')], "!", Msg::ToggleFileProblems, "Screen",
            "problems in project files: go.sum, go.mod, go.work (header: ⚠)")
            .active_in(&[List, Tree, Detail, Tasks, Cache, Proxy])
            .hints(&[(List, "file problems"), (Tree, "file problems"), (Detail, "file problems"),
                (Tasks, "file problems")])
            .hint_when(HintWhen::FileProblems),
        Binding::new(&[ch('?')], "?", Msg::ToggleHelp, "Screen", "this help")
            .active_in(&[List, Tree, Detail, Tasks, Cache, Proxy])
            .hints(&[(List, "help"), (Tree, "help"), (Detail, "help"), (Tasks, "help")]),
        Binding::new(&[ch('q'), ctrl('c')], "q/Ctrl-C", Msg::Quit, "Screen",
            "quit (cancels every job)").active_in(&[List, Tree, Detail, Tasks, Cache, Proxy])
            .hints(&[(List, "quit"), (Cache, "quit"), (Proxy, "quit")]),
        // --- overlays
        Binding::new(&[key(Esc), ch('?'), ch('q')], "Esc/?/q", Msg::ToggleHelp, "Overlays",
            "close the help").active_in(&[Help]).hints(&[(Help, "close")]),
        Binding::new(&[key(Esc), ch('o'), ch('q')], "Esc/o/q", Msg::ToggleOffline, "Overlays",
            "close offline readiness").active_in(&[Offline]).hints(&[(Offline, "close")]),
        Binding::new(&[key(Esc), ch('!'), ch('q')], "Esc/!/q", Msg::ToggleFileProblems,
            "Overlays", "close the problems in the project's files").active_in(&[FileProblems])
            .hints(&[(FileProblems, "close")]),
        Binding::new(&[ch('y'), ch('Y')], "y", Msg::ConfirmYes, "Overlays",
            "tidy: apply the diff (a backup is kept; u undoes)").active_in(&[ConfirmTidy])
            .hints(&[(ConfirmTidy, "apply")]),
        Binding::new(&[ch('n'), key(Esc), ch('q')], "n/Esc", Msg::ConfirmNo, "Overlays",
            "tidy: cancel, nothing is written").active_in(&[ConfirmTidy])
            .hints(&[(ConfirmTidy, "cancel")]),
        Binding::new(&[ch('y'), ch('Y')], "y", Msg::ConfirmYes, "Overlays",
            "repair: move these files to the quarantine and download again")
            .active_in(&[ConfirmRepair]).hints(&[(ConfirmRepair, "repair")]),
        Binding::new(&[ch('n'), key(Esc), ch('q')], "n/Esc", Msg::ConfirmNo, "Overlays",
            "repair: cancel, nothing is moved").active_in(&[ConfirmRepair])
            .hints(&[(ConfirmRepair, "cancel")]),
        Binding::new(&[ch('y'), ch('Y')], "y", Msg::ConfirmYes, "Overlays",
            "go.sum fix: back up, delete the line, download again")
            .active_in(&[ConfirmGoSumFix]).hints(&[(ConfirmGoSumFix, "fix go.sum")]),
        Binding::new(&[ch('n'), key(Esc), ch('q')], "n/Esc", Msg::ConfirmNo, "Overlays",
            "go.sum fix: cancel, go.sum is unchanged").active_in(&[ConfirmGoSumFix])
            .hints(&[(ConfirmGoSumFix, "cancel")]),
        Binding::new(&[ch('y'), ch('Y')], "y", Msg::ConfirmYes, "Overlays",
            "prune: move the marked versions to the quarantine")
            .active_in(&[ConfirmPrune]).hints(&[(ConfirmPrune, "prune")]),
        Binding::new(&[ch('n'), key(Esc), ch('q')], "n/Esc", Msg::ConfirmNo, "Overlays",
            "prune: cancel, nothing is moved").active_in(&[ConfirmPrune])
            .hints(&[(ConfirmPrune, "cancel")]),
        Binding::new(&[key(Enter)], "Enter", Msg::ExportConfirm, "Overlays",
            "export prompt: write the bundle there").active_in(&[ExportPrompt])
            .hints(&[(ExportPrompt, "export")]),
        Binding::new(&[ctrl('u')], "Ctrl-U", Msg::ExportClear, "Overlays",
            "export prompt: clear the path").active_in(&[ExportPrompt])
            .hints(&[(ExportPrompt, "clear")]),
        Binding::new(&[key(Backspace)], "Backspace", Msg::ExportBackspace, "Overlays",
            "export prompt: delete a character").active_in(&[ExportPrompt]),
        Binding::new(&[key(Esc)], "Esc", Msg::CloseOverlay, "Overlays", "export prompt: cancel")
            .active_in(&[ExportPrompt]).hints(&[(ExportPrompt, "cancel")]),
        Binding::new(&[key(Esc), key(Enter), ch('q')], "Esc/Enter", Msg::CloseOverlay, "Overlays",
            "task log: close").active_in(&[TaskLog]).hints(&[(TaskLog, "close")]),
    ]
}
