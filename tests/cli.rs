//! The CLI as a user runs it: exit codes, messages, and JSON parsed back into the real types.

use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::{CheckMode, Report, SCHEMA_VERSION, Status};
use gomodcache::demo::materialize_demo;
use std::path::Path;
use std::process::{Command, Output};

fn modscope(args: &[&str], dir: &Path) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GOWORK"))
}

/// Runs `cmd` with modscope's own cache directory (its memos) in a temporary directory of its
/// own: never the user's, and not in `dir`, whose files some tests compare before and after.
fn run(cmd: &mut Command) -> Output {
    let memos = tempfile::tempdir().unwrap();
    cmd.env("MODSCOPE_CACHE_DIR", memos.path())
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn report(o: &Output) -> Report {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", text(o)))
}

fn fault_kind(fault: &str) -> ProblemKind {
    match fault {
        "not-in-cache" => ProblemKind::NotInCache,
        "mod-only" => ProblemKind::ModOnly,
        "partial" => ProblemKind::ReExtractionPending,
        "dir-edited" | "dir-edited-no-zip" => ProblemKind::ExtractedFilesModified,
        "zip-rewritten" => ProblemKind::ZipModified,
        "go-sum-tampered" => ProblemKind::GoSumMismatch,
        "go-sum-line-missing" => ProblemKind::GoSumLineMissing,
        "mod-edited" => ProblemKind::GoModMismatch,
        "replace-dir-missing" => ProblemKind::ReplaceDirMissing,
        other => panic!("the demo has a fault this test does not know: {other}"),
    }
}

#[test]
fn a_missing_cache_is_reported_and_every_module_still_listed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.2.0 // indirect\n)\n").unwrap();
    std::fs::write(tmp.path().join("go.sum"), "example.com/a v1.0.0 h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=\nthis line is malformed\n").unwrap();
    // A GOMODCACHE that does not exist yet (nothing downloaded): a finding, not a usage error
    // (a `--modcache` that does not exist is one: tests/cli_bad_input.rs).
    let cache = tmp.path().join("no-cache-here");
    let out = run(Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(["check", "--json"])
        .current_dir(tmp.path())
        .env("GOMODCACHE", &cache)
        .env("GOENV", "off")
        .env_remove("GOWORK"));
    assert_eq!(out.status.code(), Some(1));
    let r = report(&out);
    assert_eq!(r.modules.len(), 2);
    assert!(r.modules.iter().all(|m| m.status == Status::Missing
        && m.problems.iter().any(|p| p.kind == ProblemKind::NotInCache)));
    assert!(r.modules[1].indirect && !r.modules[0].indirect);
    assert!(
        r.file_problems
            .iter()
            .any(|p| p.line == Some(2) && p.message.contains("wrong number of fields")),
        "{:#?}",
        r.file_problems
    );
    assert!(
        r.file_problems
            .iter()
            .any(|p| p.message.contains("module cache directory does not exist"))
    );
    assert!(!cache.exists(), "checking never creates the cache");
}

#[test]
fn parse_prints_go_mod_edit_json_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let gomod = tmp.path().join("go.mod");
    std::fs::write(&gomod, "module example.com/m\n\ngo 1.21\n\nrequire example.com/a v1.0.0 // indirect\n\nreplace example.com/a => ../a\n").unwrap();
    let out = modscope(&["parse", gomod.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Module"]["Path"], "example.com/m");
    assert_eq!(v["Go"], "1.21");
    assert_eq!(v["Require"][0]["Indirect"], true);
    assert_eq!(v["Replace"][0]["New"]["Path"], "../a");
}

/// `modscope -C DIR check` runs as if started in DIR, as `go -C DIR` does: the leading -C is
/// the subcommand's, and its relative paths (here --modcache) start at DIR.
#[test]
fn a_dash_c_before_the_subcommand_is_the_subcommands() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(&tmp.path().join("demo")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let project = layout.project_dir.to_str().unwrap();
    let cache = layout.gomodcache.to_str().unwrap();
    let after = modscope(
        &[
            "check",
            "--quick",
            "--json",
            "-C",
            project,
            "--modcache",
            cache,
        ],
        elsewhere.path(),
    );
    let before = modscope(
        &[
            "-C",
            project,
            "check",
            "--quick",
            "--json",
            "--modcache",
            "../gomodcache",
        ],
        elsewhere.path(),
    );
    assert_eq!(before.status.code(), Some(1), "{:?}", text(&before));
    let (a, b) = (report(&after), report(&before));
    assert!(!b.modules.is_empty());
    assert_eq!(
        a.modules
            .iter()
            .map(|m| (&m.path, m.status))
            .collect::<Vec<_>>(),
        b.modules
            .iter()
            .map(|m| (&m.path, m.status))
            .collect::<Vec<_>>()
    );
    // graph takes it too (it read the demo's go.mod, not the empty directory's).
    let graph = modscope(
        &["-C", project, "graph", "--json", "--modcache", cache],
        elsewhere.path(),
    );
    let (out, err) = text(&graph);
    assert!(out.contains("github.com/acme/inventory"), "{out}{err}");
}

/// `why` in words: a one-line headline, then the requirers (capped), not one long sentence.
#[test]
fn why_starts_with_a_headline_then_lists_requirers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["why", "--demo", "github.com/mattn/go-isatty"], tmp.path());
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let first = stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "github.com/mattn/go-isatty: selected v0.0.20: required at that version by 3 modules, including the main module"
    );
    assert!(
        stdout.contains("required by:\n  github.com/acme/inventory requires v0.0.20  ← selected"),
        "{stdout}"
    );
}

#[path = "cli/demo.rs"]
mod demo;
#[path = "cli/usage_errors.rs"]
mod usage_errors;
