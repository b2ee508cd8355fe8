//! End to end: in the real binary in a pseudo-terminal, `o` then `e` exports the offline bundle
//! as a background job, and the bundle on disk is complete.

mod support;

#[path = "support/pty.rs"]
mod pty;

use gomodcache::bundle::Manifest;
use pty::inspector;
use std::time::Duration;
use support::{GoSandbox, alpha, beta};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn the_offline_view_exports_a_bundle_in_the_background() {
    let sb = GoSandbox::new(&[alpha(), beta()]);
    sb.write_project(
        "module example.com/main\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n",
        &[(
            "main.go",
            "package main\n\nimport (\n\t\"example.com/alpha\"\n\t\"example.com/beta\"\n)\n\nfunc main() { println(alpha.A() + beta.B()) }\n",
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    let mut app = inspector(&sb.project, &sb.go_env());
    app.wait_for("offline: ready", WAIT);
    app.send(b"o");
    app.wait_for("Offline readiness", WAIT);
    app.send(b"e");
    app.wait_for("Export offline bundle", WAIT);
    let default = format!("{}-offline-bundle", sb.project.display());
    assert!(app.screen().contains(&default), "{}", app.screen());
    // Ctrl-U clears the suggestion; a relative path starts at the project directory.
    app.send(b"\x15bundle");
    app.send(b"\r");
    app.wait_until("the export job done", WAIT, |s| {
        s.lines()
            .any(|l| l.contains("export offline bundle") && l.contains("done"))
    });
    let bundle = sb.project.join("bundle");
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(bundle.join("modscope-bundle.json")).unwrap())
            .unwrap();
    assert!(manifest.missing.is_empty(), "{:?}", manifest.missing);
    assert_eq!(
        manifest.modules.iter().filter(|m| m.zip).count(),
        2,
        "{manifest:?}"
    );
    assert!(app.screen().contains("bundle written"), "{}", app.screen());
    app.send(b"q");
}

/// Started inside the project without -C (or in a package below it), `e` suggests a directory
/// beside the project, named after it: not `<project>/project-offline-bundle`, as "." once
/// made it.
#[test]
fn the_default_bundle_directory_is_beside_the_project_when_started_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let project = root.join("myproj");
    std::fs::create_dir_all(project.join("sub")).unwrap();
    std::fs::write(
        project.join("go.mod"),
        "module example.com/myproj\n\ngo 1.21\n",
    )
    .unwrap();
    let cache = root.join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let env: Vec<(String, String)> = vec![
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("HOME".into(), root.display().to_string()),
        ("TERM".into(), "xterm-256color".into()),
    ];
    let expected = format!("{}/myproj-offline-bundle", root.display());
    for cwd in [project.clone(), project.join("sub")] {
        let mut app = pty::PtyApp::spawn(
            env!("CARGO_BIN_EXE_modscope"),
            &["--modcache", cache.to_str().unwrap()],
            &env,
            &cwd,
            120,
            40,
        );
        app.wait_for("this project requires no modules", WAIT);
        app.send(b"e");
        app.wait_for("Export offline bundle", WAIT);
        let screen = app.screen();
        assert!(
            screen.contains(&expected),
            "from {}:\n{screen}",
            cwd.display()
        );
        app.send(b"\x1b");
        app.wait_until("the prompt closed", WAIT, |s| {
            !s.contains("Export offline bundle")
        });
        app.send(b"q");
    }
}
