//! Loading the project and a quick classification: what the first frame shows, before the full
//! re-hash streams in. Sync; the event loop runs it on a blocking thread.

use crate::core::analysis::check::{CheckOptions, run_check};
use crate::core::analysis::project::{Project, load_project};
use crate::core::analysis::report::{CheckMode, Report};
use crate::core::cache::env::{GoEnv, ValueSource, process_vars_with};
use crate::core::cache::layout::ModuleCache;
use crate::core::graph::rows::graph_only_modules;
use crate::core::graph::{ModGraph, load_graph};
use crate::core::offline::toolchain::GoInstall;
use crate::core::offline::verdict::{OfflineReport, VerdictInput, offline_verdict};
use crate::core::progress::{CancelFlag, NoProgress};
use std::path::PathBuf;

/// Where to look, fixed for the whole session.
#[derive(Debug, Clone)]
pub struct ScanContext {
    pub project_dir: PathBuf,
    pub cache: ModuleCache,
    pub source: ValueSource,
    pub gowork: Option<String>,
    /// Environment for every `go` child (the demo points go at its own cache and proxy).
    pub go_env: Vec<(String, String)>,
    pub demo: bool,
}

/// The go settings shown in the header, as go would see them (with our overrides applied).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvSummary {
    pub goproxy: String,
    pub goflags: String,
    pub gowork: String,
    pub gotoolchain: String,
}

impl EnvSummary {
    pub fn from_env(go_env: &[(String, String)]) -> Self {
        let env = GoEnv::from_vars(process_vars_with(go_env));
        let get = |k: &str, default: &str| env.get(k).unwrap_or(default).to_string();
        EnvSummary {
            goproxy: get("GOPROXY", "https://proxy.golang.org,direct"),
            goflags: get("GOFLAGS", ""),
            gowork: get("GOWORK", ""),
            gotoolchain: get("GOTOOLCHAIN", "auto"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScanOutcome {
    pub project: Project,
    /// The quick report, with the build list's graph-only modules appended.
    pub report: Report,
    pub graph: ModGraph,
    pub env: EnvSummary,
}

impl PartialEq for ScanOutcome {
    /// Messages are compared in tests; the report is what matters (Project holds parsed files).
    fn eq(&self, other: &Self) -> bool {
        self.report == other.report && self.env == other.env
    }
}

pub fn scan(ctx: &ScanContext) -> Result<ScanOutcome, String> {
    let project =
        load_project(&ctx.project_dir, ctx.gowork.as_deref()).map_err(|e| e.to_string())?;
    let opts = CheckOptions {
        mode: CheckMode::Quick,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        gomodcache_source: ctx.source,
    };
    let mut report = run_check(&project, &ctx.cache, &opts);
    let graph = load_graph(&project, &ctx.cache);
    let extra = graph_only_modules(&graph, &report.modules, &ctx.cache);
    report.modules.extend(extra);
    Ok(ScanOutcome {
        project,
        report,
        graph,
        env: EnvSummary::from_env(&ctx.go_env),
    })
}

/// The answer to "would `GOPROXY=off go build ./...` work?" with the session's go settings.
pub fn offline_for(ctx: &ScanContext, project: &Project) -> OfflineReport {
    let vars = process_vars_with(&ctx.go_env);
    let env = GoEnv::from_vars(vars.clone());
    // Not `probe`: a `go env` child started here would be outside the job layer's process
    // groups and could outlive the inspector.
    let go = GoInstall::from_installation(&vars);
    offline_verdict(&VerdictInput {
        project,
        cache: &ctx.cache,
        env: &env,
        go: &go,
        ignore_vendor: false,
    })
}
