//! Hostile and broken caches (issue 7). Each test fills a small cache with the real `go` from a
//! local `file://` proxy (or writes by hand what go cannot produce), plants one fault in ONE
//! module, and runs the real binary (`check --json --full`, then `check --json` through the
//! verify memo). Every time: the documented exit code, no panic, no hang (a time limit), the
//! faulty module's problem names the path and the cause, and every other module is still
//! checked and `cached`. Nothing here touches ~/go or the network.

mod support;

#[path = "hostile_cache/helpers.rs"]
mod helpers;

use helpers::{
    Entry, Run, assert_others_cached, chmod, entries_of, find, noise, permission_wrapper, problem,
    run_limited, snapshot, zeros_deflate, zip_bytes,
};
use modscope::core::analysis::report::Status;
use modscope::core::cache::layout::{ModuleCache, ModuleFiles};
use modscope::core::synth::SynthModule;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{GoSandbox, module, remove};

const BIN: &str = env!("CARGO_BIN_EXE_modscope");
const MODULES: [&str; 4] = [
    "example.com/alpha",
    "example.com/beta",
    "example.com/gamma",
    "example.com/delta",
];
/// The module every test plants its fault in.
const HOSTILE: &str = "example.com/delta";

fn modules() -> Vec<SynthModule> {
    MODULES
        .iter()
        .map(|p| module(p, "v1.0.0", Some("1.21"), &[], "func F() int { return 1 }"))
        .collect()
}

fn main_go(paths: &[&str]) -> String {
    let imports: String = paths.iter().map(|p| format!("\t_ \"{p}\"\n")).collect();
    format!("package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n")
}

/// The four modules in the cache and go.sum, by `go mod tidy` (so go.sum has both lines each).
fn sandbox_with(extra: Vec<SynthModule>) -> GoSandbox {
    let mut all = modules();
    let mut paths: Vec<&str> = MODULES.to_vec();
    paths.extend(extra.iter().map(|m| m.path.as_str()));
    let go_mod = format!(
        "module example.com/main\n\ngo 1.21\n\nrequire (\n{})\n",
        paths
            .iter()
            .map(|p| format!("\t{p} v1.0.0\n"))
            .collect::<String>()
    );
    let main = main_go(&paths);
    all.extend(extra.iter().cloned());
    let sb = GoSandbox::new(&all);
    sb.write_project(&go_mod, &[("main.go", &main)]);
    sb.go_ok(&["mod", "tidy"]);
    sb
}

fn sandbox() -> GoSandbox {
    sandbox_with(Vec::new())
}

fn files(sb: &GoSandbox, path: &str) -> ModuleFiles {
    ModuleCache::new(&sb.cache).files(path, "v1.0.0").unwrap()
}

fn memo_dir(sb: &GoSandbox) -> PathBuf {
    sb.tmp.path().join("modscope-cache")
}

/// `modscope check --json ARGS --modcache CACHE` in the project, with the sandbox's
/// environment and a private memo directory, behind `wrap` (e.g. setpriv).
fn check_with(sb: &GoSandbox, args: &[&str], wrap: &[String], memo: &Path) -> Run {
    let mut cmd = helpers::wrapped(wrap, Path::new(BIN));
    cmd.arg("check")
        .arg("--json")
        .args(args)
        .arg("--modcache")
        .arg(&sb.cache)
        .current_dir(&sb.project)
        .env_clear()
        .envs(sb.go_env())
        .env("MODSCOPE_CACHE_DIR", memo);
    run_limited(cmd)
}

/// `check --json --full`, then `check --json` (through the memo the first one wrote): both must
/// give the same verdict, which `verdict` asserts.
fn both_modes(sb: &GoSandbox, wrap: &[String], code: i32, verdict: impl Fn(&Run)) {
    for args in [&["--full"][..], &[]] {
        let run = check_with(sb, args, wrap, &memo_dir(sb));
        run.assert_exit(code);
        if let Some(r) = &run.report {
            for m in r.modules.iter().filter(|m| !m.problems.is_empty()) {
                for p in &m.problems {
                    eprintln!("{args:?} {} [{}] {}", m.path, p.kind.as_str(), p.message);
                }
            }
        }
        verdict(&run);
    }
}

/// The hostile module's zip, rewritten stored (same content, same h1) plus `extra` entries.
fn rewrite_zip(sb: &GoSandbox, extra: Vec<Entry>) -> PathBuf {
    let f = files(sb, HOSTILE);
    let mut entries = entries_of(&f.zip);
    entries.extend(extra);
    support::force_write(&f.zip, &zip_bytes(&entries));
    f.zip
}

fn go_verify(sb: &GoSandbox) -> String {
    let out = sb.go(&["mod", "verify"]);
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn prefix() -> String {
    format!("{HOSTILE}@v1.0.0/")
}

#[test]
fn a_healthy_cache_and_a_rewritten_but_identical_zip_are_cached() {
    let sb = sandbox();
    // The control for the zip tests below: the zip written by hand, stored, hashes the same.
    rewrite_zip(&sb, Vec::new());
    both_modes(&sb, &[], 0, |run| {
        assert_others_cached(run.report(), "");
    });
}

#[test]
fn zip_entries_that_escape_the_module_root() {
    let base = sandbox();
    for (name, shown) in [
        (b"../evil.go".to_vec(), "../evil.go".to_string()),
        (b"/etc/evil.go".to_vec(), "/etc/evil.go".to_string()),
        (
            format!("{}../../evil.go", prefix()).into_bytes(),
            format!("{}../../evil.go", prefix()),
        ),
    ] {
        let sb = base.fork();
        let zip = rewrite_zip(&sb, vec![Entry::stored(name, "package evil\n")]);
        let zip_s = zip.display().to_string();
        let needle = format!("zip entry name escapes the module root: {shown}");
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            assert_eq!(m.status, Status::Mismatch);
            problem(
                m,
                "corrupt-zip",
                &[&zip_s, &needle, "go refuses to extract"],
            );
            // The tree go extracted from the genuine zip is still intact.
            assert!(m.computed.dir_h1.is_some() && m.computed.dir_h1 == m.go_sum.h1);
            assert_others_cached(r, HOSTILE);
        });
        // go mod verify only sees a changed hash; go's extraction names the entry.
        assert!(go_verify(&sb).contains("zip has been modified"));
    }
}

/// go's limits (x/mod zip): 500 MiB of declared content, entries never inflated past their
/// declared size, go.mod and LICENSE at most 16 MiB. The zips are ~600 KB: zeros deflate at
/// ~1000:1. Bounded time and memory show indirectly: each run ends and names the limit.
#[test]
fn zip_bombs_stop_at_gos_limits() {
    let base = sandbox();
    // The stream is sound: three MiB of it inflate to three MiB of zeros.
    let mut d = flate2::Decompress::new(false);
    let mut out = Vec::with_capacity(4 << 20);
    d.decompress_vec(&zeros_deflate(3), &mut out, flate2::FlushDecompress::Finish)
        .unwrap();
    assert_eq!(out.len(), 3 << 20);
    assert!(out.iter().all(|&b| b == 0));

    let bomb = |declared: u32| Entry {
        name: format!("{}bomb.txt", prefix()).into_bytes(),
        data: zeros_deflate(600),
        deflated: true,
        crc: 0,
        size: declared,
    };
    let cases: Vec<(Entry, Vec<String>)> = vec![
        // Honest about its 600 MiB: refused from the central directory, nothing inflated.
        (
            bomb(600 << 20),
            vec![
                "zip is larger than go's 500 MiB limit".into(),
                "bytes uncompressed (refused without inflating any)".into(),
            ],
        ),
        // Declares 1 KiB and inflates to 600 MiB: stopped right after 1 KiB.
        (
            bomb(1024),
            vec![
                "bomb.txt: inflates to more than the 1024 bytes the zip declares".into(),
                "zip bomb".into(),
            ],
        ),
        // A go.mod over go's 16 MiB limit (x/mod MaxGoMod), and a LICENSE over MaxLICENSE.
        (
            Entry {
                name: format!("{}go.mod", prefix()).into_bytes(),
                data: zeros_deflate(17),
                deflated: true,
                crc: 0,
                size: 17 << 20,
            },
            vec!["go.mod in the zip declares 17825792 bytes, more than go's 16 MiB limit".into()],
        ),
        (
            Entry {
                name: format!("{}LICENSE", prefix()).into_bytes(),
                data: zeros_deflate(17),
                deflated: true,
                crc: 0,
                size: 17 << 20,
            },
            vec!["LICENSE in the zip declares 17825792 bytes".into()],
        ),
    ];
    for (entry, needles) in cases {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let mut entries: Vec<Entry> = entries_of(&f.zip)
            .into_iter()
            .filter(|e| e.name != entry.name)
            .collect();
        entries.push(entry);
        let bytes = zip_bytes(&entries);
        assert!(bytes.len() < 1 << 20, "the bomb itself stays small");
        support::force_write(&f.zip, &bytes);
        let zip_s = f.zip.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let mut n: Vec<&str> = needles.iter().map(String::as_str).collect();
            n.push(&zip_s);
            problem(m, "corrupt-zip", &n);
            assert_eq!(m.status, Status::Mismatch);
            assert_others_cached(r, HOSTILE);
        });
    }
}

#[test]
fn truncated_corrupt_and_empty_zips() {
    let base = sandbox();
    type Damage = fn(&mut Vec<u8>);
    let cases: [(&str, Damage, &str); 3] = [
        (
            "truncated",
            |b| b.truncate(b.len() / 2),
            "the file is truncated, or not a zip at all",
        ),
        (
            "empty",
            |b| b.clear(),
            "the file is truncated, or not a zip at all",
        ),
        (
            "one content byte changed",
            |b| {
                let at = b.windows(7).position(|w| w == b"package").unwrap();
                b[at] = b'P';
            },
            "checksum error (CRC-32 mismatch)",
        ),
    ];
    for (what, damage, cause) in cases {
        let sb = base.fork();
        // Stored, so that the content byte is there to change.
        let zip = rewrite_zip(&sb, Vec::new());
        let mut bytes = std::fs::read(&zip).unwrap();
        damage(&mut bytes);
        support::force_write(&zip, &bytes);
        let zip_s = zip.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "corrupt-zip", &[&zip_s, "corrupt zip", cause]);
            assert_eq!(m.status, Status::Mismatch, "{what}: {msg}");
            assert_others_cached(r, HOSTILE);
        });
    }
}

/// Choice: like go's extraction (x/mod `checkZip`, also for `go mod download` of a zip already
/// in the cache), names that collide when case is ignored make the zip one go refuses: it could
/// never have been extracted by go, and would lose a file on a case-insensitive file system.
/// (`go mod verify` alone just hashes the entries and reports "zip has been modified".)
#[test]
fn zip_names_that_collide_by_case() {
    let sb = sandbox();
    let zip = rewrite_zip(
        &sb,
        vec![Entry::stored(
            format!("{}Delta.go", prefix()),
            "package delta\n",
        )],
    );
    let zip_s = zip.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let r = run.report();
        let m = find(r, HOSTILE);
        problem(
            m,
            "corrupt-zip",
            &[
                &zip_s,
                "zip entry names collide when case is ignored: \"delta.go\" and \"Delta.go\"",
            ],
        );
        assert_others_cached(r, HOSTILE);
    });
    assert!(go_verify(&sb).contains("zip has been modified"));
}

#[test]
fn non_utf8_names_in_the_zip_and_in_the_extracted_tree() {
    let base = sandbox();
    let sb = base.fork();
    let mut name = prefix().into_bytes();
    name.extend(b"\xff\xfe.go");
    let zip = rewrite_zip(&sb, vec![Entry::stored(name, "package delta\n")]);
    let zip_s = zip.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        problem(
            m,
            "corrupt-zip",
            &[
                &zip_s,
                "zip entry name is not valid UTF-8",
                "\u{fffd}\u{fffd}.go",
            ],
        );
        assert_others_cached(run.report(), HOSTILE);
    });

    // A file go never extracted, named with bytes that are not UTF-8 (Linux allows any).
    let sb = base.fork();
    let dir = files(&sb, HOSTILE).dir;
    let odd =
        dir.join(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"\xff\xfe.go"));
    std::fs::write(&odd, "package delta\n").unwrap();
    let dir_s = dir.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        problem(
            m,
            "extracted-files-modified",
            &[
                &dir_s,
                "were changed after extraction",
                "\u{fffd}\u{fffd}.go (its name is not valid UTF-8)",
            ],
        );
        assert_eq!(m.status, Status::Mismatch);
        assert_others_cached(run.report(), HOSTILE);
    });
    assert!(go_verify(&sb).contains("dir has been modified"));
}

/// go's dirhash walks with `filepath.WalkDir`, which does not follow symlinks, and opens every
/// non-directory entry: `go mod verify` accepts a symlink to an identical file and fails on a
/// loop ("too many levels of symbolic links"), a link to a directory ("is a directory") and a
/// dangling link; on a named pipe it blocks forever. modscope agrees on each verdict, and never
/// blocks.
#[test]
fn symlinks_loops_and_pipes_in_an_extracted_tree() {
    let base = sandbox();

    // A symlink to an identical file outside the tree: go says verified, and so do we.
    let sb = base.fork();
    let f = files(&sb, HOSTILE);
    let go_file = f.dir.join("delta.go");
    let outside = sb.tmp.path().join("delta-copy.go");
    std::fs::copy(&go_file, &outside).unwrap();
    remove(&go_file);
    std::os::unix::fs::symlink(&outside, &go_file).unwrap();
    both_modes(&sb, &[], 0, |run| assert_others_cached(run.report(), ""));
    assert!(go_verify(&sb).contains("all modules verified"));

    type Plant = fn(&Path, &Path);
    let cases: [(&str, Plant, &str, Option<&str>); 4] = [
        (
            "loop",
            |_, link| {
                let other = link.with_file_name("loop2");
                std::os::unix::fs::symlink(&other, link).unwrap();
                std::os::unix::fs::symlink(link, &other).unwrap();
            },
            "is a symbolic link loop",
            Some("too many levels of symbolic links"),
        ),
        (
            "link to a directory",
            |tmp, link| std::os::unix::fs::symlink(tmp, link).unwrap(),
            "is a directory reached through a symlink",
            Some("is a directory"),
        ),
        (
            "dangling link",
            |tmp, link| std::os::unix::fs::symlink(tmp.join("nothing"), link).unwrap(),
            "is a symbolic link to nothing",
            Some("no such file or directory"),
        ),
        (
            "named pipe",
            |_, at| {
                let ok = std::process::Command::new("mkfifo")
                    .arg(at)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok);
            },
            "is a named pipe (FIFO), not a regular file",
            None, // go mod verify blocks on it forever: not run
        ),
    ];
    for (what, plant, cause, go_says) in cases {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let at = f.dir.join("delta.go");
        remove(&at);
        plant(sb.tmp.path(), &at);
        let at_s = at.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "extracted-files-modified", &[&at_s, cause]);
            assert_eq!(m.status, Status::Mismatch, "{what}: {msg}");
            assert_others_cached(r, HOSTILE);
        });
        if let Some(go_says) = go_says {
            let v = go_verify(&sb);
            assert!(v.contains(go_says), "{what}: go mod verify said {v}");
        }
    }
}

/// Permission denied (EACCES) on a file, a directory, the zip and the download directory; and
/// a path component that is a regular file (ENOTDIR), which needs no privileges to arrange.
/// As root, chmod 000 does not deny anything: modscope then runs under `setpriv` without
/// CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, after proving that this makes a mode-000 file
/// unreadable; if it cannot, the EACCES half says so and only it is skipped.
#[test]
fn unreadable_files_and_directories() {
    let base = sandbox();

    // ENOTDIR: the download directory of the module replaced by a regular file.
    let sb = base.fork();
    let f = files(&sb, HOSTILE);
    remove(&f.download_dir);
    std::fs::write(&f.download_dir, "not a directory").unwrap();
    let dl = f.download_dir.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let r = run.report();
        let m = find(r, HOSTILE);
        problem(
            m,
            "unreadable",
            &[&format!("cannot list {dl}"), "Not a directory"],
        );
        assert_eq!(m.status, Status::Missing);
        assert!(
            !m.problems
                .iter()
                .any(|p| p.kind.as_str() == "missing-mod-file"),
            "nothing is claimed missing that could not be looked at: {m:#?}"
        );
        assert_others_cached(r, HOSTILE);
    });

    let probe = base.tmp.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    chmod(&probe, 0o000);
    let wrap = match permission_wrapper(&probe) {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIPPED the EACCES assertions of this test: {why}");
            return;
        }
    };
    type Target = fn(&ModuleFiles) -> PathBuf;
    let cases: [(&str, Target, &str); 4] = [
        (
            "an extracted file",
            |f| f.dir.join("delta.go"),
            "cannot hash the extracted files",
        ),
        (
            "the extracted directory",
            |f| f.dir.clone(),
            "cannot hash the extracted files",
        ),
        ("the zip", |f| f.zip.clone(), "cannot read the cached zip"),
        (
            "the download directory",
            |f| f.download_dir.clone(),
            "cannot list",
        ),
    ];
    for (what, target, words) in cases {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let path = target(&f);
        chmod(&path, 0o000);
        let path_s = path.display().to_string();
        both_modes(&sb, &wrap, 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "unreadable", &[words, &path_s, "Permission denied"]);
            assert_eq!(m.status, Status::Missing, "{what}: {msg}");
            assert_others_cached(r, HOSTILE);
        });
        chmod(&path, 0o755);
    }
}

/// Empty files where content is expected: the zip, `.ziphash` and `.mod` in the cache, and the
/// project's go.sum and go.mod.
#[test]
fn empty_files() {
    let base = sandbox();
    let f = files(&base, HOSTILE);
    for (what, file, kind, words) in [
        (
            ".ziphash",
            f.ziphash.clone(),
            "invalid-ziphash",
            "holds \"\", which is not a valid h1 sum",
        ),
        (
            ".mod",
            f.go_mod.clone(),
            "go-mod-mismatch",
            "hashes to h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=",
        ),
    ] {
        let sb = base.fork();
        let target = sb.cache.join(file.strip_prefix(&base.cache).unwrap());
        support::force_write(&target, b"");
        let path_s = target.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let m = find(run.report(), HOSTILE);
            let msg = problem(m, kind, &[&path_s, words]);
            assert_eq!(m.status, Status::Mismatch, "{what}: {msg}");
            assert_others_cached(run.report(), HOSTILE);
        });
    }

    // An empty go.sum: every module is still checked (hashes computed), each lacks its lines.
    let sb = base.fork();
    std::fs::write(sb.project.join("go.sum"), "").unwrap();
    both_modes(&sb, &[], 1, |run| {
        let r = run.report();
        assert_eq!(r.modules.len(), 4);
        for m in &r.modules {
            problem(m, "go-sum-line-missing", &[&m.path]);
            assert!(m.computed.zip_h1.is_some() && m.computed.dir_h1.is_some());
        }
    });

    // An empty go.mod is not a project: exit 2, with go's message naming the file.
    let sb = base.fork();
    std::fs::write(sb.project.join("go.mod"), "").unwrap();
    let run = check_with(&sb, &[], &[], &memo_dir(&sb));
    run.assert_exit(2);
    assert!(
        run.stderr.contains("go.mod") && run.stderr.contains("missing module declaration"),
        "{}",
        run.stderr
    );
}

/// A 100 MB go.sum, mostly valid lines for modules the project does not use, a few malformed
/// ones, and the project's real lines at the very end.
#[test]
fn a_100_mb_go_sum() {
    let sb = sandbox();
    let real = std::fs::read_to_string(sb.project.join("go.sum")).unwrap();
    let mut text = String::with_capacity(105 << 20);
    let hash = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    let mut i = 0u64;
    while text.len() < 100 << 20 {
        text.push_str(&format!(
            "example.com/filler/m{i} v1.{}.0 {hash}\nexample.com/filler/m{i} v1.{}.0/go.mod {hash}\n",
            i % 9,
            i % 9
        ));
        if i % 500_000 == 7 {
            text.push_str("this line is malformed\n");
        }
        i += 1;
    }
    let malformed = text.matches("this line is malformed").count();
    text.push_str(&real);
    std::fs::write(sb.project.join("go.sum"), &text).unwrap();
    for args in [&["--full"][..], &[]] {
        let run = check_with(&sb, args, &[], &memo_dir(&sb));
        eprintln!(
            "check {args:?} on a {} MB go.sum: {:?}",
            text.len() >> 20,
            run.elapsed
        );
        run.assert_exit(1); // the malformed lines
        let r = run.report();
        assert_others_cached(r, "");
        assert_eq!(r.modules.len(), 4);
        assert_eq!(r.file_problems.len(), malformed);
        assert!(
            r.file_problems
                .iter()
                .all(|p| p.line.is_some() && p.message.contains("malformed go.sum"))
        );
        let delta = find(r, HOSTILE);
        assert!(real.contains(delta.go_sum.h1.as_deref().unwrap()));
    }
}

/// A go.mod with 100,000 requirements: every one is classified (all but the real four are not
/// in the cache), the report stays correct, and memory and time stay proportionate.
#[test]
fn a_go_mod_with_100000_requires() {
    let sb = sandbox();
    let mut go_mod = std::fs::read_to_string(sb.project.join("go.mod")).unwrap();
    go_mod.push_str("\nrequire (\n");
    for i in 0..100_000 {
        go_mod.push_str(&format!("\texample.com/filler/m{i:06} v1.0.{}\n", i % 7));
    }
    go_mod.push_str(")\n");
    std::fs::write(sb.project.join("go.mod"), &go_mod).unwrap();
    for args in [&["--full"][..], &[]] {
        let run = check_with(&sb, args, &[], &memo_dir(&sb));
        eprintln!(
            "check {args:?} with 100,004 requires: {:?}, {} MB of JSON",
            run.elapsed,
            run.stdout.len() >> 20
        );
        run.assert_exit(1);
        let r = run.report();
        assert_eq!(r.modules.len(), 100_004);
        assert_eq!(r.summary.cached, 4);
        assert_eq!(r.summary.missing, 100_000);
        for p in MODULES {
            assert_eq!(find(r, p).status, Status::Cached);
        }
        for i in [0, 12_345, 99_999] {
            let m = find(r, &format!("example.com/filler/m{i:06}"));
            assert_eq!(m.version, format!("v1.0.{}", i % 7));
            problem(m, "not-in-cache", &[&format!("{}@{}", m.path, m.version)]);
        }
    }
}

/// A read-only cache: modscope never writes to it. As root, a real read-only bind mount in a
/// private mount namespace (`unshare`), else `chmod -R a-w` (which root ignores, so then it
/// is the snapshot that proves it). Also: an unwritable MODSCOPE_CACHE_DIR is a warning, and
/// the check still succeeds.
#[test]
fn a_read_only_cache_and_an_unwritable_memo_directory() {
    let sb = sandbox();
    // Results for files changed less than 2 s ago are never remembered: let them settle, so
    // that the memo has something to save.
    std::thread::sleep(Duration::from_millis(2100));
    let before = snapshot(&sb.cache);
    let probe_ro = std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && ! touch "$0/.probe" 2>/dev/null"#)
        .arg(&sb.cache)
        .status()
        .is_ok_and(|s| s.success());
    let wrap: Vec<String> = if probe_ro {
        eprintln!("read-only cache: a read-only bind mount");
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            r#"mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@""#,
        ]
        .map(String::from)
        .into_iter()
        .chain([sb.cache.display().to_string()])
        .collect()
    } else {
        eprintln!("read-only cache: no mount namespace here; emulated with chmod -R a-w");
        let ok = std::process::Command::new("chmod")
            .args(["-R", "a-w"])
            .arg(&sb.cache)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        Vec::new()
    };
    let before = if probe_ro {
        before
    } else {
        snapshot(&sb.cache)
    };
    both_modes(&sb, &wrap, 0, |run| {
        assert_others_cached(run.report(), "");
        assert!(
            run.report().warnings.is_empty(),
            "{:?}",
            run.report().warnings
        );
    });
    assert_eq!(snapshot(&sb.cache), before, "the cache was written to");
    let memos: Vec<_> = std::fs::read_dir(memo_dir(&sb).join("verify-memo-v1"))
        .unwrap()
        .collect();
    assert_eq!(memos.len(), 1, "the memo lives outside the cache");

    // MODSCOPE_CACHE_DIR below a regular file (ENOTDIR even for root): a warning, exit 0.
    let file = sb.tmp.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let bad = file.join("modscope");
    let run = check_with(&sb, &["--full"], &wrap, &bad);
    run.assert_exit(0);
    let r = run.report();
    assert_others_cached(r, "");
    let w = r
        .warnings
        .iter()
        .find(|w| w.kind == "verify-memo-not-saved")
        .unwrap_or_else(|| panic!("no memo warning: {:?}", r.warnings));
    assert!(
        w.message.contains(&bad.display().to_string()) && w.message.contains("Not a directory"),
        "{}",
        w.message
    );
    assert!(w.fix.as_deref().unwrap().contains("MODSCOPE_CACHE_DIR"));
    assert_eq!(snapshot(&sb.cache), before);
}

/// What a concurrent `go mod download` leaves visible, step by step (go writes the `.mod`, then
/// the zip to `<v>.zip<random>.tmp` and `.ziphash` in place, renames the zip, creates
/// `.partial`, extracts, removes `.partial`): each state is reported as missing, with words
/// that say a download may be in progress, and never as a hash mismatch. The race that could
/// report a half-extracted tree as modified (`.partial` looked at before go creates it, the
/// directory after) is closed by looking in go's own order, directory first; its window is a
/// few microseconds, so the live part below cannot be relied on to hit it.
#[test]
fn a_module_being_downloaded_while_modscope_scans_it() {
    // 1. The in-between states, written by hand so that each is certainly seen.
    let base = sandbox();
    let sb = base.fork();
    let f = files(&sb, HOSTILE);
    let zip = std::fs::read(&f.zip).unwrap();
    remove(&f.dir);
    remove(&f.zip);
    let tmp_zip = f.download_dir.join("v1.0.0.zip123456.tmp");
    std::fs::write(&tmp_zip, &zip[..zip.len() / 2]).unwrap();
    support::force_write(&f.ziphash, b""); // go truncates, then writes it
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        assert_eq!(m.status, Status::Missing, "{m:#?}");
        problem(
            m,
            "mod-only",
            &[
                "is still being written",
                "a go command is downloading it right now, or its download was interrupted",
            ],
        );
        problem(
            m,
            "stray-temp-files",
            &[&tmp_zip.display().to_string(), "still running"],
        );
        assert!(
            !m.problems
                .iter()
                .any(|p| p.kind.as_str() == "invalid-ziphash"),
            "{m:#?}"
        );
        assert_others_cached(run.report(), HOSTILE);
    });
    // Half extracted, with go's .partial marker: a partial download, not modified files.
    std::fs::remove_file(&tmp_zip).unwrap();
    std::fs::write(&f.zip, &zip).unwrap();
    support::force_write(&f.ziphash, find_h1(&base).as_bytes());
    std::fs::create_dir_all(&f.dir).unwrap();
    std::fs::write(f.dir.join("go.mod"), "module example.com/delta\n").unwrap();
    std::fs::write(&f.partial, "").unwrap();
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        assert_eq!(m.status, Status::Missing, "{m:#?}");
        problem(
            m,
            "partial-download",
            &[&f.partial.display().to_string(), "extracting it right now"],
        );
        assert_others_cached(run.report(), HOSTILE);
    });

    // 2. The real thing: a large module downloaded by go while checks run, three times over.
    let mut big = module(
        "example.com/big",
        "v1.0.0",
        Some("1.21"),
        &[],
        "func F() int { return 1 }",
    );
    for i in 0..6000 {
        big.files
            .push((format!("data/d{}/f{i:04}.txt", i % 50), noise(i, 1200)));
    }
    let sb = sandbox_with(vec![big]);
    let bf = ModuleCache::new(&sb.cache)
        .files("example.com/big", "v1.0.0")
        .unwrap();
    let allowed = [
        "not-in-cache",
        "mod-only",
        "zip-not-extracted",
        "partial-download",
        "stray-temp-files",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..3 {
        remove(&bf.dir);
        for e in std::fs::read_dir(&bf.download_dir).unwrap() {
            let p = e.unwrap().path();
            if p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("v1.0.0.")
            {
                remove(&p);
            }
        }
        let mut go = sb
            .command(
                "go",
                &["mod", "download", "example.com/big@v1.0.0"],
                &sb.project,
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut runs = 0;
        loop {
            let done = go.try_wait().unwrap().is_some();
            let run = check_with(&sb, &[], &[], &memo_dir(&sb));
            runs += 1;
            assert!(
                run.code == 0 || run.code == 1,
                "exit {}: {}",
                run.code,
                run.stderr
            );
            run.assert_exit(run.code);
            let r = run.report();
            for p in MODULES {
                let m = find(r, p);
                assert_eq!((m.status, m.problems.len()), (Status::Cached, 0), "{m:#?}");
            }
            let m = find(r, "example.com/big");
            assert!(
                matches!(m.status, Status::Missing | Status::Cached),
                "round {round}: {m:#?}"
            );
            for p in &m.problems {
                assert!(allowed.contains(&p.kind.as_str()), "round {round}: {m:#?}");
            }
            let kinds: Vec<&str> = m.problems.iter().map(|p| p.kind.as_str()).collect();
            seen.insert(format!("{:?} {}", m.status, kinds.join("+")));
            if done {
                assert_eq!(m.status, Status::Cached, "after go finished: {m:#?}");
                break;
            }
        }
        assert!(go.wait().unwrap().success());
        eprintln!("round {round}: {runs} checks during the download");
    }
    eprintln!("states seen while go downloaded: {seen:?}");
}

fn find_h1(sb: &GoSandbox) -> String {
    let sum = std::fs::read_to_string(sb.project.join("go.sum")).unwrap();
    sum.lines()
        .find(|l| l.starts_with(&format!("{HOSTILE} v1.0.0 h1:")))
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string()
}
