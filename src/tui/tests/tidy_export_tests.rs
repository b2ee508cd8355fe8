//! `update` for the two jobs that ask first: tidy (diff, backup, apply, undo) and export
//! (where to, then a job with byte progress).

use super::*;
use crate::jobs::{JobEvent, JobOutcome, OutputStream};
use crate::tui::app_state::Overlay;
use crate::tui::effect::Effect;
use crate::tui::task_log::{JobPurpose, TaskState};

#[test]
fn tidy_shows_the_diff_then_backs_up_applies_and_undoes() {
    let mut f = demo_state(120, 40);
    let effects = f.send(Msg::Tidy);
    let [Effect::RunGo { id, invocation, .. }, Effect::WakeAt(_)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(invocation.args, ["mod", "tidy", "-diff"]);
    let diff_id = *id;
    for line in [
        "--- go.mod",
        "+++ go.mod",
        "@@ -1 +1 @@",
        "-require a v1",
        "+require a v2",
    ] {
        f.send(Msg::Job(
            diff_id,
            JobEvent::Output {
                stream: OutputStream::Stdout,
                line: line.into(),
            },
        ));
    }
    f.send(Msg::Job(
        diff_id,
        JobEvent::Output {
            stream: OutputStream::Stderr,
            line: "noise".into(),
        },
    ));
    f.send(Msg::Job(
        diff_id,
        JobEvent::Finished(JobOutcome::Failed {
            message: "exit status 1".into(),
            exit_code: Some(1),
        }),
    ));
    let Some(Overlay::ConfirmTidy { diff }) = &f.state.overlay else {
        panic!("{:?}", f.state.overlay)
    };
    assert_eq!(diff.len(), 5, "stdout only: the diff");

    let effects = f.send(Msg::ConfirmYes);
    let [Effect::BackupThenTidy { id, invocation }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(invocation.args, ["mod", "tidy"]);
    assert!(f.state.overlay.is_none());
    let tidy_id = *id;
    let backup = gomodcache::edit::tidy_backup::TidyBackup {
        dir: f.tmp.path().join("backup"),
        project_dir: f.layout.project_dir.clone(),
        had_go_sum: true,
        created: "now".into(),
        format: 2,
    };
    f.send(Msg::BackedUp(tidy_id, Ok(backup.clone())));
    assert!(f.state.notice_text().unwrap().contains("backed up"));
    let effects = f.send(Msg::Job(tidy_id, JobEvent::Finished(JobOutcome::Succeeded)));
    assert!(effects.contains(&Effect::Scan), "{effects:?}");
    // The tidy ended and modscope saw it: its backup is no longer an interrupted edit.
    assert!(
        effects.contains(&Effect::MarkEditFinished(backup.clone())),
        "{effects:?}"
    );
    assert!(
        effects.iter().any(|e| matches!(e, Effect::CancelJob(_))),
        "the running verify of the old state is cancelled"
    );
    assert_eq!(f.send(Msg::UndoTidy), [Effect::Restore(backup.clone())]);
    let effects = f.send(Msg::Restored(Ok(backup)));
    assert!(
        matches!(effects.as_slice(), [Effect::Scan, Effect::WakeAt(_)]),
        "{effects:?}"
    );
    assert!(f.state.last_backup.is_none());
    assert!(no_work(&f.send(Msg::UndoTidy)), "nothing left to undo");
}

#[test]
fn tidy_diff_with_no_changes_or_an_error_does_not_ask() {
    let mut f = demo_state(120, 40);
    let Effect::RunGo { id, .. } = f.send(Msg::Tidy).remove(0) else {
        panic!()
    };
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    assert!(f.state.overlay.is_none());
    assert!(f.state.notice_text().unwrap().contains("already tidy"));
    let Effect::RunGo { id, .. } = f.send(Msg::Tidy).remove(0) else {
        panic!()
    };
    f.send(Msg::Job(
        id,
        JobEvent::Output {
            stream: OutputStream::Stderr,
            line: "SECURITY ERROR".into(),
        },
    ));
    f.send(Msg::Job(
        id,
        JobEvent::Finished(JobOutcome::Failed {
            message: "SECURITY ERROR".into(),
            exit_code: Some(1),
        }),
    ));
    assert!(f.state.overlay.is_none());
    assert!(f.state.notice_text().unwrap().contains("cannot run"));
    let Effect::RunGo { .. } = f.send(Msg::Tidy).remove(0) else {
        panic!()
    };
    f.send(Msg::ConfirmNo);
    assert!(f.state.overlay.is_none());
}

#[test]
fn export_asks_where_then_runs_as_a_job_with_byte_progress() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ToggleOffline);
    f.send(Msg::StartExport);
    let Some(Overlay::ExportPrompt { path }) = &f.state.overlay else {
        panic!("e opens the prompt, even from the offline view")
    };
    let project = f.layout.project_dir.clone();
    let expected = project.parent().unwrap().join(format!(
        "{}-offline-bundle",
        project.file_name().unwrap().to_string_lossy()
    ));
    assert_eq!(
        *path,
        expected.display().to_string(),
        "next to the project, not in it"
    );
    f.send(Msg::ExportClear);
    for c in "~/b".chars() {
        f.send(Msg::ExportInput(c));
    }
    f.send(Msg::ExportBackspace);
    f.send(Msg::ExportInput('x'));
    let effects = f.send(Msg::ExportConfirm);
    let [Effect::Export { id, out }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(out, &std::path::PathBuf::from("~/x"));
    assert_eq!(f.state.overlay, None);
    let id = *id;
    let task = f.state.task(id).unwrap();
    assert_eq!(task.purpose, JobPurpose::Export);
    assert!(task.progress_in_bytes);

    // A second export while one runs is refused.
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: "export offline bundle to /home/x (in-process)".into(),
        },
    ));
    f.send(Msg::StartExport);
    assert!(
        no_work(&f.send(Msg::ExportConfirm)),
        "only one export at a time"
    );
    assert!(f.state.notice_text().unwrap().contains("already running"));
    f.send(Msg::CloseOverlay);

    f.send(Msg::Job(
        id,
        JobEvent::Progress {
            done: 5 << 20,
            total: 10 << 20,
        },
    ));
    assert_eq!(
        f.state.task(id).unwrap().progress,
        Some((5 << 20, 10 << 20))
    );
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Cancelled)));
    assert_eq!(f.state.task(id).unwrap().state, TaskState::Cancelled);
    assert!(f.state.notice_text().unwrap().contains("removed"));
}

#[test]
fn an_empty_export_path_is_refused_and_esc_cancels_the_prompt() {
    let mut f = demo_state(120, 40);
    f.send(Msg::StartExport);
    f.send(Msg::ExportClear);
    assert!(no_work(&f.send(Msg::ExportConfirm)));
    assert!(matches!(
        f.state.overlay,
        Some(Overlay::ExportPrompt { .. })
    ));
    f.send(Msg::CloseOverlay);
    assert_eq!(f.state.overlay, None);
    assert!(
        f.state
            .tasks
            .iter()
            .all(|t| t.purpose != JobPurpose::Export)
    );
}
