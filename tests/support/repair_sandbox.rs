//! The sandbox of the `modscope repair` tests: a project whose cache the real go filled with
//! read-only trees (as by default), beta's sibling version beside it, and helpers to run go,
//! modscope (with its own cache directory, where the quarantine goes) and look at the result.

#![allow(dead_code)]

use crate::support::{GoSandbox, module};
use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::Report;
use gomodcache::cache::evict::EvictionManifest;
use gomodcache::cache::layout::{ModuleCache, ModuleFiles};
use gomodcache::synth::SynthModule;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

pub const ALPHA: (&str, &str) = ("example.com/alpha", "v1.0.0");
pub const GAMMA: (&str, &str) = ("example.com/gamma", "v0.3.1");
pub const UPPER: (&str, &str) = ("example.com/Upper", "v1.0.0-RC1");
pub const BETA: (&str, &str) = ("example.com/beta", "v1.2.0");
pub const BETA_SIBLING: (&str, &str) = ("example.com/beta", "v1.1.0");

pub fn modules() -> Vec<SynthModule> {
    vec![
        module(
            ALPHA.0,
            ALPHA.1,
            Some("1.17"),
            &[BETA],
            "import \"example.com/beta\"\n\nfunc A() int { return beta.B() + 1 }",
        ),
        module(
            BETA.0,
            BETA.1,
            Some("1.17"),
            &[],
            "func B() int { return 2 }",
        ),
        module(
            BETA_SIBLING.0,
            BETA_SIBLING.1,
            Some("1.17"),
            &[],
            "func B() int { return 1 }",
        ),
        module(
            GAMMA.0,
            GAMMA.1,
            Some("1.17"),
            &[],
            "func G() int { return 3 }",
        ),
        module(
            UPPER.0,
            UPPER.1,
            Some("1.16"),
            &[],
            "func U() int { return 4 }",
        ),
    ]
}

pub const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/gamma v0.3.1\n\texample.com/Upper v1.0.0-RC1\n)\n";
pub const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/Upper\"\n\t\"example.com/alpha\"\n\t\"example.com/gamma\"\n)\n\nfunc main() { fmt.Println(alpha.A(), gamma.G(), upper.U()) }\n";

/// The cache as go fills it by default (read-only trees), plus beta's sibling version v1.1.0,
/// which the project does not use.
pub fn sandbox() -> GoSandbox {
    let sb = GoSandbox::new(&modules());
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    let sibling = format!("{}@{}", BETA_SIBLING.0, BETA_SIBLING.1);
    for args in [
        &["mod", "tidy"][..],
        &["build", "./..."],
        &["mod", "download", &sibling],
    ] {
        go_ok(&sb, args);
    }
    sb
}

/// The real go in the project, with go's default read-only trees.
pub fn go(sb: &GoSandbox, args: &[&str]) -> Output {
    sb.command("go", args, &sb.project)
        .env("GOFLAGS", "")
        .output()
        .unwrap()
}

pub fn go_ok(sb: &GoSandbox, args: &[&str]) -> Output {
    let out = go(sb, args);
    assert!(out.status.success(), "go {args:?}: {}", text(&out));
    out
}

pub fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

pub fn quarantine_root(sb: &GoSandbox) -> PathBuf {
    sb.tmp.path().join("modscope-cache/quarantine")
}

/// The modscope binary with the sandbox's environment, its own cache directory (where the
/// quarantine goes) and stdin closed.
pub fn modscope(sb: &GoSandbox, args: &[&str]) -> Output {
    let cache = sb.cache.display().to_string();
    let mut all = args.to_vec();
    all.extend(["--modcache", &cache]);
    sb.command(env!("CARGO_BIN_EXE_modscope"), &all, &sb.project)
        .env("GOFLAGS", "")
        .env("MODSCOPE_CACHE_DIR", sb.tmp.path().join("modscope-cache"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

pub fn check(sb: &GoSandbox) -> (Report, i32) {
    let out = modscope(sb, &["check", "--json"]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", text(&out)));
    (report, out.status.code().unwrap())
}

pub fn files(sb: &GoSandbox, (path, version): (&str, &str)) -> ModuleFiles {
    ModuleCache::new(&sb.cache).files(path, version).unwrap()
}

pub fn kinds_of(report: &Report, path: &str) -> Vec<ProblemKind> {
    let m = report.modules.iter().find(|m| m.path == path).unwrap();
    m.problems.iter().map(|p| p.kind).collect()
}

pub fn assert_go_verifies(sb: &GoSandbox, what: &str) {
    let out = go(sb, &["mod", "verify"]);
    assert!(
        out.status.success() && text(&out).contains("all modules verified"),
        "{what}: go mod verify said:\n{}",
        text(&out)
    );
}

/// The manifests in the quarantine.
pub fn manifests(sb: &GoSandbox) -> Vec<(PathBuf, EvictionManifest)> {
    let Ok(entries) = std::fs::read_dir(quarantine_root(sb)) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|d| {
            let m =
                serde_json::from_slice(&std::fs::read(d.join("manifest.json")).unwrap()).unwrap();
            (d, m)
        })
        .collect()
}

/// Every path under `root` with its type and content (a symlink's target).
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, (bool, Vec<u8>)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let content = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                (e.file_type().is_dir(), content),
            )
        })
        .collect()
}
