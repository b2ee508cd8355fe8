use super::*;
use crate::jobs::{JobEvent, JobOutcome, OutputStream};
use crate::tui::app_state::{Focus, Overlay, SortKey, StatusFilter};
use crate::tui::effect::Effect;
use crate::tui::task_log::{JobPurpose, TaskState};
use gomodcache::analysis::report::Status;

#[test]
fn a_scan_fills_the_list_worst_first_and_starts_a_full_verify() {
    let mut f = demo_state(120, 40);
    assert_eq!(f.state.visible.len(), f.state.modules.len());
    assert!(f.state.modules.len() >= 16);
    let first = f.state.selected_module().unwrap();
    assert_eq!(
        first.status,
        Status::Mismatch,
        "sorted by status, worst first"
    );
    assert_eq!(f.state.tasks.len(), 1);
    assert_eq!(f.state.tasks[0].purpose, JobPurpose::Verify);
    assert!(!f.state.scanning);
    // The effect of the scan (returned by update) was a full verify of everything.
    let again = f.send(Msg::Scanned(Err("boom".into())));
    assert!(again.is_empty());
    assert_eq!(f.state.scan_error.as_deref(), Some("boom"));
}

#[test]
fn moving_is_clamped_and_scrolls_the_window() {
    let mut f = demo_state(80, 24);
    let n = f.state.visible.len();
    f.send(Msg::MoveUp);
    assert_eq!(f.state.selected, 0);
    f.send(Msg::End);
    assert_eq!(f.state.selected, n - 1);
    assert!(
        f.state.list_offset + f.state.list_rows > f.state.selected
            && f.state.list_offset <= f.state.selected
    );
    f.send(Msg::MoveDown);
    assert_eq!(f.state.selected, n - 1);
    f.send(Msg::Home);
    assert_eq!((f.state.selected, f.state.list_offset), (0, 0));
    f.send(Msg::PageDown);
    assert_eq!(f.state.selected, f.state.list_rows.min(n - 1));
}

#[test]
fn text_filter_narrows_and_esc_clears() {
    let mut f = demo_state(80, 24);
    let all = f.state.visible.len();
    f.send(Msg::StartFilter);
    for c in "yaml".chars() {
        f.send(Msg::FilterInput(c));
    }
    assert_eq!(f.state.visible.len(), 1);
    assert_eq!(f.state.selected_module().unwrap().path, "gopkg.in/yaml.v3");
    f.send(Msg::FilterAccept);
    assert!(
        !f.state.filter_editing && f.state.visible.len() == 1,
        "Enter keeps the filter"
    );
    f.send(Msg::CloseOverlay);
    assert_eq!(f.state.visible.len(), all, "Esc clears it");
    // Problem kinds match too.
    f.send(Msg::StartFilter);
    for c in "re-extraction".chars() {
        f.send(Msg::FilterInput(c));
    }
    assert_eq!(f.state.selected_module().unwrap().path, "golang.org/x/text");
    f.send(Msg::FilterClear);
    assert!(f.state.filter_text.is_empty() && !f.state.filter_editing);
}

#[test]
fn status_filter_and_sort_cycle() {
    let mut f = demo_state(80, 24);
    f.send(Msg::CycleStatusFilter);
    assert_eq!(f.state.status_filter, StatusFilter::Problems);
    assert!(
        f.state
            .visible
            .iter()
            .all(|&i| !f.state.modules[i].problems.is_empty())
    );
    f.send(Msg::CycleStatusFilter);
    assert_eq!(f.state.status_filter, StatusFilter::Only(Status::Mismatch));
    assert_eq!(f.state.visible.len(), f.state.summary().mismatch);
    for _ in 0..4 {
        f.send(Msg::CycleStatusFilter);
    }
    assert_eq!(f.state.status_filter, StatusFilter::Only(Status::Graph));
    assert_eq!(f.state.visible.len(), f.state.summary().graph);
    f.send(Msg::CycleStatusFilter);
    assert_eq!(f.state.status_filter, StatusFilter::All);
    f.send(Msg::CycleSort);
    assert_eq!(f.state.sort, SortKey::Path);
    let paths: Vec<&str> = f
        .state
        .visible
        .iter()
        .map(|&i| f.state.modules[i].path.as_str())
        .collect();
    assert!(paths.windows(2).all(|w| w[0] <= w[1]));
    f.send(Msg::CycleSort);
    assert_eq!(f.state.sort, SortKey::Size);
    let sizes: Vec<Option<u64>> = f
        .state
        .visible
        .iter()
        .map(|&i| f.state.modules[i].zip_size)
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

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
fn clicks_select_rows_and_help_toggles() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ClickRow(3));
    assert_eq!(f.state.selected, 3);
    f.send(Msg::ClickRow(500));
    assert_eq!(
        f.state.selected, 3,
        "a click below the last row changes nothing"
    );
    f.send(Msg::ToggleHelp);
    assert_eq!(f.state.overlay, Some(Overlay::Help));
    f.send(Msg::ToggleHelp);
    assert_eq!(f.state.overlay, None);
    f.send(Msg::OpenDetail);
    assert!(f.state.detail_maximized && f.state.focus == Focus::Detail);
    f.send(Msg::CloseOverlay);
    assert!(!f.state.detail_maximized);
}

#[test]
fn ticks_only_dirty_the_state_while_something_runs() {
    let mut f = demo_state(120, 40);
    let verify = f.state.tasks[0].id;
    f.state.dirty = false;
    f.send(Msg::Tick(f.t0));
    assert!(f.state.dirty, "a running verify animates");
    f.send(Msg::Job(verify, JobEvent::Finished(JobOutcome::Succeeded)));
    f.state.dirty = false;
    f.send(Msg::Tick(f.t0));
    assert!(!f.state.dirty, "idle: no redraw");
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
fn the_selected_modules_why_follows_the_selection() {
    let mut f = demo_state(120, 40);
    f.select("golang.org/x/sys");
    let why = f.state.why.clone().expect("why is computed in update");
    assert_eq!(why.path, "golang.org/x/sys");
    assert_eq!(why.selected.as_deref(), Some("v0.15.0"));
    assert!(why.required_by.len() >= 2 && !why.paths.is_empty());
    f.select("github.com/google/uuid");
    assert_eq!(f.state.why.as_ref().unwrap().path, "github.com/google/uuid");
}

#[test]
fn graph_only_modules_are_listed_and_counted_apart() {
    let f = demo_state(120, 40);
    let graph = f.state.graph.as_ref().unwrap();
    let listed: Vec<&str> = f.state.modules.iter().map(|m| m.path.as_str()).collect();
    for path in graph.selected.keys() {
        assert!(
            listed.contains(&path.as_str()),
            "the list covers the build list: {path}"
        );
    }
    let graph_only = f.state.modules.iter().filter(|m| m.graph_only).count();
    assert!(graph_only >= 3, "the demo has graph-only modules");
    let summary = f.state.summary();
    assert_eq!(summary.total, f.state.modules.len());
    assert_eq!(summary.graph_only, graph_only);
    // None of them reads missing: go needs nothing more of them than the cache holds.
    assert!(
        f.state
            .modules
            .iter()
            .filter(|m| m.graph_only)
            .all(|m| m.status == gomodcache::analysis::report::Status::Graph)
    );
}

#[test]
fn the_tree_expands_collapses_and_jumps_to_a_module() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ToggleTree);
    let tree = f.state.tree.as_ref().expect("T opens the tree");
    assert_eq!(tree.rows[0].node.path, "github.com/acme/inventory");
    assert!(
        tree.rows[0].expanded && tree.rows.iter().all(|r| r.depth <= 1),
        "only the main module is open"
    );
    let color = tree
        .rows
        .iter()
        .position(|r| r.node.path == "github.com/fatih/color")
        .unwrap();
    f.send(Msg::Home);
    for _ in 0..color {
        f.send(Msg::MoveDown);
    }
    let before = f.state.tree.as_ref().unwrap().rows.len();
    f.send(Msg::TreeExpand);
    let tree = f.state.tree.as_ref().unwrap();
    assert!(tree.rows.len() > before, "color's requirements appear");
    assert!(tree.rows[color + 1].depth == 2);
    f.send(Msg::MoveDown);
    f.send(Msg::TreeCollapse);
    assert_eq!(
        f.state.tree.as_ref().unwrap().cursor,
        color,
        "← on a leaf goes to its parent"
    );
    f.send(Msg::TreeCollapse);
    assert_eq!(f.state.tree.as_ref().unwrap().rows.len(), before);
    f.send(Msg::TreeJump);
    assert!(f.state.tree.is_none());
    assert_eq!(
        f.state.selected_module().unwrap().path,
        "github.com/fatih/color"
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

#[test]
fn the_graph_arrives_after_the_first_frame_and_one_from_an_older_scan_is_dropped() {
    let mut f = demo_state(120, 40);
    let graph = f.state.graph.clone().expect("the fixture sends the graph");
    let mut extra = f.state.modules[0].clone();
    extra.path = "example.com/only-in-the-graph".into();
    extra.graph_only = true;
    let graph_only = vec![extra];
    f.send(Msg::GraphLoaded(Box::new(crate::tui::scan::GraphOutcome {
        scan_id: f.state.scan_id,
        graph: graph.clone(),
        graph_only: graph_only.clone(),
    })));
    let count = f.state.modules.len();
    let outcome = |scan_id, graph_only| {
        Msg::GraphLoaded(Box::new(crate::tui::scan::GraphOutcome {
            scan_id,
            graph: graph.clone(),
            graph_only,
        }))
    };
    f.send(outcome(f.state.scan_id + 1, Vec::new()));
    assert_eq!(
        f.state.modules.len(),
        count,
        "a stale graph changes nothing"
    );
    f.send(outcome(f.state.scan_id, Vec::new()));
    assert_eq!(
        f.state.modules.len(),
        count - graph_only.len(),
        "the current scan's graph replaces the graph-only rows"
    );
    f.send(outcome(f.state.scan_id, graph_only.clone()));
    assert_eq!(f.state.modules.len(), count);
    assert!(
        f.state
            .visible
            .iter()
            .any(|&i| f.state.modules[i].path == graph_only[0].path),
        "graph-only rows are listed again"
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
