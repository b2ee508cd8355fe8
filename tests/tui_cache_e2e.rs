//! The cache view, end to end: `modscope cache` in a pseudo-terminal opens the inspector on it,
//! over a cache the real `go` filled from a file:// proxy, holding one version no project uses.
//! Marking it and pruning it (after the confirmation) moves it to the quarantine; the view
//! rescans without it, and the real `go` still builds the project offline.

mod support;

#[path = "support/pty.rs"]
mod pty;

use pty::PtyApp;
use std::time::Duration;
use support::{GoSandbox, alpha, beta, module};

const WAIT: Duration = Duration::from_secs(60);
const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n\t\"example.com/beta\"\n)\n\nfunc main() { fmt.Println(alpha.A(), beta.B()) }\n";

#[test]
fn modscope_cache_opens_the_cache_view_and_prunes_a_marked_unused_version() {
    let old_alpha = module(
        "example.com/alpha",
        "v0.9.0",
        Some("1.17"),
        &[],
        "func A() int { return 0 }",
    );
    let sb = GoSandbox::new(&[alpha(), old_alpha, beta()]);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    // A version no project uses: downloaded by hand, as an old checkout would have left it.
    sb.go_ok(&["mod", "download", "example.com/alpha@v0.9.0"]);
    let old_tree = sb.cache.join("example.com/alpha@v0.9.0");
    let old_zip = sb
        .cache
        .join("cache/download/example.com/alpha/@v/v0.9.0.zip");
    assert!(old_zip.is_file());

    let mut env = sb.go_env();
    env.push(("TERM".into(), "xterm-256color".into()));
    let mut app = PtyApp::spawn(
        env!("CARGO_BIN_EXE_modscope"),
        &["cache"],
        &env,
        &sb.project,
        120,
        40,
    );
    app.wait_until("the cache view, scanned", WAIT, |s| {
        s.contains("Module cache")
            && s.contains("example.com/alpha")
            && s.contains("unused")
            && !s.contains("⟳")
    });
    // Only what no known project uses: alpha, with its one unused version.
    app.send(b"f");
    app.wait_for("unused only", WAIT);
    app.send(b"/alpha\r");
    app.send(b"\x1b[C"); // →
    app.wait_until("alpha's unused version under it", WAIT, |s| {
        s.contains("▾ example.com/alpha") && s.contains("v0.9.0") && !s.contains("v1.0.0")
    });
    app.send(b"\x1b[B "); // ↓, Space
    app.wait_for("marked 1", WAIT);
    app.send(b"p");
    app.wait_until("the confirmation", WAIT, |s| {
        s.contains("Prune: move the marked versions") && s.contains("example.com/alpha@v0.9.0")
    });
    assert!(old_zip.is_file(), "nothing moves before y");
    app.send(b"y");
    // Said when it ends: where the bytes went and how to free them.
    app.wait_for("purge-quarantine", WAIT);
    app.wait_until("the cache scanned again without it", WAIT, |s| {
        // Unused only, filtered to alpha: nothing left to show.
        s.contains("2 paths, 2 versions")
            && s.contains("no module path matches the filter")
            && !s.contains("⟳")
    });
    // The view is still live: unused off, the used version is listed.
    app.send(b"f");
    app.wait_until("alpha v1.0.0 used by this project", WAIT, |s| {
        s.contains("example.com/alpha") && s.contains("this")
    });
    app.send(b"q");
    let (status, _) = app.wait_exit(std::time::Instant::now(), Duration::from_secs(10));
    assert!(status.success(), "{status:?}");

    assert!(
        !old_tree.exists() && !old_zip.exists(),
        "v0.9.0 left the cache"
    );
    assert!(sb.cache.join("example.com/alpha@v1.0.0").is_dir());
    let quarantine = sb.tmp.path().join("home/.cache/modscope/quarantine");
    let kept: Vec<String> = std::fs::read_dir(&quarantine)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter().any(|n| n.contains("example.com_alpha@v0.9.0")),
        "{kept:?}"
    );
    // The project still builds offline from what is left.
    let mut build = sb.command("go", &["build", "./..."], &sb.project);
    build.env("GOPROXY", "off");
    let out = build.output().unwrap();
    assert!(out.status.success(), "{out:?}");
}
