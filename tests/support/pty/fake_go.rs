//! Fake `go` programs on PATH: a shell script, and one that never finishes and leaves a
//! grandchild that ignores SIGTERM.

use super::procs::which;
use std::path::Path;

/// Writes `dir/go`, a `/bin/sh` script with `body` (which may use `$D` for `dir`), and
/// `dir/sleeper`, a copy of `sleep`: every process the fake starts runs a program under `dir`, so
/// /proc cmdlines name `dir` (see [`KillOnDrop`]).
pub fn write_fake_go(dir: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let sleeper = dir.join("sleeper");
    std::fs::copy(which("sleep"), &sleeper).unwrap();
    std::fs::set_permissions(&sleeper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = format!("#!/bin/sh\nD='{}'\n{body}", dir.display());
    let go = dir.join("go");
    std::fs::write(&go, script).unwrap();
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A `go` that never finishes: it records its pid in `go.pid`, starts a grandchild that ignores
/// SIGTERM (so only a SIGKILL of the whole process group ends it, its pid in `grandchild.pid`),
/// prints a line on stderr and sleeps. `stubborn`: the script itself ignores SIGTERM too, so
/// the app must escalate to SIGKILL after its grace period.
pub fn slow_fake_go(dir: &Path, stubborn: bool) {
    let trap = if stubborn { "trap '' TERM\n" } else { "" };
    write_fake_go(
        dir,
        &format!(
            "{trap}\
             echo $$ > \"$D/go.pid\"\n\
             ( trap '' TERM; exec \"$D/sleeper\" 300 ) &\n\
             echo $! > \"$D/grandchild.pid\"\n\
             echo 'go: downloading (fake, slow)' >&2\n\
             \"$D/sleeper\" 300\n"
        ),
    );
}
