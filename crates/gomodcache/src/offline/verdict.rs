//! The offline verdict: everything that would make `GOPROXY=off go build ./...` fail, each
//! with its fix, from the project, the module cache, the environment and the installed go.

use super::fetch::{ModuleAccess, SumPolicy};
use super::multiple_paths::check_multiple_paths;
use super::package_dirs::invalid_package_dirs;
use super::vendor_check::{
    check_vendor_consistency, inconsistent_vendoring_message, read_vendor_list,
};
use super::{Blocker, BlockerKind as K, Findings, Warning};
use crate::cache::layout::ModuleCache;
use crate::fix::compound::go_get_command;
use crate::fs::read::{limits, read_regular_file};
use crate::goenv::env::GoEnv;
use crate::goenv::env::effective_private;
use crate::goenv::env_traps::{environment_blockers, traps};
use crate::goenv::goflags::{GoFlags, parse_goflags};
use crate::graph::{ModGraph, Node, load_graph};
use crate::packages::constraints::BuildContext;
use crate::packages::imports::{
    Analysis, ModuleNeed, PackageUse, Resolver, Vendored, sum_hint_importer, unused_requirements,
};
use crate::project::Project;
use crate::project::vendor_mode::BuildMode;
use crate::project::vendor_mode::{build_mode, vendor_dir};
use crate::project::workspace_errors::workspace_errors;
use crate::toolchain::go_line::{raising_modules, report_raised_go_line};
use crate::toolchain::{GoInstall, ToolchainInfo, check_toolchain};
use crate::version::gover;
use serde::{Deserialize, Serialize};

/// The offline verdict (`modscope offline`): would `go build ./...` succeed with GOPROXY=off,
/// and if not, what stops it and the command that fixes each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineReport {
    /// Version of this JSON shape (1).
    pub schema_version: u32,
    /// `go build ./...` would succeed with GOPROXY=off.
    pub ready: bool,
    /// The project's root directory (the go.work or main go.mod directory).
    pub project_dir: String,
    /// The main modules' paths.
    pub main_modules: Vec<String>,
    /// The module cache the verdict was computed against.
    pub gomodcache: String,
    /// The `-mod` mode go would build in.
    pub build_mode: BuildMode,
    /// Why go picks that mode, in words.
    pub build_mode_reason: String,
    /// What `go env` said about the installed go.
    pub go: GoInstall,
    /// Which toolchain would run, and whether it is available offline.
    pub toolchain: ToolchainInfo,
    /// The target the build constraints are evaluated for.
    pub build_context: BuildContext,
    /// Every non-standard-library package the build loads.
    pub packages: Vec<PackageUse>,
    /// Modules go looks into for those packages (their zips are needed).
    pub modules: Vec<ModuleNeed>,
    /// The modules whose go.mod go reads (`path@version`).
    pub go_mod_files: Vec<String>,
    /// Why go loads the whole module graph, if it does (then every go.mod it reaches is needed).
    pub full_graph: Option<String>,
    /// go.mod requirements no package of the build comes from (test-only or unused): they do
    /// not have to be in the cache for `go build`.
    pub not_needed: Vec<String>,
    /// What would make the build fail; empty when `ready`.
    pub blockers: Vec<Blocker>,
    /// What is worth knowing but does not stop the build.
    pub warnings: Vec<Warning>,
}

/// What [`offline_verdict`] reads: the project, the cache, go's settings and the installed go.
pub struct VerdictInput<'a> {
    /// The loaded project.
    pub project: &'a Project,
    /// The module cache to check against.
    pub cache: &'a ModuleCache,
    /// The go settings the build would see.
    pub env: &'a GoEnv,
    /// The installed go, as probed by the caller.
    pub go: &'a GoInstall,
    /// Analyse as if `-mod=readonly` (the bundle export wants the modules, not vendor/).
    pub ignore_vendor: bool,
}

/// Builds the verdict. Reads only; runs nothing (the go probe is done by the caller).
pub fn offline_verdict(input: &VerdictInput<'_>) -> OfflineReport {
    offline_analysis(input).0
}

/// The verdict and the graph it was computed on (the export needs both).
pub fn offline_analysis(input: &VerdictInput<'_>) -> (OfflineReport, ModGraph) {
    let VerdictInput {
        project,
        cache,
        env,
        go,
        ..
    } = *input;
    let mut f = Findings::default();
    let flags = match parse_goflags(env.get("GOFLAGS").unwrap_or("")) {
        Ok(fl) => fl,
        Err(e) => {
            f.block_with_advice(
                K::Environment,
                None,
                e,
                "fix GOFLAGS: every word must be a flag (-name or -name=value)",
            );
            GoFlags::default()
        }
    };
    if let Some(e) = flags.mod_error() {
        f.block_with_advice(
            K::Environment,
            None,
            format!("go: {e}"),
            "fix -mod in GOFLAGS",
        );
    }
    environment_blockers(env, &mut f);
    f.warnings.extend(traps(env, Some(&flags)));
    if let Some(m) = &flags.modfile {
        f.warn(
            "modfile",
            format!("GOFLAGS sets -modfile={m}: go reads that file, modscope analysed go.mod"),
            None,
        );
    }
    for p in &project.file_problems {
        if p.message.starts_with("malformed go.sum") {
            let at = p.line.map(|l| format!(":{l}")).unwrap_or_default();
            f.block_with_advice(
                K::MalformedGoSum,
                None,
                format!("go: {}{at}: {}", p.file, p.message),
                "delete or fix the malformed line",
            );
        }
    }
    workspace_blockers(project, &mut f);
    let (mut mode, mut reason) = build_mode(project, &flags);
    if input.ignore_vendor && mode == BuildMode::Vendor {
        (mode, reason) = (BuildMode::Readonly, "vendor/ ignored for the export".into());
    }
    if project.workspace.is_some() && mode == BuildMode::Mod {
        f.block_with_advice(K::Environment, None, "go: -mod may only be set to readonly or vendor when in workspace mode, but it is set to \"mod\"\n\tRemove the -mod flag to use the default readonly value, \n\tor set GOWORK=off to disable workspace mode", "remove -mod=mod from GOFLAGS or set GOWORK=off");
    }
    let toolchain = check_toolchain(project, cache, env, go, &mut f);
    let ctx = go.build_context(env, &flags.tags);
    let graph = load_graph(project, cache);
    let sums = SumPolicy {
        required: mode == BuildMode::Readonly && project.workspace.is_none(),
        gosumdb: env.get("GOSUMDB").unwrap_or("").to_string(),
        gonosumdb: effective_private(env, "GONOSUMDB").0,
    };
    let mut access = ModuleAccess::new(project, cache, sums);
    access.local_go = gover::from_toolchain(&toolchain.selected).or(toolchain.local.clone());
    let lazy = graph.pruned && project.workspace.is_none() && mode != BuildMode::Vendor;
    let mut resolver = Resolver::new(&mut access, &graph, &ctx, mode, lazy);
    resolver.goroot = go.goroot.clone();
    let roots = resolver.roots().clone();
    if mode == BuildMode::Vendor {
        resolver.vendor = Some(vendor_setup(
            project,
            &reason,
            access_local(&toolchain),
            &mut f,
        ));
    } else if project.workspace.is_some() {
        resolver.set_full_graph(
            "workspace mode loads the module graph of every workspace module".into(),
        );
    } else if !lazy {
        resolver.set_full_graph("the main module's go line is below 1.17, so its module graph is not pruned and go loads all of it".into());
    }
    let analysis: Analysis = resolver.run(&mut f);
    use_gos_hint_for_missing_sums(&mut f, &analysis, &roots);
    invalid_package_dirs(&analysis, &cache.root, env, &mut f);
    if mode != BuildMode::Vendor {
        let mods: Vec<Node> = if analysis.full_graph.is_some() {
            graph.build_list()
        } else {
            graph
                .main
                .iter()
                .cloned()
                .chain(roots.iter().map(|(p, v)| Node::new(p, v)))
                .collect()
        };
        check_multiple_paths(project, &mods, &mut f);
    }
    if mode != BuildMode::Vendor && analysis.full_graph.is_some() {
        for node in graph.sources.keys().filter(|n| !n.is_main()) {
            access.go_mod(node, "loading the module graph", &mut f);
        }
        if !graph.missing().is_empty() {
            f.warn("graph-incomplete", "some go.mod files of the module graph are missing, so the modules below them could not be examined", None);
        }
    }
    if mode != BuildMode::Vendor
        && project.workspace.is_none()
        && let Some(main) = &project.main
    {
        // `gover.FromGoMod`: no go line means go 1.16.
        let main_go = main.go_mod.go.as_deref().unwrap_or("1.16");
        let raising = raising_modules(main_go, &analysis, &roots, &mut access, &mut f);
        report_raised_go_line(main_go, &raising, mode, &mut f);
    }
    let go_mod_files = if mode == BuildMode::Vendor {
        Vec::new()
    } else {
        access.go_mods_read().iter().map(Node::to_string).collect()
    };
    let report = OfflineReport {
        schema_version: 1,
        ready: f.blockers.is_empty(),
        project_dir: project.root_dir().display().to_string(),
        main_modules: project
            .main_modules
            .iter()
            .filter_map(|m| m.module_path().map(str::to_string))
            .collect(),
        gomodcache: cache.root.display().to_string(),
        build_mode: mode,
        build_mode_reason: reason,
        go: go.clone(),
        toolchain,
        build_context: ctx.clone(),
        packages: analysis.packages.values().cloned().collect(),
        modules: analysis.modules.values().cloned().collect(),
        go_mod_files,
        full_graph: analysis.full_graph.clone(),
        not_needed: if mode == BuildMode::Vendor {
            Vec::new()
        } else {
            unused_requirements(&analysis, &roots)
        },
        blockers: f.blockers,
        warnings: f.warnings,
    };
    (report, graph)
}

/// Whatever makes go refuse the workspace: it stops on each before loading anything.
fn workspace_blockers(project: &Project, f: &mut Findings) {
    for e in workspace_errors(project) {
        match e.fix {
            Some(fix) => f.block(K::InvalidWorkspace, None, e.message, fix),
            None => f.block_with_advice(
                K::InvalidWorkspace,
                None,
                e.message,
                e.advice.as_deref().unwrap_or_default(),
            ),
        }
    }
}

/// A module that go.mod does not require, missing its zip line: `go mod download path@version`
/// exits 0 and adds nothing (measured with go 1.26.8 in a go 1.16 project), so the fix is go's
/// own hint, `go get importer@version`.
fn use_gos_hint_for_missing_sums(
    f: &mut Findings,
    analysis: &Analysis,
    roots: &std::collections::BTreeMap<String, String>,
) {
    for b in &mut f.blockers {
        let Some((path, _)) = b.module.as_deref().and_then(|m| m.split_once('@')) else {
            continue;
        };
        if b.kind != K::MissingGoSumZip || roots.contains_key(path) {
            continue;
        }
        let hint = analysis.modules.get(path).and_then(|need| {
            sum_hint_importer(need, |p| {
                analysis.packages.get(p).map(|u| u.module.as_str())
            })
        });
        if let Some((importer, version)) = hint {
            b.fix = Some(go_get_command(&importer, version.as_deref()));
        }
    }
}

fn access_local(t: &ToolchainInfo) -> Option<String> {
    gover::from_toolchain(&t.selected).or(t.local.clone())
}

/// Vendoring in effect: go's consistency check, the `## go` versions, and what the resolver
/// needs to read packages from vendor/.
fn vendor_setup(
    project: &Project,
    reason: &str,
    local: Option<String>,
    f: &mut Findings,
) -> Vendored {
    let dir = vendor_dir(project).unwrap_or_default();
    let text = read_regular_file(&dir.join("modules.txt"), limits::TEXT)
        .map(|d| String::from_utf8_lossy(&d).into_owned())
        .unwrap_or_default();
    let list = read_vendor_list(&text);
    let errs = check_vendor_consistency(project, &list);
    if !errs.is_empty() {
        let sub = if project.workspace.is_some() {
            "go work vendor"
        } else {
            "go mod vendor"
        };
        f.block(K::InconsistentVendoring, None, format!("{}\nThe fix needs every module in the cache or the network; or build with -mod=readonly to ignore vendor/", inconsistent_vendoring_message(project, &errs)), sub);
    }
    if let Some(local) = &local {
        let mut too_new: Vec<(&String, &String)> = list
            .meta
            .iter()
            .filter_map(|(k, m)| Some((&k.0, m.go_version.as_ref()?)))
            .filter(|(_, g)| gover::compare(g, local).is_gt())
            .collect();
        too_new.sort();
        for (path, g) in too_new {
            f.block_with_advice(
                K::ToolchainUnavailable,
                None,
                format!("go: {path} in vendor/modules.txt requires go >= {g} (running go {local})"),
                &format!("install Go {g} or newer"),
            );
        }
    }
    let main_go = match &project.workspace {
        Some(ws) => ws.work.go.clone(),
        None => project.main.as_ref().and_then(|m| m.go_mod.go.clone()),
    }
    .unwrap_or_else(|| "1.16".into());
    Vendored {
        dir,
        listed: list.pkg_module.keys().cloned().collect(),
        require_listed: gover::compare(&main_go, "1.23").is_ge(),
        reason: reason.to_string(),
    }
}
