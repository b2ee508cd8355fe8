//! Helpers shared by the `jobs_*` integration tests: fake `go` scripts, event collection and
//! process-group inspection through /proc.

#![allow(dead_code)]

use modscope::jobs::{JobEvent, JobId, OutputStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// Writes an executable `/bin/sh` script named `go` into `dir`.
pub fn fake_go(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("go");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Receives events of job `id` up to and including `Finished`; panics after `limit`.
pub async fn collect(
    rx: &mut UnboundedReceiver<(JobId, JobEvent)>,
    id: JobId,
    limit: Duration,
) -> Vec<JobEvent> {
    let deadline = Instant::now() + limit;
    let mut events = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (got, ev) = tokio::time::timeout(left, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("job {id} did not finish within {limit:?}: {events:?}"))
            .expect("the job dropped its sender before Finished");
        assert_eq!(got, id);
        let done = matches!(ev, JobEvent::Finished(_));
        events.push(ev);
        if done {
            return events;
        }
    }
}

/// Live (non-zombie) processes whose process group is `pgid`, from /proc/*/stat field 5.
pub fn group_members(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.len() > 2 && fields[0] != "Z" && fields[2].parse() == Ok(pgid) {
            out.push(pid);
        }
    }
    out
}

pub fn group_alive(pgid: i32) -> bool {
    !group_members(pgid).is_empty()
}

/// Polls until no live process of the group remains; false after `limit`.
pub async fn wait_gone(pgid: i32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if !group_alive(pgid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    !group_alive(pgid)
}

/// Waits for the `pgid N` line a sleeper script prints, then until its two grandchildren run.
pub async fn wait_for_group(rx: &mut UnboundedReceiver<(JobId, JobEvent)>, id: JobId) -> i32 {
    let pgid = loop {
        let (got, ev) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("no pgid line")
            .expect("channel closed");
        assert_eq!(got, id);
        if let JobEvent::Output {
            stream: OutputStream::Stdout,
            line,
        } = &ev
            && let Some(p) = line.strip_prefix("pgid ")
        {
            break p.parse::<i32>().unwrap();
        }
        assert!(
            !matches!(ev, JobEvent::Finished(_)),
            "finished early: {ev:?}"
        );
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while group_members(pgid).len() < 3 {
        assert!(Instant::now() < deadline, "the grandchildren never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    pgid
}
