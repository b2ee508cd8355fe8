//! The shapes multi-module repositories take, with the real `go` as the oracle: workspace modules
//! that require each other by version (with and without `../` replaces), what `./...` matches
//! at a go.work root and inside a module with nested modules, and go.work `use` directories
//! that are missing.

mod support;

use gomodcache::cache::layout::ModuleCache;
use gomodcache::graph::load_graph;
use gomodcache::offline::BlockerKind;
use gomodcache::offline::verdict::OfflineReport;
use gomodcache::project::load_project;
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

#[path = "real_go_workspace_shapes/dot_dot_dot.rs"]
mod dot_dot_dot;
#[path = "real_go_workspace_shapes/refused_workspaces.rs"]
mod refused_workspaces;
#[path = "real_go_workspace_shapes/required_by_version.rs"]
mod required_by_version;
