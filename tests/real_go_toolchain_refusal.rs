//! When the go/toolchain line of go.mod or go.work makes the real `go` refuse to run at all
//! (GOTOOLCHAIN=local with a newer go line, as in the official Docker images; `+path` without
//! the toolchain on PATH; `toolchain default`), `check` (every mode) lists go's own message as a
//! file problem and exits 1, and `graph`/`why` say it on stderr and exit 1 with their output
//! unchanged. When go would switch toolchains instead (GOTOOLCHAIN=auto), or runs fine, modscope
//! says nothing. go is the oracle: it runs in the same sandbox, offline (GOPROXY=off), and what
//! it prints is what modscope must print.

mod support;

use std::path::Path;
use std::process::Output;
use support::{GoSandbox, alpha};

/// What go does with a project in one setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// go refuses; modscope must say go's message.
    Refused,
    /// go would switch toolchains (and fails only to download one offline): not a refusal.
    Switches,
    /// go runs.
    Runs,
}

#[derive(Clone)]
struct Case {
    name: &'static str,
    /// go.mod's go line.
    go_mod_go: String,
    /// go.mod's toolchain line.
    toolchain: Option<&'static str>,
    /// A go.work (`use .`) with this go line.
    work_go: Option<String>,
    /// Where go and modscope run, below the project.
    dir: &'static str,
    gotoolchain: String,
    /// A `go1.99.0` on PATH (a script that succeeds): go runs it instead of switching.
    go1_99_on_path: bool,
    expect: Expect,
}

/// The installed go's version (`1.26.8`), as `go env GOVERSION` says.
fn local_version(sb: &GoSandbox) -> String {
    let out = sb.go_ok(&["env", "GOVERSION"]);
    let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
    v.strip_prefix("go")
        .expect("GOVERSION starts with go")
        .to_string()
}

/// The project: example.com/m requiring alpha, its go.sum written and alpha cached by go.
fn base() -> GoSandbox {
    let sb = GoSandbox::new(&[alpha()]);
    sb.write_project(
        "module example.com/m\n\ngo 1.21\n",
        &[("sub/.keep", ""), ("m.go", "package m\n")],
    );
    sb.go_ok(&["get", "example.com/alpha@v1.0.0"]);
    sb
}

fn write_case(sb: &GoSandbox, c: &Case) {
    let toolchain = c
        .toolchain
        .map(|t| format!("\ntoolchain {t}\n"))
        .unwrap_or_default();
    std::fs::write(
        sb.project.join("go.mod"),
        format!(
            "module example.com/m\n\ngo {}\n{toolchain}\nrequire example.com/alpha v1.0.0\n",
            c.go_mod_go
        ),
    )
    .unwrap();
    if c.go1_99_on_path {
        use std::os::unix::fs::PermissionsExt;
        let bin = sb.tmp.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join("go1.99.0");
        std::fs::write(&exe, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    if let Some(g) = &c.work_go {
        std::fs::write(sb.project.join("go.work"), format!("go {g}\n\nuse .\n")).unwrap();
    }
}

/// Runs `program` in the case's directory with its GOTOOLCHAIN, offline, go.work found as go
/// finds it (the sandbox's GOWORK=off removed).
fn run(sb: &GoSandbox, c: &Case, program: &str, args: &[&str]) -> Output {
    let dir = sb.project.join(c.dir);
    let mut path = std::env::var("PATH").unwrap_or_default();
    if c.go1_99_on_path {
        path = format!("{}:{path}", sb.tmp.path().join("bin").display());
    }
    sb.command(program, args, &dir)
        .env("PATH", path)
        .env_remove("GOWORK")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", &c.gotoolchain)
        .output()
        .unwrap()
}

fn modscope(sb: &GoSandbox, c: &Case, args: &[&str]) -> Output {
    run(sb, c, env!("CARGO_BIN_EXE_modscope"), args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// What go says when it refuses (the same for `go mod verify`, `go mod graph` and
/// `go list -m all`), or `None` when `go mod verify` succeeds.
fn go_says(sb: &GoSandbox, c: &Case) -> Option<String> {
    let verify = run(sb, c, "go", &["mod", "verify"]);
    for other in [&["mod", "graph"][..], &["list", "-m", "all"]] {
        let out = run(sb, c, "go", other);
        assert_eq!(
            (out.status.code(), stderr(&out)),
            (verify.status.code(), stderr(&verify)),
            "{}: go {other:?} and go mod verify disagree",
            c.name
        );
    }
    (!verify.status.success()).then(|| stderr(&verify))
}

/// check --json's file problems, in each mode; the exit code must be the same in all of them.
fn check_problems(sb: &GoSandbox, c: &Case) -> (Option<i32>, Vec<serde_json::Value>) {
    let mut seen = None;
    for mode in [
        &["check", "--json"][..],
        &["check", "--json", "--quick"],
        &["check", "--json", "--full"],
    ] {
        let out = modscope(sb, c, mode);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {mode:?}: {e}: {}", c.name, stderr(&out)));
        let problems = report["file_problems"].as_array().unwrap().clone();
        let got = (out.status.code(), problems);
        if let Some(first) = &seen {
            assert_eq!(&got, first, "{}: {mode:?} differs from check", c.name);
        }
        seen = Some(got);
    }
    seen.unwrap()
}

fn assert_case(base: &GoSandbox, c: &Case) {
    let sb = base.fork();
    write_case(&sb, c);
    let go = go_says(&sb, c);
    let (code, problems) = check_problems(&sb, c);
    // graph's output where go switches to a toolchain newer than any line, and so refuses
    // nothing: the same project's graph.
    let switching = Case {
        gotoolchain: "go1.999.0".into(),
        ..c.clone()
    };
    let graph_switching = modscope(&sb, &switching, &["graph", "--json"]);
    assert_eq!(
        graph_switching.status.code(),
        Some(0),
        "{}",
        stderr(&graph_switching)
    );
    let graph = modscope(&sb, c, &["graph", "--json"]);
    let why = modscope(&sb, c, &["why", "example.com/alpha"]);
    match c.expect {
        Expect::Refused => {
            let said = go.unwrap_or_else(|| panic!("{}: go runs", c.name));
            assert!(!said.contains('\n'), "{}: go said more: {said}", c.name);
            assert_eq!(code, Some(1), "{}: check exit code", c.name);
            assert_eq!(problems.len(), 1, "{}: {problems:?}", c.name);
            let message = problems[0]["message"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{said}. To fix: ")),
                "{}: go says {said:?}, check says {message:?}",
                c.name
            );
            let file = if c.work_go.is_some() {
                "go.work"
            } else {
                "go.mod"
            };
            assert_eq!(
                Path::new(problems[0]["file"].as_str().unwrap()),
                sb.project.join(file),
                "{}",
                c.name
            );
            for (what, out) in [("graph", &graph), ("why", &why)] {
                assert_eq!(out.status.code(), Some(1), "{}: {what}", c.name);
                assert!(
                    stderr(out).starts_with(&format!("modscope: {said}\n  to fix: ")),
                    "{}: {what} says {:?}, go {said:?}",
                    c.name,
                    stderr(out)
                );
            }
            assert_eq!(
                graph.stdout, graph_switching.stdout,
                "{}: graph output",
                c.name
            );
            // offline says it too, as a blocker in the same words.
            let offline = modscope(&sb, c, &["offline", "--json"]);
            assert_eq!(offline.status.code(), Some(1), "{}: offline", c.name);
            let verdict: serde_json::Value = serde_json::from_slice(&offline.stdout).unwrap();
            let blockers = verdict["blockers"].as_array().unwrap();
            assert!(
                blockers
                    .iter()
                    .any(|b| b["message"].as_str().unwrap().starts_with(&said)),
                "{}: offline blockers {blockers:?}, go {said:?}",
                c.name
            );
            assert!(
                String::from_utf8_lossy(&why.stdout).contains("paths from the main module"),
                "{}: why still answers",
                c.name
            );
        }
        Expect::Switches | Expect::Runs => {
            if c.expect == Expect::Runs {
                assert_eq!(go, None, "{}: go refuses", c.name);
            } else {
                let said = go.unwrap_or_else(|| panic!("{}: go runs offline", c.name));
                assert!(
                    said.contains("downloading go"),
                    "{}: go does not switch: {said}",
                    c.name
                );
            }
            assert_eq!((code, problems), (Some(0), vec![]), "{}: check", c.name);
            for (what, out) in [("graph", &graph), ("why", &why)] {
                assert_eq!(out.status.code(), Some(0), "{}: {what}", c.name);
                assert_eq!(stderr(out), "", "{}: {what}", c.name);
            }
        }
    }
}

fn case(name: &'static str, go_mod_go: &str, gotoolchain: &str, expect: Expect) -> Case {
    Case {
        name,
        go_mod_go: go_mod_go.into(),
        toolchain: None,
        work_go: None,
        dir: "",
        gotoolchain: gotoolchain.into(),
        go1_99_on_path: false,
        expect,
    }
}

#[test]
fn a_go_mod_go_line_newer_than_go_is_a_refusal_only_where_go_refuses() {
    let base = base();
    let local = local_version(&base);
    let pinned = format!("go{local}");
    let pinned_auto = format!("go{local}+auto");
    let cases = [
        case("go.mod 1.99, local", "1.99", "local", Expect::Refused),
        Case {
            dir: "sub",
            ..case(
                "go.mod 1.99, local, below",
                "1.99",
                "local",
                Expect::Refused,
            )
        },
        case("go.mod 1.99, path", "1.99", "path", Expect::Refused),
        case(
            "go.mod 1.99, local+path",
            "1.99",
            "local+path",
            Expect::Refused,
        ),
        case(
            "go.mod 1.99, pinned local",
            "1.99",
            &pinned,
            Expect::Refused,
        ),
        case("go.mod 1.99, auto", "1.99", "auto", Expect::Switches),
        case(
            "go.mod 1.99, pinned+auto",
            "1.99",
            &pinned_auto,
            Expect::Switches,
        ),
        Case {
            toolchain: Some("default"),
            ..case("toolchain default, auto", "1.99", "auto", Expect::Refused)
        },
        Case {
            toolchain: Some("default"),
            ..case("toolchain default, path", "1.99", "path", Expect::Refused)
        },
    ];
    for c in &cases {
        assert_case(&base, c);
    }
}

#[test]
fn a_go_work_go_line_newer_than_go_is_a_refusal_only_where_go_refuses() {
    let base = base();
    let work = |name, gotoolchain: &str, dir, expect| Case {
        work_go: Some("1.99".into()),
        dir,
        ..case(name, "1.21", gotoolchain, expect)
    };
    let cases = [
        work("go.work 1.99, local", "local", "", Expect::Refused),
        work(
            "go.work 1.99, local, below",
            "local",
            "sub",
            Expect::Refused,
        ),
        work("go.work 1.99, path", "path", "", Expect::Refused),
        work("go.work 1.99, auto", "auto", "", Expect::Switches),
    ];
    for c in &cases {
        assert_case(&base, c);
    }
}

#[test]
fn a_toolchain_line_is_a_refusal_only_with_path() {
    let base = base();
    let tc = |name, gotoolchain: &str, expect| Case {
        toolchain: Some("go1.99.0"),
        ..case(name, "1.21", gotoolchain, expect)
    };
    let cases = [
        tc("toolchain go1.99.0, local", "local", Expect::Runs),
        tc("toolchain go1.99.0, path", "path", Expect::Refused),
        tc("toolchain go1.99.0, auto", "auto", Expect::Switches),
        Case {
            go1_99_on_path: true,
            ..tc("toolchain go1.99.0, path, on PATH", "path", Expect::Runs)
        },
        Case {
            go1_99_on_path: true,
            ..case("go.mod 1.99, path, on PATH", "1.99", "path", Expect::Runs)
        },
    ];
    for c in &cases {
        assert_case(&base, c);
    }
}

#[test]
fn a_go_line_go_satisfies_is_no_problem() {
    let base = base();
    let local = local_version(&base);
    let cases = [
        case("go line = local, local", &local, "local", Expect::Runs),
        case("go line = local, path", &local, "path", Expect::Runs),
        case("go line = local, auto", &local, "auto", Expect::Runs),
        case("go line 1.20, local", "1.20", "local", Expect::Runs),
        Case {
            work_go: Some(local.clone()),
            ..case("go.work = local, local", "1.21", "local", Expect::Runs)
        },
    ];
    for c in &cases {
        assert_case(&base, c);
    }
}
