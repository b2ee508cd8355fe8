//! What is refused before anything is checked: no terminal for the inspector, no or a malformed
//! go.mod, bad flags and directories, a relative GOMODCACHE.

use super::*;

#[test]
fn the_inspector_refuses_to_start_without_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["--demo"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("needs a terminal"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn no_go_mod_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    // An existing (empty) cache: only the project is wrong.
    let out = modscope(
        &["check", "--modcache", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(stdout.is_empty());
    assert!(stderr.contains("go.mod file not found"), "{stderr}");
}

#[test]
fn malformed_go_mod_names_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b\n)\n").unwrap();
    // An existing (empty) cache: only the project is wrong.
    let out = modscope(
        &["check", "--modcache", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let (_, stderr) = text(&out);
    let expected = format!("{}:7:2: ", tmp.path().join("go.mod").display());
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn a_go_mod_without_module_line_is_refused_like_go_does() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "").unwrap();
    // An existing (empty) cache: only the project is wrong.
    let out = modscope(
        &["check", "--modcache", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("missing module declaration"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn bad_flags_and_directories_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        modscope(&["check", "--no-such-flag"], tmp.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(modscope(&[], tmp.path()).status.code(), Some(2));
    let out = modscope(&["check", "-C", "/definitely/not/here"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("not a directory"));
    assert_eq!(modscope(&["--help"], tmp.path()).status.code(), Some(0));
}

#[test]
fn relative_gomodcache_is_refused_with_gos_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("go.mod"),
        "module example.com/m\n\ngo 1.21\n",
    )
    .unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(["check"])
        .current_dir(tmp.path())
        .env("GOMODCACHE", "relative/cache")
        .env("GOENV", "off"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("GOMODCACHE entry is relative; must be absolute path: \"relative/cache\""),
        "{:?}",
        text(&out)
    );
}
