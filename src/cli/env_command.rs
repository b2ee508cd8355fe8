//! `modscope env`: the environment doctor.

use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::doctor::{EnvReport, Setting, env_report};
use gomodcache::goenv::env::GoEnv;
use gomodcache::graph::load_graph;
use gomodcache::project::load_project;
use gomodcache::project::requirements::requirements;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct EnvArgs {
    /// Run as if started in DIR (go's -C): the project whose modules the patterns are matched
    /// against, and whose go.work may be in effect.
    #[arg(short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Print the report as JSON (schema version 1).
    #[arg(long)]
    pub json: bool,
}

pub fn run_env(args: &EnvArgs) -> ExitCode {
    let env = GoEnv::from_process();
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return super::check_command::usage_error(&super::check_command::not_a_directory_message(
            &dir,
        ));
    }
    let project = load_project(&dir, env.get("GOWORK")).ok();
    let mut modules: BTreeSet<String> = BTreeSet::new();
    if let Some(p) = &project {
        modules.extend(requirements(p).into_iter().map(|r| r.path));
        if let Ok((root, _)) = env.gomodcache() {
            modules.extend(load_graph(p, &ModuleCache::new(root)).selected.into_keys());
        }
    }
    let modules: Vec<String> = modules.into_iter().collect();
    let report = env_report(&env, project.as_ref(), &modules);
    super::output::print_result(args.json, &report, render, true)
}

fn line(out: &mut String, name: &str, s: &Setting) {
    let src = s
        .source
        .and_then(|x| serde_json::to_value(x).ok())
        .and_then(|v| v.as_str().map(str::to_string));
    let value = if s.value.is_empty() {
        "(unset)".to_string()
    } else {
        s.value.clone()
    };
    let _ = writeln!(
        out,
        "{name}={value}{}",
        src.map(|s| format!("   [{s}]")).unwrap_or_default()
    );
    for m in &s.meaning {
        let _ = writeln!(out, "    {m}");
    }
}

fn render(r: &EnvReport) -> String {
    let mut out = String::new();
    if let Some(p) = &r.project_dir {
        let _ = writeln!(out, "project {p}\n");
    }
    line(&mut out, "GOPROXY", &r.goproxy);
    line(&mut out, "GOSUMDB", &r.gosumdb);
    for p in &r.private {
        line(&mut out, &p.name, &p.setting);
        for m in &p.patterns {
            let list = if m.modules.is_empty() {
                "no module of this project".to_string()
            } else {
                m.modules.join(", ")
            };
            let _ = writeln!(out, "    {} → {list}", m.pattern);
        }
    }
    line(&mut out, "GOFLAGS", &r.goflags);
    line(&mut out, "GOWORK", &r.gowork);
    line(&mut out, "GOTOOLCHAIN", &r.gotoolchain);
    line(&mut out, "GOMODCACHE", &r.gomodcache);
    line(&mut out, "GOPATH", &r.gopath);
    line(&mut out, "GO111MODULE", &r.go111module);
    if !r.warnings.is_empty() {
        out.push_str("\nwarnings:\n");
        for w in &r.warnings {
            let _ = writeln!(out, "  ! {}: {}", w.kind, w.message);
            if let Some(f) = &w.fix {
                let _ = writeln!(out, "      fix: {f}");
            }
        }
    }
    out
}
