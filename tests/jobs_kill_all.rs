//! `kill_all_children` (quit, panic hook, SIGTERM) ends every running `go` and its descendants.
//! Alone in its own test binary: the registry is process-wide, so it would kill the children of
//! concurrently running tests.

mod jobs_support;

use jobs_support::{collect, fake_go, wait_for_group, wait_gone};
use modscope::jobs::go_process::live_process_groups;
use modscope::jobs::{GoInvocation, JobEvent, JobOutcome, kill_all_children, spawn_go};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::unbounded_channel;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_all_children_ends_every_job_and_its_grandchildren() {
    let tmp = tempfile::tempdir().unwrap();
    let go = fake_go(tmp.path(), "echo \"pgid $$\"\nsleep 300 &\nsleep 300\nwait");
    let mut jobs = Vec::new();
    for id in 1..=3 {
        let mut inv = GoInvocation::new(tmp.path(), &["mod", "download"]);
        inv.program = go.clone();
        let (tx, mut rx) = unbounded_channel();
        let handle = spawn_go(id, inv, tx);
        let pgid = wait_for_group(&mut rx, id).await;
        jobs.push((id, handle, rx, pgid));
    }
    let mut live = live_process_groups();
    live.sort();
    let mut pgids: Vec<i32> = jobs.iter().map(|j| j.3).collect();
    pgids.sort();
    assert_eq!(live, pgids);

    let t0 = Instant::now();
    kill_all_children();
    for (id, handle, mut rx, pgid) in jobs {
        let events = collect(&mut rx, id, Duration::from_secs(10)).await;
        assert_eq!(
            events.last(),
            Some(&JobEvent::Finished(JobOutcome::Failed {
                message: "killed by signal 9".into(),
                exit_code: None
            }))
        );
        assert!(
            wait_gone(pgid, Duration::from_secs(3)).await,
            "group {pgid} survived"
        );
        handle.join.await.unwrap();
    }
    eprintln!(
        "kill_all_children → all 3 jobs Finished in {:?}",
        t0.elapsed()
    );
    assert!(live_process_groups().is_empty());
}
