//! The human form of a report: grouped by status, worst first, each problem with its cause and fix.

use gomodcache::analysis::report::{CheckMode, ModuleReport, Report, Status};
use std::fmt::Write;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn status(&self, status: Status, s: &str) -> String {
        let code = match status {
            Status::Cached => "32",
            Status::Missing => "33",
            Status::Mismatch => "1;31",
            Status::ReplacedLocal => "36",
            Status::Graph => "2",
        };
        self.wrap(code, s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

fn module_line(m: &ModuleReport, width: usize, p: &Paint) -> String {
    let name = format!("{} {}", m.path, m.version);
    let mut line = format!("  {} {name:<width$}", p.status(m.status, m.status.glyph()));
    if m.indirect {
        line.push_str(&p.dim(" // indirect"));
    }
    if let Some(r) = &m.replace {
        let target = match &r.version {
            Some(v) => format!("{} {v}", r.path),
            None => r.path.clone(),
        };
        let _ = write!(line, " => {target}");
    }
    line
}

/// Messages name cache files under `$GOMODCACHE/…` (shown in the header) to stay readable; fix
/// commands keep absolute paths so they can be pasted as they are.
fn shorten_cache_paths(message: &str, gomodcache: &str) -> String {
    if gomodcache.is_empty() {
        return message.to_string();
    }
    message.replace(&format!("{gomodcache}/"), "$GOMODCACHE/")
}

/// The report for a person: problems first, each with its cause and fix; healthy modules only
/// with `verbose`; a closing summary like `go mod verify`'s.
pub fn render_human(report: &Report, color: bool, verbose: bool) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    let title = report.main_module.as_deref().unwrap_or("(workspace)");
    let _ = writeln!(out, "{} {}", p.bold("modscope check ·"), p.bold(title));
    let _ = writeln!(out, "  project     {}", report.project_dir);
    if let Some(ws) = &report.workspace {
        let _ = writeln!(out, "  workspace   {ws}");
    }
    let _ = writeln!(
        out,
        "  GOMODCACHE  {} ({})",
        report.gomodcache, report.gomodcache_source
    );
    let mode = match (report.mode, report.verify_memo) {
        (CheckMode::Full, Some(m)) => &*format!(
            "full: {} zips and trees re-hashed, {} unchanged since the last check taken from the verify memo (--full re-hashes all), go.sum compared",
            m.rehashed, m.unchanged
        ),
        (CheckMode::Full, None) => "full: every zip and extracted tree re-hashed, go.sum compared",
        (CheckMode::Quick, _) => "quick: presence and recorded hashes only (--quick)",
    };
    let _ = writeln!(out, "  mode        {mode}");
    let width = report
        .modules
        .iter()
        .map(|m| m.path.len() + m.version.len() + 1)
        .max()
        .unwrap_or(0)
        .min(70);
    for status in Status::ALL {
        let group: Vec<&ModuleReport> = report
            .modules
            .iter()
            .filter(|m| m.status == status)
            .filter(|m| verbose || !m.problems.is_empty())
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            p.status(
                status,
                &format!("{} ({})", status.as_str().to_uppercase(), group.len())
            )
        );
        for m in group {
            let _ = writeln!(out, "{}", module_line(m, width, &p).trim_end());
            let mut last_fix = None;
            for problem in &m.problems {
                let message = shorten_cache_paths(&problem.message, &report.gomodcache);
                let _ = writeln!(out, "      {} {message}", p.bold(problem.kind.as_str()));
                // Causes often share one fix; print it once.
                if problem.fix.is_some() && problem.fix != last_fix {
                    let _ = writeln!(
                        out,
                        "      {} {}",
                        p.dim("fix:"),
                        problem.fix.as_deref().unwrap_or_default()
                    );
                    last_fix = problem.fix.clone();
                }
            }
            for l in &m.provenance {
                let line = if l.go_mod {
                    "go.sum /go.mod line"
                } else {
                    "go.sum line"
                };
                let _ = writeln!(
                    out,
                    "      {} {line} {}: {}",
                    p.bold("checksum database:"),
                    l.line,
                    l.reason
                );
                if let Some(fix) = l.fix.as_ref().filter(|f| last_fix.as_ref() != Some(*f)) {
                    let _ = writeln!(out, "      {} {fix}", p.dim("fix:"));
                }
            }
        }
    }
    if !report.file_problems.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("PROJECT FILES"));
        for f in &report.file_problems {
            let at = f
                .line
                .map(|l| format!("{}:{l}", f.file))
                .unwrap_or_else(|| f.file.clone());
            let _ = writeln!(out, "  {at}: {}", f.message);
        }
    }
    // About the run, not a module (a memo that could not be saved): said, never an error.
    for w in &report.warnings {
        let _ = writeln!(out, "\n{} {}", p.dim("warning:"), w.message);
        if let Some(fix) = &w.fix {
            let _ = writeln!(out, "  {} {fix}", p.dim("fix:"));
        }
    }
    let _ = writeln!(out, "\n{}", summary_line(report));
    out
}

/// The closing line. Healthy: as `go mod verify` says it, with what go does not check; else the
/// count of each status.
fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let required = s.total - s.graph_only;
    let scope = if s.graph_only > 0 {
        format!(
            "{required} required, {} only in the module graph",
            s.graph_only
        )
    } else {
        format!("{required} required")
    };
    let cancelled = if report.cancelled {
        "; CANCELLED before the end"
    } else {
        ""
    };
    if s.unhealthy == 0 && !report.cancelled {
        let what = match report.mode {
            CheckMode::Full => "verified",
            CheckMode::Quick => "present and consistent with go.sum (quick: nothing re-hashed)",
        };
        let beyond = match report.mode {
            CheckMode::Full => {
                "; beyond go mod verify, go.sum was compared with the cache and trees without a zip were hashed"
            }
            CheckMode::Quick => "",
        };
        return format!(
            "all {} modules {what} ({scope}){beyond}; -v lists them",
            s.total
        );
    }
    format!(
        "{} cached, {} missing, {} mismatch, {} replaced-local{}, {} graph-only healthy ({} modules: {scope}){cancelled}",
        s.cached,
        s.missing,
        s.mismatch,
        s.replaced_local,
        if s.replaced_local_broken > 0 {
            format!(" ({} broken)", s.replaced_local_broken)
        } else {
            String::new()
        },
        s.graph,
        s.total,
    )
}
