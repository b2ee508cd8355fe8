//! `modscope sumdb`: every go.sum line against what go cached of the checksum database.
//! Exit 0 nothing wrong (vouched or unchecked), 1 a conflict, an unverifiable answer or a fork,
//! 2 bad input (130 when `--online` is cancelled with Ctrl-C).
//!
//! `--online` looks up, the way go does, every line no cache answers for (see `crate::net`);
//! without it modscope makes no network access.

use super::check_command::{TargetArgs, usage_error};
use super::offline_command::load;
use crate::net::sumdb_online::{OnlineError, OnlineOptions, online_report};
use gomodcache::progress::CancelFlag;
use gomodcache::sumdb::check::{Sources, sumdb_report};
use gomodcache::sumdb::verdict::{LineVerdict, SumdbReport, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct SumdbArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the verdicts as JSON (schema version 1).
    #[arg(long)]
    pub json: bool,
    /// List every line, vouched and unchecked ones too.
    #[arg(short, long)]
    pub verbose: bool,
    /// Look up, the way go does (GOPROXY's sumdb route, else the database named by GOSUMDB),
    /// every line that no cache answers for; keep the verified answers in modscope's cache.
    #[arg(long)]
    pub online: bool,
    /// With --online: requests in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// With --online: seconds one request may take (connect, answer and all).
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
}

pub fn run(args: &SumdbArgs) -> ExitCode {
    let l = match load(&args.target) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let report = if args.online {
        if !(args.timeout > 0.0 && args.timeout.is_finite()) {
            return usage_error("--timeout must be a positive number of seconds");
        }
        let cancel = CancelFlag::new();
        cancel_on_ctrl_c(&cancel);
        let opts = OnlineOptions {
            jobs: usize::from(args.jobs),
            timeout: std::time::Duration::from_secs_f64(args.timeout),
            own: Sources::default_own(),
            cancel,
            // As proxy check: the environment modscope was started with, as go would be.
            vars: gomodcache::goenv::env::process_vars_with(&[]),
        };
        match online_report(&l.project, &l.target.cache, &l.env, &opts) {
            Ok(r) => r,
            Err(OnlineError::Usage(e)) => return usage_error(&e),
            Err(OnlineError::Cancelled) => {
                // Our own sequence clears the progress line; the message goes through say!.
                let _ = std::io::Write::write_all(&mut std::io::stderr(), b"\r\x1b[2K");
                say!("modscope: cancelled; nothing was kept");
                return ExitCode::from(130);
            }
        }
    } else {
        match sumdb_report(&l.project, &l.target.cache, &l.env) {
            Ok(r) => r,
            Err(e) => return usage_error(&e),
        }
    };
    super::output::print_result(args.json, &report, |r| render(r, args.verbose), report.ok())
}

/// Ctrl-C (SIGINT) sets `cancel` instead of killing the process mid-write.
fn cancel_on_ctrl_c(cancel: &CancelFlag) {
    let cancel = cancel.clone();
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        if rt.block_on(tokio::signal::ctrl_c()).is_ok() {
            cancel.cancel();
        }
    });
}

fn line_label(l: &LineVerdict) -> String {
    let suffix = if l.go_mod { "/go.mod" } else { "" };
    format!("{}:{}  {} {}{suffix}", l.file, l.line, l.path, l.version)
}

pub fn render(r: &SumdbReport, verbose: bool) -> String {
    let mut out = String::new();
    let c = &r.counts;
    let db = r.database.as_deref().unwrap_or("none (GOSUMDB=off)");
    let _ = writeln!(out, "modscope sumdb · checksum database {db}");
    let _ = writeln!(
        out,
        "{} vouched · {} conflict · {} unverifiable · {} unchecked  ({} go.sum lines)",
        c.vouched,
        c.conflict,
        c.unverifiable,
        c.unchecked,
        r.lines.len()
    );
    for h in &r.tree_heads {
        let _ = writeln!(out, "  tree head  size {} {}  ({})", h.size, h.hash, h.from);
    }
    if !r.consistency.is_empty() {
        let _ = writeln!(out, "  {}", r.consistency);
    }
    if let Some(o) = &r.online {
        match &o.skipped {
            Some(why) => {
                let _ = writeln!(out, "  online: nothing looked up: {why}");
            }
            None => {
                let _ = writeln!(
                    out,
                    "  online: {} looked up via {} ({} requests, {} failed)",
                    o.looked_up,
                    if o.via.is_empty() { "nothing" } else { &o.via },
                    o.requests,
                    o.errors.len()
                );
            }
        }
        if let Some(dir) = &o.kept_in {
            let _ = writeln!(
                out,
                "  kept {} answers and {} tiles in {dir}",
                o.kept_lookups, o.kept_tiles
            );
        }
        if let Some(why) = &o.not_kept {
            let _ = writeln!(out, "  {why}");
        }
        for e in o.errors.iter().take(10) {
            let _ = writeln!(out, "  ! {e}");
        }
        if o.errors.len() > 10 {
            let _ = writeln!(out, "  ! … and {} more", o.errors.len() - 10);
        }
    }
    for f in &r.findings {
        let _ = writeln!(out, "\n✗ {f}");
    }
    for l in r
        .lines
        .iter()
        .filter(|l| matches!(l.verdict, Verdict::Conflict | Verdict::Unverifiable))
    {
        let word = if l.verdict == Verdict::Conflict {
            "conflict"
        } else {
            "unverifiable"
        };
        let _ = writeln!(out, "\n✗ {word}  {}", line_label(l));
        let _ = writeln!(out, "    go.sum    {}", l.hash);
        if let Some(d) = &l.database_hash {
            let _ = writeln!(out, "    database  {d}");
        }
        if let Some(h) = &l.cache_hash {
            let _ = writeln!(out, "    cache     {h}");
        }
        let _ = writeln!(out, "    {}", l.reason);
        if let Some(fix) = &l.fix {
            let _ = writeln!(out, "    fix: {fix}");
        }
    }
    if verbose {
        for l in r
            .lines
            .iter()
            .filter(|l| matches!(l.verdict, Verdict::Vouched | Verdict::Unchecked))
        {
            let word = if l.verdict == Verdict::Vouched {
                "✓ vouched"
            } else {
                "· unchecked"
            };
            let _ = writeln!(out, "{word}  {}: {}", line_label(l), l.reason);
        }
    } else {
        // Unchecked lines by reason, so a go.sum of 800 lines stays readable.
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for l in r.lines.iter().filter(|l| l.verdict == Verdict::Unchecked) {
            *reasons.entry(l.reason.as_str()).or_default() += 1;
        }
        if !reasons.is_empty() {
            let _ = writeln!(out, "\nunchecked (-v lists them):");
            for (reason, n) in reasons {
                let _ = writeln!(out, "  {n:>5}  {reason}");
            }
        }
    }
    out
}
