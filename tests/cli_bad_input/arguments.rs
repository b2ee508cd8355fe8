//! Bad arguments: unknown flags and subcommands, a `-C` that is no directory, a module cache
//! that does not exist, a malformed `why` target, and export destinations that are refused.

use super::*;

#[test]
fn unknown_flags_subcommands_and_missing_arguments_point_at_help() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: [(&[&str], &[&str]); 7] = [
        (
            &["check", "--no-such-flag"],
            &[
                "unexpected argument '--no-such-flag'",
                "Usage: modscope check",
                "--help",
            ],
        ),
        (
            &["--frobnicate"],
            &["unexpected argument '--frobnicate'", "--help"],
        ),
        (
            &["frobnicate"],
            &[
                "unrecognized subcommand 'frobnicate'",
                "Usage: modscope",
                "--help",
            ],
        ),
        (
            &["why"],
            &["required arguments were not provided", "<MODULE>", "--help"],
        ),
        (&["export"], &["--out <DIR>", "--help"]),
        (
            &["check", "-C"],
            &["a value is required for '-C <DIR>'", "--help"],
        ),
        (
            &["check", "--quick", "--full"],
            &["cannot be used with", "--help"],
        ),
    ];
    for (args, says) in cases {
        assert_usage_error(&modscope(args, d), says);
    }
}

#[test]
fn a_dash_c_that_is_not_a_directory_says_what_to_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let missing = d.join("not-here");
    let missing = missing.to_str().unwrap();
    for sub in ["check", "graph", "offline", "env"] {
        assert_usage_error(
            &modscope(&[sub, "-C", missing], d),
            &[
                "not-here: not a directory",
                "no such directory",
                "pass -C the directory of your Go module",
            ],
        );
    }
    // Before the subcommand too (it used to be dropped there without a word).
    for args in [
        &["-C", missing, "check"][..],
        &["-C", missing, "graph"],
        &["-C", missing, "env"],
        &["-C", missing, "parse", "go.mod"],
    ] {
        assert_usage_error(
            &modscope(args, d),
            &[
                "not-here: not a directory",
                "no such directory",
                "pass -C the directory of your Go module",
            ],
        );
    }
    let file = d.join("a-file");
    std::fs::write(&file, "").unwrap();
    assert_usage_error(
        &modscope(&["check", "-C", file.to_str().unwrap()], d),
        &["not a directory (it is a file)", "pass -C"],
    );
}

#[test]
fn a_modcache_that_does_not_exist_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), GO_MOD);
    let cache = tmp.path().join("typo-cache");
    let c = cache.to_str().unwrap();
    for sub in ["check", "graph", "offline"] {
        assert_usage_error(
            &modscope(&[sub, "--modcache", c], &dir),
            &[
                &format!("--modcache {c}: no such directory"),
                "go env GOMODCACHE",
                "leave --modcache out",
            ],
        );
    }
    assert!(!cache.exists(), "the cache was created");
    std::fs::write(&cache, "").unwrap();
    assert_usage_error(
        &modscope(&["check", "--modcache", c], &dir),
        &["not a directory", "go env GOMODCACHE"],
    );
    // A GOMODCACHE that does not exist yet is not a mistake (nothing was downloaded): reported
    // by the check, exit 1.
    // (In the test's HOME like every other run here: the check keeps its quick-scan memo under
    // HOME's cache directory.)
    std::fs::remove_file(&cache).unwrap();
    let out = modscope_command(&["check"], &dir)
        .env("GOMODCACHE", &cache)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("module cache directory does not exist"));
}

#[test]
fn why_with_a_malformed_module_at_version_shows_the_form() {
    let tmp = tempfile::tempdir().unwrap();
    // No project here: the argument is checked before the project is read.
    let d = tmp.path();
    let cases: [(&str, &str); 10] = [
        ("example.com/a@", "malformed version \"\""),
        ("example.com/a@latest", "malformed version \"latest\""),
        ("example.com/a@1.0.0", "malformed version \"1.0.0\""),
        ("example.com/a@v1.0.0@v2", "malformed version \"v1.0.0@v2\""),
        (
            "example.com/a@v1.2",
            "not written as go writes it; pass example.com/a@v1.2.0",
        ),
        // Not valid for x/mod: a shorthand takes no build metadata.
        ("example.com/a@v1+meta", "malformed version \"v1+meta\""),
        ("example.com/a@v1.2.3+meta", "pass example.com/a@v1.2.3 "),
        ("@v1.0.0", "malformed module path \"\""),
        ("example.com//a", "malformed module path \"example.com//a\""),
        ("example com/a", "malformed module path \"example com/a\""),
    ];
    for (arg, says) in cases {
        assert_usage_error(&modscope(&["why", arg], d), &[says, "MODULE@VERSION"]);
    }
    // The well-formed ones get past it (to the missing go.mod).
    for arg in [
        "example.com/a",
        "example.com/a@v1.2.3-rc.1",
        "example.com/a@v2.0.0+incompatible",
    ] {
        assert_usage_error(&modscope(&["why", arg], d), &["go.mod file not found"]);
    }
}

#[test]
fn export_to_a_non_empty_directory_says_to_pass_a_new_one_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), GO_MOD);
    let out_dir = tmp.path().join("bundle");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("keep.txt"), "mine").unwrap();
    assert_usage_error(
        &modscope(&["export", "--out", out_dir.to_str().unwrap()], &dir),
        &["is not empty", "pass --out a new or empty directory"],
    );
    let names: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["keep.txt"],
        "export wrote into a directory that was not empty"
    );
}

/// export never writes over an existing file, through a link, or inside the module cache: each
/// is refused (exit 2) before anything is written.
#[test]
fn export_refuses_to_overwrite_or_write_into_the_module_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), GO_MOD);
    let cache = dir.join(".modcache-for-test");
    std::fs::create_dir_all(&cache).unwrap();
    let precious = tmp.path().join("precious");
    std::fs::write(&precious, "keep me").unwrap();
    let link = tmp.path().join("link.tar");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let bundle = tmp.path().join("bundle");
    let s = |p: &std::path::Path| p.display().to_string();
    let cases: [(&str, Vec<String>, &str); 4] = [
        (
            "an existing --tar file",
            vec!["--out".into(), s(&bundle), "--tar".into(), s(&precious)],
            "already exists",
        ),
        (
            "a --tar symlink",
            vec!["--out".into(), s(&bundle), "--tar".into(), s(&link)],
            "already exists",
        ),
        (
            "--out inside the cache",
            vec!["--out".into(), s(&cache.join("b"))],
            "inside the module cache",
        ),
        (
            "--tar inside the cache",
            vec![
                "--out".into(),
                s(&bundle),
                "--tar".into(),
                s(&cache.join("cache/download/x.tar")),
            ],
            "inside the module cache",
        ),
    ];
    for (what, args, needle) in cases {
        let mut all = vec!["export"];
        all.extend(args.iter().map(String::as_str));
        let (code, _, err) = run_with_deadline(&all, &dir, &[]);
        assert_eq!(code, 2, "{what}: {err}");
        assert!(err.contains(needle), "{what}: {err}");
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        assert!(!bundle.exists(), "{what}: the bundle was started");
        assert!(!cache.join("b").exists() && !cache.join("cache").exists());
    }
}
