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

#[path = "cli_bad_input/arguments.rs"]
mod arguments;
#[path = "cli_bad_input/project_files.rs"]
mod project_files;
