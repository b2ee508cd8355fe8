//! A `go` child dies with modscope even when modscope gets no chance to clean up (kill -9):
//! the child carries the parent-death signal. Here the spawning thread ends while the job's
//! handles are leaked, so nothing but that signal can end the child.

mod jobs_support;

use jobs_support::fake_go;
use modscope::jobs::{GoInvocation, spawn_go};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::unbounded_channel;

/// Whether `pid` is gone or a zombie (killed, not yet reaped by us).
fn dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
    }
}

#[test]
fn a_go_child_dies_with_the_thread_that_started_it_even_without_cleanup() {
    let tmp = tempfile::tempdir().unwrap();
    let pid_file = tmp.path().join("pid");
    let go = fake_go(
        tmp.path(),
        &format!("echo $$ > {}\nexec sleep 300", pid_file.display()),
    );
    let dir = tmp.path().to_path_buf();
    let watched = pid_file.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (tx, rx) = unbounded_channel();
        let handle = runtime.block_on(async {
            let mut inv = GoInvocation::new(&dir, &["mod", "download"]);
            inv.program = go;
            let handle = spawn_go(1, inv, tx);
            while std::fs::read_to_string(&watched).map_or(true, |s| !s.ends_with('\n')) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            handle
        });
        // No drop, no kill: as if the process had been killed with SIGKILL.
        std::mem::forget(handle);
        std::mem::forget(rx);
        std::mem::forget(runtime);
    })
    .join()
    .unwrap();
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dead(pid) {
        if Instant::now() > deadline {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid as i32),
                nix::sys::signal::Signal::SIGKILL,
            );
            panic!("the go child {pid} outlived the thread that started it");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
