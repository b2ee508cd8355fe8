//! One background job as the task pane shows it, and how job events change it.

use crate::jobs::{JobEvent, JobId, JobOutcome, OutputStream};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Lines of output kept per job; the pane shows the tail, Enter the whole of it.
pub const LOG_LINES: usize = 500;
/// Lines of `go mod tidy -diff` output kept for the confirmation (a go.mod/go.sum diff is far
/// shorter; this only bounds memory against a runaway child).
pub const DIFF_LINES: usize = 20_000;

/// Why a job was started: decides what happens when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobPurpose {
    /// `go mod download` of these module paths: re-classify them afterwards.
    Download(Vec<String>),
    /// In-process verification.
    Verify,
    /// `go mod tidy -diff`: show the diff and ask before tidying.
    TidyDiff,
    /// `go mod tidy` (after a backup): rescan afterwards and offer undo.
    Tidy,
    /// The offline bundle written in-process (`modscope export`).
    Export,
    /// Evict into the quarantine, then `go mod download` of these module paths: re-classify
    /// them afterwards.
    Repair(Vec<String>),
    /// go.sum lines deleted (after a backup), then `go mod download`: rescan afterwards.
    GoSumFix(Vec<String>),
    /// Chosen versions moved from the module cache to the quarantine (the cache view's prune):
    /// rescan the cache and the project afterwards.
    CachePrune,
    /// `modscope proxy check` in-process: its audit becomes the proxy view's list.
    ProxyCheck,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskState {
    Queued,
    Running,
    Done,
    /// `go mod tidy -diff` exited 1 with a diff: what it is for, not a failure.
    DiffReady,
    Failed(String),
    Cancelled,
}

impl TaskState {
    pub fn label(&self) -> &'static str {
        match self {
            TaskState::Queued => "queued",
            TaskState::Running => "running",
            TaskState::Done => "done",
            TaskState::DiffReady => "diff ready",
            TaskState::Failed(_) => "failed",
            TaskState::Cancelled => "cancelled",
        }
    }
    pub fn is_active(&self) -> bool {
        matches!(self, TaskState::Queued | TaskState::Running)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    pub id: JobId,
    pub purpose: JobPurpose,
    pub command_line: String,
    pub state: TaskState,
    pub queued_at: Instant,
    pub started_at: Option<Instant>,
    pub finished_at: Option<Instant>,
    /// `(done, total)`; total 0 means unknown.
    pub progress: Option<(u64, u64)>,
    /// Whether progress counts bytes (shown as MiB) rather than items.
    pub progress_in_bytes: bool,
    pub log: VecDeque<String>,
    /// Lines dropped from the front of `log` to keep it bounded.
    pub log_dropped: usize,
    /// Every stdout line of the job (only kept for `go mod tidy -diff`, whose output is the diff).
    pub stdout: Vec<String>,
}

impl TaskView {
    pub fn new(id: JobId, purpose: JobPurpose, command_line: String, now: Instant) -> Self {
        let progress_in_bytes = matches!(
            purpose,
            JobPurpose::Verify | JobPurpose::Export | JobPurpose::CachePrune
        );
        TaskView {
            id,
            purpose,
            command_line,
            state: TaskState::Queued,
            queued_at: now,
            started_at: None,
            finished_at: None,
            progress: None,
            progress_in_bytes,
            log: VecDeque::new(),
            log_dropped: 0,
            stdout: Vec::new(),
        }
    }

    pub fn elapsed(&self, now: Instant) -> Duration {
        let start = self.started_at.unwrap_or(self.queued_at);
        self.finished_at
            .unwrap_or(now)
            .saturating_duration_since(start)
    }

    fn push_log(&mut self, line: String) {
        if self.log.len() == LOG_LINES {
            self.log.pop_front();
            self.log_dropped += 1;
        }
        self.log.push_back(line);
    }

    /// Applies one event (yazi's reducer style). Module events are handled by the caller.
    pub fn apply(&mut self, event: &JobEvent, now: Instant) {
        match event {
            JobEvent::Started { command_line } => {
                self.state = TaskState::Running;
                self.started_at = Some(now);
                if !command_line.is_empty() {
                    self.command_line = command_line.clone();
                }
            }
            JobEvent::Progress { done, total } => self.progress = Some((*done, *total)),
            JobEvent::Output { stream, line } => {
                if *stream == OutputStream::Stdout
                    && self.purpose == JobPurpose::TidyDiff
                    && self.stdout.len() < DIFF_LINES
                {
                    self.stdout.push(line.clone());
                }
                self.push_log(line.clone());
            }
            JobEvent::Module(_)
            | JobEvent::CacheParts(_)
            | JobEvent::CacheScanned(_)
            | JobEvent::ProxyAudited(_) => {}
            JobEvent::Finished(outcome) => {
                self.finished_at = Some(now);
                self.state = match outcome {
                    JobOutcome::Succeeded => TaskState::Done,
                    // `-diff` exits 1 when there is a difference, and prints it on stdout.
                    JobOutcome::Failed {
                        exit_code: Some(1), ..
                    } if self.purpose == JobPurpose::TidyDiff && !self.stdout.is_empty() => {
                        TaskState::DiffReady
                    }
                    JobOutcome::Cancelled => TaskState::Cancelled,
                    JobOutcome::Failed { message, .. } => TaskState::Failed(message.clone()),
                };
                if let (Some((_, total)), TaskState::Done) = (self.progress, &self.state)
                    && total > 0
                {
                    self.progress = Some((total, total));
                }
            }
        }
    }
}
