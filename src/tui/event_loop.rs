//! One `select!` over terminal events, job events, effect results, a tick that runs only while
//! a job is animating, one-shot wake-ups (a notice expiring), and SIGTERM/SIGHUP/SIGINT. Draws only when the state is dirty, once per
//! batch.

use super::app_state::AppState;
use super::effect::Effect;
use super::keymap::translate;
use super::layout::Areas;
use super::message::Msg;
use super::scan::ScanContext;
use super::terminal_events::spawn_terminal_reader;
use super::terminal_session::TerminalSession;
use super::update::update;
use super::view::view;
use crate::jobs::{JobEvent, JobHandle, JobId, go_process};
use gomodcache::edit::tidy_backup::{default_backup_root, unfinished_backup};
use ratatui::crossterm::event::Event;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// Messages at most handled before the screen is redrawn, so a flood of job output cannot
/// starve the display.
const MAX_BATCH: usize = 2048;
/// How long the first frame waits for the first scan before showing "scanning…".
const FIRST_FRAME_GRACE: Duration = Duration::from_millis(80);
/// How long the start-up notice about an unfinished tidy stays (if no key is pressed).
const UNFINISHED_TIDY_NOTICE_FOR: Duration = Duration::from_secs(30);

pub fn run(ctx: ScanContext, color: bool) -> anyhow::Result<()> {
    // One thread: the loop's tasks only wait on channels, pipes and timers; every piece of real
    // work runs in `spawn_blocking` or on rayon. A worker pool would start two more threads
    // while the first scan needs both cores.
    // Quitting never waits on a job's blocking work (see `run_abandoning_blocking`).
    crate::jobs::runtime::run_abandoning_blocking(run_async(ctx, color))?
}

struct Runner {
    ctx: ScanContext,
    job_tx: UnboundedSender<(JobId, JobEvent)>,
    msg_tx: UnboundedSender<Msg>,
    handles: HashMap<JobId, JobHandle>,
    /// Scans started, numbering them.
    scans: u64,
    /// One-shot wake-ups asked for (`Effect::WakeAt`), earliest first.
    wakes: std::collections::BTreeSet<Instant>,
}

async fn run_async(ctx: ScanContext, color: bool) -> anyhow::Result<()> {
    // Restores the terminal and ends every `go` child however the loop is left (panics too).
    let mut session = TerminalSession::enter()?;
    let terminal = session.terminal();

    let size = terminal.size()?;
    let mut state = AppState::new(
        ctx.project_dir.clone(),
        ctx.cache.root.clone(),
        ctx.go_env.clone(),
        ctx.demo,
        Instant::now(),
    );
    state.color = color;
    state.quarantine_root = ctx.quarantine_root();
    let open_cache_view = ctx.open_cache_view;
    // An earlier session's tidy that never finished: say where the backup it left is.
    if let Some(b) = default_backup_root().and_then(|r| unfinished_backup(&ctx.project_dir, &r)) {
        // Longer than other notices: it names a backup the user may need.
        state.say_for(
            format!(
                "a tidy did not finish; backup of go.mod/go.sum: {}",
                b.dir.display()
            ),
            UNFINISHED_TIDY_NOTICE_FOR,
        );
    }
    let (job_tx, mut job_rx) = unbounded_channel();
    let (msg_tx, mut msg_rx) = unbounded_channel();
    let mut runner = Runner {
        ctx,
        job_tx,
        msg_tx,
        handles: HashMap::new(),
        scans: 0,
        wakes: Default::default(),
    };
    update(
        &mut state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    runner.execute(Effect::Scan, &state);
    if open_cache_view {
        for effect in update(&mut state, Msg::Cache(super::message::CacheMsg::Toggle)) {
            runner.execute(effect, &state);
        }
    }

    // Started once the first frame is drawn (below): its thread and crossterm's reader setup
    // would take time from the first scan. Keys pressed meanwhile wait in the terminal.
    let mut events: Option<UnboundedReceiver<std::io::Result<Event>>> = None;
    let mut ticker = tokio::time::interval(Duration::from_millis(200));
    let mut sigterm = signal(SignalKind::terminate())?;
    // The terminal went away (window closed, ssh dropped): quit the same way. Left to its
    // default action, SIGHUP would end modscope at once, and the `go` children, each in its
    // own process group, would outlive it.
    let mut sighup = signal(SignalKind::hangup())?;
    // `kill -INT` (in raw mode Ctrl-C is a key, not this signal): by default it would end
    // modscope at once, leaving the terminal raw and the `go` children running.
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut pending: Vec<Effect> = Vec::new();
    // The first scan usually ends within tens of milliseconds: wait for it briefly instead of
    // drawing a "scanning…" frame that the next one replaces at once (drawing takes a core the
    // scan can use). Keys pressed meanwhile wait in the terminal.
    if let Ok(Some(msg)) = tokio::time::timeout(FIRST_FRAME_GRACE, msg_rx.recv()).await {
        pending.extend(update(&mut state, msg));
    }
    loop {
        if state.dirty {
            if let Err(e) = terminal.draw(|f| view(&state, f)) {
                runner.shutdown().await;
                // A terminal that went away (window closed, ssh dropped: EIO, often just before
                // the SIGHUP arrives) ends the session like a quit: there is no one to report
                // to, and printing to a stderr that went with it would panic.
                return if std::io::stdout().is_terminal() {
                    Err(e.into())
                } else {
                    Ok(())
                };
            }
            // Drawing is bookkeeping of the loop, not a state transition.
            state.dirty = false;
        }
        // Effects start after the frame that shows what caused them: the first classified
        // frame is not slowed by the verification and offline analysis it starts.
        for effect in pending.drain(..) {
            match effect {
                // Written between frames, straight to the terminal, which sets the clipboard.
                Effect::CopyToClipboard(text) => {
                    use std::io::Write;
                    let backend = terminal.backend_mut();
                    let _ = backend
                        .write_all(&super::clipboard::osc52(&text))
                        .and_then(|()| backend.flush());
                }
                effect => runner.execute(effect, &state),
            }
        }
        if state.should_quit {
            break;
        }
        let events = events.get_or_insert_with(spawn_terminal_reader);
        let next_wake = runner.wakes.first().copied();
        let wake = async move {
            match next_wake {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        let first = tokio::select! {
            ev = events.recv() => match ev {
                Some(Ok(ev)) => translate(&state, &ev, &Areas::compute(state.width, state.height, &state)),
                Some(Err(_)) | None => Some(Msg::Quit),
            },
            Some((id, ev)) = job_rx.recv() => Some(Msg::Job(id, ev)),
            Some(m) = msg_rx.recv() => Some(m),
            _ = ticker.tick(), if state.has_running_jobs() => None,
            // The tick of the batch is what the wake-up is for (a notice's time is up).
            _ = wake => None,
            _ = sigterm.recv() => Some(Msg::Quit),
            _ = sighup.recv() => Some(Msg::Quit),
            _ = sigint.recv() => Some(Msg::Quit),
        };
        // A tick first so job timestamps in this batch use the time now, and one last to end
        // the batch (it re-sorts streamed results once).
        let now = Instant::now();
        runner.wakes.retain(|&at| at > now);
        let mut batch: Vec<Msg> = vec![Msg::Tick(now)];
        batch.extend(first);
        drain(&mut batch, &mut job_rx, &mut msg_rx);
        batch.push(Msg::Tick(Instant::now()));
        for msg in batch {
            pending.extend(update(&mut state, msg));
        }
    }
    runner.shutdown().await;
    Ok(())
}

fn drain(
    batch: &mut Vec<Msg>,
    job_rx: &mut UnboundedReceiver<(JobId, JobEvent)>,
    msg_rx: &mut UnboundedReceiver<Msg>,
) {
    while batch.len() < MAX_BATCH {
        match job_rx.try_recv() {
            Ok((id, ev)) => batch.push(Msg::Job(id, ev)),
            Err(_) => break,
        }
    }
    while let Ok(m) = msg_rx.try_recv() {
        batch.push(m);
    }
}

impl Runner {
    /// Cancels every job and waits briefly for them, then makes sure no child survives.
    async fn shutdown(self) {
        for h in self.handles.values() {
            h.cancel.cancel();
        }
        let joins = futures::future::join_all(self.handles.into_values().map(|h| h.join));
        let _ = tokio::time::timeout(Duration::from_secs(2), joins).await;
        go_process::kill_all_children();
    }
}

mod execute;
