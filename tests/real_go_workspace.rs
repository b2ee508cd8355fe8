//! go.work workspaces and go.sum line order, with the real `go` as the oracle.

mod support;

use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::{Report, Status};
use support::{GoSandbox, module};

fn check(sb: &GoSandbox, gowork: &str) -> (Report, i32) {
    let cache = sb.cache.display().to_string();
    let out = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &["check", "--json", "--modcache", &cache],
            &sb.project,
        )
        .env("GOWORK", gowork)
        .output()
        .unwrap();
    let r: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (r, out.status.code().unwrap())
}

#[test]
fn workspace_requirements_of_every_module_are_checked() {
    let sb = GoSandbox::new(&[
        module(
            "example.com/a",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func A() int { return 1 }",
        ),
        module(
            "example.com/a",
            "v1.2.0",
            Some("1.17"),
            &[],
            "func A() int { return 12 }",
        ),
        module(
            "example.com/Upper",
            "v1.0.0-RC1",
            Some("1.17"),
            &[],
            "func U() int { return 2 }",
        ),
    ]);
    let ws = &sb.project;
    sb.write_project(
        "module example.com/app\n\ngo 1.22\n\nrequire example.com/a v1.0.0\n",
        &[
            ("main.go", "package main\n\nimport (\n\t\"example.com/a\"\n\t\"example.com/lib\"\n)\n\nfunc main() { println(a.A(), lib.L()) }\n"),
            ("lib/go.mod", "module example.com/lib\n\ngo 1.22\n\nrequire (\n\texample.com/Upper v1.0.0-RC1\n\texample.com/a v1.2.0\n)\n"),
            ("lib/lib.go", "package lib\n\nimport (\n\t\"example.com/Upper\"\n\t\"example.com/a\"\n)\n\nfunc L() int { return upper.U() + a.A() }\n"),
            ("go.work", "go 1.22\n\nuse (\n\t.\n\t./lib\n)\n"),
        ],
    );
    let mut sync = sb.command("go", &["work", "sync"], ws);
    sync.env("GOWORK", ws.join("go.work"));
    let out = sync.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut build = sb.command("go", &["build", "./..."], ws);
    build.env("GOWORK", ws.join("go.work"));
    let out = build.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (r, code) = check(&sb, "");
    assert_eq!(code, 0, "{r:#?}");
    assert!(r.workspace.as_deref().unwrap().ends_with("go.work"));
    let paths: Vec<(&str, &str)> = r
        .modules
        .iter()
        .map(|m| (m.path.as_str(), m.version.as_str()))
        .collect();
    // The workspace modules themselves are not dependencies; a is selected at the higher version.
    assert_eq!(
        paths,
        [
            ("example.com/Upper", "v1.0.0-RC1"),
            ("example.com/a", "v1.2.0")
        ]
    );
    assert!(r.modules.iter().all(|m| m.status == Status::Cached));
    let a = &r.modules[1];
    assert_eq!(a.required_by, ["example.com/app", "example.com/lib"]);

    // With GOWORK=off only the app module's go.mod counts.
    let (r, _) = check(&sb, "off");
    assert!(r.workspace.is_none());
    let paths: Vec<&str> = r.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["example.com/a"]);
    // `go work sync` raised app's requirement to the workspace's selected version.
    assert_eq!(r.modules[0].version, "v1.2.0");
}

#[test]
fn the_first_go_sum_line_wins_for_us_as_for_go() {
    let sb = GoSandbox::new(&[module(
        "example.com/Upper",
        "v1.0.0-RC1",
        Some("1.17"),
        &[],
        "func U() int { return 2 }",
    )]);
    sb.write_project(
        "module example.com/main\n\ngo 1.21\n\nrequire example.com/Upper v1.0.0-RC1\n",
        &[(
            "main.go",
            "package main\n\nimport \"example.com/Upper\"\n\nfunc main() { println(upper.U()) }\n",
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    let sum_path = sb.project.join("go.sum");
    let good = std::fs::read_to_string(&sum_path).unwrap();
    let zip_line = good
        .lines()
        .find(|l| !l.contains("/go.mod "))
        .unwrap()
        .to_string();
    let wrong = format!("example.com/Upper v1.0.0-RC1 h1:{}=", "A".repeat(43));

    // Wrong line first: go build stops with a checksum mismatch, and so do we.
    std::fs::write(&sum_path, format!("{wrong}\n{good}")).unwrap();
    let out = sb.go(&["build", "./..."]);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("checksum mismatch")
    );
    let (r, code) = check(&sb, "off");
    assert_eq!(code, 1);
    let kinds: Vec<ProblemKind> = r.modules[0].problems.iter().map(|p| p.kind).collect();
    assert!(
        kinds.contains(&ProblemKind::GoSumMismatch)
            && kinds.contains(&ProblemKind::GoSumDuplicateDisagrees),
        "{kinds:?}"
    );

    // Right line first: go builds, and we only warn about the stale duplicate.
    std::fs::write(&sum_path, format!("{good}{wrong}\n")).unwrap();
    sb.go_ok(&["build", "./..."]);
    let (r, code) = check(&sb, "off");
    assert_eq!(code, 0, "{r:#?}");
    assert_eq!(r.modules[0].status, Status::Cached);
    assert_eq!(
        r.modules[0]
            .problems
            .iter()
            .map(|p| p.kind)
            .collect::<Vec<_>>(),
        [ProblemKind::GoSumDuplicateDisagrees]
    );
    assert!(zip_line.starts_with("example.com/Upper v1.0.0-RC1 h1:"));
}
