//! `modscope proxy check [URL]`: does a module proxy hold everything this project needs, with
//! the right bytes? Exit 0 complete, 1 something absent, wrong or failing, 2 bad input.

use super::check_command::{TargetArgs, usage_error};
use super::offline_command::load;
use crate::net::proxy_source::{HttpSettings, open_proxy, proxy_target};
use gomodcache::offline::verdict::{VerdictInput, offline_analysis};
use gomodcache::progress::CancelFlag;
use gomodcache::proxy::audit::{AuditOptions, audit, needs};
use gomodcache::proxy::report::{EntryState, ProxyAudit};
use gomodcache::sumdb::note::sumdb_name;
use std::fmt::Write;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Clone, clap::Subcommand)]
pub enum ProxyCommand {
    /// Check a module proxy for everything this project needs: each module's .info, .mod
    /// (against go.sum) and zip (HEAD, or --full: downloaded and hashed against go.sum).
    Check(ProxyCheckArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ProxyCheckArgs {
    /// The proxy (`file:///dir`, `https://…`); default: the first proxy of the effective GOPROXY.
    pub url: Option<String>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Download every zip and hash it against go.sum (default: ask whether it is there).
    #[arg(long)]
    pub full: bool,
    /// Every module of the build list (go list -m all), not only what the build needs.
    #[arg(long)]
    pub all: bool,
    /// Requests in flight.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub jobs: usize,
    /// Seconds one request may take (HTTP), retries included separately.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,
    /// Print the audit as JSON (schema version 1).
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: &ProxyCommand) -> ExitCode {
    let ProxyCommand::Check(args) = cmd;
    let l = match load(&args.target) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let (url, list) = match proxy_target(&l.env, args.url.as_deref()) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    let cancel = CancelFlag::new();
    let settings = HttpSettings {
        timeout: Duration::from_secs(args.timeout.max(1)),
        jobs: args.jobs,
    };
    let vars = gomodcache::goenv::env::process_vars_with(&[]);
    let source = match open_proxy(&url, settings, &cancel, &l.env, &vars) {
        Ok(s) => s,
        Err(e) => return usage_error(&e),
    };
    let input = VerdictInput {
        project: &l.project,
        cache: &l.target.cache,
        env: &l.env,
        go: &l.go,
        ignore_vendor: true,
    };
    let (report, graph) = offline_analysis(&input);
    let needed = needs(&l.project, &report, &graph, args.all);
    let on_terminal = std::io::stderr().is_terminal() && !args.json;
    let progress = |done: usize, total: usize| {
        if on_terminal && (done == total || done.is_multiple_of(8)) {
            super::output::write_stderr(
                &format!("\r{done}/{total} modules checked"),
                done == total,
            );
        }
    };
    let gosumdb = l.env.get("GOSUMDB").unwrap_or("");
    let audit = audit(
        source.as_ref(),
        &l.project,
        &needed,
        &AuditOptions {
            full: args.full,
            jobs: args.jobs,
            list: &list,
            sumdb: sumdb_name(gosumdb),
            cancel: &cancel,
            progress: &progress,
        },
    );
    super::output::print_result(args.json, &audit, render, audit.complete)
}

fn render(a: &ProxyAudit) -> String {
    let mut out = String::new();
    let c = &a.counts;
    let verdict = if a.complete {
        "✓ complete"
    } else {
        "✗ incomplete"
    };
    let _ = writeln!(
        out,
        "modscope proxy check · {}\n{verdict}: {} modules, {} present · {} absent · {} wrong · {} errors{}",
        a.proxy,
        a.modules,
        c.present,
        c.absent,
        c.wrong,
        c.error,
        if a.full {
            " (zips downloaded and hashed)"
        } else {
            " (zips asked with HEAD; --full hashes them)"
        }
    );
    for e in a
        .entries
        .iter()
        .filter(|e| !e.advisory && e.state != EntryState::Present)
    {
        let word = match e.state {
            EntryState::Absent => "absent",
            EntryState::Wrong => "WRONG",
            _ => "error",
        };
        let _ = writeln!(
            out,
            "\n✗ {word}  {} {}  {}",
            e.module.as_deref().unwrap_or(""),
            e.file,
            e.url
        );
        if !e.detail.is_empty() {
            let _ = writeln!(out, "    {}", e.detail);
        }
        if let Some(next) = &e.next {
            let _ = writeln!(out, "    then: {next}");
        }
        if let Some(fix) = &e.fix {
            let _ = writeln!(out, "    fix: {fix}");
        }
    }
    let advice: Vec<_> = a
        .entries
        .iter()
        .filter(|e| e.advisory && e.state != EntryState::Present)
        .collect();
    if !advice.is_empty() {
        let _ = writeln!(out, "\nnot needed to build, worth knowing:");
        for e in advice {
            let _ = writeln!(
                out,
                "  · {}: {}",
                e.url,
                if e.detail.is_empty() {
                    "absent"
                } else {
                    &e.detail
                }
            );
        }
    }
    out
}
