//! `modscope [-C DIR] [--modcache DIR] [--demo]`: the interactive inspector.

use super::check_command::{project_error_message, resolve_target, usage_error};
use crate::tui::scan::{Preloaded, ScanContext, classify_quickly, open_probe_memo};
use gomodcache::project::load_project;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(dir: Option<&Path>, modcache: Option<&Path>, demo: bool) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return usage_error(
            "the inspector needs a terminal; for scripts and CI use `modscope check [--json]`",
        );
    }
    launch(dir, modcache, demo, None).unwrap_or_else(|code| code)
}

/// `modscope cache` in a terminal: the inspector, opened on its cache view, for the project in
/// the current directory (`projects`: more directories whose projects count as users). `None`
/// when there is no Go project here to open (the caller prints the report instead).
pub fn run_cache_view(
    dir: Option<&Path>,
    modcache: Option<&Path>,
    projects: Vec<PathBuf>,
) -> Option<ExitCode> {
    launch(dir, modcache, false, Some(projects)).ok()
}

/// Runs the inspector; `Err` (with the usage error already said, unless `cache_view`) when the
/// project cannot be read.
fn launch(
    dir: Option<&Path>,
    modcache: Option<&Path>,
    demo: bool,
    cache_view: Option<Vec<PathBuf>>,
) -> Result<ExitCode, ExitCode> {
    let mut target = match resolve_target(dir, modcache, demo) {
        Ok(t) => t,
        Err(_) if cache_view.is_some() => return Err(ExitCode::from(2)),
        Err(msg) => return Ok(usage_error(&msg)),
    };
    // Absolute from here on: "." has no name and no parent, and the inspector names things
    // after the project (the export's default directory is `<parent>/<name>-offline-bundle`).
    if let Ok(dir) = std::fs::canonicalize(&target.project_dir) {
        target.project_dir = dir;
    }
    let mut ctx = ScanContext {
        project_dir: target.project_dir.clone(),
        cache: target.cache.clone(),
        source: target.source,
        gowork: target.gowork.clone(),
        go_env: target.go_env.clone(),
        demo,
        cache_projects: cache_view.clone().unwrap_or_default(),
        project_root: None,
        open_cache_view: cache_view.is_some(),
        first_scan: Preloaded::none(),
    };
    // The first classification runs on the scans' thread pool: it reads the quick-scan memo
    // while the project is parsed here, then classifies the project it is sent, while the
    // terminal and the event loop are set up. (One job for both, on the pool the classification
    // uses: each thread started before the first frame costs that frame time on a machine with
    // few cores.) The job waits on a pool thread for the project: `load_project` must not use
    // the pool, which may have that one thread only.
    let (project_tx, project_rx) = std::sync::mpsc::channel();
    ctx.first_scan = {
        let ctx = ctx.clone();
        Preloaded::spawn(move || {
            let memo = open_probe_memo(&ctx);
            let project = project_rx
                .recv()
                .map_err(|_| "the project could not be read".to_string())?;
            Ok(classify_quickly(&ctx, 1, project, memo))
        })
    };
    // A project that cannot be read is a usage error here as in every subcommand, said on the
    // normal screen before the inspector takes it (once it runs, `r` rescans after a fix).
    let project = match load_project(&target.project_dir, target.gowork.as_deref()) {
        Ok(p) => p,
        Err(_) if cache_view.is_some() => return Err(ExitCode::from(2)),
        Err(e) => return Ok(usage_error(&project_error_message(&e))),
    };
    ctx.project_root = Some(project.root_dir().to_path_buf());
    if !demo {
        // Best effort: `modscope cache` counts the projects modscope has seen as users.
        let _ = gomodcache::inventory::registry::record_project(project.root_dir());
    }
    // Cannot fail while the thread waits; if it could not start, `scan` does the work itself.
    let _ = project_tx.send(project);
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = crate::tui::run(ctx, color);
    // The demo's temporary directory lives until here.
    drop(target);
    Ok(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("modscope: {e}");
            ExitCode::from(1)
        }
    })
}
