//! `modscope offline` (would `GOPROXY=off go build ./...` work, and what blocks it) and
//! `modscope export` (a minimal `file://` proxy bundle of what the build needs).

use super::check_command::{
    Target, TargetArgs, project_error_message, resolve_target, usage_error,
};
use super::output::{write_json, write_stdout};
use gomodcache::bundle::{BundleLayout, dir_size, export_bundle};
use gomodcache::goenv::env::{GoEnv, process_vars_with};
use gomodcache::offline::verdict::{OfflineReport, VerdictInput, offline_verdict};
use gomodcache::project::{Project, load_project};
use gomodcache::toolchain::GoInstall;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct OfflineArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the verdict as JSON (schema version 1).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LayoutArg {
    Goproxy,
    Athens,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The bundle directory (new or empty): use it as GOPROXY=file://DIR.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write the bundle as a tar file.
    #[arg(long, value_name = "FILE")]
    pub tar: Option<PathBuf>,
    /// How the files are laid out: `goproxy` (a GOPROXY tree: GOPROXY=file://DIR) or `athens`
    /// (Athens' disk storage: `<path>/<version>/go.mod`, `source.zip`, `<version>.info`, to
    /// copy into an Athens storage root).
    #[arg(long, value_enum, default_value = "goproxy")]
    pub layout: LayoutArg,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the manifest as JSON instead of the summary.
    #[arg(long)]
    pub json: bool,
}

/// The project, the environment go would see (with the target's overrides) and the go probe.
pub(crate) struct Loaded {
    pub target: Target,
    pub project: Project,
    pub env: GoEnv,
    pub go: GoInstall,
}

pub(crate) fn load(args: &TargetArgs) -> Result<Loaded, ExitCode> {
    let demo = args.demo;
    let target = resolve_target(args.dir.as_deref(), args.modcache.as_deref(), demo)
        .map_err(|m| usage_error(&m))?;
    let vars = process_vars_with(&target.go_env);
    let env = GoEnv::from_vars(vars.clone());
    let gowork = if demo {
        Some("off".to_string())
    } else {
        env.get("GOWORK").map(str::to_string)
    };
    let project = load_project(&target.project_dir, gowork.as_deref())
        .map_err(|e| usage_error(&project_error_message(&e)))?;
    if !demo {
        // Best effort: `modscope cache` counts the projects modscope has seen as users.
        let _ = gomodcache::inventory::registry::record_project(project.root_dir());
    }
    let go = GoInstall::probe(&vars);
    Ok(Loaded {
        target,
        project,
        env,
        go,
    })
}

pub fn run_offline(args: &OfflineArgs) -> ExitCode {
    let l = match load(&args.target) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let report = offline_verdict(&VerdictInput {
        project: &l.project,
        cache: &l.target.cache,
        env: &l.env,
        go: &l.go,
        ignore_vendor: false,
    });
    super::output::print_result(args.json, &report, render, report.ready)
}

fn render(r: &OfflineReport) -> String {
    let mut out = String::new();
    let main = r.main_modules.join(", ");
    let _ = writeln!(out, "modscope offline · {main} ({})", r.project_dir);
    if r.ready {
        let _ = writeln!(
            out,
            "✓ ready: `GOPROXY=off go build ./...` would succeed with this cache"
        );
    } else {
        let n = r.blockers.len();
        let _ = writeln!(
            out,
            "✗ not ready: {n} blocker{} for `GOPROXY=off go build ./...`",
            if n == 1 { "" } else { "s" }
        );
    }
    let go = r.go.goversion.as_deref().unwrap_or("not installed");
    let tc = if r.toolchain.gotoolchain.is_empty() {
        "unset"
    } else {
        &r.toolchain.gotoolchain
    };
    let mode = serde_json::to_value(r.build_mode)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "go {go} (GOTOOLCHAIN={tc}) · -mod={mode} ({}) · {}/{}",
        r.build_mode_reason, r.build_context.goos, r.build_context.goarch
    );
    if r.toolchain.selected != "local" {
        let from = match (&r.toolchain.selected_module, &r.toolchain.selected_exe) {
            (Some(m), _) => format!("from the module cache ({m})"),
            (None, Some(exe)) => format!("from PATH ({})", exe.display()),
            (None, None) => "(not available)".into(),
        };
        let _ = writeln!(out, "go switches to {} {from}", r.toolchain.selected);
    }
    let providers = r.modules.iter().filter(|m| !m.provides.is_empty()).count();
    let _ = writeln!(
        out,
        "{} packages from {providers} modules ({} looked into) · {} go.mod files read{}",
        r.packages.len(),
        r.modules.len(),
        r.go_mod_files.len(),
        if r.full_graph.is_some() {
            " (full module graph)"
        } else {
            " (lazy loading)"
        }
    );
    if !r.blockers.is_empty() {
        out.push_str("\nblockers:\n");
        for b in &r.blockers {
            let kind = serde_json::to_value(b.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  ✗ {kind}{}",
                b.module
                    .as_deref()
                    .map(|m| format!("  {m}"))
                    .unwrap_or_default()
            );
            for line in b.message.lines() {
                let _ = writeln!(out, "      {line}");
            }
            if let Some(fix) = &b.fix {
                let _ = writeln!(out, "      fix: {fix}");
            }
        }
    }
    if !r.warnings.is_empty() {
        out.push_str("\nwarnings:\n");
        for w in &r.warnings {
            let _ = writeln!(out, "  ! {}: {}", w.kind, w.message);
            if let Some(fix) = &w.fix {
                let _ = writeln!(out, "      fix: {fix}");
            }
        }
    }
    if !r.not_needed.is_empty() {
        let _ = writeln!(
            out,
            "\nnot needed by go build (test-only or unused): {}",
            r.not_needed.join(", ")
        );
    }
    out
}

fn human_size(n: u64) -> String {
    bytesize::ByteSize::b(n).to_string()
}

pub fn run_export(args: &ExportArgs) -> ExitCode {
    let l = match load(&args.target) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let input = VerdictInput {
        project: &l.project,
        cache: &l.target.cache,
        env: &l.env,
        go: &l.go,
        ignore_vendor: true,
    };
    let result = match export_bundle(
        &input,
        &args.out,
        args.tar.as_deref(),
        match args.layout {
            LayoutArg::Goproxy => BundleLayout::Goproxy,
            LayoutArg::Athens => BundleLayout::Athens,
        },
    ) {
        Ok(r) => r,
        Err(e) => {
            let hint = match e.kind() {
                std::io::ErrorKind::AlreadyExists if e.to_string().contains("the tar") => {
                    "; pass --tar a new file name"
                }
                std::io::ErrorKind::AlreadyExists => "; pass --out a new or empty directory",
                _ => "",
            };
            return usage_error(&format!(
                "cannot write the bundle to {}: {e}{hint}",
                args.out.display()
            ));
        }
    };
    let written = if args.json {
        write_json(&result.manifest)
    } else {
        let m = &result.manifest;
        let cache = dir_size(&l.target.cache.root);
        let mut out = format!("bundle written to {}\n", result.dir.display());
        let zips = m.modules.iter().filter(|x| x.zip).count();
        let _ = writeln!(
            out,
            "{} files, {} ({} .mod, {zips} zips) · the module cache holds {}",
            m.files.len(),
            human_size(m.total_size),
            m.modules.len(),
            human_size(cache)
        );
        if let Some((t, size)) = &result.tar {
            let _ = writeln!(out, "tar: {} ({})", t.display(), human_size(*size));
        }
        if !m.missing.is_empty() {
            let _ = writeln!(
                out,
                "\nincomplete: {} item(s) the build needs could not be exported:",
                m.missing.len()
            );
            for x in &m.missing {
                let _ = writeln!(out, "  ✗ {}: {} ({})", x.module, x.reason, x.file);
                if let Some(fix) = &x.fix {
                    let _ = writeln!(out, "      fix: {fix}");
                }
            }
        }
        let _ = write!(out, "\nuse it with:\n\n{}", result.usage());
        write_stdout(&out)
    };
    if let Err(code) = written {
        return code;
    }
    if result.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
