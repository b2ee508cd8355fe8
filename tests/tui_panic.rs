//! A panic in the middle of an inspector session gives the terminal back and leaves no `go`
//! child running. modscope has no way to be made to panic, so `examples/panic_probe.rs` panics
//! for it, through the same code: `TerminalSession::enter()` (raw mode, alternate screen, mouse
//! capture, the panic hook) and a slow fake `go` started by the job layer's `spawn_go`.

#[path = "support/pty.rs"]
mod pty;

use pty::{
    KillOnDrop, PtyApp, assert_terminal_restored, find_bytes, process, read_pid, rfind_bytes,
    slow_fake_go, wait_no_process,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

const WAIT: Duration = Duration::from_secs(30);

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The probe binary, next to this test's binary: `<target>/<profile>/examples/panic_probe`.
/// A whole `cargo test` builds it together with this test; after `cargo test --test tui_panic`
/// it may be missing or older than this test or its source, and is then built here, into the
/// same target directory.
fn panic_probe() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from <target>/<profile>/deps");
    let probe = profile_dir.join("examples/panic_probe");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/panic_probe.rs");
    let fresh = match (modified(&probe), modified(&exe), modified(&source)) {
        (Some(p), Some(e), Some(s)) => p >= e && p >= s,
        _ => false,
    };
    if !fresh {
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_string(),
            Some(other) => other.to_string(),
        };
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
        let status = Command::new(cargo)
            .args(["build", "--example", "panic_probe", "--profile", &profile])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_TARGET_DIR", profile_dir.parent().unwrap())
            .status()
            .expect("run cargo build --example panic_probe");
        assert!(status.success(), "cargo build --example panic_probe failed");
    }
    assert!(probe.is_file(), "{} not built", probe.display());
    probe
}

#[test]
fn a_panic_restores_the_terminal_prints_the_message_and_kills_the_go_child() {
    let probe = panic_probe();
    let fake = tempfile::Builder::new()
        .prefix("modscope-panic-go-")
        .tempdir()
        .unwrap();
    slow_fake_go(fake.path(), false);
    let marker = fake.path().display().to_string();
    let _cleanup = KillOnDrop(marker.clone());
    let pid_file = fake.path().join("probe-child.pid");
    let path = format!(
        "{}:{}",
        fake.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env: Vec<(String, String)> = vec![
        ("PATH".into(), path),
        ("HOME".into(), marker.clone()),
        ("TERM".into(), "xterm-256color".into()),
    ];
    let mut app = PtyApp::spawn(
        probe.to_str().unwrap(),
        &[pid_file.to_str().unwrap()],
        &env,
        fake.path(),
        100,
        30,
    );
    let (status, _) = app.wait_exit(Instant::now(), WAIT);
    let screen = app.screen();

    // It did panic (an unwinding panic exits 101; an abort would be a signal), after the child
    // was running and registered: the pid it wrote is the fake go's own.
    assert_eq!(status.exit_code(), 101, "{status:?}\n{screen}");
    let child = read_pid(&pid_file, Duration::ZERO);
    assert_eq!(child, read_pid(&fake.path().join("go.pid"), Duration::ZERO));
    let grandchild = read_pid(&fake.path().join("grandchild.pid"), Duration::ZERO);

    // A frame was drawn on the alternate screen, then the terminal given back.
    let raw = app.raw();
    let frame = find_bytes(&raw, b"panic-probe-frame:go-child-").expect("the probe drew no frame");
    assert!(frame > find_bytes(&raw, b"\x1b[?1049h").unwrap());
    assert_terminal_restored(&app);

    // The panic message is on the normal screen, after the alternate screen was left, readable:
    // each line starts in column 0 (in raw mode "\n" does not return the carriage, and the lines
    // would go down a staircase).
    let message = b"panic_probe: a deliberate panic";
    let at = rfind_bytes(&raw, message).expect("the panic message was not printed");
    // (The session's Drop, run as the panic unwinds, restores once more after the message.)
    let left = frame + find_bytes(&raw[frame..], b"\x1b[?1049l").unwrap();
    assert!(
        at > left,
        "the panic message was printed on the alternate screen, which was then left"
    );
    let lines = app.lines();
    let panicked = lines
        .iter()
        .position(|l| l.starts_with("thread 'main'") && l.contains("panicked at"))
        .unwrap_or_else(|| panic!("no panic header at column 0:\n{screen}"));
    assert!(
        lines[panicked + 1].starts_with("panic_probe: a deliberate panic while go child"),
        "the message is not on its own line at column 0:\n{screen}"
    );

    // No process the fake go started is left: the child nor the grandchild in its group.
    let left = wait_no_process(Duration::from_secs(2), |p| p.cmdline.contains(&marker));
    assert!(left.is_empty(), "outlived the panic: {left:#?}");
    for pid in [child, grandchild] {
        assert!(
            process(pid).is_none_or(|p| !p.alive() || !p.cmdline.contains(&marker)),
            "pid {pid} is still alive"
        );
    }
}
