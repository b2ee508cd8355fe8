//! The task pane: tidy's diff is a result, not a failure; whole logs open in an overlay;
//! finished tasks can be cleared.

use super::*;
use crate::jobs::{JobEvent, JobOutcome, OutputStream};
use crate::tui::effect::Effect;
use crate::tui::task_log::TaskState;
use ratatui::style::Color;

/// Runs `go mod tidy -diff` to its end: exit 1 with `diff` on stdout. Returns the job id.
fn tidy_diff_exits_1_with(f: &mut Fixture, diff: &[&str]) -> u64 {
    let effects = f.send(Msg::Tidy);
    let Some(Effect::RunGo { id, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let id = *id;
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: String::new(),
        },
    ));
    for line in diff {
        f.send(Msg::Job(
            id,
            JobEvent::Output {
                stream: OutputStream::Stdout,
                line: line.to_string(),
            },
        ));
    }
    f.send(Msg::Job(
        id,
        JobEvent::Finished(JobOutcome::Failed {
            message: "exit status 1".into(),
            exit_code: Some(1),
        }),
    ));
    id
}

#[test]
fn tidy_diff_exiting_1_with_a_diff_is_diff_ready_not_failed() {
    let mut f = demo_state(120, 40);
    f.state.color = true;
    let id = tidy_diff_exits_1_with(&mut f, &["--- go.mod", "+++ go.mod", "+require a v2"]);
    assert_eq!(f.state.task(id).unwrap().state, TaskState::DiffReady);
    f.send(Msg::ConfirmNo);
    let buf = screen_buffer(&f);
    let rows = screen_rows(&f);
    let y = rows
        .iter()
        .position(|r| r.contains("go mod tidy -diff"))
        .unwrap();
    assert!(
        rows[y].contains("diff ready") && !rows[y].contains("failed"),
        "{}",
        rows[y]
    );
    let x = rows[y].split("diff ready").next().unwrap().chars().count() as u16;
    let cell = &buf[(x, y as u16)];
    assert_eq!(cell.symbol(), "d");
    assert_eq!(cell.fg, Color::Green, "not red");
    // Exit 1 without a diff (go's own error) is still a failure.
    let mut f = demo_state(120, 40);
    let id = tidy_diff_exits_1_with(&mut f, &[]);
    assert!(matches!(
        f.state.task(id).unwrap().state,
        TaskState::Failed(_)
    ));
}

/// Starts a download of the selected missing module; returns its job id.
fn start_download(f: &mut Fixture) -> u64 {
    f.select("github.com/sirupsen/logrus");
    let effects = f.send(Msg::DownloadSelected);
    let Some(Effect::RunGo { id, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    f.send(Msg::Job(
        *id,
        JobEvent::Started {
            command_line: String::new(),
        },
    ));
    *id
}

fn output(f: &mut Fixture, id: u64, line: &str) {
    f.send(Msg::Job(
        id,
        JobEvent::Output {
            stream: OutputStream::Stderr,
            line: line.into(),
        },
    ));
}

#[test]
fn task_output_wraps_instead_of_being_cut_at_the_border() {
    let mut f = demo_state(80, 24);
    let id = start_download(&mut f);
    let words: Vec<String> = (0..30).map(|i| format!("word{i}")).collect();
    output(&mut f, id, &words.join(" "));
    f.send(Msg::FocusNext);
    f.send(Msg::FocusNext);
    assert_eq!(f.state.focus, crate::tui::app_state::Focus::Tasks);
    let screen = screen_rows(&f).join("\n");
    assert!(
        screen.contains("word0 word1") && screen.contains("word28 word29"),
        "{screen}"
    );
}

#[test]
fn enter_on_a_task_opens_its_whole_bounded_log_and_exact_command_line() {
    let mut f = demo_state(80, 24);
    let id = start_download(&mut f);
    for i in 0..600 {
        output(&mut f, id, &format!("line {i}"));
    }
    let task = f.state.task(id).unwrap();
    assert_eq!(
        (task.log.len(), task.log_dropped),
        (500, 100),
        "the log is bounded"
    );
    f.send(Msg::FocusNext);
    f.send(Msg::FocusNext);
    // Enter means the log here (in the list it opens the detail).
    let enter = ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Enter,
        ratatui::crossterm::event::KeyModifiers::NONE,
    ));
    let areas = crate::tui::layout::Areas::compute(80, 24, &f.state);
    let msg = crate::tui::keymap::translate(&f.state, &enter, &areas).unwrap();
    assert_eq!(msg, Msg::OpenTaskLog);
    f.send(msg);
    let screen = screen_rows(&f).join("\n");
    assert!(
        screen.contains("Task log")
            && screen.contains("$ go mod download -json github.com/sirupsen/logrus@v1.9.3")
            && screen.contains("… 100 earlier lines not kept")
            && screen.contains("line 100"),
        "{screen}"
    );
    f.send(Msg::End);
    let rows = screen_rows(&f);
    assert!(rows.iter().any(|r| r.contains("line 599")), "{rows:#?}");
    assert!(rows.iter().any(|r| r.contains("/504 ")), "{rows:#?}");
    assert!(rows[23].contains("Esc close"), "{}", rows[23]);
    f.send(Msg::CloseOverlay);
    assert_eq!(f.state.overlay, None);
}

#[test]
fn x_clears_the_finished_tasks_and_keeps_the_running_ones() {
    let mut f = demo_state(80, 24);
    let id = start_download(&mut f);
    f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    let running: Vec<u64> = f
        .state
        .tasks
        .iter()
        .filter(|t| t.state.is_active())
        .map(|t| t.id)
        .collect();
    assert!(f.state.tasks.len() > running.len());
    f.send(Msg::ClearFinishedTasks);
    let left: Vec<u64> = f.state.tasks.iter().map(|t| t.id).collect();
    assert_eq!(left, running);
    assert!(f.state.selected_task < f.state.tasks.len().max(1));
    f.send(Msg::ClearFinishedTasks);
    assert_eq!(f.state.notice_text(), Some("no finished task to clear"));
}
