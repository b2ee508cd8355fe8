//! The shapes multi-module repositories take, with the real `go` as the oracle: workspace modules
//! that require each other by version (with and without `../` replaces), what `./...` matches
//! at a go.work root and inside a module with nested modules, and go.work `use` directories
//! that are missing.

mod support;

use gomodcache::analysis::project::load_project;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::graph::load_graph;
use gomodcache::offline::BlockerKind;
use gomodcache::offline::verdict::OfflineReport;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;
use support::{GoSandbox, module};

/// Published versions: b v1.0.0 is what the workspace module a requires of its sibling b; e
/// raises c to v1.1.0, whose requirements workspace loading follows one step further.
fn world() -> Vec<gomodcache::synth::SynthModule> {
    vec![
        module(
            "example.com/b",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/f", "v1.0.0")],
            "func B() int { return 1 }",
        ),
        module(
            "example.com/c",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/d", "v1.0.0")],
            "import \"example.com/d\"\n\nfunc C() int { return d.D() }",
        ),
        module(
            "example.com/c",
            "v1.1.0",
            Some("1.17"),
            &[("example.com/d", "v1.1.0"), ("example.com/g", "v1.0.0")],
            "import \"example.com/d\"\n\nfunc C() int { return d.D() + 1 }",
        ),
        // Required by c v1.1.0 but imported by none of its packages: b's tidy go.mod does not
        // list it, so only workspace loading of c v1.1.0 (selected above a's v1.0.0) reads
        // g's go.mod and brings in h.
        module(
            "example.com/g",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/h", "v1.0.0")],
            "func G() int { return 0 }",
        ),
        module(
            "example.com/h",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func H() int { return 0 }",
        ),
        module(
            "example.com/d",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func D() int { return 10 }",
        ),
        module(
            "example.com/d",
            "v1.1.0",
            Some("1.17"),
            &[],
            "func D() int { return 11 }",
        ),
        module(
            "example.com/e",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/c", "v1.1.0")],
            "import \"example.com/c\"\n\nfunc E() int { return c.C() }",
        ),
        module(
            "example.com/f",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func F() int { return 0 }",
        ),
    ]
}

const A_GO: &str = "package a\n\nimport (\n\t\"example.com/b\"\n\t\"example.com/c\"\n)\n\nfunc A() int { return b.B() + c.C() }\n";
const B_GO: &str = "package b\n\nimport \"example.com/e\"\n\nfunc B() int { return e.E() }\n\nfunc B2() int { return 2 }\n";

/// A go.work root that is not itself a module, using ./a and ./b; a requires b v1.0.0 (and
/// replaces it with ../b when `replace_sibling`).
fn workspace(replace_sibling: bool) -> GoSandbox {
    let sb = GoSandbox::new(&world());
    let root = &sb.project;
    let mut a_mod = "module example.com/a\n\ngo 1.21\n\nrequire (\n\texample.com/b v1.0.0\n\texample.com/c v1.0.0\n)\n".to_string();
    if replace_sibling {
        a_mod.push_str("\nreplace example.com/b => ../b\n");
    }
    write(root, "a/go.mod", &a_mod);
    write(root, "a/a.go", A_GO);
    write(
        root,
        "b/go.mod",
        "module example.com/b\n\ngo 1.21\n\nrequire example.com/e v1.0.0\n",
    );
    write(root, "b/b.go", B_GO);
    // Each module tidy on its own (through the local proxy) writes the go.sum lines it needs.
    for dir in ["b", "a"] {
        let out = sb
            .command("go", &["mod", "tidy"], &root.join(dir))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    write(root, "go.work", "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n");
    // Workspace mode: whatever the workspace needs beyond the modules' go.sum goes to
    // go.work.sum; `go mod download` fetches every module of the workspace's build list.
    let out = ws_go(&sb, &["mod", "download"], &root.join("a"), false);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ws_go(&sb, &["build", "./..."], &root.join("a"), true);
    assert!(out.status.success(), "{}", stderr(&out));
    sb
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The real go in workspace mode, from `dir`; offline unless `online` is false.
fn ws_go(sb: &GoSandbox, args: &[&str], dir: &Path, offline: bool) -> Output {
    let mut cmd = sb.command("go", args, dir);
    cmd.env("GOWORK", sb.project.join("go.work"));
    if offline {
        cmd.env("GOPROXY", "off");
    }
    cmd.output().unwrap()
}

fn modscope(sb: &GoSandbox, args: &[&str], dir: &Path) -> Output {
    let cache = sb.cache.display().to_string();
    let mut all = args.to_vec();
    all.extend(["--modcache", &cache]);
    sb.command(env!("CARGO_BIN_EXE_modscope"), &all, dir)
        .env("GOWORK", sb.project.join("go.work"))
        .output()
        .unwrap()
}

fn offline(sb: &GoSandbox, dir: &Path) -> OfflineReport {
    let out = modscope(sb, &["offline", "--json"], dir);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            stderr(&out),
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Our build list and edges against `go list -m all` and `go mod graph` in workspace mode.
fn assert_graph_equals_go(sb: &GoSandbox) -> usize {
    let gowork = sb.project.join("go.work").display().to_string();
    let project = load_project(&sb.project.join("a"), Some(&gowork)).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    assert!(graph.missing().is_empty(), "{:?}", graph.missing());
    let go_lines = |args: &[&str]| -> Vec<String> {
        let out = ws_go(sb, args, &sb.project.join("a"), true);
        assert!(out.status.success(), "go {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let go_list: Vec<String> = go_lines(&["list", "-m", "all"])
        .iter()
        .map(|l| l.split(" => ").next().unwrap().trim().to_string())
        .collect();
    let ours: Vec<String> = graph
        .build_list()
        .iter()
        .map(|n| {
            if n.is_main() {
                n.path.clone()
            } else {
                format!("{} {}", n.path, n.version)
            }
        })
        .collect();
    assert_eq!(ours, go_list, "build list");
    let go_edges: BTreeSet<(String, String)> = go_lines(&["mod", "graph"])
        .iter()
        .filter_map(|l| l.split_once(' '))
        .filter(|(a, b)| {
            ![a, b]
                .iter()
                .any(|s| s.starts_with("go@") || s.starts_with("toolchain@"))
        })
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let our_edges: BTreeSet<(String, String)> = graph
        .edge_list()
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(our_edges, go_edges, "edges");
    our_edges.len()
}

#[test]
fn workspace_modules_requiring_each_other_by_version_load_the_graph_go_loads() {
    let sb = workspace(false);
    let edges = assert_graph_equals_go(&sb);
    assert!(edges >= 6, "{edges} edges");
    let gowork = sb.project.join("go.work").display().to_string();
    let project = load_project(&sb.project.join("a"), Some(&gowork)).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    // a → b@v1.0.0 and b@v1.0.0's own requirement, read from the cached .mod.
    let b_v1 = gomodcache::graph::Node::new("example.com/b", "v1.0.0");
    assert_eq!(
        graph.edges[&b_v1],
        [gomodcache::graph::Node::new("example.com/f", "v1.0.0")]
    );
    // a requires c v1.0.0, e raises it to v1.1.0: workspace loading then reads the go.mod of
    // every requirement of c v1.1.0, so g's requirement h is in the build list.
    assert_eq!(graph.selected["example.com/d"], "v1.1.0");
    assert_eq!(graph.selected["example.com/h"], "v1.0.0");
    assert!(!graph.selected.contains_key("example.com/b"));

    // Without b@v1.0.0's .mod in the cache, go cannot load the workspace, and we say so.
    let broken = sb.fork();
    let b_mod = broken
        .cache
        .join("cache/download/example.com/b/@v/v1.0.0.mod");
    support::remove(&b_mod);
    let out = ws_go(
        &broken,
        &["build", "./..."],
        &broken.project.join("a"),
        true,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("example.com/b@v1.0.0"),
        "{}",
        stderr(&out)
    );
    let check = modscope(&broken, &["check", "--json"], &broken.project.join("a"));
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("example.com/b"), "{text}");
    let verify = ws_go(&broken, &["mod", "verify"], &broken.project.join("a"), true);
    assert!(!verify.status.success());
    let report = offline(&broken, &broken.project.join("a"));
    assert!(!report.ready);
    assert!(
        report
            .blockers
            .iter()
            .any(|b| b.kind == BlockerKind::MissingGoMod
                && b.module.as_deref() == Some("example.com/b@v1.0.0")),
        "{:#?}",
        report.blockers
    );
    // The printed fix, run as printed, makes the offline build work again.
    let fix = report
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::MissingGoMod)
        .and_then(|b| b.fix.as_deref())
        .expect("a fix");
    let mut run = broken.command("sh", &["-c", fix], &broken.project.join("a"));
    run.env("GOWORK", broken.project.join("go.work"));
    let out = run.output().unwrap();
    assert!(out.status.success(), "{fix}: {}", stderr(&out));
    let out = ws_go(
        &broken,
        &["build", "./..."],
        &broken.project.join("a"),
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(offline(&broken, &broken.project.join("a")).ready);
}

#[test]
fn a_sibling_replaced_by_its_directory_needs_no_cached_mod() {
    let sb = workspace(true);
    assert_graph_equals_go(&sb);
    let gowork = sb.project.join("go.work").display().to_string();
    let project = load_project(&sb.project.join("a"), Some(&gowork)).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    // b@v1.0.0's requirements come from ../b/go.mod, not from the published v1.0.0.
    let b_v1 = gomodcache::graph::Node::new("example.com/b", "v1.0.0");
    let b_reqs = &graph.edges[&b_v1];
    assert!(
        b_reqs.contains(&gomodcache::graph::Node::new("example.com/e", "v1.0.0"))
            && !b_reqs.iter().any(|n| n.path == "example.com/f"),
        "{b_reqs:?}"
    );
    // Go reads nothing of the published b v1.0.0: it never even fetched it. We agree that the
    // offline build is ready without it, and check is healthy.
    assert!(!sb.cache.join("cache/download/example.com/b").exists());
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("a"), true);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = offline(&sb, &sb.project.join("a"));
    assert!(report.ready, "{:#?}", report.blockers);
    let check = modscope(&sb, &["check", "--json"], &sb.project.join("a"));
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

fn blocker_kinds(r: &OfflineReport) -> Vec<BlockerKind> {
    r.blockers.iter().map(|b| b.kind).collect()
}

/// Runs a printed fix through the shell, as a user pastes it, in workspace mode from `dir`.
fn run_fix(sb: &GoSandbox, fix: &str, dir: &Path) {
    let mut run = sb.command("sh", &["-c", fix], dir);
    run.env("GOWORK", sb.project.join("go.work"))
        .env("GOPROXY", "off");
    let out = run.output().unwrap();
    assert!(out.status.success(), "{fix}: {}", stderr(&out));
}

#[test]
fn at_a_go_work_root_that_is_no_module_dot_dot_dot_matches_nothing() {
    let sb = workspace(false);
    let out = ws_go(&sb, &["build", "./..."], &sb.project, true);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("directory prefix . does not contain modules listed in go.work"),
        "{}",
        stderr(&out)
    );
    let report = offline(&sb, &sb.project);
    assert!(!report.ready);
    assert_eq!(blocker_kinds(&report), [BlockerKind::PatternOutsideModules]);
    // What `go build work` loads is analysed instead: both modules' packages.
    let packages: Vec<&str> = report.packages.iter().map(|p| p.path.as_str()).collect();
    assert!(
        packages.contains(&"example.com/a") && packages.contains(&"example.com/b"),
        "{packages:?}"
    );
    run_fix(
        &sb,
        report.blockers[0].fix.as_deref().expect("a fix"),
        &sb.project,
    );
}

/// A module at the go.work root with a nested workspace module (./b) and a nested module the
/// workspace does not use (./tools): `./...` at the root is the root module's packages only.
fn nested_workspace() -> GoSandbox {
    let sb = workspace(false);
    let root = &sb.project;
    write(
        root,
        "go.mod",
        "module example.com/top\n\ngo 1.21\n\nrequire example.com/c v1.0.0\n",
    );
    write(
        root,
        "top.go",
        "package top\n\nimport \"example.com/c\"\n\nfunc T() int { return c.C() }\n",
    );
    write(
        root,
        "tools/go.mod",
        "module example.com/tools\n\ngo 1.21\n\nrequire example.com/nowhere v1.0.0\n",
    );
    write(
        root,
        "tools/tools.go",
        "package tools\n\nimport \"example.com/nowhere\"\n\nvar _ = nowhere.X\n",
    );
    let out = sb
        .command("go", &["mod", "tidy"], root)
        .env("GOFLAGS", "-modcacherw -mod=mod")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    write(root, "go.work", "go 1.22\n\nuse (\n\t.\n\t./a\n\t./b\n)\n");
    let out = ws_go(&sb, &["build", "./..."], root, true);
    assert!(out.status.success(), "{}", stderr(&out));
    sb
}

#[test]
fn dot_dot_dot_never_descends_into_a_nested_module() {
    let sb = nested_workspace();
    // b's dependency e is gone from the cache (its .mod stays: the graph reads it). Nothing of
    // the root module imports it, so go still builds ./... at the root; from b it cannot.
    let e_zip = sb.cache.join("cache/download/example.com/e/@v/v1.0.0.zip");
    support::remove(&e_zip);
    support::remove(
        &sb.cache
            .join("cache/download/example.com/e/@v/v1.0.0.ziphash"),
    );
    support::remove(&sb.cache.join("example.com/e@v1.0.0"));
    let out = ws_go(&sb, &["build", "./..."], &sb.project, true);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = offline(&sb, &sb.project);
    assert!(report.ready, "{:#?}", report.blockers);
    let packages: Vec<&str> = report.packages.iter().map(|p| p.path.as_str()).collect();
    assert!(packages.contains(&"example.com/top"), "{packages:?}");
    assert!(
        !packages
            .iter()
            .any(|p| ["example.com/a", "example.com/b", "example.com/tools"].contains(p)),
        "{packages:?}"
    );

    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("b"), true);
    assert!(!out.status.success());
    let report = offline(&sb, &sb.project.join("b"));
    assert_eq!(
        blocker_kinds(&report),
        [BlockerKind::ModuleNotDownloaded],
        "{:#?}",
        report.blockers
    );

    // Inside the nested module the workspace does not use, go matches nothing.
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("tools"), true);
    assert!(!out.status.success());
    let report = offline(&sb, &sb.project.join("tools"));
    assert!(blocker_kinds(&report).contains(&BlockerKind::PatternOutsideModules));
}

#[test]
fn go_work_use_directories_that_are_missing_are_blockers_with_a_working_fix() {
    let sb = nested_workspace();
    write(
        &sb.project,
        "go.work",
        "go 1.22\n\nuse (\n\t.\n\t./a\n\t./b\n\t./gone\n)\n",
    );
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("a"), true);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot load module ../gone listed in go.work file"),
        "{}",
        stderr(&out)
    );
    let report = offline(&sb, &sb.project.join("a"));
    assert_eq!(blocker_kinds(&report), [BlockerKind::InvalidWorkspace]);
    let blocker = &report.blockers[0];
    assert!(
        blocker.message.starts_with(
            "go: cannot load module ../gone listed in go.work file: open ../gone/go.mod"
        ),
        "{}",
        blocker.message
    );
    // check lists it too (as a go.work problem), and exits 1.
    let check = modscope(&sb, &["check", "--json"], &sb.project.join("a"));
    assert_eq!(check.status.code(), Some(1));
    // The fix, run from the module directory as printed, drops the line; go builds again.
    run_fix(
        &sb,
        blocker.fix.as_deref().expect("a fix"),
        &sb.project.join("a"),
    );
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("a"), true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(offline(&sb, &sb.project.join("a")).ready);
}

#[test]
fn the_export_bundle_of_a_workspace_holds_the_go_mod_of_a_module_required_by_version() {
    let sb = workspace(false);
    let bundle = sb.tmp.path().join("bundle");
    let out = modscope(
        &sb,
        &["export", "--out", bundle.to_str().unwrap()],
        &sb.project.join("a"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        bundle.join("example.com/b/@v/v1.0.0.mod").is_file(),
        "the workspace graph reads b v1.0.0's go.mod"
    );
    // The bundle as the only proxy, an empty cache: go builds the workspace module.
    let empty = sb.tmp.path().join("empty-cache");
    let out = sb
        .command("go", &["build", "./..."], &sb.project.join("a"))
        .env("GOWORK", sb.project.join("go.work"))
        .env("GOMODCACHE", &empty)
        .env("GOPROXY", format!("file://{}", bundle.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn every_use_line_go_refuses_is_a_blocker_whose_fix_works() {
    let base = nested_workspace();
    std::fs::write(base.project.join("afile"), "not a directory\n").unwrap();
    std::os::unix::fs::symlink("loop1", base.project.join("loop2")).unwrap();
    std::os::unix::fs::symlink("loop2", base.project.join("loop1")).unwrap();
    let far = "../".repeat(40) + "nowhere-at-all";
    let cases = [
        ("a file", "./afile".to_string()),
        ("a link loop", "./loop1".to_string()),
        ("far above the workspace", far),
        ("the same directory twice", "./a".to_string()),
        ("the same directory spelled differently", "a".to_string()),
        (
            "a missing directory not written as ./path",
            "gone".to_string(),
        ),
    ];
    for (what, extra) in cases {
        let sb = base.fork();
        write(
            &sb.project,
            "go.work",
            &format!("go 1.22\n\nuse (\n\t.\n\t./a\n\t./b\n\t{extra}\n)\n"),
        );
        assert_refused_then_fixed(&sb, what, "");
    }
}

/// go refuses the workspace (from module a), we say why (offline blockers, all
/// invalid-workspace, the first mentioning `needle`; check and graph exit 1), and the first
/// blocker's fix, run as printed, makes go build and us say ready.
fn assert_refused_then_fixed(sb: &GoSandbox, what: &str, needle: &str) {
    let a = sb.project.join("a");
    let out = ws_go(sb, &["build", "./..."], &a, true);
    assert!(!out.status.success(), "{what}: go builds");
    assert!(
        stderr(&out).contains(needle),
        "{what}: go says {}",
        stderr(&out)
    );
    let report = offline(sb, &a);
    // One blocker per offending module (go lists each too).
    let kinds = blocker_kinds(&report);
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == BlockerKind::InvalidWorkspace),
        "{what}: {:#?}",
        report.blockers
    );
    assert!(report.blockers[0].message.contains(needle), "{what}");
    let check = modscope(sb, &["check", "--json"], &a);
    assert_eq!(check.status.code(), Some(1), "{what}: check exit");
    let graph = modscope(sb, &["graph"], &a);
    assert_eq!(graph.status.code(), Some(1), "{what}: graph exit");
    let fix = report.blockers[0].fix.as_deref().expect("a fix");
    run_fix(sb, fix, &a);
    let out = ws_go(sb, &["build", "./..."], &a, true);
    assert!(
        out.status.success(),
        "{what}: after {fix:?}: {}",
        stderr(&out)
    );
    let after = offline(sb, &a);
    assert!(after.ready, "{what}: {:#?}", after.blockers);
}

#[test]
fn every_workspace_go_refuses_is_a_blocker_whose_fix_works() {
    let base = nested_workspace();
    let copy_dir = |from: &Path, to: &Path| {
        let ok = std::process::Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(to)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    let uses = "use (\n\t.\n\t./a\n\t./b\n)\n";
    type Plant = Box<dyn Fn(&GoSandbox)>;
    let cases: Vec<(&str, Plant, &str)> = vec![
        (
            "one module path from two directories",
            Box::new(move |sb: &GoSandbox| {
                copy_dir(&sb.project.join("a"), &sb.project.join("a2"));
                write(
                    &sb.project,
                    "go.work",
                    "go 1.22\n\nuse (\n\t.\n\t./a\n\t./a2\n\t./b\n)\n",
                );
            }),
            "appears multiple times in workspace",
        ),
        (
            "a workspace module replaced at all versions",
            Box::new(move |sb: &GoSandbox| {
                write(
                    &sb.project,
                    "go.work",
                    &format!("go 1.22\n\n{uses}\nreplace example.com/b => ./b\n"),
                );
            }),
            "is replaced at all versions",
        ),
        (
            "two go.mod files replacing one module differently",
            Box::new(move |sb: &GoSandbox| {
                for (dir, v) in [("a", "v1.1.0"), ("b", "v1.0.0")] {
                    let p = sb.project.join(dir).join("go.mod");
                    let mut text = std::fs::read_to_string(&p).unwrap();
                    text.push_str(&format!("\nreplace example.com/d => example.com/d {v}\n"));
                    std::fs::write(p, text).unwrap();
                }
            }),
            "conflicting replacements for example.com/d",
        ),
        (
            "a go.work go line below a module's",
            Box::new(move |sb: &GoSandbox| {
                write(&sb.project, "go.work", &format!("go 1.18\n\n{uses}"));
            }),
            "but go.work lists go 1.18",
        ),
    ];
    for (what, plant, needle) in cases {
        let sb = base.fork();
        plant(&sb);
        assert_refused_then_fixed(&sb, what, needle);
    }
}
