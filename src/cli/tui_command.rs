//! `modscope [-C DIR] [--modcache DIR] [--demo]`: the interactive inspector.

use super::check_command::{project_error_message, resolve_target, usage_error};
use crate::core::analysis::project::load_project;
use crate::core::cache::probe_memo::ProbeMemo;
use crate::tui::scan::{Preloaded, ScanContext, scan};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: Option<&Path>, modcache: Option<&Path>, demo: bool) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return usage_error(
            "the inspector needs a terminal; for scripts and CI use `modscope check [--json]`",
        );
    }
    let target = match resolve_target(dir, modcache, demo) {
        Ok(t) => t,
        Err(msg) => return usage_error(&msg),
    };
    // The demo's cache is temporary: nothing of it is worth remembering.
    let preloaded_memo = if demo {
        Preloaded::ready(None)
    } else {
        let root = target.cache.root.clone();
        Preloaded::spawn(move || ProbeMemo::open(&root))
    };
    // A project that cannot be read is a usage error here as in every subcommand, said on the
    // normal screen before the inspector takes it (once it runs, `r` rescans after a fix).
    let project = match load_project(&target.project_dir, target.gowork.as_deref()) {
        Ok(p) => p,
        Err(e) => return usage_error(&project_error_message(&e)),
    };
    let ctx = ScanContext {
        project_dir: target.project_dir.clone(),
        cache: target.cache.clone(),
        source: target.source,
        gowork: target.gowork.clone(),
        go_env: target.go_env.clone(),
        demo,
        preloaded: Preloaded::ready(project),
        preloaded_memo,
        first_scan: Preloaded::none(),
    };
    // The first classification runs while the terminal and the event loop are set up.
    let first_scan = {
        let ctx = ctx.clone();
        Preloaded::spawn(move || scan(&ctx, 1))
    };
    let ctx = ScanContext { first_scan, ..ctx };
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = crate::tui::run(ctx, color);
    // The demo's temporary directory lives until here.
    drop(target);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("modscope: {e}");
            ExitCode::from(1)
        }
    }
}
