//! `check` covers the whole build list, as `go mod verify` does: on a go 1.16 project (an
//! unpruned graph whose go.mod lists only the direct dependency) and on a go 1.21 one (pruned),
//! with a fault planted in each kind of module — required, graph-only that the build imports,
//! graph-only that it does not — the real `go` and modscope flag the same modules.

mod support;

use std::collections::BTreeSet;
use support::{GoSandbox, force_write, module, remove};

/// `top` imports `deep`; `unused` is only required by top's go.mod; `far` is required by
/// `unused`'s go.mod and never downloaded.
fn modules(go: &str) -> Vec<gomodcache::synth::SynthModule> {
    vec![
        module(
            "example.com/top",
            "v1.0.0",
            Some(go),
            &[
                ("example.com/deep", "v1.0.0"),
                ("example.com/unused", "v1.0.0"),
            ],
            "import \"example.com/deep\"\n\nfunc T() int { return deep.D() }",
        ),
        module(
            "example.com/deep",
            "v1.0.0",
            Some(go),
            &[],
            "func D() int { return 4 }",
        ),
        module(
            "example.com/unused",
            "v1.0.0",
            Some(go),
            &[("example.com/far", "v1.0.0")],
            "func U() int { return 5 }",
        ),
        module(
            "example.com/far",
            "v1.0.0",
            Some(go),
            &[],
            "func F() int { return 6 }",
        ),
    ]
}

const MAIN_GO: &str =
    "package main\n\nimport \"example.com/top\"\n\nfunc main() { println(top.T()) }\n";

/// A project at `go` whose go.mod requires only `top`, tidied and downloaded by the real go.
fn project(go: &str) -> GoSandbox {
    let sb = GoSandbox::new(&modules(go));
    sb.write_project(
        &format!("module example.com/app\n\ngo {go}\n\nrequire example.com/top v1.0.0\n"),
        &[("main.go", MAIN_GO)],
    );
    sb.go_ok(&["mod", "tidy"]);
    sb.go_ok(&["mod", "download"]);
    // What a developer's cache holds after building, and after something fetched `unused`.
    sb.go_ok(&["build", "./..."]);
    sb.go_ok(&["mod", "download", "example.com/unused@v1.0.0"]);
    sb
}

/// Module paths `GOPROXY=off go mod verify` reports (one line per module, on stderr).
fn go_verify_flags(sb: &GoSandbox) -> (bool, BTreeSet<String>) {
    let out = sb
        .command("go", &["mod", "verify"], &sb.project)
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    let flagged = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(": "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    (out.status.success(), flagged)
}

/// `GOPROXY=off go build ./...`: what the build needs must be in the cache.
fn offline_build(sb: &GoSandbox) -> std::process::Output {
    sb.command("go", &["build", "./..."], &sb.project)
        .env("GOPROXY", "off")
        .output()
        .unwrap()
}

/// Runs a fix exactly as check printed it, in the project, and requires it to succeed.
fn run_as_printed(sb: &GoSandbox, fix: &str) {
    let ran = sb
        .command("sh", &["-c", fix], &sb.project)
        .output()
        .unwrap();
    assert!(ran.status.success(), "{fix}: {ran:?}");
}

/// `modscope check --full --json`: exit code and the parsed report.
fn check(sb: &GoSandbox) -> (i32, serde_json::Value) {
    let out = sb.modscope(&["check", "--full", "--json"]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --json did not print JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn row<'a>(report: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not in check's modules: {report:#}"))
}

/// Paths of the modules check finds unhealthy (status missing or mismatch).
fn check_flags(report: &serde_json::Value) -> BTreeSet<String> {
    report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "missing" || m["status"] == "mismatch")
        .map(|m| m["path"].as_str().unwrap().to_string())
        .collect()
}

fn edit_tree(sb: &GoSandbox, path: &str) {
    let pkg = path.rsplit('/').next().unwrap();
    let file = sb.cache.join(format!("{path}@v1.0.0/{pkg}.go"));
    force_write(&file, format!("package {pkg}\n\n// edited\n").as_bytes());
}

fn healthy_build_list_is_not_missing(go: &str, sb: &GoSandbox) {
    let (ok, flagged) = go_verify_flags(sb);
    assert!(
        ok && flagged.is_empty(),
        "go {go}: go mod verify: {flagged:?}"
    );
    let (code, report) = check(sb);
    assert_eq!(code, 0, "go {go}: a healthy cache: {report:#}");
    // The graph-only modules are listed, not as missing. (far is in the build list only where
    // unused's go.mod is read: in the unpruned graph.)
    let graph_only: &[&str] = if go == "1.16" {
        &["example.com/unused", "example.com/far"]
    } else {
        &["example.com/unused"]
    };
    for &path in graph_only {
        let m = row(&report, path);
        assert_eq!(m["graph_only"], true, "go {go}: {m:#}");
        assert_eq!(m["status"], "graph", "go {go}: {m:#}");
    }
    assert_eq!(
        report["summary"]["graph"].as_u64().unwrap(),
        graph_only.len() as u64
    );
    // The human summary says it as go mod verify does, with what was checked.
    let out = sb.modscope(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let total = report["summary"]["total"].as_u64().unwrap();
    let only_graph = report["summary"]["graph_only"].as_u64().unwrap();
    assert!(
        text.contains(&format!(
            "all {total} modules verified ({} required, {only_graph} only in the module graph)",
            total - only_graph
        )),
        "{text}"
    );
}

/// Each fault, planted on a copy of the healthy sandbox: go and modscope flag the same modules.
fn faults_agree_with_go_mod_verify(go: &str, sb: &GoSandbox, graph_only_imported: bool) {
    for faulty in ["example.com/top", "example.com/deep", "example.com/unused"] {
        let sb = sb.fork();
        edit_tree(&sb, faulty);
        let (ok, by_go) = go_verify_flags(&sb);
        assert!(!ok, "go {go}: go mod verify missed the edit of {faulty}");
        assert_eq!(by_go, BTreeSet::from([faulty.to_string()]), "go {go}");
        let (code, report) = check(&sb);
        assert_eq!(code, 1, "go {go}: {faulty}: {report:#}");
        assert_eq!(check_flags(&report), by_go, "go {go}: {faulty}: {report:#}");
        assert_eq!(
            row(&report, faulty)["problems"][0]["kind"],
            "extracted-files-modified"
        );
    }
    assert_eq!(
        row(&check(sb).1, "example.com/deep")["graph_only"]
            .as_bool()
            .unwrap_or(false),
        graph_only_imported,
        "go {go}: deep is required by go.mod only in a pruned graph"
    );
}

#[test]
fn go_1_16_build_list_agrees_with_go() {
    let sb = project("1.16");
    // go.mod lists only the direct dependency: deep comes in through top's go.mod.
    let go_mod = std::fs::read_to_string(sb.project.join("go.mod")).unwrap();
    assert!(!go_mod.contains("example.com/deep"), "{go_mod}");
    healthy_build_list_is_not_missing("1.16", &sb);
    let (_, report) = check(&sb);
    let deep = row(&report, "example.com/deep");
    assert_eq!(deep["status"], "cached", "imported, so needed: {deep:#}");
    assert_eq!(deep["imported_package"], "example.com/deep");
    faults_agree_with_go_mod_verify("1.16", &sb, true);

    // The source of a module the build imports is gone (its .mod stays): go mod verify has
    // nothing to verify, the build fails, and check says what is missing.
    let sb = sb.fork();
    let dl = sb.cache.join("cache/download/example.com/deep/@v");
    remove(&sb.cache.join("example.com/deep@v1.0.0"));
    for f in ["v1.0.0.zip", "v1.0.0.ziphash"] {
        remove(&dl.join(f));
    }
    let build = offline_build(&sb);
    assert!(!build.status.success(), "go build worked without deep");
    let (code, report) = check(&sb);
    assert_eq!(code, 1);
    assert_eq!(
        check_flags(&report),
        BTreeSet::from(["example.com/deep".to_string()]),
        "{report:#}"
    );
    assert_eq!(row(&report, "example.com/deep")["status"], "missing");
    // The printed fix, run as printed, makes the build work again.
    let fix = row(&report, "example.com/deep")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    run_as_printed(&sb, &fix);
    let build = offline_build(&sb);
    assert!(build.status.success(), "after `{fix}`: {build:?}");
    assert_eq!(check(&sb).0, 0);
}

#[test]
fn pruned_build_list_agrees_with_go() {
    let sb = project("1.21");
    healthy_build_list_is_not_missing("1.21", &sb);
    faults_agree_with_go_mod_verify("1.21", &sb, false);

    // The go.mod of a graph-only module is gone: the pruned graph does not read it (top is at
    // go 1.21), so go mod verify works offline, and check finds nothing missing.
    let sb = sb.fork();
    remove(
        &sb.cache
            .join("cache/download/example.com/unused/@v/v1.0.0.mod"),
    );
    let (ok, flagged) = go_verify_flags(&sb);
    assert!(ok, "{flagged:?}");
    let (code, report) = check(&sb);
    assert_eq!(code, 0, "{:#}", row(&report, "example.com/unused"));
}

/// The unpruned graph reads the go.mod of every module it reaches: without far's, go mod
/// verify cannot load the graph offline, and check names it.
#[test]
fn go_1_16_graph_needs_every_go_mod() {
    let sb = project("1.16");
    remove(
        &sb.cache
            .join("cache/download/example.com/far/@v/v1.0.0.mod"),
    );
    let (ok, _) = go_verify_flags(&sb);
    assert!(!ok, "go mod verify loaded the graph without far's go.mod");
    let (code, report) = check(&sb);
    assert_eq!(code, 1);
    assert_eq!(
        check_flags(&report),
        BTreeSet::from(["example.com/far".to_string()]),
        "{report:#}"
    );
    let far = row(&report, "example.com/far");
    assert_eq!(far["problems"][0]["kind"], "missing-mod-file", "{far:#}");
}

/// A zip deleted under a complete tree: builds still work, so the module stays cached, with a
/// note; export names what it cannot bundle with the fix, and the fix, run as printed, brings
/// the zip back.
#[test]
fn a_tree_without_its_zip_is_cached_with_a_note_and_the_fix_restores_the_zip() {
    let sb = project("1.21");
    let zip = sb
        .cache
        .join("cache/download/example.com/top/@v/v1.0.0.zip");
    remove(&zip);
    let build = offline_build(&sb);
    assert!(build.status.success(), "go builds from the tree: {build:?}");
    let (code, report) = check(&sb);
    assert_eq!(code, 0, "a note, not a failure: {report:#}");
    let top = row(&report, "example.com/top");
    assert_eq!(top["status"], "cached");
    assert_eq!(top["problems"][0]["kind"], "zip-missing", "{top:#}");
    let fix = top["problems"][0]["fix"].as_str().unwrap().to_string();

    let out = sb.tmp.path().join("bundle");
    let export = sb.modscope(&["export", "--json", "--out", &out.display().to_string()]);
    assert_eq!(export.status.code(), Some(1), "the bundle is incomplete");
    let manifest: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let missing = manifest["missing"].as_array().unwrap();
    assert!(
        missing
            .iter()
            .any(|m| m["module"] == "example.com/top@v1.0.0" && m["fix"] == fix.as_str()),
        "{manifest:#}"
    );

    run_as_printed(&sb, &fix);
    assert!(zip.is_file(), "`{fix}` brought the zip back");
    let (ok, flagged) = go_verify_flags(&sb);
    assert!(ok, "{flagged:?}");
    let (_, report) = check(&sb);
    assert!(
        row(&report, "example.com/top")["problems"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// A `.partial` marker beside a cached zip (an interrupted extraction): go extracts the zip
/// again by itself, offline. check says so as a note, not a failure, and after go's next build
/// the note is gone.
#[test]
fn an_interrupted_extraction_with_its_zip_is_a_note_that_go_clears_by_itself() {
    let sb = project("1.21");
    let partial = sb
        .cache
        .join("cache/download/example.com/top/@v/v1.0.0.partial");
    std::fs::write(&partial, b"").unwrap();
    let (code, report) = check(&sb);
    assert_eq!(code, 0, "{report:#}");
    let top = row(&report, "example.com/top");
    assert_eq!(top["status"], "cached");
    assert_eq!(
        top["problems"][0]["kind"], "re-extraction-pending",
        "{top:#}"
    );
    let build = offline_build(&sb);
    assert!(build.status.success(), "{build:?}");
    assert!(!partial.exists(), "go re-extracted and removed the marker");
    let (_, report) = check(&sb);
    assert!(
        row(&report, "example.com/top")["problems"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
