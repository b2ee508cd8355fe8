//! A version whose go.mod alone the module graph loads (an older requirement of a dependency):
//! go reads its `.mod` and never its `.info`, so a team proxy filled from a cache that has no
//! `.info` for it (as `go build` leaves a cache) serves everything the build needs. The check
//! says complete, with the `.info` as advice only, and go, with that proxy alone and an empty
//! cache, downloads everything and builds; without the `.mod` both fail (`go mod download`).

use crate::support::{GoSandbox, module};
use serde_json::Value;

#[test]
fn a_missing_info_of_a_version_whose_go_mod_alone_is_loaded_is_advice_and_go_builds() {
    let b_old = module(
        "example.com/b",
        "v1.0.0",
        Some("1.21"),
        &[],
        "func B() int { return 0 }",
    );
    let b_new = module(
        "example.com/b",
        "v1.1.0",
        Some("1.21"),
        &[],
        "func B() int { return 1 }",
    );
    // go 1.16: a module graph go does not prune, so go loads the go.mod of each version a's
    // requirements name, b v1.0.0's among them, though v1.1.0 is selected.
    let a = module(
        "example.com/a",
        "v1.0.0",
        Some("1.16"),
        &[("example.com/b", "v1.0.0")],
        "import \"example.com/b\"\n\nfunc A() int { return b.B() }",
    );
    let sb = GoSandbox::new(&[a, b_old, b_new]);
    sb.write_project(
        "module example.com/main\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.1.0\n)\n",
        &[(
            "main.go",
            "package main\n\nimport (\n\t_ \"example.com/a\"\n\t_ \"example.com/b\"\n)\n\nfunc main() {}\n",
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    // go loaded b v1.0.0's go.mod only.
    let old = sb.cache.join("cache/download/example.com/b/@v");
    assert!(old.join("v1.0.0.mod").is_file());
    assert!(!old.join("v1.0.0.zip").exists());

    let team = sb.tmp.path().join("team-proxy");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(&sb.proxy)
        .arg(&team)
        .status()
        .unwrap();
    assert!(copied.success());
    let old_info = team.join("example.com/b/@v/v1.0.0.info");
    std::fs::remove_file(&old_info).unwrap();
    let url = format!("file://{}", team.display());

    let check = || {
        let out = sb.modscope(&["proxy", "check", &url, "--json"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), v)
    };
    let (code, v) = check();
    assert_eq!(code, Some(0), "{v:#}");
    let info = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["module"] == "example.com/b@v1.0.0" && e["file"] == "info")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(info["state"], "absent");
    assert_eq!(info["advisory"], true);
    assert!(info["fix"].is_null());
    assert!(
        !v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["module"] == "example.com/b@v1.0.0" && e["file"] == "zip"),
        "{v:#}"
    );

    let go = |args: &[&str]| super::go_from_proxy_alone(sb.command("go", args, &sb.project), &url);
    for args in [&["mod", "download"][..], &["build", "./..."]] {
        let ran = go(args);
        assert!(
            ran.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
    }

    // Its .mod is needed by `go mod download`, which loads the whole module graph (a build of a
    // go 1.21 main module whose go.mod lists every module it imports from loads less): without
    // it, both fail.
    std::fs::remove_file(team.join("example.com/b/@v/v1.0.0.mod")).unwrap();
    let (code, v) = check();
    assert_eq!(code, Some(1), "{v:#}");
    let failed = go(&["mod", "download"]);
    assert!(!failed.status.success());
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("example.com/b@v1.0.0"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
}
