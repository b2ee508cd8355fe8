//! `modscope repair` against the real `go`: every fault class of cached content is repaired
//! (then `go mod verify` says "all modules verified" and `modscope check` is healthy, and the
//! quarantine holds what was evicted with its manifest); an eviction killed after any step leaves
//! a cache that `go mod download` repairs; and repair touches nothing it was not asked to.

mod support;

use modscope::core::analysis::problems::ProblemKind;
use modscope::core::analysis::report::Report;
use modscope::core::cache::dirhash::hash_dir;
use modscope::core::cache::evict::{EvictionManifest, EvictionStep};
use modscope::core::cache::layout::{ModuleCache, ModuleFiles};
use modscope::core::progress::{CancelFlag, NoProgress};
use modscope::core::synth::SynthModule;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use support::{GoSandbox, force_write, module, remove};

const ALPHA: (&str, &str) = ("example.com/alpha", "v1.0.0");
const GAMMA: (&str, &str) = ("example.com/gamma", "v0.3.1");
const UPPER: (&str, &str) = ("example.com/Upper", "v1.0.0-RC1");
const BETA: (&str, &str) = ("example.com/beta", "v1.2.0");
const BETA_SIBLING: (&str, &str) = ("example.com/beta", "v1.1.0");

fn modules() -> Vec<SynthModule> {
    vec![
        module(
            ALPHA.0,
            ALPHA.1,
            Some("1.17"),
            &[BETA],
            "import \"example.com/beta\"\n\nfunc A() int { return beta.B() + 1 }",
        ),
        module(
            BETA.0,
            BETA.1,
            Some("1.17"),
            &[],
            "func B() int { return 2 }",
        ),
        module(
            BETA_SIBLING.0,
            BETA_SIBLING.1,
            Some("1.17"),
            &[],
            "func B() int { return 1 }",
        ),
        module(
            GAMMA.0,
            GAMMA.1,
            Some("1.17"),
            &[],
            "func G() int { return 3 }",
        ),
        module(
            UPPER.0,
            UPPER.1,
            Some("1.16"),
            &[],
            "func U() int { return 4 }",
        ),
    ]
}

const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/gamma v0.3.1\n\texample.com/Upper v1.0.0-RC1\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/Upper\"\n\t\"example.com/alpha\"\n\t\"example.com/gamma\"\n)\n\nfunc main() { fmt.Println(alpha.A(), gamma.G(), upper.U()) }\n";

/// The cache as go fills it by default (read-only trees), plus beta's sibling version v1.1.0,
/// which the project does not use.
fn sandbox() -> GoSandbox {
    let sb = GoSandbox::new(&modules());
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    let sibling = format!("{}@{}", BETA_SIBLING.0, BETA_SIBLING.1);
    for args in [
        &["mod", "tidy"][..],
        &["build", "./..."],
        &["mod", "download", &sibling],
    ] {
        go_ok(&sb, args);
    }
    sb
}

/// The real go in the project, with go's default read-only trees.
fn go(sb: &GoSandbox, args: &[&str]) -> Output {
    sb.command("go", args, &sb.project)
        .env("GOFLAGS", "")
        .output()
        .unwrap()
}

fn go_ok(sb: &GoSandbox, args: &[&str]) -> Output {
    let out = go(sb, args);
    assert!(out.status.success(), "go {args:?}: {}", text(&out));
    out
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn quarantine_root(sb: &GoSandbox) -> PathBuf {
    sb.tmp.path().join("modscope-cache/quarantine")
}

/// The modscope binary with the sandbox's environment, its own cache directory (where the
/// quarantine goes) and stdin closed.
fn modscope(sb: &GoSandbox, args: &[&str]) -> Output {
    let cache = sb.cache.display().to_string();
    let mut all = args.to_vec();
    all.extend(["--modcache", &cache]);
    sb.command(env!("CARGO_BIN_EXE_modscope"), &all, &sb.project)
        .env("GOFLAGS", "")
        .env("MODSCOPE_CACHE_DIR", sb.tmp.path().join("modscope-cache"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn check(sb: &GoSandbox) -> (Report, i32) {
    let out = modscope(sb, &["check", "--json"]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", text(&out)));
    (report, out.status.code().unwrap())
}

fn files(sb: &GoSandbox, (path, version): (&str, &str)) -> ModuleFiles {
    ModuleCache::new(&sb.cache).files(path, version).unwrap()
}

fn kinds_of(report: &Report, path: &str) -> Vec<ProblemKind> {
    let m = report.modules.iter().find(|m| m.path == path).unwrap();
    m.problems.iter().map(|p| p.kind).collect()
}

fn assert_go_verifies(sb: &GoSandbox, what: &str) {
    let out = go(sb, &["mod", "verify"]);
    assert!(
        out.status.success() && text(&out).contains("all modules verified"),
        "{what}: go mod verify said:\n{}",
        text(&out)
    );
}

/// The manifests in the quarantine.
fn manifests(sb: &GoSandbox) -> Vec<(PathBuf, EvictionManifest)> {
    let Ok(entries) = std::fs::read_dir(quarantine_root(sb)) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|d| {
            let m =
                serde_json::from_slice(&std::fs::read(d.join("manifest.json")).unwrap()).unwrap();
            (d, m)
        })
        .collect()
}

struct Fault {
    name: &'static str,
    module: (&'static str, &'static str),
    inject: fn(&GoSandbox),
    kind: ProblemKind,
    /// A file of the cache (relative to it) whose faulty content the quarantine must now hold.
    evidence: Option<(&'static str, &'static [u8])>,
}

fn faults() -> Vec<Fault> {
    vec![
        Fault {
            name: "edited tree file",
            module: ALPHA,
            inject: |sb| {
                force_write(
                    &files(sb, ALPHA).dir.join("alpha.go"),
                    b"package alpha // evil\n",
                )
            },
            kind: ProblemKind::ExtractedFilesModified,
            evidence: Some((
                "example.com/alpha@v1.0.0/alpha.go",
                b"package alpha // evil\n",
            )),
        },
        Fault {
            name: "rewritten zip",
            module: GAMMA,
            inject: |sb| {
                let other = module(
                    GAMMA.0,
                    GAMMA.1,
                    Some("1.17"),
                    &[],
                    "func G() int { return 666 }",
                );
                force_write(&files(sb, GAMMA).zip, &other.zip_bytes());
            },
            kind: ProblemKind::ZipModified,
            evidence: None,
        },
        Fault {
            name: "truncated zip",
            module: ALPHA,
            inject: |sb| {
                let zip = files(sb, ALPHA).zip;
                let bytes = std::fs::read(&zip).unwrap();
                force_write(&zip, &bytes[..bytes.len() / 2]);
            },
            kind: ProblemKind::CorruptZip,
            evidence: None,
        },
        Fault {
            name: "bad .ziphash",
            module: UPPER,
            inject: |sb| {
                let wrong = files(sb, GAMMA).ziphash;
                force_write(&files(sb, UPPER).ziphash, &std::fs::read(wrong).unwrap());
            },
            kind: ProblemKind::InvalidZiphash,
            evidence: None,
        },
        Fault {
            name: "changed .mod",
            module: GAMMA,
            inject: |sb| {
                force_write(
                    &files(sb, GAMMA).go_mod,
                    b"module example.com/gamma\n\ngo 1.17\n// edited\n",
                )
            },
            kind: ProblemKind::GoModMismatch,
            evidence: Some((
                "cache/download/example.com/gamma/@v/v0.3.1.mod",
                b"module example.com/gamma\n\ngo 1.17\n// edited\n",
            )),
        },
        Fault {
            name: ".partial left behind, a file never extracted",
            module: UPPER,
            inject: |sb| {
                let f = files(sb, UPPER);
                force_write(&f.partial, b"");
                remove(&f.dir.join("LICENSE"));
            },
            kind: ProblemKind::PartialDownload,
            evidence: None,
        },
        Fault {
            name: ".ziphash missing beside the tree",
            module: ALPHA,
            inject: |sb| remove(&files(sb, ALPHA).ziphash),
            kind: ProblemKind::MissingZiphash,
            evidence: None,
        },
    ]
}

#[test]
fn repair_fixes_every_fault_class_and_keeps_what_it_evicted() {
    let base = sandbox();
    for f in faults() {
        let sb = base.fork();
        (f.inject)(&sb);
        let (before, code) = check(&sb);
        assert_eq!(code, 1, "{}", f.name);
        assert!(
            kinds_of(&before, f.module.0).contains(&f.kind),
            "{}: {:?}",
            f.name,
            kinds_of(&before, f.module.0)
        );

        let at = format!("{}@{}", f.module.0, f.module.1);
        let out = modscope(&sb, &["repair", "--yes", &at]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", f.name, text(&out));
        assert!(
            text(&out).contains(&format!("repaired      {at}")),
            "{}: {}",
            f.name,
            text(&out)
        );

        assert_go_verifies(&sb, f.name);
        let (after, code) = check(&sb);
        assert!(
            code == 0 && after.is_healthy(),
            "{}: {:#?}",
            f.name,
            after.modules
        );
        let tree = files(&sb, f.module).dir;
        let line = after.modules.iter().find(|m| m.path == f.module.0).unwrap();
        let prefix = format!("{}@{}", f.module.0, f.module.1);
        assert_eq!(
            hash_dir(&tree, &prefix, &CancelFlag::new(), &NoProgress).ok(),
            line.go_sum.h1,
            "{}: the tree is the module again",
            f.name
        );

        let kept = manifests(&sb);
        assert_eq!(kept.len(), 1, "{}: one eviction in the quarantine", f.name);
        let (dir, m) = &kept[0];
        assert!(m.complete, "{}", f.name);
        assert_eq!(
            (m.module.as_str(), m.version.as_str()),
            f.module,
            "{}",
            f.name
        );
        assert!(
            m.reason.contains(f.kind.as_str()),
            "{}: {}",
            f.name,
            m.reason
        );
        assert!(m.files.len() >= 3, "{}: {:?}", f.name, m.files);
        for file in &m.files {
            assert!(Path::new(&file.stored).starts_with(dir), "{}", f.name);
            assert!(
                std::fs::symlink_metadata(&file.stored).is_ok(),
                "{}: {} kept",
                f.name,
                file.stored
            );
        }
        if let Some((rel, content)) = f.evidence {
            assert_eq!(
                std::fs::read(dir.join(rel)).unwrap(),
                content,
                "{}: the bad file is kept",
                f.name
            );
        }
    }
}

/// Stops the eviction after each step in turn (as a kill would), then lets the real
/// `go mod download` loose on the cache. From the step that creates `.partial` on, an edited
/// tree is repaired by go alone; a rewritten zip once the zip itself is out (go never re-hashes
/// a zip it has). Before that the fault is still there, untouched: the check that this test can
/// fail.
#[test]
fn an_eviction_killed_after_any_step_leaves_a_cache_go_repairs() {
    let base = sandbox();
    let quarantine = base.tmp.path().join("q");
    let steps = modscope::core::cache::evict::Eviction::plan(
        &ModuleCache::new(&base.cache),
        ALPHA.0,
        ALPHA.1,
        &quarantine,
        "plan",
    )
    .unwrap()
    .steps()
    .to_vec();
    let zip_moved_after = 1 + steps
        .iter()
        .position(|s| matches!(s, EvictionStep::Move { original, .. } if original.extension().is_some_and(|e| e == "zip")))
        .unwrap();
    let partial_after = 1 + steps
        .iter()
        .position(|s| *s == EvictionStep::MarkPartial)
        .unwrap();
    let tree_file: (fn(&GoSandbox), usize) = (
        |sb| {
            force_write(
                &files(sb, ALPHA).dir.join("alpha.go"),
                b"package alpha // evil\n",
            )
        },
        partial_after,
    );
    let zip: (fn(&GoSandbox), usize) = (
        |sb| {
            let other = module(
                ALPHA.0,
                ALPHA.1,
                Some("1.17"),
                &[BETA],
                "import \"example.com/beta\"\n\nfunc A() int { return beta.B() + 666 }",
            );
            force_write(&files(sb, ALPHA).zip, &other.zip_bytes());
        },
        zip_moved_after,
    );
    let sum_line = std::fs::read_to_string(base.project.join("go.sum")).unwrap();
    let want = sum_line
        .lines()
        .find_map(|l| l.strip_prefix("example.com/alpha v1.0.0 h1:"))
        .map(|h| format!("h1:{h}"))
        .unwrap();
    for (name, (inject, repaired_from)) in [("edited tree", tree_file), ("rewritten zip", zip)] {
        for k in 0..=steps.len() {
            let sb = base.fork();
            inject(&sb);
            let mut e = modscope::core::cache::evict::Eviction::plan(
                &ModuleCache::new(&sb.cache),
                ALPHA.0,
                ALPHA.1,
                &sb.tmp.path().join("q"),
                name,
            )
            .unwrap();
            assert_eq!(e.run_steps(Some(k)).unwrap(), k);
            let at = format!("{}@{}", ALPHA.0, ALPHA.1);
            let download = go(&sb, &["mod", "download", &at]);
            let verify = go(&sb, &["mod", "verify"]);
            let verified =
                verify.status.success() && text(&verify).contains("all modules verified");
            let tree = hash_dir(&files(&sb, ALPHA).dir, &at, &CancelFlag::new(), &NoProgress).ok();
            let expect = k >= repaired_from;
            assert_eq!(
                verified && download.status.success() && tree.as_deref() == Some(want.as_str()),
                expect,
                "{name}, stopped after {k} steps ({}): download: {}\nverify: {}\ntree {tree:?}",
                k.checked_sub(1)
                    .map_or("none".into(), |i| steps[i].to_string()),
                text(&download),
                text(&verify)
            );
        }
    }
}

/// Every path under `root` with its type and content (a symlink's target).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (bool, Vec<u8>)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let content = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                (e.file_type().is_dir(), content),
            )
        })
        .collect()
}

#[test]
fn repair_never_touches_a_sibling_version() {
    let sb = sandbox();
    let beta = files(&sb, BETA);
    force_write(&beta.dir.join("beta.go"), b"package beta // evil\n");
    let sibling = files(&sb, BETA_SIBLING);
    let sibling_files = |f: &ModuleFiles| {
        let mut s = snapshot(&f.dir);
        for p in [&f.zip, &f.ziphash, &f.go_mod, &f.info] {
            s.insert(p.clone(), (false, std::fs::read(p).unwrap()));
        }
        s
    };
    let before = sibling_files(&sibling);
    assert!(before.len() > 5, "{before:?}");
    let out = modscope(&sb, &["repair", "--yes", BETA.0]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        sibling_files(&sibling),
        before,
        "the sibling version is byte-identical"
    );
    assert_go_verifies(&sb, "beta repaired");
}

#[test]
fn repair_refuses_what_the_project_does_not_require_and_changes_nothing() {
    let sb = sandbox();
    force_write(
        &files(&sb, ALPHA).dir.join("alpha.go"),
        b"package alpha // evil\n",
    );
    let before = snapshot(&sb.cache);
    for name in [
        "example.com/nothere@v1.0.0",
        "example.com/alpha@v9.9.9",
        "example.com/beta@v1.1.0",
    ] {
        let out = modscope(&sb, &["repair", "--yes", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out));
        assert!(
            text(&out).contains("not a module this project requires"),
            "{name}: {}",
            text(&out)
        );
    }
    // Without a terminal and without --yes it asks nobody and changes nothing.
    let out = modscope(&sb, &["repair", "example.com/alpha"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("pass --yes"), "{}", text(&out));
    // A dry run shows the plan and changes nothing.
    let out = modscope(&sb, &["repair", "--all", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("example.com/alpha@v1.0.0")
            && text(&out).contains("go mod download -json example.com/alpha@v1.0.0"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(&sb.cache), before, "the cache is unchanged");
    assert!(manifests(&sb).is_empty());
}

#[test]
fn a_go_sum_line_that_disagrees_with_a_consistent_cache_is_not_repaired() {
    let sb = sandbox();
    let go_sum = sb.project.join("go.sum");
    let text_before = std::fs::read_to_string(&go_sum).unwrap();
    let tampered: String = text_before
        .lines()
        .map(|l| match l.strip_prefix("example.com/gamma v0.3.1 h1:") {
            Some(h) => format!(
                "example.com/gamma v0.3.1 h1:{}{}\n",
                if h.starts_with('A') { "B" } else { "A" },
                &h[1..]
            ),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&go_sum, &tampered).unwrap();
    let before = snapshot(&sb.cache);
    let out = modscope(&sb, &["repair", "--all", "--yes", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["modules"].as_array().unwrap().len(), 0, "{json:#}");
    let left = &json["go_sum_side"][0];
    assert_eq!(left["module"], GAMMA.0);
    assert_eq!(left["kind"], "go-sum-mismatch");
    assert!(
        left["message"].as_str().unwrap().contains("go.sum:"),
        "{left:#}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("go.sum must be fixed"));
    assert_eq!(snapshot(&sb.cache), before, "the cache is unchanged");
}

#[test]
fn repair_json_reports_each_module_and_purge_empties_the_quarantine() {
    let sb = sandbox();
    force_write(
        &files(&sb, GAMMA).dir.join("gamma.go"),
        b"package gamma // evil\n",
    );
    let out = modscope(&sb, &["repair", "--all", "--yes", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    let m = &json["modules"][0];
    assert_eq!(
        (m["module"].as_str(), m["outcome"].as_str()),
        (Some(GAMMA.0), Some("repaired")),
        "{json:#}"
    );
    assert_eq!(m["problems"][0], "extracted-files-modified");
    assert_eq!(
        json["command"],
        "go mod download -json example.com/gamma@v0.3.1"
    );
    assert_eq!(manifests(&sb).len(), 1);
    let out = modscope(&sb, &["repair", "--purge-quarantine"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "asks, and there is no terminal: {}",
        text(&out)
    );
    assert_eq!(manifests(&sb).len(), 1);
    let out = modscope(&sb, &["repair", "--purge-quarantine", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("example.com/gamma@v0.3.1"),
        "{}",
        text(&out)
    );
    assert!(manifests(&sb).is_empty());
}
