//! A slow `go` (and its grandchild) is killed however the app is stopped: q, Ctrl-C, SIGINT,
//! SIGTERM, SIGHUP, a closed terminal, and a go that ignores SIGTERM.

use super::*;

enum HowToStop {
    KeyQ,
    /// Ctrl-C typed in the terminal: in raw mode it arrives as a key (0x03), not as SIGINT.
    CtrlC,
    /// SIGINT sent by another process (`kill -INT`, a parent shell or supervisor).
    Sigint,
    /// What `kill` and service managers send.
    Sigterm,
    /// What the kernel sends when the terminal goes away (window closed, ssh dropped).
    Sighup,
    /// The terminal really goes away: SIGHUP, and stdin/stdout/stderr fail from then on.
    HangUp,
}

fn slow_go_is_killed_on_exit(how: HowToStop, stubborn: bool) {
    let sb = sandbox_with_a_missing_module();
    let fake = tempfile::Builder::new()
        .prefix("modscope-slow-go-")
        .tempdir()
        .unwrap();
    slow_fake_go(fake.path(), stubborn);
    let marker = fake.path().display().to_string();
    let _cleanup = KillOnDrop(marker.clone());
    let mut app = start(&sb, Some(fake.path()));
    let pid = app.pid();

    wait_for_statuses(&mut app);
    app.send(b"D");
    let command = format!("go mod download -json {MISSING}@{MISSING_VERSION}");
    app.wait_until("the fake go running in the task pane", WAIT, |s| {
        line_with(s, &command).contains("running")
    });
    let go_pid = read_pid(&fake.path().join("go.pid"), WAIT);
    let grandchild_pid = read_pid(&fake.path().join("grandchild.pid"), WAIT);
    // They are ours, alive, and in the fake go's own process group (not the app's).
    let go = process(go_pid).expect("the fake go is running");
    assert!(
        go.alive() && go.ppid == pid,
        "{go:?} is not modscope's child"
    );
    assert_eq!(go.pgrp, go_pid, "go runs in its own process group");
    let grandchild = process(grandchild_pid).expect("the grandchild is running");
    assert!(grandchild.alive() && grandchild.pgrp == go_pid);
    // The fake go, its sleep and the grandchild (once the forks have exec'd).
    let deadline = Instant::now() + WAIT;
    loop {
        let ours = live_processes(|p| p.cmdline.contains(&marker));
        let sleepers = ours.iter().filter(|p| p.comm == "sleeper").count();
        if ours.len() == 3 && sleepers == 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "expected the fake go and two sleepers: {ours:#?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }

    let asked = Instant::now();
    match how {
        HowToStop::KeyQ => app.send(b"q"),
        HowToStop::CtrlC => app.send(b"\x03"),
        HowToStop::Sigint => signal(pid, nix::sys::signal::Signal::SIGINT),
        HowToStop::Sigterm => signal(pid, nix::sys::signal::Signal::SIGTERM),
        HowToStop::Sighup => signal(pid, nix::sys::signal::Signal::SIGHUP),
        HowToStop::HangUp => app.hang_up(),
    }
    let (status, took) = app.wait_exit(asked, QUIT_LIMIT);
    eprintln!("modscope exited {took:?} after being told to quit");
    assert!(status.success(), "modscope exited with {status:?}");
    assert!(took < Duration::from_secs(4), "quit took {took:?}");
    if !matches!(how, HowToStop::HangUp) {
        assert_terminal_restored(&app);
    }

    let left = wait_no_process(Duration::from_secs(2), |p| p.cmdline.contains(&marker));
    assert!(left.is_empty(), "the fake go outlived modscope: {left:#?}");
    for p in [go_pid, grandchild_pid] {
        assert!(
            process(p).is_none_or(|p| !p.alive() || !p.cmdline.contains(&marker)),
            "pid {p} is still alive"
        );
    }
    assert_no_descendant_left(pid, &sb.project);
}

fn signal(pid: i32, sig: nix::sys::signal::Signal) {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig).unwrap();
}

#[test]
fn quit_while_a_slow_go_runs_kills_it_and_its_grandchild() {
    slow_go_is_killed_on_exit(HowToStop::KeyQ, false);
}

#[test]
fn ctrl_c_while_a_slow_go_runs_kills_it_and_its_grandchild() {
    slow_go_is_killed_on_exit(HowToStop::CtrlC, false);
}

#[test]
fn sigint_while_a_slow_go_runs_kills_it_and_its_grandchild() {
    slow_go_is_killed_on_exit(HowToStop::Sigint, false);
}

#[test]
fn sigterm_while_a_slow_go_runs_kills_it_and_its_grandchild() {
    slow_go_is_killed_on_exit(HowToStop::Sigterm, false);
}

#[test]
fn sighup_while_a_slow_go_runs_kills_it_and_its_grandchild() {
    slow_go_is_killed_on_exit(HowToStop::Sighup, false);
}

/// Exit 0 also shows that the terminal cleanup did not panic writing to the dead terminal.
#[test]
fn closing_the_terminal_while_a_slow_go_runs_kills_it_and_its_grandchild() {
    slow_go_is_killed_on_exit(HowToStop::HangUp, false);
}

#[test]
fn quit_while_a_go_that_ignores_sigterm_runs_kills_it_after_the_grace_period() {
    slow_go_is_killed_on_exit(HowToStop::KeyQ, true);
}
