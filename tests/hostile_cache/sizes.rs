//! Empty and huge inputs, and places modscope may not write: empty files, a 100 MB go.sum, a go.mod with 100,000 requires, a read-only cache and an unwritable memo directory.

use super::*;

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
    let memos: Vec<_> = std::fs::read_dir(memo_dir(&sb).join("verify-memo-v2"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "memo.key")
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
    // No command fixes it: what to do ends the message.
    assert!(w.fix.is_none(), "{:?}", w.fix);
    assert!(
        w.message.contains("To fix: set MODSCOPE_CACHE_DIR"),
        "{}",
        w.message
    );
    assert_eq!(snapshot(&sb.cache), before);
}
