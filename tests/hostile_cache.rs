//! Hostile and broken caches (issue 7). Each test fills a small cache with the real `go` from a
//! local `file://` proxy (or writes by hand what go cannot produce), plants one fault in ONE
//! module, and runs the real binary (`check --json --full`, then `check --json` through the
//! verify memo). Every time: the documented exit code, no panic, no hang (a time limit), the
//! faulty module's problem names the path and the cause, and every other module is still
//! checked and `cached`. Nothing here touches ~/go or the network.

mod support;

#[path = "hostile_cache/generated.rs"]
mod generated;
#[path = "hostile_cache/helpers.rs"]
mod helpers;

use gomodcache::analysis::report::Status;
use gomodcache::cache::layout::{ModuleCache, ModuleFiles};
use gomodcache::synth::SynthModule;
use helpers::{
    Entry, Run, assert_others_cached, chmod, entries_of, find, noise, permission_wrapper, problem,
    run_limited, snapshot, zeros_deflate, zip_bytes,
};
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{GoSandbox, module, remove};

const BIN: &str = env!("CARGO_BIN_EXE_modscope");
const MODULES: [&str; 4] = [
    "example.com/alpha",
    "example.com/beta",
    "example.com/gamma",
    "example.com/delta",
];
/// The module every test plants its fault in.
const HOSTILE: &str = "example.com/delta";

fn modules() -> Vec<SynthModule> {
    MODULES
        .iter()
        .map(|p| module(p, "v1.0.0", Some("1.21"), &[], "func F() int { return 1 }"))
        .collect()
}

fn main_go(paths: &[&str]) -> String {
    let imports: String = paths.iter().map(|p| format!("\t_ \"{p}\"\n")).collect();
    format!("package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n")
}

/// The four modules in the cache and go.sum, by `go mod tidy` (so go.sum has both lines each).
fn sandbox_with(extra: Vec<SynthModule>) -> GoSandbox {
    let mut all = modules();
    let mut paths: Vec<&str> = MODULES.to_vec();
    paths.extend(extra.iter().map(|m| m.path.as_str()));
    let go_mod = format!(
        "module example.com/main\n\ngo 1.21\n\nrequire (\n{})\n",
        paths
            .iter()
            .map(|p| format!("\t{p} v1.0.0\n"))
            .collect::<String>()
    );
    let main = main_go(&paths);
    all.extend(extra.iter().cloned());
    let sb = GoSandbox::new(&all);
    sb.write_project(&go_mod, &[("main.go", &main)]);
    sb.go_ok(&["mod", "tidy"]);
    sb
}

fn sandbox() -> GoSandbox {
    sandbox_with(Vec::new())
}

fn files(sb: &GoSandbox, path: &str) -> ModuleFiles {
    ModuleCache::new(&sb.cache).files(path, "v1.0.0").unwrap()
}

fn memo_dir(sb: &GoSandbox) -> PathBuf {
    sb.tmp.path().join("modscope-cache")
}

/// `modscope check --json ARGS --modcache CACHE` in the project, with the sandbox's
/// environment and a private memo directory, behind `wrap` (e.g. setpriv).
fn check_with(sb: &GoSandbox, args: &[&str], wrap: &[String], memo: &Path) -> Run {
    let mut cmd = helpers::wrapped(wrap, Path::new(BIN));
    cmd.arg("check")
        .arg("--json")
        .args(args)
        .arg("--modcache")
        .arg(&sb.cache)
        .current_dir(&sb.project)
        .env_clear()
        .envs(sb.go_env())
        .env("MODSCOPE_CACHE_DIR", memo);
    run_limited(cmd)
}

/// `check --json --full`, then `check --json` (through the memo the first one wrote): both must
/// give the same verdict, which `verdict` asserts.
fn both_modes(sb: &GoSandbox, wrap: &[String], code: i32, verdict: impl Fn(&Run)) {
    for args in [&["--full"][..], &[]] {
        let run = check_with(sb, args, wrap, &memo_dir(sb));
        run.assert_exit(code);
        if let Some(r) = &run.report {
            for m in r.modules.iter().filter(|m| !m.problems.is_empty()) {
                for p in &m.problems {
                    eprintln!("{args:?} {} [{}] {}", m.path, p.kind.as_str(), p.message);
                }
            }
        }
        verdict(&run);
    }
}

/// The hostile module's zip, rewritten stored (same content, same h1) plus `extra` entries.
fn rewrite_zip(sb: &GoSandbox, extra: Vec<Entry>) -> PathBuf {
    let f = files(sb, HOSTILE);
    let mut entries = entries_of(&f.zip);
    entries.extend(extra);
    support::force_write(&f.zip, &zip_bytes(&entries));
    f.zip
}

fn go_verify(sb: &GoSandbox) -> String {
    let out = sb.go(&["mod", "verify"]);
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn prefix() -> String {
    format!("{HOSTILE}@v1.0.0/")
}

// One test binary, its tests grouped by theme.
#[path = "hostile_cache/concurrent.rs"]
mod concurrent;
#[path = "hostile_cache/sizes.rs"]
mod sizes;
#[path = "hostile_cache/trees.rs"]
mod trees;
#[path = "hostile_cache/zips.rs"]
mod zips;
