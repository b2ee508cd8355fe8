//! `modscope offline`, `export` and `env` as a user runs them: exit codes, JSON shape, the demo,
//! bad input, and the doctor's warnings under a controlled environment.

use gomodcache::bundle::Manifest;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::doctor::EnvReport;
use gomodcache::offline::BlockerKind;
use gomodcache::offline::verdict::OfflineReport;
use gomodcache::synth::{SynthModule, write_cache_entry};
use std::path::Path;
use std::process::{Command, Output};

fn modscope(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let path = std::env::var("PATH").unwrap_or_default();
    Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir.join("home"))
        .env("GOENV", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn demo_verdict_lists_blockers_with_fixes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["offline", "--demo", "--json"], tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let raw: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(raw["schema_version"], 1);
    assert_eq!(raw["ready"], false);
    for b in raw["blockers"].as_array().unwrap() {
        for key in ["kind", "module", "message", "fix"] {
            assert!(b.get(key).is_some(), "{key} in {b}");
        }
    }
    let r: OfflineReport = serde_json::from_value(raw).unwrap();
    let kinds: Vec<BlockerKind> = r.blockers.iter().map(|b| b.kind).collect();
    for k in [
        BlockerKind::ModuleNotDownloaded,
        BlockerKind::ReplaceDirMissing,
        BlockerKind::ChecksumMismatch,
        BlockerKind::MissingGoSumZip,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    let human = modscope(&["offline", "--demo"], tmp.path(), &[]);
    let h = text(&human);
    assert!(
        h.contains("✗ not ready") && h.contains("fix: go mod download"),
        "{h}"
    );
}

#[test]
fn bad_input_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["offline", "--modcache", "/tmp"], tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("go.mod file not found"));
    let out = modscope(&["offline", "-C", "/does/not/exist"], tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::create_dir(tmp.path().join("full")).unwrap();
    std::fs::write(tmp.path().join("full/x"), "").unwrap();
    let out = modscope(&["export", "--demo", "--out", "full"], tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("not empty"));
}

/// A project requiring one synthetic module, with that module laid out in a cache.
fn ready_project(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let lib = SynthModule::new("example.com/lib", "v1.2.0");
    let cache = root.join("cache");
    write_cache_entry(&cache, &lib).unwrap();
    let proj = root.join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(
        proj.join("go.mod"),
        "module example.com/app\n\ngo 1.21\n\nrequire example.com/lib v1.2.0\n",
    )
    .unwrap();
    std::fs::write(proj.join("go.sum"), lib.go_sum_lines()).unwrap();
    std::fs::write(
        proj.join("main.go"),
        "package main\n\nimport \"example.com/lib\"\n\nfunc main() { println(lib.Path()) }\n",
    )
    .unwrap();
    (proj, cache)
}

#[test]
fn a_complete_project_is_ready_and_goflags_can_break_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (proj, cache) = ready_project(tmp.path());
    let c = cache.to_str().unwrap();
    let out = modscope(&["offline", "--json", "--modcache", c], &proj, &[]);
    let r: OfflineReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{:#?}", r.blockers);
    assert!(r.ready);
    assert_eq!(r.modules.len(), 1);
    assert_eq!(r.modules[0].provides, ["example.com/lib"]);
    let out = modscope(
        &["offline", "--json", "--modcache", c],
        &proj,
        &[("GOFLAGS", "-mod=mod vendor")],
    );
    let r: OfflineReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(r.blockers[0].kind, BlockerKind::Environment);
    assert!(r.blockers[0].message.contains("non-flag \"vendor\""));
    // Removing the zip and the extracted tree makes the module a blocker.
    let files = ModuleCache::new(&cache)
        .files("example.com/lib", "v1.2.0")
        .unwrap();
    std::fs::remove_file(files.zip).unwrap();
    std::fs::remove_dir_all(files.dir).unwrap();
    let out = modscope(&["offline", "--json", "--modcache", c], &proj, &[]);
    let r: OfflineReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.blockers[0].kind, BlockerKind::ModuleNotDownloaded);
    assert_eq!(
        r.blockers[0].module.as_deref(),
        Some("example.com/lib@v1.2.0")
    );
}

#[test]
fn demo_export_writes_what_it_can_and_lists_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(
        &["export", "--demo", "--out", "bundle", "--tar", "bundle.tar"],
        tmp.path(),
        &[],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("incomplete") && t.contains("GOPROXY=file://"),
        "{t}"
    );
    let bundle = tmp.path().join("bundle");
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(bundle.join("modscope-bundle.json")).unwrap())
            .unwrap();
    assert!(!m.missing.is_empty() && m.files.len() > 10);
    assert!(
        m.missing
            .iter()
            .any(|x| x.reason.contains("does not match go.sum")),
        "tampered zips are not exported: {:?}",
        m.missing
    );
    let total: u64 = m.files.iter().map(|f| f.size).sum();
    assert_eq!(total, m.total_size);
    assert!(tmp.path().join("bundle.tar").metadata().unwrap().len() > total);
}

#[test]
fn env_doctor_explains_settings_and_warns_on_traps() {
    let tmp = tempfile::tempdir().unwrap();
    let (proj, _) = ready_project(tmp.path());
    let env = [
        (
            "GOPROXY",
            "https://corp.example/proxy|https://proxy.golang.org,direct,off",
        ),
        ("GOSUMDB", "off"),
        ("GOFLAGS", "-mod=mod"),
        ("GOPRIVATE", "example.com/lib,*.corp.example"),
        ("GONOSUMCHECK", "example.com"),
        ("GOPATH", "/p1:/p2"),
    ];
    let out = modscope(&["env", "--json"], &proj, &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let r: EnvReport = serde_json::from_slice(&out.stdout).unwrap();
    let urls: Vec<(&str, bool)> = r
        .goproxy_list
        .entries
        .iter()
        .map(|e| (e.url.as_str(), e.fall_back_on_error))
        .collect();
    assert_eq!(
        urls,
        [
            ("noproxy", false),
            ("https://corp.example/proxy", true),
            ("https://proxy.golang.org", false),
            ("direct", false)
        ]
    );
    assert_eq!(r.goproxy_list.ignored, ["off"]);
    let nosumdb = r.private.iter().find(|p| p.name == "GONOSUMDB").unwrap();
    assert!(nosumdb.from_goprivate);
    assert_eq!(nosumdb.setting.value, "example.com/lib,*.corp.example");
    assert_eq!(nosumdb.patterns[0].modules, ["example.com/lib"]);
    assert!(nosumdb.patterns[1].modules.is_empty());
    let kinds: Vec<&str> = r.warnings.iter().map(|w| w.kind.as_str()).collect();
    for k in [
        "gosumdb-off",
        "goflags-mod-mod",
        "unknown-variable",
        "gopath-list",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let unknown = r
        .warnings
        .iter()
        .find(|w| w.kind == "unknown-variable")
        .unwrap();
    assert!(
        unknown.message.contains("GONOSUMCHECK")
            && unknown.message.contains("did you mean GONOSUMDB?")
    );
    let human = text(&modscope(&["env"], &proj, &env));
    assert!(
        human.contains("GOPROXY=https://corp.example/proxy")
            && human.contains("did you mean GONOSUMDB?"),
        "{human}"
    );
}
