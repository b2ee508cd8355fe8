//! Everything that can happen to the UI, as data. Keys are translated into these by the keymap;
//! jobs and scans arrive as these too. `update` is the only consumer.

use super::scan::{GraphOutcome, ScanOutcome};
use crate::jobs::{JobEvent, JobId};
use gomodcache::edit::tidy_backup::TidyBackup;

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    // --- moving around
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Home,
    End,
    FocusNext,
    OpenDetail,
    /// A click on the module list's n-th visible row (0 = first row under the header).
    ClickRow(usize),
    ScrollUp,
    ScrollDown,
    // --- filtering and sorting
    StartFilter,
    FilterInput(char),
    FilterBackspace,
    /// Esc: leave the filter box, clearing it.
    FilterClear,
    /// Enter: leave the filter box, keeping it.
    FilterAccept,
    CycleStatusFilter,
    CycleSort,
    // --- the dependency tree
    ToggleTree,
    TreeExpand,
    TreeCollapse,
    /// Enter in the tree: close it and select that module in the list.
    TreeJump,
    // --- jobs
    DownloadSelected,
    DownloadMissing,
    VerifySelected,
    VerifyAll,
    /// Verify every module, re-hashing what the verify memo says is unchanged.
    RehashAll,
    Tidy,
    ConfirmYes,
    ConfirmNo,
    UndoTidy,
    /// Ask where to write the offline bundle.
    StartExport,
    ExportInput(char),
    ExportBackspace,
    /// Ctrl-U in the export prompt: clear the path.
    ExportClear,
    /// Enter in the export prompt: export to the path typed.
    ExportConfirm,
    CancelSelectedJob,
    /// Copy the selected module's fix command to the clipboard.
    CopyFix,
    /// `X`: evict the selected module's bad cached copy into the quarantine and download it
    /// again (after a confirmation that lists every file).
    Repair,
    /// `S`: delete the go.sum line that disagrees with a consistent cache, and download again
    /// (after a confirmation; backed up, undone by `u`).
    FixGoSum,
    /// Enter in the task pane: the selected task's whole log.
    OpenTaskLog,
    /// Remove the tasks that ended from the task pane.
    ClearFinishedTasks,
    Rescan,
    // --- the cache view
    Cache(CacheMsg),
    // --- the proxy view
    Proxy(ProxyMsg),
    // --- screen
    ToggleHelp,
    ToggleOffline,
    /// `!`: the problems in the project's files (a malformed go.sum line, a go.work go
    /// refuses), when the last scan found any.
    ToggleFileProblems,
    /// Esc outside the filter box: close whatever overlay is open.
    CloseOverlay,
    Quit,
    Resize {
        width: u16,
        height: u16,
    },
    /// Sent by the event loop after each batch of events: the time now. Also ends a batch.
    Tick(std::time::Instant),
    // --- results of effects
    Job(JobId, JobEvent),
    Scanned(Result<Box<ScanOutcome>, String>),
    /// The module graph, loaded after the first frame.
    GraphLoaded(Box<GraphOutcome>),
    OfflineChecked(Box<gomodcache::offline::verdict::OfflineReport>),
    /// The backup of go.mod and go.sum before `go mod tidy` or a go.sum fix was written (or
    /// could not be, and neither ran).
    BackedUp(JobId, Result<TidyBackup, String>),
    /// An undo finished.
    Restored(Result<TidyBackup, String>),
    /// What a repair would do (or why there is nothing to repair), for the confirmation.
    RepairPlanned(Box<Result<crate::jobs::repair_job::RepairPlan, String>>),
}

impl Msg {
    /// Whether the user asked for this (a key or the mouse), rather than a job, a scan, the
    /// clock or the terminal: the notice on screen has been seen then.
    pub fn is_user_action(&self) -> bool {
        !matches!(
            self,
            Msg::Resize { .. }
                | Msg::Tick(_)
                | Msg::Job(..)
                | Msg::Scanned(_)
                | Msg::GraphLoaded(_)
                | Msg::OfflineChecked(_)
                | Msg::BackedUp(..)
                | Msg::Restored(_)
                | Msg::RepairPlanned(_)
        )
    }
}

/// The proxy view's own keys (moving and Esc are shared with the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyMsg {
    /// `P`: open the proxy view (checking the proxy the first time), or close it.
    Toggle,
    /// `r`: check the proxy again.
    Recheck,
    /// `y`: copy the command that fills the entry under the cursor.
    CopyFix,
}

/// The cache view's own keys (moving, `/` and Esc are shared with the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheMsg {
    /// `C`: open the cache view (scanning the cache), or close it.
    Toggle,
    /// →: show the versions of the path under the cursor.
    Expand,
    /// ←: hide them, or on a version go to its path.
    Collapse,
    /// Enter: expand or collapse.
    ToggleExpand,
    /// Space: mark the version (on a path: its unused versions), or unmark.
    Mark,
    /// Only what no known project uses.
    ToggleUnused,
    /// Prune the marked versions (after a confirmation).
    Prune,
    /// Scan the cache again.
    Rescan,
}
