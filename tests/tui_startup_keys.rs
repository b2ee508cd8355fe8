//! Keys typed while the inspector starts are not lost: the terminal reader starts only after
//! the first frame (its thread would slow that frame), so a key pressed before it waits in the
//! terminal and is read then.

#[path = "support/pty.rs"]
mod pty;

use pty::{assert_terminal_restored, demo_inspector};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn a_quit_typed_before_the_first_frame_still_quits() {
    let home = tempfile::tempdir().unwrap();
    let mut app = demo_inspector(home.path());
    // At once, before anything is on the screen.
    let typed_at = Instant::now();
    app.send(b"q");
    let (status, took) = app.wait_exit(typed_at, WAIT);
    assert!(status.success(), "exit status {status:?}");
    assert!(
        String::from_utf8_lossy(&app.raw()).contains("Modules"),
        "it quit after drawing its first frame, not before"
    );
    assert_terminal_restored(&app);
    assert!(
        took < WAIT,
        "the early q was lost: still running after {took:?}"
    );
}
