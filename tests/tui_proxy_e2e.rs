//! The proxy view, end to end: the inspector in a pseudo-terminal, GOPROXY pointing at an HTTP
//! proxy on 127.0.0.1 that lacks one zip. `P` checks it as a job; while its requests hang, `c`
//! cancels it (the view says so); `r` checks again once the proxy answers, and the list names
//! the missing zip with the command that fills it. The real `go`, with that proxy alone and an
//! empty cache, fails on that module too.

mod support;

#[path = "support/pty.rs"]
mod pty;

use pty::PtyApp;
use std::time::Duration;
use support::http_server::{Fault, Server};
use support::{GoSandbox, alpha, beta};

const WAIT: Duration = Duration::from_secs(60);
const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n\t\"example.com/beta\"\n)\n\nfunc main() { fmt.Println(alpha.A(), beta.B()) }\n";

#[test]
fn p_checks_the_proxy_c_cancels_it_and_the_list_names_the_missing_zip() {
    let sb = GoSandbox::new(&[alpha(), beta()]);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    let server = Server::start(&sb.proxy, Duration::ZERO);
    let beta_zip = "example.com/beta/@v/v1.2.0.zip";
    let alpha_info = "example.com/alpha/@v/v1.0.0.info";
    server.fault(beta_zip, Fault::Status(404));
    server.fault(alpha_info, Fault::Hang);

    let mut env = sb.go_env();
    env.retain(|(k, _)| k != "GOPROXY");
    env.push(("GOPROXY".into(), server.url()));
    env.push(("TERM".into(), "xterm-256color".into()));
    let mut app = PtyApp::spawn(
        env!("CARGO_BIN_EXE_modscope"),
        &[],
        &env,
        &sb.project,
        120,
        40,
    );
    app.wait_for("example.com/beta", WAIT);
    app.send(b"P");
    app.wait_until("the check running, alpha's .info hanging", WAIT, |s| {
        s.contains("Proxy check") && s.contains("checking:")
    });
    let deadline = std::time::Instant::now() + WAIT;
    while !server.requests().iter().any(|p| p.ends_with(alpha_info)) {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            server.requests()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    app.send(b"c");
    app.wait_until("the check cancelled", WAIT, |s| {
        s.contains("check cancelled (r checks again)") && s.contains("cancelled")
    });

    server.clear_fault(alpha_info);
    app.send(b"r");
    app.wait_until("the list naming beta's zip", WAIT, |s| {
        s.contains("✗ incomplete")
            && s.contains("absent zip")
            && s.contains("example.com/beta@v1.2.0")
            && s.contains("404")
    });
    // The entry at the cursor: its URL and the command that fills it.
    app.wait_until("the fix of the entry", WAIT, |s| {
        s.contains(&format!("{}/{beta_zip}", server.url()))
            && s.contains("go mod download -json example.com/beta@v1.2.0")
    });
    let text = app.screen();
    assert!(
        !text.contains("example.com/alpha@v1.0.0"),
        "alpha is served whole: {text}"
    );
    app.send(b"q");
    let (status, _) = app.wait_exit(std::time::Instant::now(), Duration::from_secs(10));
    assert!(status.success(), "{status:?}");

    // go, with that proxy alone and an empty cache: beta fails, alpha does not.
    let empty = tempfile::tempdir().unwrap();
    let download = |m: &str| {
        sb.command("go", &["mod", "download", m], &sb.project)
            .env("GOMODCACHE", empty.path())
            .env("GOPROXY", server.url())
            .env("GOFLAGS", "-modcacherw -mod=mod")
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(download("example.com/alpha@v1.0.0"));
    assert!(!download("example.com/beta@v1.2.0"));
}
