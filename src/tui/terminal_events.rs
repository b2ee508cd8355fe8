//! Terminal events (keys, mouse, resizes) as a channel the event loop selects on.

use ratatui::crossterm::event::Event;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// Terminal events, read on a thread of their own rather than polled in the loop (crossterm's
/// `EventStream`): once the terminal is gone, crossterm 0.29's reader retries a read that
/// returns EOF or EIO forever (crossterm-rs/crossterm#793). Polled in the loop, that spin took
/// the loop with it, SIGHUP went unhandled and modscope never exited. Here only this thread
/// spins, until the loop quits (on SIGHUP, or the failed draw) and the process ends.
pub fn spawn_terminal_reader() -> UnboundedReceiver<std::io::Result<Event>> {
    let (tx, rx) = unbounded_channel();
    let reader = move || {
        loop {
            let event = ratatui::crossterm::event::read();
            let failed = event.is_err();
            if tx.send(event).is_err() || failed {
                break;
            }
        }
    };
    // Without a thread the sender is dropped with the closure: the loop sees the channel
    // closed and quits.
    let _ = std::thread::Builder::new()
        .name("terminal-events".into())
        .spawn(reader);
    rx
}
