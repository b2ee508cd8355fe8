//! `modscope graph` and `modscope why`: the module graph from the cache alone.

use super::check_command::{TargetArgs, project_error_message, resolve_target, usage_error};
use super::output::{write_json, write_stdout};
use gomodcache::cache::escape::escape_path;
use gomodcache::goenv::env::process_vars_with;
use gomodcache::graph::{GoModSource, ModGraph, load_graph};
use gomodcache::project::load_project;
use gomodcache::project::workspace_errors::{WorkspaceError, workspace_errors};
use gomodcache::synth::is_canonical_version;
use gomodcache::toolchain::{ToolchainRefusal, toolchain_refusal};
use gomodcache::version::semver;
use gomodcache::version::semver::canonical_version;
use std::fmt::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The build list and every edge as JSON.
    #[arg(long, group = "format")]
    pub json: bool,
    /// Graphviz dot.
    #[arg(long, group = "format")]
    pub dot: bool,
    /// Mermaid flowchart.
    #[arg(long, group = "format")]
    pub mermaid: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct WhyArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The module, optionally with a version (paths then lead to that version only).
    pub module: String,
    #[arg(long)]
    pub json: bool,
}

/// Why go loads no graph at all in the project: its toolchain refuses the go/toolchain line,
/// or the workspace is one go refuses.
struct Refusals {
    toolchain: Option<ToolchainRefusal>,
    workspace: Vec<WorkspaceError>,
}

/// The graph, and what makes go refuse the project.
fn load(target: &TargetArgs) -> Result<(ModGraph, Refusals), ExitCode> {
    let t = resolve_target(
        target.dir.as_deref(),
        target.modcache.as_deref(),
        target.demo,
    )
    .map_err(|m| usage_error(&m))?;
    let project = load_project(&t.project_dir, t.gowork.as_deref())
        .map_err(|e| usage_error(&project_error_message(&e)))?;
    let refusals = Refusals {
        toolchain: toolchain_refusal(&project, &process_vars_with(&t.go_env)),
        workspace: workspace_errors(&project),
    };
    Ok((load_graph(&project, &t.cache), refusals))
}

/// Says on stderr why go would refuse the project; whether there was anything to say.
fn report_refusals(refusals: &Refusals) -> bool {
    if let Some(r) = &refusals.toolchain {
        say!("modscope: {}\n  to fix: {}", r.message, r.advice);
    }
    for e in &refusals.workspace {
        let fix = match (&e.fix, &e.advice) {
            (Some(fix), _) => format!("\n  fix: {fix}"),
            (None, Some(advice)) => format!("\n  to fix: {advice}"),
            (None, None) => String::new(),
        };
        say!("modscope: {}{fix}", e.message);
    }
    refusals.toolchain.is_some() || !refusals.workspace.is_empty()
}

fn incomplete_note(graph: &ModGraph) -> String {
    let mut out = String::new();
    let missing = graph.missing();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "\nthe graph is incomplete offline: {} go.mod file(s) are not in the cache",
            missing.len()
        );
        for (n, s) in missing {
            let line = match s {
                GoModSource::Missing { file, fix } => format!("{file} is missing; fix: {fix}"),
                GoModSource::Invalid { file, error } => format!("{file}: {error}"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {n}: {line}");
        }
    }
    out
}

pub fn run_graph(args: &GraphArgs) -> ExitCode {
    let (graph, refusals) = match load(&args.target) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let refused = report_refusals(&refusals);
    let written = if args.json {
        write_json(&graph.to_json())
    } else if args.dot {
        write_stdout(&graph.to_dot())
    } else if args.mermaid {
        write_stdout(&graph.to_mermaid())
    } else {
        let counts = graph.requirer_counts();
        let mut out = String::new();
        for n in graph.build_list() {
            if n.is_main() {
                let _ = writeln!(out, "{}  (main)", n.path);
            } else {
                let k = counts.get(&n.path).copied().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "{} {}  ({k} requirer{})",
                    n.path,
                    n.version,
                    if k == 1 { "" } else { "s" }
                );
            }
        }
        let _ = write!(
            out,
            "\n{} modules, {} edges{}",
            graph.build_list().len(),
            graph.edge_list().len(),
            if graph.pruned {
                " (pruned graph, go ≥ 1.17)\n"
            } else {
                " (unpruned graph)\n"
            }
        );
        out.push_str(&incomplete_note(&graph));
        write_stdout(&out)
    };
    if let Err(code) = written {
        return code;
    }
    if graph.missing().is_empty() && !refused {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `MODULE` or `MODULE@VERSION` as `go` writes them: a module path, and a canonical semantic
/// version (`v1.2.3`, a pre-release, a pseudo-version, `+incompatible`). The error says what to
/// pass instead.
fn parse_module_arg(arg: &str) -> Result<(&str, Option<&str>), String> {
    let example = "pass MODULE or MODULE@VERSION, as in `modscope why golang.org/x/text` or \
                   `modscope why golang.org/x/text@v0.14.0`";
    let (path, version) = match arg.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (arg, None),
    };
    let path_ok = !path.is_empty()
        && !path.starts_with('-')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c))
        && escape_path(path).is_ok();
    if !path_ok {
        return Err(format!(
            "malformed module path {path:?} in {arg:?}; {example}"
        ));
    }
    match version {
        Some(v) if !semver::is_valid(v) => Err(format!(
            "malformed version {v:?} in {arg:?}: not a semantic version like v1.2.3; {example}"
        )),
        Some(v) if !is_canonical_version(v) => Err(format!(
            "version {v:?} in {arg:?} is not written as go writes it; pass \
             {path}@{} (MODULE@VERSION, the version in full)",
            canonical_version(v)
        )),
        _ => Ok((path, version)),
    }
}

/// Requirers listed by `why` before "… and N more": the selected version's come first.
const WHY_REQUIRERS_SHOWN: usize = 12;

pub fn run_why(args: &WhyArgs) -> ExitCode {
    // The argument first: a typo is reported without reading the project.
    let (path, version) = match parse_module_arg(&args.module) {
        Ok(pv) => pv,
        Err(msg) => return usage_error(&msg),
    };
    // why answers from the graph it can load; the refusal is said on stderr, and makes the exit
    // code 1 as go's own `go mod why` fails then.
    let (graph, refused) = match load(&args.target) {
        Ok((g, refusals)) => {
            let refused = report_refusals(&refusals);
            (g, refused)
        }
        Err(code) => return code,
    };
    let mut answer = graph.why_at(path, version);
    if let Some(v) = version {
        answer.required_by.retain(|r| r.version == v);
    }
    let written = if args.json {
        write_json(&answer)
    } else {
        // The headline, then the requirers (the full sentence listed every one of them).
        let mut out = format!("{}: {}\n", answer.path, answer.headline());
        if !answer.required_by.is_empty() {
            out.push_str("\nrequired by:\n");
            for r in answer.required_by.iter().take(WHY_REQUIRERS_SHOWN) {
                let mark = if Some(&r.version) == answer.selected.as_ref() {
                    "  ← selected"
                } else {
                    ""
                };
                let _ = writeln!(out, "  {} requires {}{mark}", r.by, r.version);
            }
            let more = answer.required_by.len().saturating_sub(WHY_REQUIRERS_SHOWN);
            if more > 0 {
                let _ = writeln!(out, "  … and {more} more (--json lists every one)");
            }
        }
        if !answer.paths.is_empty() {
            out.push_str("\npaths from the main module (shortest first):\n");
            for p in &answer.paths {
                let _ = writeln!(out, "  {}", p.join(" → "));
            }
            if answer.truncated {
                let _ = writeln!(
                    out,
                    "  … {} paths in all, {} shown",
                    answer.path_count,
                    answer.paths.len()
                );
            }
        }
        out.push_str(&incomplete_note(&graph));
        write_stdout(&out)
    };
    if let Err(code) = written {
        return code;
    }
    if answer.selected.is_some() && !answer.paths.is_empty() && !refused {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
