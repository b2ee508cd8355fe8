//! The terminal for the length of an inspector session: raw mode, the alternate screen and mouse
//! capture on [`TerminalSession::enter`], all undone when the session is dropped, and a panic
//! hook that undoes them too, so that a panic leaves neither a raw terminal nor a running `go`
//! behind and its message is printed on the normal screen, readable.
//!
//! Public so that `examples/panic_probe.rs` (driven by `tests/tui_panic.rs`) can exercise exactly
//! this code: there is no way to make the inspector itself panic on purpose.

use crate::jobs::go_process;
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a session has the terminal now: the panic hook restores the terminal only then (it
/// stays installed after the session, and must not write escape codes to a normal terminal).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Owns the terminal: restores it and ends every `go` child however the session ends.
pub struct TerminalSession {
    terminal: Option<DefaultTerminal>,
}

impl TerminalSession {
    /// Enables raw mode, enters the alternate screen and enables mouse capture; installs (once
    /// per process) the panic hook. On an error, whatever was already changed is undone.
    pub fn enter() -> anyhow::Result<Self> {
        install_panic_hook();
        ratatui::crossterm::terminal::enable_raw_mode()?;
        // From here on, dropping the session (on any error below) restores the terminal.
        let mut session = TerminalSession { terminal: None };
        ACTIVE.store(true, Ordering::SeqCst);
        execute!(std::io::stdout(), EnterAlternateScreen)?;
        session.terminal = Some(ratatui::Terminal::new(CrosstermBackend::new(
            std::io::stdout(),
        ))?);
        execute!(std::io::stdout(), EnableMouseCapture)?;
        Ok(session)
    }

    pub fn terminal(&mut self) -> &mut DefaultTerminal {
        self.terminal
            .as_mut()
            .expect("set by enter() for the whole session")
    }
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        go_process::kill_all_children();
        ACTIVE.store(false, Ordering::SeqCst);
        restore_terminal();
        if let Some(mut terminal) = self.terminal.take()
            && terminal.show_cursor().is_err()
        {
            // Its Drop would try again and print the error.
            std::mem::forget(terminal);
        }
    }
}

/// Mouse capture off, raw mode off, the alternate screen left, the cursor shown. Errors are
/// ignored, not printed: after a hangup the terminal is gone and stderr usually with it, and
/// printing there (as `ratatui::restore` and the Drop of `Terminal` do) panics, which in a panic
/// hook ends in an abort.
fn restore_terminal() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    // Raw mode first, as `ratatui::try_restore` does: it has more side effects than the screen.
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen, Show);
}

/// Children first, then the terminal, then the previous hook (the default one prints the panic
/// message, now on the normal screen with output processing back on): a panic leaves neither a
/// running `go` nor a raw terminal behind, even if restoring a terminal that is gone fails.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            go_process::kill_all_children();
            if ACTIVE.swap(false, Ordering::SeqCst) {
                restore_terminal();
            }
            previous(info);
        }));
    });
}
