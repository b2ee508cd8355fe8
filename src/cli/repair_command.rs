//! `modscope repair`: evict the modules whose cached content is bad into modscope's quarantine
//! (crash-safe, see `gomodcache::cache::evict`), download them again with go, and check them again.
//! The only command that writes to the module cache, and only after the user said yes.

use super::check_command::{check_target, resolve_target, usage_error};
use super::output::write_json;
use super::repair_output::{ModuleOutcome, RepairOutput, render_human, render_plan, render_purge};
use crate::jobs::{GoInvocation, JobEvent, JobOutcome, OutputStream, parse_download_json};
use gomodcache::analysis::repair_plan::{is_repaired, select_repairs};
use gomodcache::analysis::report::{CheckMode, Report};
use gomodcache::cache::evict::{
    Eviction, default_quarantine_root, list_quarantine, purge_quarantine,
};
use gomodcache::cache::verify_memo::MemoMode;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct RepairArgs {
    /// The modules to repair: PATH (the version the project uses) or PATH@VERSION.
    #[arg(value_name = "MODULE[@VERSION]")]
    pub modules: Vec<String>,
    /// Repair every module whose cached content is bad.
    #[arg(long, conflicts_with = "modules")]
    pub all: bool,
    /// Show what would be moved and run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (needed without a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Print the result as JSON (schema version 1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// List the quarantine and remove it (asks too).
    #[arg(long, conflicts_with_all = ["modules", "all"])]
    pub purge_quarantine: bool,
    /// Run as if started in DIR (go's -C).
    #[arg(short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Use DIR as the module cache instead of resolving GOMODCACHE as go does.
    #[arg(long, value_name = "DIR")]
    pub modcache: Option<PathBuf>,
}

pub fn run(args: &RepairArgs) -> ExitCode {
    let Some(quarantine) = default_quarantine_root() else {
        return usage_error(
            "no cache directory to keep the quarantine in: set MODSCOPE_CACHE_DIR to a directory outside the module cache",
        );
    };
    if args.purge_quarantine {
        return purge(args, &quarantine);
    }
    if args.modules.is_empty() && !args.all {
        return usage_error(
            "name the modules to repair (PATH or PATH@VERSION), or pass --all to repair every module whose cached content is bad",
        );
    }
    let target = match resolve_target(args.dir.as_deref(), args.modcache.as_deref(), false) {
        Ok(t) => t,
        Err(msg) => return usage_error(&msg),
    };
    let progress = std::io::stderr().is_terminal();
    // The eviction is decided on fresh hashes: the verify memo is refreshed, not trusted.
    let report = match check_target(&target, CheckMode::Full, MemoMode::Refresh, progress) {
        Ok(r) => r,
        Err(msg) => return usage_error(&msg),
    };
    let selection = match select_repairs(&report, &target.cache, &args.modules) {
        Ok(s) => s,
        Err(msg) => return usage_error(&msg),
    };
    let mut planned = Vec::new();
    let mut out = RepairOutput::new(&report, &quarantine, args.dry_run, &selection);
    for c in &selection.repairs {
        match Eviction::plan(
            &target.cache,
            &c.cache_path,
            &c.cache_version,
            &quarantine,
            &c.reason(),
        ) {
            Ok(e) => {
                out.modules.push(ModuleOutcome::planned(c, &e));
                planned.push(e);
            }
            Err(e) => out.modules.push(ModuleOutcome::failed(c, e.to_string())),
        }
    }
    out.command = download_invocation(&report, &target.go_env, &planned).map(|i| i.command_line());
    let plan_text = render_plan(&out);
    // The plan goes where the human reads: stdout, or stderr when stdout carries JSON.
    if args.json {
        say_partial!("{plan_text}");
    } else if let Err(code) = super::output::write_stdout(&plan_text) {
        return code;
    }
    if planned.is_empty() || args.dry_run {
        return finish(args, &out);
    }
    if !args.yes {
        match super::output::confirm(
            "Move these files to the quarantine and run go mod download? [y/N] ",
        ) {
            Some(true) => {}
            Some(false) => {
                say!("modscope: nothing was changed");
                out.declined();
                return finish(args, &out);
            }
            None => {
                return usage_error(
                    "repair writes to the module cache and asks first, but stdin is not a terminal: nothing was changed; pass --yes to repair without asking (or --dry-run to only see the plan)",
                );
            }
        }
    }
    let mut evicted = Vec::new();
    for (eviction, outcome) in planned.iter_mut().zip(out.planned_mut()) {
        if let Err(e) = eviction.run() {
            outcome.fail(e.to_string());
        }
        // A half-done eviction left `.partial` behind: go repairs what it left.
        if eviction.touched_cache() {
            evicted.push(&*eviction);
        }
    }
    if let Some(inv) = download_invocation(&report, &target.go_env, &evicted) {
        let (exit_code, errors) = run_go(&inv, args.json);
        out.go_exit_code = exit_code;
        out.go_errors = errors;
    }
    match check_target(&target, CheckMode::Full, MemoMode::Use, false) {
        Ok(after) => out.record_recheck(&after, |m| is_repaired(m, &target.cache)),
        Err(msg) => say!("modscope: cannot check the modules again: {msg}"),
    }
    finish(args, &out)
}

/// `go mod download -json path@version ...` of the evicted versions, in the project, with the
/// environment the target says go must see (the same cache).
fn download_invocation(
    report: &Report,
    go_env: &[(String, String)],
    evictions: &[impl std::borrow::Borrow<Eviction>],
) -> Option<GoInvocation> {
    let modules_at: Vec<String> = evictions
        .iter()
        .map(|e| {
            let m = e.borrow().manifest();
            format!("{}@{}", m.module, m.version)
        })
        .collect();
    (!modules_at.is_empty()).then(|| {
        crate::jobs::repair_job::download_invocation(
            Path::new(&report.project_dir),
            go_env,
            &modules_at,
        )
    })
}

/// Runs go as the inspector's jobs do (stdin closed, its own process group; Ctrl-C cancels it
/// and its whole group). Its stderr is passed on; returns its exit code and the errors it
/// reported per module.
fn run_go(inv: &GoInvocation, json: bool) -> (Option<i32>, Vec<String>) {
    if !json {
        say!("modscope: running {}", inv.command_line());
    }
    let ran = crate::jobs::runtime::run_abandoning_blocking(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = crate::jobs::spawn_go(1, inv.clone(), tx);
        let mut stdout = String::new();
        let mut outcome = None;
        let interrupt = tokio::signal::ctrl_c();
        tokio::pin!(interrupt);
        while outcome.is_none() {
            tokio::select! {
                ev = rx.recv() => match ev {
                    Some((_, JobEvent::Output { stream: OutputStream::Stdout, line })) => {
                        stdout.push_str(&line);
                        stdout.push('\n');
                    }
                    Some((_, JobEvent::Output { stream: OutputStream::Stderr, line })) => {
                        say!("{line}");
                    }
                    Some((_, JobEvent::Finished(o))) => outcome = Some(o),
                    Some(_) => {}
                    None => break,
                },
                _ = &mut interrupt => handle.cancel.cancel(),
            }
        }
        let mut errors: Vec<String> = parse_download_json(&stdout)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| r.error.map(|e| format!("{}@{}: {e}", r.path, r.version)))
            .collect();
        let code = match outcome {
            Some(JobOutcome::Succeeded) => Some(0),
            Some(JobOutcome::Failed { message, exit_code }) => {
                if errors.is_empty() {
                    errors.push(message);
                }
                exit_code
            }
            Some(JobOutcome::Cancelled) | None => {
                errors.push("go was interrupted".into());
                None
            }
        };
        (code, errors)
    });
    ran.unwrap_or_else(|e| {
        (
            None,
            vec![format!("cannot start {}: {e}", inv.command_line())],
        )
    })
}

fn finish(args: &RepairArgs, out: &RepairOutput) -> ExitCode {
    super::output::print_result(args.json, out, render_human, out.all_repaired())
}

/// `--purge-quarantine`: lists what the quarantine holds, asks, removes it.
fn purge(args: &RepairArgs, quarantine: &Path) -> ExitCode {
    let entries = match list_quarantine(quarantine) {
        Ok(e) => e,
        Err(e) => return usage_error(&e.to_string()),
    };
    let listing = render_purge(quarantine, &entries);
    if args.json {
        say_partial!("{listing}");
    } else if let Err(code) = super::output::write_stdout(&listing) {
        return code;
    }
    let removed = if entries.is_empty() || args.dry_run {
        Vec::new()
    } else {
        if !args.yes {
            match super::output::confirm("Remove all of it? [y/N] ") {
                Some(true) => {}
                Some(false) => {
                    say!("modscope: nothing was removed");
                    return ExitCode::from(1);
                }
                None => {
                    return usage_error(
                        "--purge-quarantine asks first, but stdin is not a terminal: nothing was removed; pass --yes to remove without asking",
                    );
                }
            }
        }
        match purge_quarantine(quarantine) {
            Ok(r) => r,
            Err(e) => {
                say!("modscope: {e}");
                return ExitCode::from(1);
            }
        }
    };
    if args.json {
        let value = serde_json::json!({
            "schema_version": 1,
            "quarantine": quarantine.display().to_string(),
            "dry_run": args.dry_run,
            "entries": entries.iter().map(|e| serde_json::json!({
                "dir": e.dir.display().to_string(),
                "module": e.manifest.as_ref().map(|m| format!("{}@{}", m.module, m.version)),
                "bytes": e.bytes,
            })).collect::<Vec<_>>(),
            "removed": removed.len(),
        });
        if let Err(code) = write_json(&value) {
            return code;
        }
    } else if !removed.is_empty() {
        say!("modscope: removed {} quarantined evictions", removed.len());
    }
    ExitCode::SUCCESS
}
