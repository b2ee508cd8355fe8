//! `modscope check`: classify every required module; JSON or a human table; exit 0/1/2.

use super::human_report::render_human;
use super::output::{EXIT_USAGE, write_json};
use super::stderr_progress::StderrProgress;
use gomodcache::analysis::check::{
    CheckOptions, CheckScope, missing_cache_problem, run_check_with_memos,
};
use gomodcache::analysis::provenance::attach_provenance;
use gomodcache::analysis::report::{CheckMode, Report};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::cache::probe_memo::ProbeMemo;
use gomodcache::cache::verify_memo::{MemoMode, VerifyMemo};
use gomodcache::demo::materialize_demo;
use gomodcache::edit::tidy_backup::{default_backup_root, unfinished_backup};
use gomodcache::goenv::env::{GoEnv, ValueSource, process_vars_with};
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::{ProjectError, load_project};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Default, clap::Args)]
/// Where to look: the flags every project-reading subcommand shares.
pub struct TargetArgs {
    /// Run as if started in DIR (go's -C).
    #[arg(short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Use DIR as the module cache instead of resolving GOMODCACHE as go does.
    #[arg(long, value_name = "DIR")]
    pub modcache: Option<PathBuf>,
    /// Use the embedded demo project and cache.
    #[arg(long, conflicts_with_all = ["dir", "modcache"])]
    pub demo: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the report as JSON (schema version 1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Only check presence and recorded hashes; do not re-hash zips and extracted trees.
    #[arg(long, conflicts_with = "full")]
    pub quick: bool,
    /// Re-hash every zip and extracted tree even if unchanged since the last check (ignore and
    /// refresh the verify memo).
    #[arg(long)]
    pub full: bool,
    /// List every module, healthy ones too (by default only the problems are listed).
    #[arg(short, long)]
    pub verbose: bool,
}

/// Where the project and the cache are, after resolving flags, the demo and the environment.
pub struct Target {
    pub project_dir: PathBuf,
    pub cache: ModuleCache,
    pub source: ValueSource,
    pub gowork: Option<String>,
    /// Environment overrides for `go` children so they see the same cache (and, in the demo, the
    /// demo's own proxy).
    pub go_env: Vec<(String, String)>,
    /// Keeps the demo's temporary directory alive for as long as the target is used.
    pub _demo_dir: Option<tempfile::TempDir>,
}

pub fn resolve_target(
    dir: Option<&Path>,
    modcache: Option<&Path>,
    demo: bool,
) -> Result<Target, String> {
    if demo {
        let tmp = tempfile::Builder::new()
            .prefix("modscope-demo-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let layout =
            materialize_demo(tmp.path()).map_err(|e| format!("cannot write the demo: {e}"))?;
        let go_env = vec![
            (
                "GOMODCACHE".to_string(),
                layout.gomodcache.display().to_string(),
            ),
            (
                "GOPROXY".into(),
                format!("file://{}", layout.proxy_dir.display()),
            ),
            ("GOSUMDB".into(), "off".into()),
            ("GOFLAGS".into(), "-modcacherw".into()),
            ("GOTOOLCHAIN".into(), "local".into()),
            ("GOWORK".into(), "off".into()),
            (
                "GOCACHE".into(),
                tmp.path().join("gocache").display().to_string(),
            ),
        ];
        return Ok(Target {
            project_dir: layout.project_dir,
            cache: ModuleCache::new(layout.gomodcache),
            source: ValueSource::CommandLine,
            gowork: Some("off".into()),
            go_env,
            _demo_dir: Some(tmp),
        });
    }
    let project_dir = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    if !project_dir.is_dir() {
        return Err(not_a_directory_message(&project_dir));
    }
    let env = GoEnv::from_process();
    let (root, source) = match modcache {
        // A cache named on the command line that is not there is a mistyped path, not a cache
        // nothing was downloaded to yet (that is what a GOMODCACHE that does not exist means).
        Some(m) if !m.is_dir() => {
            return Err(format!(
                "--modcache {}: {}; pass the module cache directory (`go env GOMODCACHE` \
                 prints the one go uses), or leave --modcache out to use that one",
                m.display(),
                if m.exists() {
                    "not a directory"
                } else {
                    "no such directory"
                }
            ));
        }
        Some(m) => (
            std::path::absolute(m).unwrap_or_else(|_| m.to_path_buf()),
            ValueSource::CommandLine,
        ),
        None => env
            .gomodcache()
            .map_err(|e| format!("{e} (pass --modcache DIR to choose one)"))?,
    };
    let go_env = match modcache {
        Some(_) => vec![("GOMODCACHE".to_string(), root.display().to_string())],
        None => Vec::new(),
    };
    Ok(Target {
        project_dir,
        cache: ModuleCache::new(root),
        source,
        gowork: env.get("GOWORK").map(str::to_string),
        go_env,
        _demo_dir: None,
    })
}

/// Loads the project and checks it; the error is the message for a usage/input failure.
/// A full check of a real cache goes through the verify memo (`memo`: `Use`, or `Refresh` for
/// `--full`); the demo's throwaway cache never does.
pub fn check_target(
    target: &Target,
    mode: CheckMode,
    memo: MemoMode,
    show_progress: bool,
) -> Result<Report, String> {
    let project = load_project(&target.project_dir, target.gowork.as_deref())
        .map_err(|e| project_error_message(&e))?;
    let cancel = CancelFlag::new();
    let progress = StderrProgress::new();
    let go_env = process_vars_with(&target.go_env);
    let opts = CheckOptions {
        scope: CheckScope::BuildList { go_env: &go_env },
        mode,
        cancel: &cancel,
        progress: if show_progress {
            &progress
        } else {
            &NoProgress
        },
        gomodcache_source: target.source,
    };
    let memo_mode = memo;
    let memo = (mode == CheckMode::Full && target._demo_dir.is_none())
        .then(|| VerifyMemo::open(&target.cache.root, memo_mode))
        .flatten();
    // `--full` looks at everything afresh: no memo of either kind is consulted.
    let probe_memo = (memo_mode == MemoMode::Use && target._demo_dir.is_none())
        .then(|| ProbeMemo::open(&target.cache.root))
        .flatten();
    let mut report = run_check_with_memos(
        &project,
        &target.cache,
        &opts,
        memo.as_ref(),
        probe_memo.as_ref(),
    );
    progress.finish();
    let env = GoEnv::from_vars(go_env);
    for m in &mut report.modules {
        attach_provenance(m, &project, &target.cache, &env);
    }
    report
        .file_problems
        .extend(missing_cache_problem(&target.cache));
    Ok(report)
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let target = match resolve_target(
        args.target.dir.as_deref(),
        args.target.modcache.as_deref(),
        args.target.demo,
    ) {
        Ok(t) => t,
        Err(msg) => return usage_error(&msg),
    };
    let mode = if args.quick {
        CheckMode::Quick
    } else {
        CheckMode::Full
    };
    let memo = if args.full {
        MemoMode::Refresh
    } else {
        MemoMode::Use
    };
    let report = match check_target(&target, mode, memo, std::io::stderr().is_terminal()) {
        Ok(r) => r,
        Err(msg) => return usage_error(&msg),
    };
    let written = if args.json {
        write_json(&report)
    } else {
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        // The names and messages are escaped first; the colours are added after.
        match escaped_report(&report) {
            Some(safe) => {
                super::output::write_stdout_raw(&render_human(&safe, color, args.verbose))
            }
            None => super::output::write_stdout(&render_human(&report, false, args.verbose)),
        }
    };
    if let Err(code) = written {
        return code;
    }
    if !args.target.demo {
        note_unfinished_tidy(&target.project_dir);
        // Best effort: `modscope cache` counts the projects modscope has seen as users.
        let _ = gomodcache::inventory::registry::record_project(Path::new(&report.project_dir));
    }
    if report.is_healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Says where the backup of an earlier `go mod tidy` that never finished is (the inspector says
/// it too, in its status bar); see [`unfinished_backup`].
fn note_unfinished_tidy(project_dir: &Path) {
    if let Some(b) = default_backup_root().and_then(|r| unfinished_backup(project_dir, &r)) {
        say!(
            "modscope: note: a go mod tidy started {} did not finish: go.mod and go.sum are \
             unchanged since, and the backup taken before it is in {} (remove that directory \
             once you no longer need it)",
            b.created,
            b.dir.display()
        );
    }
}

/// `-C DIR` that is not a directory, and what to pass instead.
pub(crate) fn not_a_directory_message(dir: &Path) -> String {
    format!(
        "-C {}: not a directory ({}); pass -C the directory of your Go module (the one with \
         go.mod, or one below it)",
        dir.display(),
        if dir.exists() {
            "it is a file"
        } else {
            "no such directory"
        }
    )
}

/// Why the project cannot be read, and what to do about it.
pub(crate) fn project_error_message(err: &ProjectError) -> String {
    match err {
        ProjectError::NoGoMod(start) => match odd_go_mod(start) {
            Some(note) => format!(
                "{note}: go skips it, and finds no go.mod in {} or any parent directory; put the \
                 module's go.mod file there (or run modscope in a Go module, or pass -C DIR)",
                start.display()
            ),
            None => err.to_string(),
        },
        ProjectError::Read { path, .. } => format!(
            "{err}; make it a readable file (see `ls -l {}`)",
            path.display()
        ),
        ProjectError::Parse(e) => format!(
            "{err}\nfix {} at line {}, column {} (go refuses the file too), then run modscope again",
            e.file, e.line, e.column
        ),
        ProjectError::RelativeGowork(_) => format!(
            "{err}; set GOWORK to the absolute path of a go.work file, or to off, or unset it"
        ),
        ProjectError::NoModuleLine(_) => err.to_string(),
    }
}

/// A `go.mod` in `start` or above that is not a regular file (a directory, a dangling symlink):
/// go ignores such an entry, so "not found" would be puzzling next to it.
fn odd_go_mod(start: &Path) -> Option<String> {
    start.ancestors().find_map(|d| {
        let p = d.join("go.mod");
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if p.is_file() {
            return None;
        }
        Some(if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&p).unwrap_or_default();
            if p.exists() {
                format!(
                    "{} is a symbolic link to {}, which is not a file",
                    p.display(),
                    target.display()
                )
            } else {
                format!(
                    "{} is a broken symbolic link (to {}, which does not exist)",
                    p.display(),
                    target.display()
                )
            }
        } else if meta.is_dir() {
            format!("{} is a directory, not a file", p.display())
        } else {
            format!("{} is not a regular file", p.display())
        })
    })
}

pub(crate) fn usage_error(msg: &str) -> ExitCode {
    say!("modscope: {msg}");
    ExitCode::from(EXIT_USAGE)
}

/// The report with every string's control characters escaped (through its JSON form, so no
/// field is forgotten); `None` if that round trip fails.
fn escaped_report(report: &Report) -> Option<Report> {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(e) = super::output::escape_controls(s) {
                    *s = e;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
            serde_json::Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(report).ok()?;
    walk(&mut value);
    serde_json::from_value(value).ok()
}
