//! `update` starting, following and cancelling jobs: downloads, verification, the offline
//! verdict going stale, and quitting with jobs running.

use super::*;
use crate::jobs::{JobEvent, JobOutcome, OutputStream};
use crate::tui::app_state::{Focus, Overlay};
use crate::tui::effect::Effect;
use crate::tui::task_log::TaskState;
use gomodcache::analysis::report::Status;

#[test]
fn download_of_a_missing_module_runs_go_and_reverifies_when_done() {
    let mut f = demo_state(120, 40);
    f.select("github.com/sirupsen/logrus");
    let effects = f.send(Msg::DownloadSelected);
    let [
        Effect::RunGo {
            id,
            invocation,
            watched,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        invocation.args,
        [
            "mod",
            "download",
            "-json",
            "github.com/sirupsen/logrus@v1.9.3"
        ]
    );
    assert_eq!(invocation.cwd, f.layout.project_dir);
    assert!(
        invocation.env.iter().any(|(k, _)| k == "GOPROXY"),
        "the demo's proxy reaches go"
    );
    assert_eq!(watched.len(), 1);
    assert!(watched[0].ends_with("github.com/sirupsen/logrus/@v/v1.9.3.ziphash"));
    let id = *id;
    let task = f.state.task(id).unwrap();
    assert_eq!(
        (task.state.clone(), task.command_line.as_str()),
        (
            TaskState::Queued,
            "go mod download -json github.com/sirupsen/logrus@v1.9.3"
        )
    );

    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: String::new(),
        },
    ));
    f.send(Msg::Job(id, JobEvent::Progress { done: 1, total: 1 }));
    f.send(Msg::Job(
        id,
        JobEvent::Output {
            stream: OutputStream::Stdout,
            line: "{".into(),
        },
    ));
    assert_eq!(f.state.task(id).unwrap().state, TaskState::Running);
    let effects = f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    assert_eq!(f.state.task(id).unwrap().state, TaskState::Done);
    let [Effect::Verify { only, mode, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        only.as_deref(),
        Some(&["github.com/sirupsen/logrus".to_string()][..])
    );
    assert_eq!(*mode, CheckMode::Full);
}

#[test]
fn streamed_module_results_update_the_list_in_place_once_per_batch() {
    let mut f = demo_state(120, 40);
    let verify_id = f.state.tasks[0].id;
    let mut fixed = f
        .state
        .modules
        .iter()
        .find(|m| m.path == "github.com/sirupsen/logrus")
        .unwrap()
        .clone();
    fixed.status = Status::Cached;
    fixed.problems.clear();
    let before = f.state.summary();
    f.send(Msg::Job(verify_id, JobEvent::Module(Box::new(fixed))));
    assert!(f.state.visible_stale);
    f.send(Msg::Tick(f.t0));
    assert!(!f.state.visible_stale);
    let after = f.state.summary();
    assert_eq!(
        (after.missing, after.cached),
        (before.missing - 1, before.cached + 1)
    );
    assert_eq!(after.total, before.total, "replaced, not appended");
}

#[test]
fn replaced_local_modules_are_not_downloaded_and_download_missing_takes_all() {
    let mut f = demo_state(120, 40);
    f.select("github.com/acme/legacy-auth");
    assert!(no_work(&f.send(Msg::DownloadSelected)));
    assert!(f.state.notice_text().unwrap().contains("local directory"));
    let effects = f.send(Msg::DownloadMissing);
    let [
        Effect::RunGo {
            invocation,
            watched,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let missing = f.state.summary().missing;
    assert_eq!(invocation.args.len(), 3 + missing);
    assert_eq!(watched.len(), missing);
}

#[test]
fn quitting_cancels_every_running_job() {
    let mut f = demo_state(120, 40);
    let verify = f.state.tasks[0].id;
    let Effect::RunGo { id: download, .. } = f.send(Msg::DownloadMissing).remove(0) else {
        panic!()
    };
    f.send(Msg::Job(
        download,
        JobEvent::Started {
            command_line: String::new(),
        },
    ));
    let effects = f.send(Msg::Quit);
    assert_eq!(
        effects,
        [
            Effect::CancelJob(verify),
            Effect::CancelJob(download),
            Effect::Quit
        ]
    );
    assert!(f.state.should_quit);
}

#[test]
fn cancel_targets_the_selected_job_and_focus_cycles() {
    let mut f = demo_state(120, 40);
    let verify = f.state.tasks[0].id;
    assert_eq!(f.send(Msg::CancelSelectedJob), [Effect::CancelJob(verify)]);
    f.send(Msg::Job(verify, JobEvent::Finished(JobOutcome::Cancelled)));
    assert_eq!(f.state.task(verify).unwrap().state, TaskState::Cancelled);
    assert!(no_work(&f.send(Msg::CancelSelectedJob)));
    assert_eq!(f.state.focus, Focus::List);
    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, Focus::Detail);
    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, Focus::Tasks);
    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, Focus::List);
}

#[test]
fn verify_all_is_refused_while_a_full_verification_runs_even_after_it_reported_started() {
    let mut f = demo_state(120, 40);
    // The scan started a full verification; the job names itself when it starts.
    let id = f.state.tasks[0].id;
    let n = f.state.modules.len();
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: format!("verify {n} modules (in-process, full)"),
        },
    ));
    assert!(no_work(&f.send(Msg::VerifyAll)));
    assert_eq!(
        f.state.notice_text(),
        Some("a full verification is already running")
    );
    assert_eq!(f.state.tasks.len(), 1);
    // A single-module verification does not count as a full one.
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    assert_eq!(f.send(Msg::VerifySelected).len(), 1);
    let effects = f.send(Msg::VerifyAll);
    assert!(
        matches!(effects.as_slice(), [Effect::Verify { only: None, .. }]),
        "{effects:?}"
    );
}

#[test]
fn the_offline_verdict_is_a_badge_and_an_overlay_and_goes_stale_after_a_download() {
    let mut f = demo_state(120, 40);
    let off = f.state.offline.as_ref().expect("the scan computes it");
    assert!(
        !off.ready && !off.blockers.is_empty(),
        "the demo is not buildable offline"
    );
    f.send(Msg::ToggleOffline);
    assert_eq!(f.state.overlay, Some(Overlay::Offline));
    f.send(Msg::ToggleOffline);
    assert_eq!(f.state.overlay, None);
    f.select("github.com/sirupsen/logrus");
    let Effect::RunGo { id, .. } = f.send(Msg::DownloadSelected).remove(0) else {
        panic!()
    };
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    assert!(
        f.state.offline_stale,
        "the cache changed: the verdict may be out of date"
    );
}

#[test]
fn r_re_hashes_every_module_ignoring_the_verify_memo() {
    let mut f = demo_state(120, 40);
    // The first scan's verify pass ends; then V goes through the memo, R does not.
    let first = f.state.full_verify.unwrap();
    f.send(Msg::Job(first, JobEvent::Finished(JobOutcome::Succeeded)));
    let v = f.send(Msg::VerifyAll);
    assert!(
        matches!(
            v.as_slice(),
            [Effect::Verify {
                only: None,
                fresh: false,
                ..
            }]
        ),
        "{v:?}"
    );
    let id = f.state.full_verify.unwrap();
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    let r = f.send(Msg::RehashAll);
    assert!(
        matches!(
            r.as_slice(),
            [Effect::Verify {
                only: None,
                fresh: true,
                ..
            }]
        ),
        "{r:?}"
    );
}
