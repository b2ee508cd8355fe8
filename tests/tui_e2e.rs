//! End to end: the real `modscope` binary in a 120×40 pseudo-terminal, driven by keys as a person
//! would, against a project filled by the real `go` from a local `file://` proxy (GoSandbox), with
//! one module deleted from the cache. What is asserted is what is on the emulated screen, the
//! bytes written to the terminal, the cache on disk and the process table.

mod support;

#[path = "support/pty.rs"]
mod pty;

use gomodcache::synth::SynthModule;
use modscope::tui::keymap::bindings;
use pty::{
    KillOnDrop, ProcInfo, PtyApp, assert_terminal_restored, demo_inspector, inspector,
    live_processes, process, read_pid, row_shows, slow_fake_go, wait_no_process,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::{GoSandbox, alpha, beta, delete_from_cache, gamma};

const COLS: u16 = 120;
const ROWS: u16 = 40;
/// Generous: a debug build on a 2-core machine, with other test binaries running.
const WAIT: Duration = Duration::from_secs(30);
/// "Quits promptly": q cancels jobs (SIGTERM, SIGKILL after 1 s) and waits at most 2 s for them.
const QUIT_LIMIT: Duration = Duration::from_secs(6);

const MISSING: &str = "example.com/gamma";
const MISSING_VERSION: &str = "v0.3.1";

fn modules() -> Vec<SynthModule> {
    vec![alpha(), beta(), gamma()]
}

const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n\texample.com/gamma v0.3.1\n)\n";

const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n\t\"example.com/beta\"\n\t\"example.com/gamma\"\n)\n\nfunc main() { fmt.Println(alpha.A(), beta.B(), gamma.G()) }\n";

/// A project tidied by the real `go`: cache and go.sum filled. One per test (a shared one in a
/// static would never be dropped, and its temporary directory would outlive every run).
fn tidied_sandbox() -> GoSandbox {
    let sb = GoSandbox::new(&modules());
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    sb
}

fn cache_files(sb: &GoSandbox, path: &str, version: &str) -> (PathBuf, PathBuf) {
    (
        sb.cache.join(format!("{path}@{version}")),
        sb.cache.join(format!("cache/download/{path}/@v")),
    )
}

/// The tidied project with [`MISSING`] deleted from the cache entirely: its extracted
/// tree and every `cache/download/<path>/@v/<version>.*` file.
fn sandbox_with_a_missing_module() -> GoSandbox {
    let sb = tidied_sandbox();
    let (tree, _) = cache_files(&sb, MISSING, MISSING_VERSION);
    assert!(tree.is_dir(), "go mod tidy did not extract {MISSING}");
    let removed = delete_from_cache(&sb, MISSING, MISSING_VERSION);
    assert!(
        removed >= 3,
        "expected .info/.mod/.zip/.ziphash, removed {removed}"
    );
    sb
}

/// The inspector on the sandbox's project, with `path_prefix` (a fake `go`) first in PATH.
fn start(sb: &GoSandbox, path_prefix: Option<&Path>) -> PtyApp {
    let mut env = sb.go_env();
    if let Some(dir) = path_prefix {
        for (k, v) in env.iter_mut() {
            if k == "PATH" {
                *v = format!("{}:{v}", dir.display());
            }
        }
    }
    inspector(&sb.project, &env)
}

/// The screen line that shows `needle` (the first one), or "".
fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_default()
        .to_string()
}

/// Waits for the first screen: quick scan, then the full in-process verification done.
fn wait_for_statuses(app: &mut PtyApp) {
    app.wait_until(
        "gamma missing, alpha and beta cached, the full verification done",
        WAIT,
        |s| {
            row_shows(s, MISSING, "○ missing")
                && row_shows(s, "example.com/alpha", "✓ cached")
                && row_shows(s, "example.com/beta", "✓ cached")
                && s.contains("○ 1 missing")
                && s.contains("✓ 2 cached")
                && s.contains("3 modules")
                && line_with(s, "verify 3 modules").contains("done")
        },
    );
}

/// After the app exited: nothing it started is alive. portable-pty makes the app a session
/// leader (setsid), and `go` children only change process group, so every descendant, even one
/// re-parented to init, still carries the app's pid as its session id.
fn assert_no_descendant_left(app_pid: i32, project: &Path) {
    let left = wait_no_process(Duration::from_secs(2), |p: &ProcInfo| {
        p.ppid == app_pid
            || p.session == app_pid
            || (p.comm == "go" && p.cwd.as_deref() == Some(project))
    });
    assert!(
        left.is_empty(),
        "processes outlived modscope (pid {app_pid}): {left:#?}"
    );
}

#[test]
fn inspector_shows_statuses_filters_helps_downloads_and_quits_cleanly() {
    let sb = sandbox_with_a_missing_module();
    let mut app = start(&sb, None);
    let pid = app.pid();

    // 1. The statuses, glyph and word.
    wait_for_statuses(&mut app);
    let flags = app.local_flags();
    assert!(
        !flags.contains("ICANON"),
        "the app runs in raw mode: {flags}"
    );

    // 2. Filter by part of the module name.
    app.send(b"/gamm");
    app.wait_for("filter: gamm", WAIT);
    app.send(b"\r");
    app.wait_until("the list narrowed to gamma", WAIT, |s| {
        s.contains("Modules 1/3")
            && row_shows(s, MISSING, "○ missing")
            && !s.contains("example.com/alpha")
            && !s.contains("example.com/beta")
    });

    // 3. Help: generated from the key table, scrolled to its end (G); ? closes it again.
    // The whole overlay, not just its title: a frame can reach the pty in several writes.
    let descriptions: Vec<&str> = bindings().iter().map(|b| b.description).collect();
    app.send(b"?");
    app.wait_until("the help's first page", WAIT, |s| {
        s.contains(" Keys ") && s.contains(descriptions[0])
    });
    // Page by page (PgDn) to the last line, every page read.
    let mut seen = app.screen();
    for _ in 0..20 {
        if seen.contains("Mouse: a click selects a row") {
            break;
        }
        let before = app.screen();
        app.send(b"\x1b[6~");
        app.wait_until("the next page of help", WAIT, |s| s != before);
        seen.push_str(&app.screen());
    }
    assert!(seen.contains("Mouse: a click selects a row"), "{seen}");
    for d in &descriptions {
        assert!(seen.contains(d), "help lacks {d:?}:\n{seen}");
    }
    app.send(b"?");
    app.wait_until("help closed, the filter still on", WAIT, |s| {
        !s.contains(" Keys ")
            && !s.contains("status filter: all, problems, each status")
            && s.contains("Modules 1/3")
    });

    // 4. Download the selected module with the real go, then the verify job re-classifies it.
    app.send(b"d");
    let command = format!("go mod download -json {MISSING}@{MISSING_VERSION}");
    app.wait_for(&command, WAIT);
    app.wait_until("gamma cached after download and verify", WAIT, |s| {
        row_shows(s, MISSING, "✓ cached")
            && s.contains("○ 0 missing")
            && s.contains("✓ 3 cached")
            && line_with(s, &command).contains("done")
            && line_with(s, "verify 1 module").contains("done")
    });
    let (tree, download_dir) = cache_files(&sb, MISSING, MISSING_VERSION);
    assert!(tree.join("gamma.go").is_file(), "go did not extract gamma");
    assert!(
        download_dir
            .join(format!("{MISSING_VERSION}.ziphash"))
            .is_file()
    );

    // Still running: the pid whose descendants are checked at the end is the app's.
    assert!(process(pid).is_some_and(|p| p.alive() && p.comm == "modscope"));

    // 5. Quit: exit 0, promptly, terminal restored.
    let asked = Instant::now();
    app.send(b"q");
    let (status, took) = app.wait_exit(asked, QUIT_LIMIT);
    eprintln!("modscope exited {took:?} after being told to quit");
    assert!(status.success(), "modscope exited with {status:?}");
    assert!(took < Duration::from_secs(3), "quit took {took:?}");
    assert_terminal_restored(&app);

    // 6. No child left behind.
    assert_no_descendant_left(pid, &sb.project);
}

/// Not a crash at any size: the demo (every status, a long detail) resized down to one cell and
/// odd shapes, with the list, the maximised detail and the help overlay, then back to 120×40.
#[test]
fn resizing_down_to_a_single_cell_and_back_keeps_it_running() {
    let home = tempfile::tempdir().unwrap();
    let mut app = demo_inspector(home.path());
    let verified =
        |s: &str| s.contains("Modules 23/23") && line_with(s, "verify 23 modules").contains("done");
    app.wait_until("the demo verified", WAIT, verified);
    let sizes = [
        (1, 1),
        (2, 2),
        (10, 3),
        (40, 8),
        (1, 40),
        (120, 1),
        (80, 24),
        (3, 60),
    ];
    // The list, the maximised detail (Enter), the help (?): each opened and closed with the
    // same key (not Esc: an Esc read together with the next key would be taken for Alt+key).
    type Shown = fn(&str) -> bool;
    let passes: [(&[u8], &str, Shown); 3] = [
        (b"", "the list", |s| {
            s.contains("┌ Modules") && !s.contains(" Keys ")
        }),
        (b"\r", "the maximised detail", |s| {
            s.contains("┌ Detail") && !s.contains("┌ Modules")
        }),
        (b"?", "the help", |s| {
            s.contains(" Keys ") && s.contains("up: the previous row, task or line")
        }),
    ];
    for (key, what, shown) in passes {
        app.send(key);
        app.wait_until(what, WAIT, shown);
        for (cols, rows) in sizes {
            app.resize(cols, rows);
            std::thread::sleep(Duration::from_millis(150));
            if (cols, rows) == (80, 24) {
                // The app did redraw for the new size: the hints (of the list, or of the
                // scrolling detail and help) are on the new last row.
                app.wait_until("the status bar on row 24 of 80x24", WAIT, |s| {
                    s.lines()
                        .nth(23)
                        .is_some_and(|l| l.starts_with("Tab") || l.starts_with("↓ scroll"))
                });
            }
            assert!(
                app.running(),
                "modscope died at {cols}x{rows} showing {what}:\n{}",
                app.screen()
            );
        }
        app.resize(COLS, ROWS);
        app.wait_until(&format!("{what} redrawn at 120x40"), WAIT, |s| {
            s.lines().count() >= usize::from(ROWS) - 1 && shown(s)
        });
        app.send(key);
        app.wait_until("back to the list", WAIT, |s| {
            verified(s) && s.contains("┌ Modules") && !s.contains(" Keys ")
        });
    }
    let asked = Instant::now();
    app.send(b"q");
    let (status, _) = app.wait_exit(asked, QUIT_LIMIT);
    assert!(status.success(), "modscope exited with {status:?}");
    assert_terminal_restored(&app);
}

#[path = "tui_e2e/slow_go.rs"]
mod slow_go;
