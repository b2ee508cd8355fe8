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
