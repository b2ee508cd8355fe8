//! What `update` asks the outside world to do. The event loop executes these; tests assert them.

use crate::jobs::{GoInvocation, JobId};
use gomodcache::analysis::report::CheckMode;
use gomodcache::edit::tidy_backup::TidyBackup;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Work out what repairing this module (a row of the list) would move and run.
    PlanRepair {
        module: Box<gomodcache::analysis::report::ModuleReport>,
    },
    /// Back up go.mod/go.sum, delete `lines` of `go_sum` (each must still hold its text), then
    /// run `invocation` (`go mod download`, which writes the line again) as job `id`.
    BackupThenFixGoSum {
        id: JobId,
        go_sum: std::path::PathBuf,
        lines: Vec<(usize, String)>,
        invocation: GoInvocation,
    },
    /// The tidy or go.sum fix that `0` was taken for has ended: say so on disk, so the next
    /// start does not report it as interrupted.
    MarkEditFinished(TidyBackup),
    /// Evict the planned module into the quarantine and download it again, as job `id`.
    Repair {
        id: JobId,
        candidate: Box<gomodcache::analysis::repair_plan::RepairCandidate>,
    },
    /// Work out the offline verdict for the loaded project (import analysis: off the first frame).
    CheckOffline,
    /// Reload the project files and classify every module quickly (presence and recorded hashes).
    Scan,
    /// Load the module graph of the project scanned as `scan_id` (after its first frame).
    LoadGraph {
        scan_id: u64,
    },
    /// Run `go` as a background job; `watched` are files whose appearance measures progress.
    RunGo {
        id: JobId,
        invocation: GoInvocation,
        watched: Vec<PathBuf>,
    },
    /// Re-hash modules in-process (`None` = all of them).
    Verify {
        id: JobId,
        only: Option<Vec<String>>,
        mode: CheckMode,
        /// Re-hash everything, ignoring (and refreshing) the verify memo.
        fresh: bool,
    },
    /// Back up go.mod/go.sum, then run `go mod tidy` as job `id`.
    BackupThenTidy {
        id: JobId,
        invocation: GoInvocation,
    },
    /// Write the offline bundle to `out` (relative to the project directory; `~/` is home) as
    /// job `id`.
    Export {
        id: JobId,
        out: PathBuf,
    },
    /// Put go.mod/go.sum back as they were before the last tidy.
    Restore(TidyBackup),
    CancelJob(JobId),
    /// Scan the whole module cache and who uses it (the cache view), as job `id` (no task:
    /// the view shows its progress).
    ScanCache {
        id: JobId,
    },
    /// Move the planned versions to the quarantine, as job `id`.
    PruneCache {
        id: JobId,
        plan: Box<gomodcache::inventory::plan::PrunePlan>,
    },
    /// Check the project's proxy (`modscope proxy check`, in-process) as job `id`.
    ProxyCheck {
        id: JobId,
    },
    /// Put this text on the clipboard (OSC 52, written to the terminal by the event loop).
    CopyToClipboard(String),
    /// Send a `Msg::Tick` at this time (once): a notice expires then. Not a constant tick, so
    /// an idle UI does not wake up.
    WakeAt(Instant),
    Quit,
}
