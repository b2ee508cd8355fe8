//! Problems in the project's files, end to end: the real binary in a pseudo-terminal on a
//! project whose go.sum holds a merge-conflict marker, in a workspace whose go.work uses the
//! module twice. The real `go` refuses both; the header warns at 80 columns, `!` lists each
//! problem at its file and line, Esc closes the list.

mod support;

#[path = "support/pty.rs"]
mod pty;

use pty::PtyApp;
use std::time::{Duration, Instant};
use support::{GoSandbox, alpha};

const WAIT: Duration = Duration::from_secs(60);
const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire example.com/alpha v1.0.0\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n)\n\nfunc main() { fmt.Println(alpha.A()) }\n";

#[test]
fn the_header_warns_and_bang_lists_a_malformed_go_sum_line_and_a_go_work_go_refuses() {
    let sb = GoSandbox::new(&[alpha()]);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    let go_sum = sb.project.join("go.sum");
    let mut text = std::fs::read_to_string(&go_sum).unwrap();
    text.push_str("<<<<<<< HEAD\n");
    let sum_line = text.lines().count();
    std::fs::write(&go_sum, text).unwrap();
    let go_work = sb.project.join("go.work");
    std::fs::write(&go_work, "go 1.21\n\nuse .\nuse .\n").unwrap();

    let mut env = sb.go_env();
    env.retain(|(k, _)| k != "GOWORK");
    env.push(("GOWORK".into(), go_work.display().to_string()));
    // The real go refuses the workspace first (it reads go.work before any go.sum) ...
    let go = |env: &[(String, String)]| {
        let out = sb
            .command("go", &["list", "-m", "all"], &sb.project)
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let refused = go(&env);
    assert!(
        refused.contains(&format!(
            "go.work:4: path {} appears multiple times in workspace",
            sb.project.display()
        )),
        "{refused}"
    );
    // ... and, with go.work set aside, stops on the go.sum line.
    let mut off = env.clone();
    off.push(("GOWORK".into(), "off".into()));
    let malformed = go(&off);
    assert!(
        malformed.contains("malformed go.sum")
            && malformed.contains(&format!(
                "{}:{sum_line}: wrong number of fields 2",
                go_sum.display()
            )),
        "{malformed}"
    );

    env.push(("TERM".into(), "xterm-256color".into()));
    let mut app = PtyApp::spawn(
        env!("CARGO_BIN_EXE_modscope"),
        &[],
        &env,
        &sb.project,
        80,
        24,
    );
    app.wait_until("the warning in the header at 80 columns", WAIT, |s| {
        s.contains("example.com/alpha") && s.contains("⚠ 2 problems in project files (! to see)")
    });
    assert!(app.screen().contains("! file problems"), "{}", app.screen());
    // Wide enough that each problem is one row.
    app.resize(400, 40);
    app.send(b"!");
    app.wait_until("both problems at their file and line", WAIT, |s| {
        s.contains("Problems in project files")
            && s.contains(&format!(
                "{}:{sum_line}: malformed go.sum: wrong number of fields 2",
                go_sum.display()
            ))
            && s.contains(&format!(
                "{w}:4: go: error loading go.work: {w}:4: path {} appears multiple times in workspace (first on line 3)",
                sb.project.display(),
                w = go_work.display()
            ))
    });
    app.send(b"\x1b");
    app.wait_until("the list closed, the warning still there", WAIT, |s| {
        !s.contains("Problems in project files") && s.contains("⚠ 2 problems in project files")
    });
    app.send(b"q");
    let (status, _) = app.wait_exit(Instant::now(), Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}
