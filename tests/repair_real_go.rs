//! `modscope repair` against the real `go`: every fault class of cached content is repaired
//! (then `go mod verify` says "all modules verified" and `modscope check` is healthy, and the
//! quarantine holds what was evicted with its manifest), and an eviction killed after any step
//! leaves a cache that `go mod download` repairs. What repair must leave alone is in
//! `repair_real_go_guards.rs`.

mod support;

#[path = "support/repair_sandbox.rs"]
mod repair_sandbox;

use gomodcache::analysis::problems::ProblemKind;
use gomodcache::cache::dirhash::hash_dir;
use gomodcache::cache::evict::{Eviction, EvictionStep};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::progress::{CancelFlag, NoProgress};
use repair_sandbox::*;
use std::path::Path;
use support::{GoSandbox, force_write, module, remove};

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
            kind: ProblemKind::ReExtractionPending,
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
        // A .partial beside its zip is a note go clears by itself; repair still takes it.
        let expected = match f.kind.class() {
            gomodcache::analysis::problems::ProblemClass::Warning => 0,
            _ => 1,
        };
        assert_eq!(code, expected, "{}", f.name);
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
    let steps = Eviction::plan(
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
            let mut e = Eviction::plan(
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
