//! `modscope sumdb`: every go.sum line against what go cached of the checksum database.
//! Exit 0 nothing wrong (vouched or unchecked), 1 a conflict, an unverifiable answer or a fork,
//! 2 bad input.

use super::check_command::{TargetArgs, usage_error};
use super::offline_command::load;
use super::{write_json, write_stdout};
use crate::core::sumdb::verdict::{LineVerdict, SumdbReport, Verdict, sumdb_report};
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
}

pub fn run(args: &SumdbArgs) -> ExitCode {
    let l = match load(&args.target) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let report = match sumdb_report(&l.project, &l.target.cache, &l.env) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let written = if args.json {
        write_json(&report)
    } else {
        write_stdout(&render(&report, args.verbose))
    };
    if let Err(code) = written {
        return code;
    }
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
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
