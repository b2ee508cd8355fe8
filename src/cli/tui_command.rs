//! `modscope [-C DIR] [--modcache DIR] [--demo]`: the interactive inspector.

use super::check_command::{resolve_target, usage_error};
use crate::tui::scan::ScanContext;
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
    let ctx = ScanContext {
        project_dir: target.project_dir.clone(),
        cache: target.cache.clone(),
        source: target.source,
        gowork: target.gowork.clone(),
        go_env: target.go_env.clone(),
        demo,
    };
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
