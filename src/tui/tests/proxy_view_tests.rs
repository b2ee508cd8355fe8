//! The proxy view's state machine and its screens, on a hand-made audit (no IO): `P` starts the
//! check as a task whose progress and audit arrive as job events; rows come wrong first; `y`
//! copies an absent entry's fix; `c` cancels; `r` checks again.

use super::{Fixture, demo_state};
use crate::jobs::{JobEvent, JobId, JobOutcome};
use crate::tui::app_state::ListArea;
use crate::tui::effect::Effect;
use crate::tui::keymap::Context;
use crate::tui::message::{Msg, ProxyMsg};
use crate::tui::task_log::{JobPurpose, TaskState};
use gomodcache::proxy::report::{Counts, Entry, EntryState, ProxyAudit};

const PROXY: &str = "http://127.0.0.1:8080";

fn entry(module: &str, file: &str, state: EntryState, status: Option<u16>) -> Entry {
    let (path, version) = module.split_once('@').unwrap_or((module, ""));
    let rel = match file {
        "list" => format!("{path}/@v/list"),
        "sumdb" => "sumdb/sum.golang.org/supported".into(),
        _ => format!("{path}/@v/{version}.{file}"),
    };
    Entry {
        module: (file != "sumdb").then(|| module.to_string()),
        file: file.into(),
        url: format!("{PROXY}/{rel}"),
        state,
        status,
        detail: match state {
            EntryState::Absent => "not found".into(),
            EntryState::Wrong => "the proxy's .mod hashes to h1:AAA=, go.sum says h1:BBB=: go refuses it (SECURITY ERROR)".into(),
            EntryState::Error => format!("GET {PROXY}/{rel}: 500 Internal Server Error (after 3 retries)"),
            EntryState::Present => String::new(),
        },
        next: (matches!(state, EntryState::Absent | EntryState::Error)
            && file != "list"
            && file != "sumdb")
            .then(|| "go stops: no GOPROXY entry is left".to_string()),
        fix: (state == EntryState::Absent && file != "list" && file != "sumdb").then(|| {
            format!("GOPROXY={PROXY} GOFLAGS=-mod=mod go mod download -json {module}")
        }),
        advisory: file == "list" || file == "sumdb",
    }
}

/// Four modules: a's zip absent, b's `.mod` wrong, c's `.info` failing, d complete; b's
/// `@v/list` missing (advice).
fn audit() -> ProxyAudit {
    use EntryState::*;
    let entries = vec![
        entry("example.com/a@v1.0.0", "info", Present, Some(200)),
        entry("example.com/a@v1.0.0", "mod", Present, Some(200)),
        entry("example.com/a@v1.0.0", "zip", Absent, Some(404)),
        entry("example.com/b@v1.2.0", "info", Present, Some(200)),
        entry("example.com/b@v1.2.0", "mod", Wrong, Some(200)),
        entry("example.com/b@v1.2.0", "zip", Present, Some(200)),
        entry("example.com/c@v0.3.1", "info", Error, Some(500)),
        entry("example.com/c@v0.3.1", "mod", Present, Some(200)),
        entry("example.com/d@v2.0.0", "info", Present, Some(200)),
        entry("example.com/d@v2.0.0", "mod", Present, Some(200)),
        entry("example.com/d@v2.0.0", "zip", Present, Some(200)),
        entry("example.com/b", "list", Absent, Some(404)),
    ];
    ProxyAudit {
        schema_version: 1,
        proxy: PROXY.into(),
        full: false,
        modules: 4,
        entries,
        counts: Counts {
            present: 8,
            absent: 1,
            wrong: 1,
            error: 1,
        },
        complete: false,
    }
}

fn fixture(width: u16, height: u16) -> Fixture {
    let mut f = demo_state(width, height);
    // Only the proxy check in the task pane (the demo's own verification is not run here).
    f.state.tasks.clear();
    f
}

/// `P`: the view opens and the check starts; returns its job id.
fn open(f: &mut Fixture) -> JobId {
    match f.send(Msg::Proxy(ProxyMsg::Toggle)).as_slice() {
        [Effect::ProxyCheck { id }] => *id,
        other => panic!("{other:?}"),
    }
}

/// Opened, the check ran and sent `audit`.
fn checked(width: u16, height: u16) -> (Fixture, JobId) {
    let mut f = fixture(width, height);
    let id = open(&mut f);
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: format!("modscope proxy check {PROXY} (in-process)"),
        },
    ));
    f.send(Msg::Job(id, JobEvent::Progress { done: 4, total: 4 }));
    f.send(Msg::Job(id, JobEvent::ProxyAudited(Box::new(audit()))));
    f.send(Msg::Job(
        id,
        JobEvent::Finished(JobOutcome::Failed {
            message:
                "the proxy lacks what the build needs: 8 present · 1 absent · 1 wrong · 1 errors"
                    .into(),
            exit_code: None,
        }),
    ));
    (f, id)
}

fn rows(f: &Fixture) -> Vec<(String, String, EntryState, bool)> {
    let a = f.state.proxy.audit.as_ref().unwrap();
    f.state
        .proxy
        .rows
        .iter()
        .map(|&i| {
            let e = &a.entries[i];
            (
                e.module.clone().unwrap_or_default(),
                e.file.clone(),
                e.state,
                e.advisory,
            )
        })
        .collect()
}

fn notice(f: &Fixture) -> String {
    f.state.notice_text().unwrap_or_default().to_string()
}

/// The screen as text, the demo's temporary directory replaced by a placeholder.
fn screen(f: &Fixture) -> String {
    super::view_tests::screen(f)
}

#[test]
fn p_opens_the_view_and_starts_the_check_as_a_task_that_closing_leaves_running() {
    let mut f = fixture(80, 24);
    let id = open(&mut f);
    assert_eq!(f.state.list_area, ListArea::Proxy);
    assert_eq!(Context::of(&f.state), Context::Proxy);
    let task = f.state.task(id).unwrap();
    assert_eq!(task.purpose, JobPurpose::ProxyCheck);
    assert!(task.state.is_active());
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: String::new(),
        },
    ));
    f.send(Msg::Job(id, JobEvent::Progress { done: 3, total: 10 }));
    let text = screen(&f);
    assert!(text.contains("checking: 3/10 module versions"), "{text}");
    // The task pane shows the same progress.
    assert!(text.contains("3/10"), "{text}");
    // Closing the view does not cancel: the check is a task (c cancels it).
    let effects = f.send(Msg::Proxy(ProxyMsg::Toggle));
    assert_eq!(f.state.list_area, ListArea::Modules);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::CancelJob(_))),
        "{effects:?}"
    );
    assert_eq!(Context::of(&f.state), Context::List);
    // Opening it again while it runs starts nothing more.
    assert!(super::no_work(&f.send(Msg::Proxy(ProxyMsg::Toggle))));
    assert!(super::no_work(&f.send(Msg::Proxy(ProxyMsg::Recheck))));
    assert!(
        notice(&f).contains("being checked already"),
        "{}",
        notice(&f)
    );
}

#[test]
fn the_audit_becomes_rows_wrong_first_then_absent_errors_and_advice() {
    let (f, id) = checked(80, 24);
    assert_eq!(f.state.proxy.running, None);
    assert!(matches!(
        f.state.task(id).unwrap().state,
        TaskState::Failed(_)
    ));
    use EntryState::*;
    assert_eq!(
        rows(&f),
        vec![
            ("example.com/b@v1.2.0".into(), "mod".into(), Wrong, false),
            ("example.com/a@v1.0.0".into(), "zip".into(), Absent, false),
            ("example.com/c@v0.3.1".into(), "info".into(), Error, false),
            ("example.com/b".into(), "list".into(), Absent, true),
        ]
    );
    assert_eq!(f.state.proxy.cursor, 0);
    assert!(notice(&f).contains("1 absent · 1 wrong"), "{}", notice(&f));
}

#[test]
fn y_copies_the_fix_of_an_absent_entry_and_explains_a_wrong_one() {
    let (mut f, _) = checked(80, 24);
    // The cursor starts on the wrong .mod: no command fills it.
    assert!(super::no_work(&f.send(Msg::Proxy(ProxyMsg::CopyFix))));
    assert!(
        notice(&f).contains("other bytes than go.sum"),
        "{}",
        notice(&f)
    );
    f.send(Msg::MoveDown);
    let effects = f.send(Msg::Proxy(ProxyMsg::CopyFix));
    assert!(
        effects.contains(&Effect::CopyToClipboard(format!(
            "GOPROXY={PROXY} GOFLAGS=-mod=mod go mod download -json example.com/a@v1.0.0"
        ))),
        "{effects:?}"
    );
    // The same key in the view, through the keymap.
    let y = ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Char('y'),
    ));
    let areas = crate::tui::layout::Areas::compute(80, 24, &f.state);
    assert_eq!(
        crate::tui::keymap::translate(&f.state, &y, &areas),
        Some(Msg::Proxy(ProxyMsg::CopyFix))
    );
}

#[test]
fn c_cancels_the_running_check_and_the_view_says_so() {
    let mut f = fixture(80, 24);
    let id = open(&mut f);
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: String::new(),
        },
    ));
    let effects = f.send(Msg::CancelSelectedJob);
    assert_eq!(effects, vec![Effect::CancelJob(id)]);
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Cancelled)));
    assert_eq!(f.state.proxy.running, None);
    assert_eq!(f.state.proxy.error.as_deref(), Some("check cancelled"));
    assert_eq!(f.state.task(id).unwrap().state, TaskState::Cancelled);
    assert!(screen(&f).contains("check cancelled (r checks again)"));
    // r checks again, as a new job.
    match f.send(Msg::Proxy(ProxyMsg::Recheck)).as_slice() {
        [Effect::ProxyCheck { id: again }] => assert_ne!(*again, id),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_recheck_keeps_the_last_list_until_its_audit_arrives() {
    let (mut f, first) = checked(80, 24);
    f.send(Msg::MoveDown);
    let second = match f.send(Msg::Proxy(ProxyMsg::Recheck)).as_slice() {
        [Effect::ProxyCheck { id }] => *id,
        other => panic!("{other:?}"),
    };
    assert_ne!(first, second);
    assert_eq!(rows(&f).len(), 4);
    // A late event of the first check changes nothing.
    f.send(Msg::Job(first, JobEvent::ProxyAudited(Box::new(audit()))));
    assert_eq!(f.state.proxy.cursor, 1);
    let mut complete = audit();
    complete.entries.retain(|e| e.state == EntryState::Present);
    complete.counts = Counts {
        present: complete.entries.len(),
        ..Counts::default()
    };
    complete.complete = true;
    f.send(Msg::Job(second, JobEvent::ProxyAudited(Box::new(complete))));
    f.send(Msg::Job(second, JobEvent::Finished(JobOutcome::Succeeded)));
    assert!(f.state.proxy.rows.is_empty());
    assert!(notice(&f).contains("holds everything"), "{}", notice(&f));
    assert!(screen(&f).contains("✓ complete"));
}

#[test]
fn a_check_that_ends_while_the_view_is_closed_says_where_the_list_is() {
    let mut f = fixture(80, 24);
    let id = open(&mut f);
    f.send(Msg::CloseOverlay);
    assert_eq!(f.state.list_area, ListArea::Modules);
    f.send(Msg::Job(id, JobEvent::ProxyAudited(Box::new(audit()))));
    f.send(Msg::Job(
        id,
        JobEvent::Finished(JobOutcome::Failed {
            message: "incomplete".into(),
            exit_code: None,
        }),
    ));
    assert!(notice(&f).contains("P shows the list"), "{}", notice(&f));
    // P shows it without checking again.
    assert!(super::no_work(&f.send(Msg::Proxy(ProxyMsg::Toggle))));
    assert_eq!(rows(&f).len(), 4);
}

#[test]
fn proxy_view_80x24() {
    let (mut f, _) = checked(80, 24);
    f.send(Msg::MoveDown);
    // The notice of the end has been read.
    f.state.notice = None;
    crate::tui::update::update(
        &mut f.state,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    insta::assert_snapshot!(screen(&f));
}

#[test]
fn proxy_view_120x40() {
    let (mut f, _) = checked(120, 40);
    f.state.notice = None;
    crate::tui::update::update(
        &mut f.state,
        Msg::Resize {
            width: 120,
            height: 40,
        },
    );
    insta::assert_snapshot!(screen(&f));
}
