//! Project files that cannot be read: no go.mod, a go.mod that is a directory, a broken link,
//! unreadable or malformed, and go.sum, vendor/modules.txt or go.work that are pipes or devices.

use super::*;

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
