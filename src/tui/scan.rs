//! Loading the project and a quick classification: what the first frame shows, before the full
//! re-hash streams in. Sync; the event loop runs it on a blocking thread.

use gomodcache::analysis::check::{
    CheckOptions, GraphOnlyQuick, graph_only_quick, missing_cache_problem, run_check_with_memos,
    toolchain_refusal_problem,
};
use gomodcache::analysis::report::{CheckMode, ModuleReport, Report};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::cache::probe_memo::{PROBE_MEMO_DIR, ProbeMemo, ZipSizes};
use gomodcache::cache::verify_memo::modscope_cache_dir;
use gomodcache::goenv::env::{GoEnv, ValueSource, process_vars_with};
use gomodcache::graph::ModGraph;
use gomodcache::offline::verdict::{OfflineReport, VerdictInput, offline_verdict};
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::{FileProblem, Project, load_project};
use gomodcache::toolchain::GoInstall;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

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
    /// More directories whose projects count as users of the cache (`modscope cache --projects`).
    pub cache_projects: Vec<PathBuf>,
    /// The project's root (module or workspace directory), once read: the cache view counts
    /// it as a user.
    pub project_root: Option<PathBuf>,
    /// Start in the cache view (`modscope cache` in a terminal).
    pub open_cache_view: bool,
    /// The first scan, started on the scans' thread pool before the project is read (it reads
    /// the quick-scan memo meanwhile), and classifying it while the terminal is set up; the
    /// first `Effect::Scan` takes its outcome.
    pub first_scan: Preloaded<Result<ScanOutcome, String>>,
}

/// Work started before the event loop, taken once by whoever needs it first; later scans do
/// their own (the files may have changed since). The value arrives through a one-shot channel,
/// so the event loop can wait for it without a blocking thread.
#[derive(Debug)]
pub struct Preloaded<T>(Arc<Mutex<Option<oneshot::Receiver<T>>>>);

// By hand: derived, they would ask `T: Clone`; the clones share the one value.
impl<T> Clone for Preloaded<T> {
    fn clone(&self) -> Self {
        Preloaded(Arc::clone(&self.0))
    }
}

impl<T: Send + 'static> Preloaded<T> {
    pub fn none() -> Self {
        Preloaded(Arc::new(Mutex::new(None)))
    }

    /// Starts `make` now on the thread pool that the scans' parallel work uses: starting the
    /// pool here lets its threads come up while the caller parses the project, and `make`'s own
    /// parallel work (the classification) then runs on the thread it is on and one other,
    /// with no thread that only waits. `make` may block (it waits for the project): the pool
    /// has nothing else to do before the first frame. The pool is started from a short-lived
    /// thread, so that starting its threads (a third of a millisecond) is not the caller's
    /// time either. Without threads, nothing is preloaded.
    pub fn spawn(make: impl FnOnce() -> T + Send + 'static) -> Self {
        let (tx, rx) = oneshot::channel();
        let job = move || {
            // A panic in a pool job would abort the process: caught here, it drops the sender,
            // and whoever waits gets an error instead. (The panic hook has run by then, as for
            // any panic: inside the inspector it has restored the terminal.)
            if let Ok(value) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(make)) {
                // The receiver may be gone (the session ended first): nothing to do then.
                let _ = tx.send(value);
            }
        };
        // The pool is made on first use, and that panics when its threads cannot be started:
        // the job and its sender are dropped with the starting thread, and the receiver yields
        // an error.
        let started = std::thread::Builder::new()
            .name("pool-start".into())
            .spawn(move || rayon::spawn(job))
            .is_ok();
        Preloaded(Arc::new(Mutex::new(started.then_some(rx))))
    }

    /// Where the value will arrive, once; `None` afterwards. A job that panics, or a pool that
    /// could not start, drops the sender: the receiver then yields an error.
    pub fn take_receiver(&self) -> Option<oneshot::Receiver<T>> {
        self.0.lock().ok()?.take()
    }
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

/// The first classified frame: the project and the quick report of its required modules.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    /// Which scan this is (the event loop numbers them): a graph arriving from an older scan
    /// is dropped.
    pub scan_id: u64,
    pub project: Project,
    pub report: Report,
    pub env: EnvSummary,
}

/// What follows the first frame: the module graph, the build list's modules nobody
/// requires directly (graph-only rows), and what the build list found wrong with the
/// project's files.
#[derive(Debug, Clone)]
pub struct GraphOutcome {
    pub scan_id: u64,
    pub graph: ModGraph,
    pub graph_only: Vec<ModuleReport>,
    pub file_problems: Vec<FileProblem>,
}

impl PartialEq for GraphOutcome {
    fn eq(&self, other: &Self) -> bool {
        self.scan_id == other.scan_id
            && self.graph_only == other.graph_only
            && self.file_problems == other.file_problems
    }
}

impl PartialEq for ScanOutcome {
    /// Messages are compared in tests; the report is what matters (Project holds parsed files).
    fn eq(&self, other: &Self) -> bool {
        self.scan_id == other.scan_id && self.report == other.report && self.env == other.env
    }
}

/// The quick scan: presence and recorded hashes, no content hashed, no graph (loading every
/// go.mod of the graph is left for after the first frame).
/// (The first scan's preloaded outcome is awaited by the event loop, which calls this only
/// for later scans, or when the preload failed.)
pub fn scan(ctx: &ScanContext, scan_id: u64) -> Result<ScanOutcome, String> {
    let project =
        load_project(&ctx.project_dir, ctx.gowork.as_deref()).map_err(|e| e.to_string())?;
    Ok(classify_quickly(
        ctx,
        scan_id,
        project,
        open_probe_memo(ctx),
    ))
}

impl ScanContext {
    /// modscope's cache directory, where the session keeps its memos (the quick scans' and the
    /// verify passes'); none for the demo, whose cache is temporary (nothing of it is worth
    /// remembering).
    pub fn memos(&self) -> Option<PathBuf> {
        (!self.demo).then(modscope_cache_dir).flatten()
    }

    /// Where repairs keep what they evict: modscope's own quarantine, or for the demo a folder
    /// beside its throwaway cache (removed with it).
    pub fn quarantine_root(&self) -> Option<PathBuf> {
        if self.demo {
            return self.cache.root.parent().map(|p| p.join("quarantine"));
        }
        gomodcache::cache::evict::default_quarantine_root()
    }
}

/// The session's quick-scan memo. Unchanged modules' zips are not looked at: the verify pass
/// that follows every scan looks at each and replaces its row (a quarter of the quick scan's
/// system calls, before the first frame).
pub fn open_probe_memo(ctx: &ScanContext) -> Option<ProbeMemo> {
    ProbeMemo::open_in(&ctx.memos()?.join(PROBE_MEMO_DIR), &ctx.cache.root)
        .map(|memo| memo.with_zip_sizes(ZipSizes::Remembered))
}

/// The quick classification of `project`'s required modules, through `probe_memo`.
pub fn classify_quickly(
    ctx: &ScanContext,
    scan_id: u64,
    project: Project,
    probe_memo: Option<ProbeMemo>,
) -> ScanOutcome {
    let opts = CheckOptions {
        scope: gomodcache::analysis::check::CheckScope::Required,
        mode: CheckMode::Quick,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        gomodcache_source: ctx.source,
    };
    let mut report = run_check_with_memos(&project, &ctx.cache, &opts, None, probe_memo.as_ref());
    // As `check` says them: a cache that is not there is why every row is missing (one stat);
    // go refusing to run in the project is why every job would fail (a few small reads).
    report
        .file_problems
        .extend(missing_cache_problem(&ctx.cache));
    report.file_problems.extend(toolchain_refusal_problem(
        &project,
        &process_vars_with(&ctx.go_env),
    ));
    ScanOutcome {
        scan_id,
        project,
        report,
        env: EnvSummary::from_env(&ctx.go_env),
    }
}

/// The module graph of a scanned project, and the build list's graph-only modules, each
/// quickly classified for what go needs of it (as `check` does).
pub fn scan_graph(ctx: &ScanContext, scan_id: u64, project: &Project) -> GraphOutcome {
    let GraphOnlyQuick {
        graph,
        rows,
        file_problems,
    } = graph_only_quick(project, &ctx.cache, &process_vars_with(&ctx.go_env));
    GraphOutcome {
        scan_id,
        graph,
        graph_only: rows,
        file_problems,
    }
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
