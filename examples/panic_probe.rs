//! A panic in the middle of an inspector session, on purpose, for `tests/tui_panic.rs`.
//!
//! modscope itself has no way to be made to panic (and gets no hidden trigger for it), so this
//! probe goes through the same code the inspector does: it takes the terminal with
//! [`TerminalSession::enter`], starts a `go` child through the job layer's [`spawn_go`] (so the
//! child is registered in the process-group registry, as every job's child is), draws a frame,
//! writes the child's pid to the file named by its first argument, and panics.
//!
//! `go` is whatever `go` is first on PATH: the test puts a slow fake one there.
//!
//! ```sh
//! cargo run --example panic_probe -- /tmp/probe.pid
//! ```

use modscope::jobs::go_process::{live_process_groups, spawn_go};
use modscope::jobs::{GoInvocation, JobEvent};
use modscope::tui::terminal_session::TerminalSession;
use ratatui::widgets::Paragraph;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let pid_file = std::env::args_os()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: panic_probe PID_FILE"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mut session = TerminalSession::enter()?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let cwd = std::env::current_dir()?;
        let _job = spawn_go(1, GoInvocation::new(cwd, &["mod", "download"]), tx);
        // The child has run far enough to print a line: it exists, and it is registered.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match tokio::time::timeout_at(deadline.into(), rx.recv()).await {
                Ok(Some((_, JobEvent::Output { .. }))) => break,
                Ok(Some((_, JobEvent::Finished(outcome)))) => {
                    anyhow::bail!("the go child ended before the panic: {outcome:?}")
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => anyhow::bail!("the go child printed nothing"),
            }
        }
        let groups = live_process_groups();
        let [child] = groups.as_slice() else {
            anyhow::bail!("expected one registered go child, found {groups:?}");
        };
        session.terminal().draw(|f| {
            f.render_widget(
                Paragraph::new(format!("panic-probe-frame:go-child-{child}-running")),
                f.area(),
            )
        })?;
        std::fs::write(&pid_file, format!("{child}\n"))?;
        panic!("panic_probe: a deliberate panic while go child {child} runs");
    })
}
