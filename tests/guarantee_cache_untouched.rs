//! Guarantee: inspecting never changes the module cache. A cache filled by the real `go` (one
//! module then deleted from it, so that every command also meets a missing module) and the
//! project are snapshotted — every path, its type, permission bits, size, mtime and ctime, and
//! each file's sha256 or each symlink's target — then every read-only command runs, and the
//! inspector is driven in a pseudo-terminal through everything that starts no job. The snapshot
//! must be identical afterwards. (A write, a temporary file created and removed, a chmod and
//! back, a `touch`: each shows in a file's or a directory's mtime or ctime.)

mod support;

#[path = "support/pty.rs"]
mod pty;

use gomodcache::synth::SynthModule;
use pty::{assert_terminal_restored, inspector};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, Instant};
use support::{GoSandbox, beta, delete_from_cache, gamma, module};

const WAIT: Duration = Duration::from_secs(30);
const MISSING: &str = "example.com/gamma";

fn modules() -> Vec<SynthModule> {
    let mut alpha = module(
        "example.com/alpha",
        "v1.0.0",
        Some("1.17"),
        &[("example.com/beta", "v1.2.0")],
        "import \"example.com/beta\"\n\nfunc A() int { return beta.B() + 1 }",
    );
    // A nested directory in the extracted tree (go makes trees and their directories read-only).
    alpha.files.push((
        "internal/x/x.go".into(),
        b"package x\n\nfunc X() int { return 4 }\n".to_vec(),
    ));
    vec![alpha, beta(), gamma()]
}

const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/gamma v0.3.1\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n\t\"example.com/gamma\"\n)\n\nfunc main() { fmt.Println(alpha.A(), gamma.G()) }\n";

/// The real `go` fills the cache (tidy and build) as it does by default, with read-only trees
/// (not the sandbox's `-modcacherw`), then gamma is deleted from it.
fn sandbox() -> GoSandbox {
    let sb = GoSandbox::new(&modules());
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    for args in [&["mod", "tidy"][..], &["build", "./..."]] {
        let out = sb
            .command("go", args, &sb.project)
            .env("GOFLAGS", "")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "go {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(delete_from_cache(&sb, MISSING, "v0.3.1") >= 3);
    sb
}

/// One entry of the tree: what it is and everything a change would show in.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    kind: &'static str,
    mode: u32,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    /// sha256 of a file's content, or a symlink's target.
    content: String,
}

type Snapshot = BTreeMap<String, Entry>;

fn snapshot_into(root: &Path, label: &str, out: &mut Snapshot) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let m = std::fs::symlink_metadata(&p).unwrap();
        let ft = m.file_type();
        let (kind, content) = if ft.is_file() {
            let data = std::fs::read(&p).unwrap();
            ("file", hex::encode(Sha256::digest(&data)))
        } else if ft.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
            ("dir", String::new())
        } else if ft.is_symlink() {
            let target = std::fs::read_link(&p).unwrap();
            ("symlink", target.display().to_string())
        } else {
            ("other", String::new())
        };
        let rel = p.strip_prefix(root).unwrap().display().to_string();
        out.insert(
            format!("{label}/{rel}"),
            Entry {
                kind,
                mode: m.mode(),
                size: if ft.is_dir() { 0 } else { m.len() },
                mtime: (m.mtime(), m.mtime_nsec()),
                ctime: (m.ctime(), m.ctime_nsec()),
                content,
            },
        );
    }
}

fn snapshot(sb: &GoSandbox) -> Snapshot {
    let mut s = Snapshot::new();
    snapshot_into(&sb.cache, "modcache", &mut s);
    snapshot_into(&sb.project, "project", &mut s);
    s
}

fn assert_same(before: &Snapshot, after: &Snapshot, what: &str) {
    let mut diffs = Vec::new();
    for (k, v) in before {
        match after.get(k) {
            None => diffs.push(format!("removed: {k}")),
            Some(w) if w != v => {
                diffs.push(format!("changed: {k}\n  before {v:?}\n  after  {w:?}"))
            }
            _ => {}
        }
    }
    diffs.extend(
        after
            .keys()
            .filter(|k| !before.contains_key(*k))
            .map(|k| format!("added: {k}")),
    );
    assert!(
        diffs.is_empty(),
        "{what} changed the module cache or the project:\n{}",
        diffs.join("\n")
    );
}

/// Keys, what they should bring up, and how to see it on screen.
type Step = (&'static [u8], &'static str, fn(&str) -> bool);

#[test]
fn no_command_and_no_key_that_starts_no_job_changes_the_cache_or_the_project() {
    let sb = sandbox();
    let memo = tempfile::Builder::new()
        .prefix("modscope-memo-")
        .tempdir()
        .unwrap();
    let mut env = sb.go_env();
    env.push((
        "MODSCOPE_CACHE_DIR".into(),
        memo.path().display().to_string(),
    ));
    let before = snapshot(&sb);
    assert!(
        before.keys().any(|k| k.ends_with("internal/x/x.go"))
            && before.keys().any(|k| k.ends_with(".ziphash"))
            && before
                .values()
                .any(|e| e.kind == "dir" && e.mode & 0o200 == 0),
        "the cache is not what go makes: {:#?}",
        before.keys().collect::<Vec<_>>()
    );

    // The read-only commands, each with the exit code that shows it did its work (gamma is
    // missing: check and offline report it).
    let commands: [(&[&str], i32); 13] = [
        (&["check", "--json"], 1),
        // gamma is only missing: nothing in the cache to repair, and a dry run never writes.
        (&["repair", "--all", "--dry-run"], 0),
        (&["repair", "--all", "--dry-run", "--json"], 0),
        (&["check", "--json", "--full"], 1),
        (&["check", "--quick"], 1),
        (&["graph", "--json"], 1),
        (&["why", "example.com/beta"], 0),
        (&["offline", "--json"], 1),
        (&["env", "--json"], 0),
        (&["check"], 1),
        // The whole-cache inventory reads; a prune's dry run lists and changes nothing.
        (&["cache", "--json"], 0),
        (&["cache", "--projects", "."], 0),
        (
            &["cache", "prune", "--unused", "--leftovers", "--dry-run"],
            0,
        ),
    ];
    for (args, code) in commands {
        let out = sb
            .command(env!("CARGO_BIN_EXE_modscope"), args, &sb.project)
            .env("MODSCOPE_CACHE_DIR", memo.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "modscope {args:?}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same(&before, &snapshot(&sb), &format!("modscope {args:?}"));
    }
    // The memo was written where it was told to, not into the cache.
    assert!(
        std::fs::read_dir(memo.path()).unwrap().next().is_some(),
        "the full check wrote no verify memo to MODSCOPE_CACHE_DIR"
    );

    // The inspector: every view and overlay, no job key (only the full verification it starts
    // by itself runs).
    let mut app = inspector(&sb.project, &env);
    app.wait_until("gamma missing, the full verification done", WAIT, |s| {
        s.contains("○ 1 missing")
            && s.lines()
                .any(|l| l.contains("verify 3 modules") && l.contains("done"))
    });
    // Moving around; the keys are read in order, so each later wait also covers these.
    for key in [
        &b"j"[..],
        b"j",
        b"G",
        b"g",
        b"\x1b[B",
        b"\x1b[6~",
        b"\x1b[H",
    ] {
        app.send(key);
        std::thread::sleep(Duration::from_millis(50));
    }
    let steps: [Step; 14] = [
        (b"/alp", "the filter typed", |s| s.contains("filter: alp")),
        (b"\r", "the filter kept", |s| s.contains("Modules 1/3")),
        (b"f", "the status filter cycled", |s| {
            s.contains("· problems ·")
        }),
        (b"s", "sorted by path", |s| s.contains("sort path")),
        (b"?", "the help", |s| s.contains(" Keys ")),
        (b"?", "the help closed", |s| !s.contains(" Keys ")),
        (b"o", "the offline overlay", |s| {
            s.contains(" Offline readiness ")
        }),
        (b"j", "the offline overlay scrolled", |s| {
            s.contains(" Offline readiness ")
        }),
        (b"o", "the offline overlay closed", |s| {
            !s.contains(" Offline readiness ")
        }),
        (b"\t\r", "the detail maximised", |s| {
            s.contains("┌ Detail") && !s.contains("┌ Modules")
        }),
        (b"\r", "the detail back", |s| s.contains("┌ Modules")),
        (b"T", "the dependency tree", |s| {
            s.contains(" Dependency tree ")
        }),
        (b"jlljhh", "the tree walked", |s| {
            s.contains(" Dependency tree ")
        }),
        (b"T", "the tree closed", |s| {
            s.contains("┌ Modules") && !s.contains(" Dependency tree ")
        }),
    ];
    for (keys, what, shown) in steps {
        app.send(keys);
        app.wait_until(what, WAIT, shown);
    }
    let asked = Instant::now();
    app.send(b"q");
    let (status, _) = app.wait_exit(asked, Duration::from_secs(6));
    assert!(status.success(), "modscope exited with {status:?}");
    assert_terminal_restored(&app);
    assert_same(&before, &snapshot(&sb), "the inspector");
}
