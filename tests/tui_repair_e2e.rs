//! Repair from the inspector, end to end: the real binary in a pseudo-terminal on a project the
//! real `go` filled (with a graph-only module, as every real project has), one module's
//! extracted file edited. `d` does not pretend to fix it; `X`
//! shows every file that moves and the go command, `y` runs it; the row turns cached, the real
//! `go mod verify` agrees, and the edited file is kept in the quarantine.

mod support;

#[path = "support/pty.rs"]
mod pty;

use pty::{inspector, row_shows};
use std::time::Duration;
use support::{GoSandbox, alpha, force_write, gamma, module};

const WAIT: Duration = Duration::from_secs(60);
const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n\t\"example.com/beta\"\n)\n\nfunc main() { fmt.Println(alpha.A(), beta.B()) }\n";

#[test]
fn x_repairs_an_edited_module_after_confirmation_and_keeps_the_evidence() {
    // beta's go.mod requires gamma, which no package of the build imports: graph-only.
    let beta = module(
        "example.com/beta",
        "v1.2.0",
        Some("1.17"),
        &[("example.com/gamma", "v0.3.1")],
        "func B() int { return 2 }",
    );
    let sb = GoSandbox::new(&[alpha(), beta, gamma()]);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    let edited = sb.cache.join("example.com/beta@v1.2.0/beta.go");
    force_write(&edited, b"package beta\n\nfunc B() int { return 42 }\n");

    let mut app = inspector(&sb.project, &sb.go_env());
    app.wait_until("beta mismatched after the verify pass", WAIT, |s| {
        row_shows(s, "example.com/beta", "✗ mismatch")
            && s.contains("✓ 1 cached")
            && row_shows(s, "example.com/gamma", "· graph")
            && s.contains("· 1 graph")
    });
    // The graph-only module is no false alarm: nothing reads missing.
    assert!(!app.screen().contains("○ missing"), "{}", app.screen());
    assert!(app.screen().contains("○ 0 missing"), "{}", app.screen());
    app.send(b"/beta\r");
    app.wait_for("Modules 1/3", WAIT);

    // d: go would keep the changed copy, and the inspector says so instead of a green "done".
    app.send(b"d");
    app.wait_for("go mod download keeps the changed copy", WAIT);

    // X: the plan, then y.
    app.send(b"X");
    app.wait_until("the repair's confirmation", WAIT, |s| {
        s.contains("Repair: evict into the quarantine")
            && s.contains("go mod download -json example.com/beta@v1.2.0")
            && s.contains("extracted-files-modified")
    });
    assert!(edited.is_file(), "nothing moves before y");
    app.send(b"y");
    app.wait_until("beta cached after the repair and its verify", WAIT, |s| {
        row_shows(s, "example.com/beta", "✓ cached") && s.contains("✗ 0 mismatch")
    });
    app.send(b"q");
    let (status, _) = app.wait_exit(std::time::Instant::now(), Duration::from_secs(10));
    assert!(status.success(), "{status:?}");

    // The real go agrees, and the evidence is kept outside the cache.
    let verify = sb.go(&["mod", "verify"]);
    assert!(
        String::from_utf8_lossy(&verify.stdout).contains("all modules verified"),
        "{verify:?}"
    );
    let quarantine = sb.tmp.path().join("home/.cache/modscope/quarantine");
    let kept: Vec<_> = walk(&quarantine);
    assert!(
        kept.iter().any(|p| p.ends_with("manifest.json")),
        "{kept:#?}"
    );
    let evidence = kept
        .iter()
        .find(|p| p.ends_with("beta.go"))
        .unwrap_or_else(|| panic!("the edited file is not in the quarantine: {kept:#?}"));
    let text = std::fs::read_to_string(evidence).unwrap();
    assert!(text.contains("return 42"), "{text}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
