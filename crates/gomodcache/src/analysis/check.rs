//! `check`: classify every module of the build list (or only the required ones), in parallel
//! on all cores.

use super::build_list::build_list;
use super::classify::{ClassifyContext, classify};
use super::report::{
    CheckMode, MemoUse, ModuleReport, Report, RunWarning, SCHEMA_VERSION, Summary,
};
use crate::cache::layout::ModuleCache;
use crate::cache::probe_memo::ProbeMemo;
use crate::cache::verify_memo::{CACHE_DIR_ENV, MemoMode, VerifyMemo};
use crate::goenv::env::ValueSource;
use crate::graph::ModGraph;
use crate::progress::{CancelFlag, HashProgress, NoProgress};
use crate::project::Project;
use crate::project::requirements::requirements;
use crate::project::workspace_errors::workspace_errors;
use crate::toolchain::toolchain_refusal;
use rayon::prelude::*;

/// How a check runs.
pub struct CheckOptions<'a> {
    /// Quick (presence and recorded hashes) or full (every zip and tree re-hashed).
    pub mode: CheckMode,
    /// Raised, the check stops hashing; the modules not classified yet are left out and the
    /// report says it was cancelled.
    pub cancel: &'a CancelFlag,
    /// Told the module count, the bytes hashed and each module done.
    pub progress: &'a dyn HashProgress,
    /// Where the GOMODCACHE checked came from, recorded in the report.
    pub gomodcache_source: ValueSource,
    /// Which modules are checked.
    pub scope: CheckScope<'a>,
}

/// Which modules a check covers.
#[derive(Debug, Clone, Copy)]
pub enum CheckScope<'a> {
    /// The modules the project's go.mod files require: no go.mod of the graph is read (the
    /// inspector's first frame; the graph-only rows follow).
    Required,
    /// The whole build list, as `go mod verify` covers it: the required modules and the
    /// graph-only ones, each checked for what go needs of it. `go_env` is the environment go
    /// would run with (it decides the build context of an unpruned graph's import analysis).
    BuildList {
        /// The environment go would run with, as `(name, value)` pairs.
        go_env: &'a [(String, String)],
    },
}

/// Checks `project`'s modules against `cache` and its go.sum files: each module's status, its
/// problems and the command that fixes them. Only reads.
pub fn run_check(project: &Project, cache: &ModuleCache, opts: &CheckOptions<'_>) -> Report {
    run_check_with_memo(project, cache, opts, None)
}

/// [`run_check`], taking unchanged zips and trees from `memo` in full mode, and saving what it
/// remembered at the end; a memo that cannot be saved is a warning in the report, never a
/// failure (it only makes the next check slower). A later `memo.save()` is a no-op.
pub fn run_check_with_memo(
    project: &Project,
    cache: &ModuleCache,
    opts: &CheckOptions<'_>,
    memo: Option<&VerifyMemo>,
) -> Report {
    run_check_with_memos(project, cache, opts, memo, None)
}

/// [`run_check_with_memo`], also taking the probe of unchanged modules from `probe_memo` (and
/// saving it at the end, as the verify memo).
pub fn run_check_with_memos(
    project: &Project,
    cache: &ModuleCache,
    opts: &CheckOptions<'_>,
    memo: Option<&VerifyMemo>,
    probe_memo: Option<&ProbeMemo>,
) -> Report {
    let mut file_problems = project.file_problems.clone();
    // What makes go refuse the workspace (`go mod verify` fails on it too).
    file_problems.extend(workspace_errors(project).into_iter().map(|e| {
        crate::project::FileProblem {
            file: e.file,
            line: e.line,
            message: match (e.fix, e.advice) {
                (Some(fix), _) => format!("{}; to fix: {fix}", e.message),
                (None, Some(advice)) => format!("{}. To fix: {advice}", e.message),
                (None, None) => e.message,
            },
        }
    }));
    let (reqs, needs) = match opts.scope {
        CheckScope::Required => (requirements(project), None),
        CheckScope::BuildList { go_env } => {
            file_problems.extend(toolchain_refusal_problem(project, go_env));
            let list = build_list(project, cache, requirements(project), go_env);
            file_problems.extend(list.file_problems);
            (list.modules, Some(list.needs))
        }
    };
    opts.progress.on_start(reqs.len());
    let ctx = ClassifyContext {
        needs: needs.as_ref(),
        cache,
        sums: &project.sums,
        mode: opts.mode,
        cancel: opts.cancel,
        progress: opts.progress,
        memo,
        probe_memo,
    };
    let results: Vec<_> = reqs
        .par_iter()
        .map(|r| {
            let out = classify(r, &ctx);
            opts.progress.on_module_done(&r.path, &r.version);
            out
        })
        .collect();
    let cancelled = results.iter().any(Result::is_err);
    let mut warnings = Vec::new();
    if let Some(memo) = memo
        && let Err(e) = memo.save()
    {
        let dir = memo.path().parent().unwrap_or(memo.path());
        warnings.push(RunWarning {
            kind: "verify-memo-not-saved".into(),
            message: format!(
                "the verify memo could not be saved in {}: {e}; the next check re-hashes every zip and tree (the result of this one is not affected). To fix: set {CACHE_DIR_ENV} to a writable directory, or make {} writable",
                dir.display(),
                dir.display()
            ),
            fix: None,
        });
    }
    if let Some(memo) = probe_memo
        && let Err(e) = memo.save()
    {
        let dir = memo.path().parent().unwrap_or(memo.path());
        warnings.push(RunWarning {
            kind: "probe-memo-not-saved".into(),
            message: format!(
                "the quick-scan memo could not be saved in {}: {e}; the next check looks at every module's files again (the result of this one is not affected). To fix: set {CACHE_DIR_ENV} to a writable directory, or make {} writable",
                dir.display(),
                dir.display()
            ),
            fix: None,
        });
    }
    let modules: Vec<_> = results.into_iter().filter_map(Result::ok).collect();
    let source = serde_json::to_value(opts.gomodcache_source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Report {
        schema_version: SCHEMA_VERSION,
        project_dir: project.root_dir().display().to_string(),
        gomodcache: cache.root.display().to_string(),
        gomodcache_source: source,
        mode: opts.mode,
        main_module: project
            .main
            .as_ref()
            .and_then(|m| m.module_path().map(str::to_string)),
        workspace: project
            .workspace
            .as_ref()
            .map(|w| w.path.display().to_string()),
        summary: Summary::of(&modules),
        verify_memo: memo.filter(|m| m.mode() == MemoMode::Use).map(|m| {
            let (unchanged, rehashed) = m.stats();
            MemoUse {
                unchanged,
                rehashed,
            }
        }),
        modules,
        file_problems,
        cancelled,
        warnings,
    }
}

/// What the inspector adds to its first frame once the graph is loaded.
#[derive(Debug, Clone)]
pub struct GraphOnlyQuick {
    /// The module graph.
    pub graph: ModGraph,
    /// The build list's graph-only modules, each quickly classified for what go needs of it.
    pub rows: Vec<ModuleReport>,
    /// What the build list found wrong with the project's files (a workspace module's
    /// version whose go.mod cannot be read): `check`'s build-list problems, which a quick
    /// check of the required modules alone does not see.
    pub file_problems: Vec<crate::project::FileProblem>,
}

/// The build list's graph-only modules, each quickly classified for what go needs of it (as
/// `check` does), the module graph, and the build list's file problems.
pub fn graph_only_quick(
    project: &Project,
    cache: &ModuleCache,
    go_env: &[(String, String)],
) -> GraphOnlyQuick {
    let list = build_list(project, cache, requirements(project), go_env);
    let ctx = ClassifyContext {
        cache,
        sums: &project.sums,
        mode: CheckMode::Quick,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        memo: None,
        probe_memo: None,
        needs: Some(&list.needs),
    };
    let rows = list
        .modules
        .par_iter()
        .filter(|r| r.graph_only)
        .filter_map(|r| classify(r, &ctx).ok())
        .collect();
    GraphOnlyQuick {
        graph: list.graph,
        rows,
        file_problems: list.file_problems,
    }
}

/// The module cache directory, when it is not there: a project-level problem (go has
/// go refusing to run at all in `project` because of its go or toolchain line (`go mod verify`
/// fails on it too), as a problem of the file that sets that line: go's words and what to do.
pub fn toolchain_refusal_problem(
    project: &Project,
    go_env: &[(String, String)],
) -> Option<crate::project::FileProblem> {
    toolchain_refusal(project, go_env).map(|r| crate::project::FileProblem {
        file: r.file,
        line: None,
        message: format!("{}. To fix: {}", r.message, r.advice),
    })
}

/// downloaded nothing to it yet, or GOMODCACHE names the wrong place). One stat.
pub fn missing_cache_problem(cache: &ModuleCache) -> Option<crate::project::FileProblem> {
    (!cache.root.is_dir()).then(|| crate::project::FileProblem {
        file: cache.root.display().to_string(),
        line: None,
        message: "the module cache directory does not exist (nothing has been downloaded yet?)"
            .into(),
    })
}
