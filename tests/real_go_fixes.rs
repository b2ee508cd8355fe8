//! Every fix modscope prints restores a working build. For each kind of fault: plant it in a
//! project and cache the real `go` filled, read the fix from `modscope check --json` (or
//! `modscope offline --json`), run it exactly as printed through `sh -c` (with GOPROXY at the
//! sandbox's `file://` proxy, so nothing leaves the machine), then require that
//! `GOPROXY=off go build ./...` and `GOPROXY=off go mod verify` succeed and that
//! `modscope check` (and `modscope offline`) exit 0.

mod support;

use fault_catalogue::faults;
use gomodcache::synth::SynthModule;
use std::path::Path;
use std::process::{Output, Stdio};
use support::{GoSandbox, force_write, module, remove};

/// `top` imports `deep` and requires `shared` at v1.0.0; the project imports `top`, `shared`
/// (at v1.1.0, so shared v1.0.0 is a lower version whose go.mod an unpruned graph reads) and
/// `loc`, which a `replace` points at the directory `./loc`.
fn modules(go: &str) -> Vec<SynthModule> {
    vec![
        module(
            "example.com/top",
            "v1.0.0",
            Some(go),
            &[
                ("example.com/deep", "v1.0.0"),
                ("example.com/shared", "v1.0.0"),
            ],
            "import \"example.com/deep\"\n\nfunc T() int { return deep.D() }",
        ),
        module(
            "example.com/deep",
            "v1.0.0",
            Some(go),
            &[],
            "func D() int { return 4 }",
        ),
        module(
            "example.com/shared",
            "v1.0.0",
            Some(go),
            &[],
            "func S() int { return 5 }",
        ),
        module(
            "example.com/shared",
            "v1.1.0",
            Some(go),
            &[],
            "func S() int { return 6 }",
        ),
        module(
            "example.com/loc",
            "v1.0.0",
            Some(go),
            &[],
            "func L() int { return 7 }",
        ),
    ]
}

const MAIN_GO: &str = "package main\n\nimport (\n\t\"example.com/loc\"\n\t\"example.com/shared\"\n\t\"example.com/top\"\n)\n\nfunc main() { println(top.T() + shared.S() + loc.L()) }\n";

/// The project at `go`, tidied, downloaded and built by the real go.
fn project(go: &str) -> GoSandbox {
    let sb = GoSandbox::new(&modules(go));
    sb.write_project(
        &format!(
            "module example.com/app\n\ngo {go}\n\nrequire (\n\texample.com/loc v1.0.0\n\texample.com/shared v1.1.0\n\texample.com/top v1.0.0\n)\n\nreplace example.com/loc => ./loc\n"
        ),
        &[
            ("main.go", MAIN_GO),
            ("loc/go.mod", &format!("module example.com/loc\n\ngo {go}\n")),
            ("loc/loc.go", "package loc\n\nfunc L() int { return 7 }\n"),
        ],
    );
    sb.go_ok(&["mod", "tidy"]);
    sb.go_ok(&["mod", "download"]);
    sb.go_ok(&["build", "./..."]);
    assert_healthy(&sb, "the project before any fault");
    sb
}

/// Where the fix is read from.
#[derive(Clone, Copy, Debug)]
enum FixFrom {
    /// The `fix` of this module's row of `modscope check --full --json`.
    Check(&'static str),
    /// The `fix` of the blocker about this `path@version` in `modscope offline --json`.
    Offline(&'static str),
}

struct Fault {
    name: &'static str,
    /// The main module's go line (and the modules').
    go: &'static str,
    plant: fn(&GoSandbox),
    /// The problem (or blocker) kind the fault shows as.
    kind: &'static str,
    from: FixFrom,
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn offline_go(sb: &GoSandbox, args: &[&str]) -> Output {
    sb.command("go", args, &sb.project)
        .env("GOPROXY", "off")
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("no JSON ({e}):\n{}", text(out)))
}

/// `GOPROXY=off go build ./...` and `go mod verify` work, and modscope agrees.
fn assert_healthy(sb: &GoSandbox, what: &str) {
    let build = offline_go(sb, &["build", "./..."]);
    assert!(build.status.success(), "{what}: go build: {}", text(&build));
    let verify = offline_go(sb, &["mod", "verify"]);
    assert!(
        verify.status.success(),
        "{what}: go mod verify: {}",
        text(&verify)
    );
    let check = sb.modscope(&["check", "--full", "--json"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{what}: modscope check: {:#}",
        json_of(&check)
    );
    let offline = sb.modscope(&["offline", "--json"]);
    assert_eq!(
        offline.status.code(),
        Some(0),
        "{what}: modscope offline: {}",
        text(&offline)
    );
}

/// Every fix check and offline print for the sandbox parses as a shell command (`sh -n`):
/// prose in a fix, like an appended "(needs the network)", does not.
fn assert_every_fix_parses(sb: &GoSandbox, what: &str) {
    let check = json_of(&sb.modscope(&["check", "--full", "--json"]));
    let offline = json_of(&sb.modscope(&["offline", "--json"]));
    let problems = check["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["problems"].as_array().unwrap());
    let blockers = offline["blockers"].as_array().unwrap().iter();
    for fix in problems.chain(blockers).filter_map(|p| p["fix"].as_str()) {
        let parsed = std::process::Command::new("sh")
            .args(["-n", "-c", fix])
            .output()
            .unwrap();
        assert!(
            parsed.status.success(),
            "{what}: not a command: {fix}\n{}",
            text(&parsed)
        );
    }
}

/// The fix the fault shows with, after checking that the fault is seen as `kind`.
fn printed_fix(sb: &GoSandbox, f: &Fault) -> String {
    match f.from {
        FixFrom::Check(path) => {
            let out = sb.modscope(&["check", "--full", "--json"]);
            assert_eq!(out.status.code(), Some(1), "{}: {}", f.name, text(&out));
            let report = json_of(&out);
            let row = report["modules"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["path"] == path)
                .unwrap_or_else(|| panic!("{}: no row for {path}: {report:#}", f.name));
            assert!(
                row["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["kind"] == f.kind),
                "{}: no {} problem: {row:#}",
                f.name,
                f.kind
            );
            row["fix"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no fix: {row:#}", f.name))
                .to_string()
        }
        FixFrom::Offline(at) => {
            let out = sb.modscope(&["offline", "--json"]);
            assert_eq!(out.status.code(), Some(1), "{}: {}", f.name, text(&out));
            let verdict = json_of(&out);
            let blocker = verdict["blockers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["kind"] == f.kind && b["message"].as_str().unwrap().contains(at))
                .unwrap_or_else(|| panic!("{}: no {} blocker: {verdict:#}", f.name, f.kind));
            blocker["fix"].as_str().unwrap().to_string()
        }
    }
}

/// Runs `fix` as a person pasting it would: through `sh -c` in the project, in a terminal
/// (`script` gives it one, so `modscope repair` asks and is answered `y`), with modscope on
/// PATH and go's network pointed at the sandbox's proxy.
fn run_as_printed(sb: &GoSandbox, fix: &str) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_modscope")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = sb
        .command(
            "script",
            &["-qec", &format!("sh -c {}", shell_word(fix)), "/dev/null"],
            &sb.project,
        )
        .env("PATH", path)
        .env("MODSCOPE_CACHE_DIR", sb.tmp.path().join("modscope-cache"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    let _ = child.stdin.take().unwrap().write_all(b"y\n");
    child.wait_with_output().unwrap()
}

fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn every_fix_run_as_printed_restores_a_working_build() {
    let mut bases: Vec<(&str, GoSandbox)> = Vec::new();
    let mut failures = Vec::new();
    for f in faults() {
        if !bases.iter().any(|(g, _)| *g == f.go) {
            bases.push((f.go, project(f.go)));
        }
        let base = &bases.iter().find(|(g, _)| *g == f.go).unwrap().1;
        let sb = base.fork();
        (f.plant)(&sb);
        let mut fix = String::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_every_fix_parses(&sb, "with the fault");
            fix = printed_fix(&sb, &f);
            let ran = run_as_printed(&sb, &fix);
            assert!(ran.status.success(), "the fix failed: {}", text(&ran));
            assert_healthy(&sb, "after the fix");
        }));
        if let Err(e) = result {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}\n  fix: {fix}\n  {why}", f.name));
        } else {
            eprintln!("ok: {}: {fix}", f.name);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[path = "real_go_fixes/fault_catalogue.rs"]
mod fault_catalogue;
