//! `S` on the demo's tampered go.sum line, end to end: the confirmation shows the line and the
//! command; `y` backs go.mod/go.sum up, deletes the line, and the real `go mod download` (from
//! the demo's own `file://` proxy) writes it again from the cache; the module is then cached.
//! `u` puts go.sum back byte for byte.

#[path = "support/pty.rs"]
mod pty;

use pty::{demo_inspector, row_shows};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);
const YAML: &str = "gopkg.in/yaml.v3";

/// The demo's go.sum, under the temporary directory the demo was written to.
fn demo_go_sum(home: &Path) -> PathBuf {
    for e in std::fs::read_dir(home).unwrap().flatten() {
        let p = e.path().join("project/go.sum");
        if p.is_file() {
            return p;
        }
    }
    panic!("no demo project under {}", home.display());
}

#[test]
fn s_deletes_the_tampered_line_and_go_writes_it_again_and_u_undoes() {
    let home = tempfile::tempdir().unwrap();
    let mut app = demo_inspector(home.path());
    app.wait_until("the demo verified", WAIT, |s| {
        row_shows(s, YAML, "✗ mismatch") && s.contains("Modules 23/23")
    });
    let go_sum = demo_go_sum(home.path());
    let tampered = std::fs::read_to_string(&go_sum).unwrap();
    app.send(b"/yaml.v3\r");
    app.wait_for("Modules 1/23", WAIT);
    app.send(b"S");
    app.wait_until("the go.sum fix's confirmation", WAIT, |s| {
        s.contains("Fix go.sum: delete the line")
            && s.contains("go mod download -json gopkg.in/yaml.v3@v3.0.1")
            && s.contains("gopkg.in/yaml.v3 v3.0.1 h1:")
    });
    assert_eq!(
        std::fs::read_to_string(&go_sum).unwrap(),
        tampered,
        "nothing before y"
    );
    app.send(b"y");
    app.wait_until("yaml cached once go wrote the line again", WAIT, |s| {
        row_shows(s, YAML, "✓ cached")
    });
    let fixed = std::fs::read_to_string(&go_sum).unwrap();
    assert_ne!(fixed, tampered);
    let line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("gopkg.in/yaml.v3 v3.0.1 h1:"))
            .map(str::to_string)
    };
    assert!(line(&fixed).is_some(), "go wrote the line again:\n{fixed}");
    assert_ne!(line(&fixed), line(&tampered));

    // u: go.mod and go.sum as they were, byte for byte.
    app.send(b"u");
    app.wait_until("go.sum restored and yaml mismatched again", WAIT, |s| {
        row_shows(s, YAML, "✗ mismatch")
    });
    assert_eq!(std::fs::read_to_string(&go_sum).unwrap(), tampered);
    app.send(b"q");
    let (status, _) = app.wait_exit(Instant::now(), Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}
