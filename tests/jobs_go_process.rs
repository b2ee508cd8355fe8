//! `spawn_go` against a fake `go` (a shell script): output streaming, exit codes, cancellation of
//! the whole process group (grandchildren included), spawn failures.

mod jobs_support;

use jobs_support::{collect, fake_go, group_alive, wait_for_group, wait_gone};
use modscope::jobs::go_process::{TERM_GRACE, live_process_groups};
use modscope::jobs::{GoInvocation, JobEvent, JobOutcome, OutputStream, spawn_go};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::unbounded_channel;

fn lines(events: &[JobEvent], stream: OutputStream) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output { stream: s, line } if *s == stream => Some(line.clone()),
            _ => None,
        })
        .collect()
}

fn outcome(events: &[JobEvent]) -> JobOutcome {
    match events.last() {
        Some(JobEvent::Finished(o)) => o.clone(),
        other => panic!("the last event must be Finished, got {other:?}"),
    }
}

/// Runs a fake go with `script` and returns all its events.
async fn run_script(script: &str) -> Vec<JobEvent> {
    let tmp = tempfile::tempdir().unwrap();
    let go = fake_go(tmp.path(), script);
    let mut inv = GoInvocation::new(tmp.path(), &["mod", "download"]);
    inv.program = go;
    let (tx, mut rx) = unbounded_channel();
    let handle = spawn_go(7, inv, tx);
    let events = collect(&mut rx, 7, Duration::from_secs(20)).await;
    handle.join.await.unwrap();
    events
}

#[tokio::test]
async fn output_lines_arrive_in_order_per_stream() {
    let events = run_script(
        "i=1\nwhile [ $i -le 200 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done\n\
         read x; echo \"stdin read status $?\"\nprintf 'bad \\377 utf8\\r\\nno newline at end'",
    )
    .await;
    match &events[0] {
        JobEvent::Started { command_line } => assert!(command_line.ends_with(" mod download")),
        other => panic!("first event must be Started, got {other:?}"),
    }
    let mut expected: Vec<String> = (1..=200).map(|i| format!("out {i}")).collect();
    expected.push("stdin read status 1".into());
    expected.push("bad \u{fffd} utf8".into());
    expected.push("no newline at end".into());
    assert_eq!(lines(&events, OutputStream::Stdout), expected);
    let expected: Vec<String> = (1..=200).map(|i| format!("err {i}")).collect();
    assert_eq!(lines(&events, OutputStream::Stderr), expected);
    assert_eq!(outcome(&events), JobOutcome::Succeeded);
    let finished = events
        .iter()
        .filter(|e| matches!(e, JobEvent::Finished(_)))
        .count();
    assert_eq!(finished, 1);
}

#[tokio::test]
async fn exit_codes_map_to_outcomes() {
    assert_eq!(outcome(&run_script("exit 0").await), JobOutcome::Succeeded);
    assert_eq!(
        outcome(&run_script("echo 'go: first' >&2\necho 'go: example.com/a@v1.0.0: not found' >&2\necho >&2\nexit 1").await),
        JobOutcome::Failed {
            message: "go: example.com/a@v1.0.0: not found".into(),
            exit_code: Some(1)
        }
    );
    assert_eq!(
        outcome(&run_script("echo only stdout\nexit 2").await),
        JobOutcome::Failed {
            message: "exit status 2".into(),
            exit_code: Some(2)
        }
    );
    assert_eq!(
        outcome(&run_script("kill -9 $$").await),
        JobOutcome::Failed {
            message: "killed by signal 9".into(),
            exit_code: None
        }
    );
}

#[tokio::test]
async fn env_overrides_and_the_working_directory_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let go = fake_go(tmp.path(), "echo \"$MODSCOPE_FAKE $HOME_SEEN\"\npwd");
    let work = tmp.path().join("project dir");
    std::fs::create_dir(&work).unwrap();
    let mut inv = GoInvocation::new(&work, &["env"])
        .with_env("MODSCOPE_FAKE", "x y")
        .with_env("HOME_SEEN", "1");
    inv.program = go;
    let (tx, mut rx) = unbounded_channel();
    spawn_go(1, inv, tx);
    let events = collect(&mut rx, 1, Duration::from_secs(20)).await;
    let out = lines(&events, OutputStream::Stdout);
    assert_eq!(out[0], "x y 1");
    assert_eq!(
        std::fs::canonicalize(&out[1]).unwrap(),
        std::fs::canonicalize(&work).unwrap()
    );
}

/// Starts a fake go that prints its pid (= its process-group id), then waits on a foreground
/// and a background grandchild.
async fn start_sleeper(
    script_prefix: &str,
) -> (
    tempfile::TempDir,
    modscope::jobs::JobHandle,
    tokio::sync::mpsc::UnboundedReceiver<(u64, JobEvent)>,
    i32,
) {
    let tmp = tempfile::tempdir().unwrap();
    let go = fake_go(
        tmp.path(),
        &format!("{script_prefix}\necho \"pgid $$\"\nsleep 300 &\nsleep 300\nwait"),
    );
    let mut inv = GoInvocation::new(tmp.path(), &["mod", "download"]);
    inv.program = go;
    let (tx, mut rx) = unbounded_channel();
    let handle = spawn_go(3, inv, tx);
    let pgid = wait_for_group(&mut rx, 3).await;
    (tmp, handle, rx, pgid)
}

#[tokio::test]
async fn cancel_kills_the_whole_process_group() {
    let (_tmp, handle, mut rx, pgid) = start_sleeper("").await;
    assert!(live_process_groups().contains(&pgid));
    assert!(group_alive(pgid));
    let t0 = Instant::now();
    handle.cancel.cancel();
    let events = collect(&mut rx, 3, Duration::from_secs(10)).await;
    let latency = t0.elapsed();
    assert_eq!(outcome(&events), JobOutcome::Cancelled);
    assert!(
        wait_gone(pgid, Duration::from_secs(3)).await,
        "processes of group {pgid} survived the cancel"
    );
    assert!(!live_process_groups().contains(&pgid));
    eprintln!("cancel → Finished(Cancelled) in {latency:?}");
    assert!(latency < TERM_GRACE, "SIGTERM should suffice: {latency:?}");
    handle.join.await.unwrap();
}

#[tokio::test]
async fn a_child_ignoring_sigterm_is_killed_after_the_grace_period() {
    // Ignored signals stay ignored across exec, so the grandchildren ignore SIGTERM too.
    let (_tmp, handle, mut rx, pgid) = start_sleeper("trap '' TERM").await;
    let t0 = Instant::now();
    handle.cancel.cancel();
    let events = collect(&mut rx, 3, Duration::from_secs(10)).await;
    let latency = t0.elapsed();
    assert_eq!(outcome(&events), JobOutcome::Cancelled);
    assert!(wait_gone(pgid, Duration::from_secs(3)).await);
    eprintln!("cancel with SIGTERM ignored → Finished(Cancelled) in {latency:?}");
    assert!(latency >= TERM_GRACE && latency < TERM_GRACE + Duration::from_secs(2));
}

#[tokio::test]
async fn a_background_grandchild_holding_the_pipes_does_not_hang_a_finished_job() {
    let tmp = tempfile::tempdir().unwrap();
    let go = fake_go(tmp.path(), "echo \"pgid $$\"\nsleep 300 &\necho done");
    let mut inv = GoInvocation::new(tmp.path(), &[]);
    inv.program = go;
    let (tx, mut rx) = unbounded_channel();
    spawn_go(4, inv, tx);
    // A job that waited for the grandchild (sleep 300) would send no Finished within the 10 s.
    let events = collect(&mut rx, 4, Duration::from_secs(10)).await;
    assert_eq!(outcome(&events), JobOutcome::Succeeded);
    let out = lines(&events, OutputStream::Stdout);
    assert_eq!(out[1], "done");
    let pgid: i32 = out[0].strip_prefix("pgid ").unwrap().parse().unwrap();
    assert!(wait_gone(pgid, Duration::from_secs(3)).await);
}

#[tokio::test]
async fn a_missing_program_or_directory_fails_without_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "/nonexistent/bin/go",
            tmp.path().to_path_buf(),
            "cannot run /nonexistent/bin/go: no such file",
        ),
        (
            "modscope-test-no-such-go",
            tmp.path().to_path_buf(),
            "cannot run `modscope-test-no-such-go`: not found on PATH (is Go installed?)",
        ),
        ("sh", tmp.path().join("gone"), "does not exist"),
    ];
    for (program, cwd, message) in cases {
        let mut inv = GoInvocation::new(cwd, &["version"]);
        inv.program = program.into();
        let (tx, mut rx) = unbounded_channel();
        let handle = spawn_go(9, inv, tx);
        let events = collect(&mut rx, 9, Duration::from_secs(10)).await;
        handle.join.await.unwrap();
        assert!(matches!(events[0], JobEvent::Started { .. }));
        match outcome(&events) {
            JobOutcome::Failed {
                message: m,
                exit_code: None,
            } => assert!(m.contains(message), "{m:?} lacks {message:?}"),
            other => panic!("{program}: expected Failed, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn dropping_the_handle_does_not_cancel() {
    let tmp = tempfile::tempdir().unwrap();
    let go = fake_go(tmp.path(), "sleep 0.3\necho finished");
    let mut inv = GoInvocation::new(tmp.path(), &[]);
    inv.program = go;
    let (tx, mut rx) = unbounded_channel();
    drop(spawn_go(5, inv, tx));
    let events = collect(&mut rx, 5, Duration::from_secs(10)).await;
    assert_eq!(lines(&events, OutputStream::Stdout), ["finished"]);
    assert_eq!(outcome(&events), JobOutcome::Succeeded);
}

#[tokio::test]
async fn a_job_cancelled_before_it_ran_starts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let marker = tmp.path().join("ran");
    let go = fake_go(tmp.path(), &format!("touch '{}'", marker.display()));
    let mut inv = GoInvocation::new(tmp.path(), &[]);
    inv.program = go;
    let (tx, mut rx) = unbounded_channel();
    let handle = spawn_go(6, inv, tx);
    handle.cancel.cancel();
    let events = collect(&mut rx, 6, Duration::from_secs(10)).await;
    assert_eq!(outcome(&events), JobOutcome::Cancelled);
    assert!(!marker.exists());
}

/// If the runtime goes away with a job still running (modscope exiting), the job's future is
/// dropped, and with it the whole process group.
#[test]
fn dropping_the_runtime_kills_the_process_group() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (_tmp, _handle, _rx, pgid) = rt.block_on(start_sleeper(""));
    assert!(group_alive(pgid));
    drop(rt);
    let deadline = Instant::now() + Duration::from_secs(3);
    while group_alive(pgid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!group_alive(pgid), "group {pgid} outlived the runtime");
    assert!(!live_process_groups().contains(&pgid));
}
