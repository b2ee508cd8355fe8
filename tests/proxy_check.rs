//! `modscope proxy check` against a team proxy (a `file://` tree here) that lacks some zips and
//! serves a wrong `.mod`: it names exactly those, and the real `go`, with that proxy alone and
//! an empty cache, fails on exactly those modules; the printed fixes fill the proxy, after which
//! the check says complete and go builds.

mod support;

#[path = "proxy_check/credentials.rs"]
mod credentials;
#[path = "proxy_check/goauth.rs"]
mod goauth;
#[path = "proxy_check/mod_only.rs"]
mod mod_only;
#[path = "proxy_check/scale.rs"]
mod scale;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use support::{GoSandbox, module};

const MODULES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

fn sandbox() -> GoSandbox {
    let mods: Vec<_> = MODULES
        .iter()
        .map(|m| {
            module(
                &format!("example.com/{m}"),
                "v1.0.0",
                Some("1.21"),
                &[],
                "func F() int { return 1 }",
            )
        })
        .collect();
    let sb = GoSandbox::new(&mods);
    let requires: String = MODULES
        .iter()
        .map(|m| format!("\texample.com/{m} v1.0.0\n"))
        .collect();
    let imports: String = MODULES
        .iter()
        .map(|m| format!("\t_ \"example.com/{m}\"\n"))
        .collect();
    sb.write_project(
        &format!("module example.com/main\n\ngo 1.21\n\nrequire (\n{requires})\n"),
        &[(
            "main.go",
            &format!("package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n"),
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    sb
}

fn check(sb: &GoSandbox, url: &str) -> (i32, Value) {
    let out = sb.modscope(&["proxy", "check", url, "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

/// `(module, file)` of every needed entry in `state`.
fn flagged(v: &Value, states: &[&str]) -> BTreeSet<(String, String)> {
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["advisory"].is_null() && states.contains(&e["state"].as_str().unwrap()))
        .map(|e| {
            (
                e["module"].as_str().unwrap().to_string(),
                e["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn team_proxy(sb: &GoSandbox) -> std::path::PathBuf {
    let team = sb.tmp.path().join("team-proxy");
    let ok = std::process::Command::new("cp")
        .arg("-r")
        .arg(&sb.proxy)
        .arg(&team)
        .status()
        .unwrap();
    assert!(ok.success());
    team
}

/// Runs `go` (a command the sandbox built) with `proxy` alone and an empty module cache of its
/// own (made writable again afterwards, so the temporary directory can be removed): what a
/// machine with nothing cached gets from that proxy.
fn go_from_proxy_alone(mut go: std::process::Command, proxy: &str) -> std::process::Output {
    let empty = tempfile::tempdir().unwrap();
    let out = go
        .env("GOMODCACHE", empty.path())
        .env("GOPROXY", proxy)
        .env("GOFLAGS", "-modcacherw -mod=mod")
        .output()
        .unwrap();
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(empty.path())
        .status();
    out
}

/// go with the team proxy alone and an empty cache: the modules it cannot get, each asked for
/// by itself (a SECURITY ERROR stops a whole `go mod download`).
fn go_failures(sb: &GoSandbox, team: &Path) -> BTreeSet<String> {
    go_failures_through(sb, &format!("file://{}", team.display()))
}

/// [`go_failures`] with GOPROXY=`proxy`.
fn go_failures_through(sb: &GoSandbox, proxy: &str) -> BTreeSet<String> {
    let empty = tempfile::tempdir().unwrap();
    let failed = MODULES
        .iter()
        .map(|m| format!("example.com/{m}@v1.0.0"))
        .filter(|m| {
            !sb.command("go", &["mod", "download", "-json", m], &sb.project)
                .env("GOMODCACHE", empty.path())
                .env("GOPROXY", proxy)
                .env("GOFLAGS", "-modcacherw -mod=mod")
                .output()
                .unwrap()
                .status
                .success()
        })
        .collect();
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(empty.path())
        .status();
    failed
}

#[test]
fn a_proxy_missing_three_zips_and_serving_a_wrong_mod_is_named_exactly_and_go_agrees() {
    let sb = sandbox();
    let team = team_proxy(&sb);
    let url = format!("file://{}", team.display());
    let (code, v) = check(&sb, &url);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["complete"], true);
    assert!(go_failures(&sb, &team).is_empty());

    for m in ["a", "b", "c"] {
        std::fs::remove_file(team.join(format!("example.com/{m}/@v/v1.0.0.zip"))).unwrap();
    }
    std::fs::write(
        team.join("example.com/e/@v/v1.0.0.mod"),
        "module example.com/e\n\ngo 1.20\n",
    )
    .unwrap();
    let (code, v) = check(&sb, &url);
    assert_eq!(code, 1);
    let absent = flagged(&v, &["absent"]);
    let wrong = flagged(&v, &["wrong"]);
    let want_absent: BTreeSet<(String, String)> = ["a", "b", "c"]
        .iter()
        .map(|m| (format!("example.com/{m}@v1.0.0"), "zip".to_string()))
        .collect();
    assert_eq!(absent, want_absent, "{v:#}");
    assert_eq!(
        wrong,
        BTreeSet::from([("example.com/e@v1.0.0".to_string(), "mod".to_string())])
    );
    // The oracle: go fails on exactly those four modules.
    let named: BTreeSet<String> = absent
        .iter()
        .chain(&wrong)
        .map(|(m, _)| m.clone())
        .collect();
    assert_eq!(go_failures(&sb, &team), named);

    // The fixes, as printed, fill the missing zips from the module cache.
    for e in v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["state"] == "absent" && e["advisory"].is_null())
    {
        let fix = e["fix"].as_str().unwrap();
        let ran = sb
            .command("sh", &["-c", fix], &sb.project)
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{fix}: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
    }
    std::fs::copy(
        sb.proxy.join("example.com/e/@v/v1.0.0.mod"),
        team.join("example.com/e/@v/v1.0.0.mod"),
    )
    .unwrap();
    let (code, v) = check(&sb, &url);
    assert_eq!(code, 0, "{v:#}");
    assert!(go_failures(&sb, &team).is_empty());
}

#[test]
fn full_hashes_zips_and_finds_one_with_other_bytes() {
    let sb = sandbox();
    let team = team_proxy(&sb);
    let url = format!("file://{}", team.display());
    // f's zip replaced by another module's content under its name.
    let other = module(
        "example.com/f",
        "v1.0.0",
        Some("1.21"),
        &[],
        "func F() int { return 666 }",
    );
    std::fs::write(team.join("example.com/f/@v/v1.0.0.zip"), other.zip_bytes()).unwrap();
    let (code, _) = check(&sb, &url);
    assert_eq!(code, 0, "HEAD cannot see other bytes");
    let out = sb.modscope(&["proxy", "check", &url, "--json", "--full"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        flagged(&v, &["wrong"]),
        BTreeSet::from([("example.com/f@v1.0.0".to_string(), "zip".to_string())])
    );
    assert_eq!(
        go_failures(&sb, &team),
        BTreeSet::from(["example.com/f@v1.0.0".to_string()])
    );
}

/// The same audit over HTTP, with faults per path: 404 and 410 (absent), 500 once then the
/// answer (retried: present), a `.mod` with other bytes (wrong), a 500 that stays (error). go,
/// pointed at the server alone with an empty cache, fails on exactly the modules named.
#[test]
fn an_http_proxy_with_faults_is_named_entry_by_entry_and_go_agrees() {
    use support::http_server::{Fault, Server};
    let sb = sandbox();
    let server = Server::start(&sb.proxy, std::time::Duration::ZERO);
    server.fault("example.com/a/@v/v1.0.0.zip", Fault::Status(404));
    server.fault("example.com/b/@v/v1.0.0.zip", Fault::Status(410));
    server.fault("example.com/c/@v/v1.0.0.zip", Fault::FailTimes(1));
    server.fault(
        "example.com/d/@v/v1.0.0.mod",
        Fault::Body(b"module example.com/d\n\ngo 1.20\n".to_vec()),
    );
    server.fault("example.com/e/@v/v1.0.0.info", Fault::Status(500));
    let (code, v) = check(&sb, &server.url());
    assert_eq!(code, 1, "{v:#}");
    let absent = flagged(&v, &["absent"]);
    assert_eq!(
        absent,
        BTreeSet::from([
            ("example.com/a@v1.0.0".to_string(), "zip".to_string()),
            ("example.com/b@v1.0.0".to_string(), "zip".to_string()),
        ]),
        "{v:#}"
    );
    assert_eq!(
        flagged(&v, &["wrong"]),
        BTreeSet::from([("example.com/d@v1.0.0".to_string(), "mod".to_string())])
    );
    assert_eq!(
        flagged(&v, &["error"]),
        BTreeSet::from([("example.com/e@v1.0.0".to_string(), "info".to_string())])
    );
    // c's zip: a 500, retried, then there.
    let c_zip_requests = server
        .requests()
        .iter()
        .filter(|p| p.as_str() == "/example.com/c/@v/v1.0.0.zip")
        .count();
    assert_eq!(c_zip_requests, 2);
    // A 404 under a GOPROXY of one entry: go stops.
    let a = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["module"] == "example.com/a@v1.0.0" && e["file"] == "zip")
        .unwrap();
    assert!(a["next"].as_str().unwrap().contains("go stops"), "{a}");

    let failed = go_failures_through(&sb, &server.url());
    let named: BTreeSet<String> = ["a", "b", "d", "e"]
        .iter()
        .map(|m| format!("example.com/{m}@v1.0.0"))
        .collect();
    assert_eq!(failed, named);
}
