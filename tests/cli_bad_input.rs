//! Bad command-line input and projects that cannot be read: exit code 2, nothing on stdout, and
//! a message on stderr that says what went wrong and what to do instead.

#[path = "support/pty.rs"]
mod pty;

use pty::{PtyApp, find_bytes};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const GO_MOD: &str = "module example.com/m\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n";

/// modscope in `dir`, with an environment that resolves to a module cache that exists (so that
/// only what a test breaks is wrong).
fn modscope_command(args: &[&str], dir: &Path) -> Command {
    let cache = dir.join(".modcache-for-test");
    std::fs::create_dir_all(&cache).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_modscope"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("GOENV", "off")
        .env("GOWORK", "off")
        .env("GOMODCACHE", &cache)
        .env("NO_COLOR", "1");
    cmd
}

fn modscope(args: &[&str], dir: &Path) -> Output {
    modscope_command(args, dir).output().unwrap()
}

/// Exit 2, nothing on stdout, and every one of `says` in the message on stderr.
#[track_caller]
fn assert_usage_error(out: &Output, says: &[&str]) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.is_empty(),
        "a usage error printed on stdout:\n{stdout}"
    );
    for s in says {
        assert!(stderr.contains(s), "{s:?} is not in the message:\n{stderr}");
    }
    stderr
}

fn project(root: &Path, go_mod: &str) -> std::path::PathBuf {
    let dir = root.join("proj");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("go.mod"), go_mod).unwrap();
    dir
}

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
fn no_go_mod_says_to_run_in_a_module_or_pass_dash_c() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: [&[&str]; 5] = [
        &["check"],
        &["graph"],
        &["why", "example.com/a"],
        &["offline"],
        &["export", "--out", "bundle"],
    ];
    for args in cases {
        assert_usage_error(
            &modscope(args, d),
            &[
                "go.mod file not found",
                "run modscope in a Go module",
                "pass -C DIR",
            ],
        );
    }
    assert!(
        !d.join("bundle").exists(),
        "export wrote a bundle without a project"
    );
}

#[test]
fn a_go_mod_that_is_a_directory_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("proj");
    std::fs::create_dir_all(dir.join("go.mod")).unwrap();
    let go_mod = dir.join("go.mod").display().to_string();
    for sub in ["check", "graph", "offline"] {
        assert_usage_error(
            &modscope(&[sub, "-C", dir.to_str().unwrap()], tmp.path()),
            &[
                &format!("{go_mod} is a directory, not a file"),
                "go skips it",
                "put the module's go.mod file there",
            ],
        );
    }
}

#[test]
fn a_go_mod_that_is_a_broken_symlink_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("proj");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("../moved/go.mod", dir.join("go.mod")).unwrap();
    assert_usage_error(
        &modscope(&["check"], &dir),
        &[
            "go.mod is a broken symbolic link (to ../moved/go.mod, which does not exist)",
            "put the module's go.mod file there",
        ],
    );
}

/// Permissions only deny a user that is not root; as root this checks nothing more than that a
/// readable go.mod is read.
#[test]
fn an_unreadable_go_mod_says_to_make_it_readable() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), GO_MOD);
    let go_mod = dir.join("go.mod");
    std::fs::set_permissions(&go_mod, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&go_mod).is_ok() {
        eprintln!("running as root: a mode-000 go.mod is still readable; nothing to check");
        return;
    }
    assert_usage_error(
        &modscope(&["check"], &dir),
        &[
            "cannot read",
            "Permission denied",
            "make it a readable file",
            "ls -l",
        ],
    );
}

#[test]
fn a_malformed_go_mod_names_file_line_column_and_says_to_fix_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(
        tmp.path(),
        "module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b\n)\n",
    );
    let at = format!("{}:7:2: ", dir.join("go.mod").display());
    for sub in ["check", "graph", "offline"] {
        assert_usage_error(
            &modscope(&[sub], &dir),
            &[&at, "fix", "at line 7, column 2", "then run modscope again"],
        );
    }
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

/// The inspector says it on the normal screen before taking the terminal, and exits 2.
#[test]
fn the_inspector_refuses_an_unreadable_project_before_taking_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let env: Vec<(String, String)> = vec![
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("HOME".into(), tmp.path().display().to_string()),
        ("GOENV".into(), "off".into()),
        ("GOWORK".into(), "off".into()),
        ("GOMODCACHE".into(), tmp.path().display().to_string()),
        ("TERM".into(), "xterm-256color".into()),
    ];
    let mut app = PtyApp::spawn(
        env!("CARGO_BIN_EXE_modscope"),
        &["-C", dir.to_str().unwrap()],
        &env,
        tmp.path(),
        120,
        40,
    );
    let (status, _) = app.wait_exit(Instant::now(), Duration::from_secs(20));
    assert_eq!(status.exit_code(), 2, "{}", app.screen());
    let screen = app.screen();
    assert!(
        screen.contains("go.mod file not found") && screen.contains("pass -C DIR"),
        "{screen}"
    );
    assert!(
        find_bytes(&app.raw(), b"\x1b[?1049h").is_none(),
        "the terminal was taken for nothing"
    );
}

/// A go.sum that is a named pipe: go blocks reading it forever; modscope says what it is and
/// checks the rest.
#[test]
fn a_go_sum_that_is_a_named_pipe_is_reported_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), GO_MOD);
    nix::unistd::mkfifo(&dir.join("go.sum"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    let (code, out, _) = run_with_deadline(&["check", "--json"], &dir, &[]);
    // The module is missing from the empty cache: a finding, exit 1.
    assert_eq!(code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let problems = report["file_problems"].to_string();
    assert!(problems.contains("named pipe"), "{problems}");
    assert_eq!(report["modules"][0]["path"], "example.com/a");
}

/// Runs modscope in `dir` (with `env` on top of the test environment) and fails the test if it
/// does not finish within 20 s (a hang).
fn run_with_deadline(
    args: &[&str],
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut child = modscope_command(args, dir)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("modscope {args:?} did not finish: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = reader.join().unwrap();
    assert!(out.len() < 16 << 20, "{} bytes of output", out.len());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out).into_owned(),
        err,
    )
}

/// vendor/modules.txt as a named pipe or a link to /dev/zero: offline and check finish and
/// name it, instead of blocking or reading without end.
#[test]
fn a_vendor_modules_txt_that_is_a_pipe_or_a_device_is_reported_not_read() {
    for kind in ["named pipe", "device file"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = project(tmp.path(), GO_MOD);
        std::fs::create_dir(dir.join("vendor")).unwrap();
        let at = dir.join("vendor/modules.txt");
        if kind == "named pipe" {
            nix::unistd::mkfifo(&at, nix::sys::stat::Mode::S_IRWXU).unwrap();
        } else {
            std::os::unix::fs::symlink("/dev/zero", &at).unwrap();
        }
        let (code, out, err) = run_with_deadline(&["offline", "--json"], &dir, &[]);
        assert_eq!(code, 1, "{kind}: {out}{err}");
        let (code, out, _) = run_with_deadline(&["check", "--json"], &dir, &[]);
        assert_eq!(code, 1, "{kind}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let problems = report["file_problems"].to_string();
        assert!(problems.contains(kind), "{kind}: {problems}");
    }
}

/// A go.work that is a named pipe is refused with a clear error (exit 2), not skipped.
#[test]
fn a_go_work_that_is_a_named_pipe_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), GO_MOD);
    nix::unistd::mkfifo(&dir.join("go.work"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    let (code, _, err) = run_with_deadline(&["check", "--json"], &dir, &[("GOWORK", "")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("go.work") && err.contains("named pipe"),
        "{err}"
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

/// A project path with escape sequences in it reaches stderr (the parse error names the file)
/// of every subcommand escaped, never raw: a name from disk cannot retitle or recolour the
/// terminal.
#[test]
fn stderr_escapes_control_characters_of_every_subcommand() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("evil\x1b]0;pwned\x07\x1b[31m");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("go.mod"),
        "module example.com/evil\n\ngo 1.21\n\nrequire (\n",
    )
    .unwrap();
    for args in [
        &["check"][..],
        &["graph"],
        &["why", "example.com/x"],
        &["offline"],
        &["export", "--out", "bundle"],
        &["repair", "--all", "--yes"],
    ] {
        let (code, _, err) = run_with_deadline(args, &dir, &[]);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            !err.contains('\x1b') && !err.contains('\x07'),
            "{args:?} wrote a raw escape: {err:?}"
        );
        assert!(err.contains("\\x1b]0;pwned\\x07"), "{args:?}: {err}");
    }
}
