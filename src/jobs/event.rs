//! What every job reports, and how: the typed, id-tagged events on the one channel, their
//! payloads, and the handle that cancels a job.

use gomodcache::inventory::CacheInventory;
use gomodcache::inventory::usage::Usage;
use std::path::PathBuf;

pub type JobId = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputStream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    /// The exact command line (or a description for in-process jobs), sent once when the job starts.
    Started { command_line: String },
    /// Known progress; `total` 0 means unknown. Sent at most ~10–20 times a second.
    Progress { done: u64, total: u64 },
    /// One line of child output (trailing newline stripped, invalid UTF-8 replaced).
    Output { stream: OutputStream, line: String },
    /// A module (re-)classified by a verify job, sent as soon as it is done (streaming).
    Module(Box<gomodcache::analysis::report::ModuleReport>),
    /// Parts of the module cache measured since the last batch (a cache scan).
    CacheParts(Vec<gomodcache::inventory::ScannedPart>),
    /// A cache scan's result, sent once just before its `Finished(Succeeded)`.
    CacheScanned(Box<CacheScan>),
    /// A proxy check's audit, sent once just before its `Finished` (not when cancelled).
    ProxyAudited(Box<gomodcache::proxy::report::ProxyAudit>),
    /// The last event of every job.
    Finished(JobOutcome),
}

#[derive(Debug, Clone, PartialEq)]
pub enum JobOutcome {
    Succeeded,
    Failed {
        message: String,
        exit_code: Option<i32>,
    },
    Cancelled,
}

pub type JobSender = tokio::sync::mpsc::UnboundedSender<(JobId, JobEvent)>;

/// A `go` command to run as a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoInvocation {
    /// `go` by default (looked up on PATH).
    pub program: PathBuf,
    pub args: Vec<String>,
    pub cwd: PathBuf,
    /// Overrides on top of the inherited environment.
    pub env: Vec<(String, String)>,
}

impl GoInvocation {
    pub fn new(cwd: impl Into<PathBuf>, args: &[&str]) -> Self {
        GoInvocation {
            program: PathBuf::from("go"),
            args: args.iter().map(|a| a.to_string()).collect(),
            cwd: cwd.into(),
            env: Vec::new(),
        }
    }

    /// Adds (or replaces) an environment override.
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let (key, value) = (key.into(), value.into());
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value));
        self
    }

    /// What the task pane shows: `go mod download -json example.com/a@v1.0.0` (shell-quoted where
    /// needed, env overrides not shown).
    pub fn command_line(&self) -> String {
        use gomodcache::fix::commands::shell_quote;
        std::iter::once(self.program.to_string_lossy().into_owned())
            .chain(self.args.iter().cloned())
            .map(|w| shell_quote(&w))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Handle of a running job: cancel it, or wait for it. Dropping it does NOT cancel.
#[derive(Debug)]
pub struct JobHandle {
    pub id: JobId,
    pub cancel: tokio_util::sync::CancellationToken,
    pub join: tokio::task::JoinHandle<()>,
}

/// Sends one event; a closed channel (the UI is gone) is not an error for a job.
pub(crate) fn send(tx: &JobSender, id: JobId, event: JobEvent) {
    let _ = tx.send((id, event));
}

/// What the scan found, and who uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheScan {
    pub inventory: CacheInventory,
    pub usage: Usage,
    /// The root of the inspector's project, as `usage` names it (canonical).
    pub this_project: Option<PathBuf>,
}
