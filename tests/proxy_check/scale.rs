//! The "done when", at scale and over HTTP: a generated project of 300 modules (100 it
//! imports, each importing two more), its proxy served on 127.0.0.1 lacking three zips and
//! serving one `.mod` with other bytes. `modscope proxy check` names exactly those four entries,
//! and the real `go`, with that proxy alone (GOFLAGS=-mod=mod) and an empty cache, fails on
//! exactly those four modules. With the faults gone, the check says complete.

use crate::support::http_server::{Fault, Server};
use crate::support::{GoSandbox, module};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

const DIRECT: usize = 100;

fn direct(i: usize) -> String {
    format!("example.com/d{i:03}")
}

fn leaf(i: usize) -> String {
    format!("example.com/i{i:03}")
}

/// 100 modules the project imports, each importing two leaf modules of its own: 300 in all.
fn sandbox() -> (GoSandbox, Vec<String>) {
    let mut mods = Vec::new();
    for i in 0..DIRECT {
        let (a, b) = (leaf(2 * i), leaf(2 * i + 1));
        let pkg = |p: &str| p.rsplit('/').next().unwrap().to_string();
        mods.push(module(
            &direct(i),
            "v1.0.0",
            Some("1.21"),
            &[(&a, "v1.0.0"), (&b, "v1.0.0")],
            &format!(
                "import (\n\t\"{a}\"\n\t\"{b}\"\n)\n\nfunc F() int {{ return {}.F() + {}.F() }}",
                pkg(&a),
                pkg(&b)
            ),
        ));
        for l in [a, b] {
            mods.push(module(
                &l,
                "v1.0.0",
                Some("1.21"),
                &[],
                "func F() int { return 1 }",
            ));
        }
    }
    let all: Vec<String> = mods
        .iter()
        .map(|m| format!("{}@{}", m.path, m.version))
        .collect();
    let sb = GoSandbox::new(&mods);
    let requires: String = (0..DIRECT)
        .map(|i| format!("\t{} v1.0.0\n", direct(i)))
        .collect();
    let imports: String = (0..DIRECT)
        .map(|i| format!("\t_ \"{}\"\n", direct(i)))
        .collect();
    sb.write_project(
        &format!("module example.com/main\n\ngo 1.21\n\nrequire (\n{requires})\n"),
        &[(
            "main.go",
            &format!("package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n"),
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    (sb, all)
}

/// `(module, file)` of every needed entry not present, by state.
fn flagged(v: &Value, state: &str) -> BTreeSet<(String, String)> {
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["advisory"].is_null() && e["state"] == state)
        .map(|e| {
            (
                e["module"].as_str().unwrap().to_string(),
                e["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// go with `proxy` alone and an empty cache, asked for every module at once: the modules it
/// fails on. `go mod download -json` goes on after a module it cannot get and says which in
/// that module's JSON; a SECURITY ERROR (bytes other than go.sum's) stops the whole command,
/// naming the module: that one is counted and the rest asked again.
fn go_failures(sb: &GoSandbox, proxy: &str, all: &[String]) -> BTreeSet<String> {
    let mut failed = BTreeSet::new();
    let mut asked: Vec<&str> = all.iter().map(String::as_str).collect();
    loop {
        let mut args = vec!["mod", "download", "-json"];
        args.extend(&asked);
        let out = crate::go_from_proxy_alone(sb.command("go", &args, &sb.project), proxy);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("SECURITY ERROR") {
            // `verifying example.com/x@v1.0.0/go.mod: checksum mismatch` (or without /go.mod
            // for a zip).
            let refused = stderr
                .lines()
                .find_map(|l| l.strip_prefix("verifying "))
                .and_then(|l| l.split(": checksum mismatch").next())
                .map(|m| m.trim_end_matches("/go.mod").to_string())
                .unwrap_or_else(|| panic!("{stderr}"));
            asked.retain(|m| *m != refused);
            assert!(failed.insert(refused), "{stderr}");
            continue;
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let errors: Vec<String> = serde_json::Deserializer::from_str(&stdout)
            .into_iter::<Value>()
            .map(Result::unwrap)
            .filter(|m| m.get("Error").is_some())
            .map(|m| {
                format!(
                    "{}@{}",
                    m["Path"].as_str().unwrap(),
                    m["Version"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(out.status.success(), errors.is_empty(), "{stderr}");
        failed.extend(errors);
        return failed;
    }
}

#[test]
fn three_missing_zips_and_a_wrong_mod_among_300_modules_are_named_exactly_and_go_agrees() {
    let (sb, all) = sandbox();
    assert_eq!(all.len(), 300);
    let server = Server::start(&sb.proxy, Duration::ZERO);
    let absent = [direct(10), leaf(50), leaf(151)];
    let wrong = leaf(123);
    for m in &absent {
        server.fault(&format!("{m}/@v/v1.0.0.zip"), Fault::Status(404));
    }
    server.fault(
        &format!("{wrong}/@v/v1.0.0.mod"),
        Fault::Body(format!("module {wrong}\n\ngo 1.20\n").into_bytes()),
    );

    let out = sb.modscope(&["proxy", "check", &server.url(), "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(1), "{v:#}");
    assert_eq!(v["modules"], 300);
    let want_absent: BTreeSet<(String, String)> = absent
        .iter()
        .map(|m| (format!("{m}@v1.0.0"), "zip".to_string()))
        .collect();
    assert_eq!(flagged(&v, "absent"), want_absent);
    assert_eq!(
        flagged(&v, "wrong"),
        BTreeSet::from([(format!("{wrong}@v1.0.0"), "mod".to_string())])
    );
    assert!(flagged(&v, "error").is_empty(), "{v:#}");
    // Everything else was asked for and is there: .info and .mod of 300, 300 zips, but 4.
    assert_eq!(v["counts"]["present"], 900 - 4);

    let named: BTreeSet<String> = absent
        .iter()
        .chain([&wrong])
        .map(|m| format!("{m}@v1.0.0"))
        .collect();
    assert_eq!(go_failures(&sb, &server.url(), &all), named);

    // The faults gone: complete (go getting everything from it is what the run above showed
    // for all but the four).
    for m in &absent {
        server.clear_fault(&format!("{m}/@v/v1.0.0.zip"));
    }
    server.clear_fault(&format!("{wrong}/@v/v1.0.0.mod"));
    let out = sb.modscope(&["proxy", "check", &server.url(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
