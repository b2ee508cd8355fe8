//! `go` as a child process: stdin closed, stdout/stderr streamed line by line, its own process
//! group so that cancelling kills everything it started (spec §5.4, architecture practice 10).

use super::{GoInvocation, JobEvent, JobHandle, JobId, JobOutcome, JobSender, OutputStream, send};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::collections::BTreeSet;
use std::process::{ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

/// How long a cancelled child gets between SIGTERM and SIGKILL.
pub const TERM_GRACE: Duration = Duration::from_secs(1);
/// After the child exited, how long we keep reading pipes a descendant that left the process
/// group may still hold open.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);
/// Longer lines are split, so a child printing binary garbage cannot grow memory without bound.
const MAX_LINE: usize = 64 * 1024;

/// Process-group ids of the `go` children that are alive. A process-wide static (not app state)
/// because the TUI's panic hook and signal handling must reach it without any handle: they call
/// [`kill_all_children`] so that no `go` outlives modscope.
static LIVE_GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

fn live_groups() -> MutexGuard<'static, BTreeSet<i32>> {
    // Poison must not stop the panic hook from killing children.
    LIVE_GROUPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// SIGKILLs the process group of every live `go` child, synchronously. For quit, the panic hook
/// and SIGTERM/SIGHUP handling (a tokio signal task: this takes a mutex, so it is not meant for a
/// raw async-signal handler). The jobs then finish with `Failed` ("killed by signal 9").
pub fn kill_all_children() {
    for &pgid in live_groups().iter() {
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
    }
}

/// Linux: the child gets SIGKILL when the thread that spawned it ends. go children are spawned
/// from the thread running the event loop (modscope's main thread), so even a `kill -9` of
/// modscope, which runs no cleanup, leaves no `go` behind.
#[allow(unsafe_code)]
fn die_with_parent(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        let parent = nix::unistd::getpid();
        // SAFETY: the closure runs in the forked child before exec and makes only two system
        // calls, allocating nothing (an error is a raw OS error).
        unsafe {
            cmd.pre_exec(move || {
                nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)
                    .map_err(|e| std::io::Error::from_raw_os_error(e as i32))?;
                // The parent may have died between fork and prctl: then nothing would fire.
                if nix::unistd::getppid() != parent {
                    return Err(std::io::Error::from_raw_os_error(nix::libc::ESRCH));
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

/// The process-group ids of the live `go` children (diagnostics and tests).
pub fn live_process_groups() -> Vec<i32> {
    live_groups().iter().copied().collect()
}

/// Keeps a child's group in the registry; dropping it SIGKILLs whatever is left of the group (a
/// no-op after a clean exit, the cleanup when the job's future is dropped) and deregisters it.
struct GroupGuard(i32);

impl GroupGuard {
    fn register(pgid: i32) -> Self {
        live_groups().insert(pgid);
        GroupGuard(pgid)
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let _ = killpg(Pid::from_raw(self.0), Signal::SIGKILL);
        live_groups().remove(&self.0);
    }
}

/// Starts `inv` as a background job: `Started`, `Output` lines, then `Finished`.
pub fn spawn_go(id: JobId, inv: GoInvocation, tx: JobSender) -> JobHandle {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let join = tokio::spawn(async move {
        send_started(id, &inv, &tx);
        let outcome = run_child(id, &inv, &tx, &token).await;
        send(&tx, id, JobEvent::Finished(outcome));
    });
    JobHandle { id, cancel, join }
}

/// Reads lines (as bytes, so invalid UTF-8 survives to be replaced). `next` is cancel-safe: a
/// partial line stays in `buf` when `select!` drops the future.
struct LineReader<R> {
    reader: Option<BufReader<R>>,
    buf: Vec<u8>,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    fn new(r: Option<R>) -> Self {
        LineReader {
            reader: r.map(BufReader::new),
            buf: Vec::new(),
        }
    }

    fn done(&self) -> bool {
        self.reader.is_none()
    }

    /// The next line; `None` at end of stream (or on a read error), after which `done()` holds.
    async fn next(&mut self) -> Option<String> {
        let reader = self.reader.as_mut()?;
        loop {
            let chunk = match reader.fill_buf().await {
                Ok(c) => c,
                Err(_) => &[][..],
            };
            if chunk.is_empty() {
                self.reader = None;
                return (!self.buf.is_empty()).then(|| self.take_line());
            }
            let (take, complete) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            self.buf.extend_from_slice(&chunk[..take]);
            reader.consume(take);
            if complete || self.buf.len() >= MAX_LINE {
                return Some(self.take_line());
            }
        }
    }

    fn take_line(&mut self) -> String {
        let mut bytes = std::mem::take(&mut self.buf);
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// What stderr said, for the `Failed` message.
#[derive(Default)]
struct StderrSummary {
    first: Option<String>,
    last: Option<String>,
    security_error: bool,
}

impl StderrSummary {
    fn push(&mut self, line: &str) {
        let t = line.trim();
        if t.is_empty() {
            return;
        }
        self.first.get_or_insert_with(|| t.to_string());
        self.last = Some(t.to_string());
        self.security_error |= t == "SECURITY ERROR";
    }

    /// The last non-empty line; for go's multi-line SECURITY ERROR text (whose last line is a
    /// pointer to `go help module-auth`) its first line, which names the module and the hashes.
    fn message(&self) -> Option<String> {
        if self.security_error {
            return self.first.as_ref().map(|f| format!("SECURITY ERROR: {f}"));
        }
        self.last.clone()
    }
}

fn outcome_of(status: ExitStatus, stderr: &StderrSummary) -> JobOutcome {
    use std::os::unix::process::ExitStatusExt;
    if status.success() {
        return JobOutcome::Succeeded;
    }
    let code = status.code();
    let fallback = match (code, status.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(s)) => format!("killed by signal {s}"),
        (None, None) => status.to_string(),
    };
    JobOutcome::Failed {
        message: stderr.message().unwrap_or(fallback),
        exit_code: code,
    }
}

fn spawn_error(inv: &GoInvocation, e: &std::io::Error) -> String {
    let program = inv.program.display();
    if e.kind() == std::io::ErrorKind::NotFound {
        if inv.program.components().count() > 1 {
            format!("cannot run {program}: no such file")
        } else {
            format!("cannot run `{program}`: not found on PATH (is Go installed?)")
        }
    } else {
        format!("cannot run {program}: {e}")
    }
}

async fn sleep_until_opt(at: Option<Instant>) {
    match at {
        Some(t) => sleep_until(t).await,
        None => std::future::pending().await,
    }
}

fn signal_group(pgid: Option<i32>, sig: Signal) {
    if let Some(p) = pgid {
        let _ = killpg(Pid::from_raw(p), sig);
    }
}

pub(crate) fn send_started(id: JobId, inv: &GoInvocation, tx: &JobSender) {
    send(
        tx,
        id,
        JobEvent::Started {
            command_line: inv.command_line(),
        },
    );
}

/// Runs the child to completion (or cancellation) and returns the outcome. Sends only `Output`
/// (the caller sends `Started` before and `Finished` after, around anything it adds).
pub(crate) async fn run_child(
    id: JobId,
    inv: &GoInvocation,
    tx: &JobSender,
    cancel: &CancellationToken,
) -> JobOutcome {
    if cancel.is_cancelled() {
        return JobOutcome::Cancelled;
    }
    if !inv.cwd.is_dir() {
        return JobOutcome::Failed {
            message: format!(
                "cannot run {}: directory {} does not exist",
                inv.program.display(),
                inv.cwd.display()
            ),
            exit_code: None,
        };
    }
    let mut cmd = Command::new(&inv.program);
    cmd.args(&inv.args)
        .current_dir(&inv.cwd)
        .envs(inv.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    die_with_parent(&mut cmd);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return JobOutcome::Failed {
                message: spawn_error(inv, &e),
                exit_code: None,
            };
        }
    };
    // With process_group(0) the group id is the child's pid. Never 0 or 1: killpg(0) would hit
    // modscope's own group.
    let pgid = child
        .id()
        .and_then(|p| i32::try_from(p).ok())
        .filter(|&p| p > 1);
    let mut guard = pgid.map(GroupGuard::register);
    let mut out = LineReader::new(child.stdout.take());
    let mut err = LineReader::new(child.stderr.take());
    let mut stderr = StderrSummary::default();
    let mut status: Option<std::io::Result<ExitStatus>> = None;
    let mut cancelled = false;
    let mut kill_at: Option<Instant> = None;
    let mut drain_until: Option<Instant> = None;

    while status.is_none() || !out.done() || !err.done() {
        tokio::select! {
            line = out.next(), if !out.done() => if let Some(line) = line {
                send(tx, id, JobEvent::Output { stream: OutputStream::Stdout, line });
            },
            line = err.next(), if !err.done() => if let Some(line) = line {
                stderr.push(&line);
                send(tx, id, JobEvent::Output { stream: OutputStream::Stderr, line });
            },
            st = child.wait(), if status.is_none() => {
                status = Some(st);
                // Kill stragglers (which could hold the pipes open) and deregister. Lines they
                // already wrote stay readable.
                drop(guard.take());
                drain_until = Some(Instant::now() + DRAIN_LIMIT);
            },
            _ = cancel.cancelled(), if !cancelled && status.is_none() => {
                cancelled = true;
                signal_group(pgid, Signal::SIGTERM);
                kill_at = Some(Instant::now() + TERM_GRACE);
            },
            _ = sleep_until_opt(kill_at), if kill_at.is_some() && status.is_none() => {
                signal_group(pgid, Signal::SIGKILL);
                kill_at = None;
            },
            _ = sleep_until_opt(drain_until), if drain_until.is_some() => break,
        }
    }
    match status {
        _ if cancelled => JobOutcome::Cancelled,
        Some(Ok(st)) => outcome_of(st, &stderr),
        Some(Err(e)) => JobOutcome::Failed {
            message: format!("waiting for {}: {e}", inv.program.display()),
            exit_code: None,
        },
        None => unreachable!("the loop only ends after the child exited"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_security_error_is_named_by_its_first_line() {
        let mut s = StderrSummary::default();
        for l in [
            "verifying example.com/a@v1.0.0: checksum mismatch",
            "\tdownloaded: h1:x",
            "",
            "SECURITY ERROR",
            "For more information, see 'go help module-auth'.",
        ] {
            s.push(l);
        }
        assert_eq!(
            s.message().unwrap(),
            "SECURITY ERROR: verifying example.com/a@v1.0.0: checksum mismatch"
        );
        let mut s = StderrSummary::default();
        s.push("go: downloading x");
        s.push("go: example.com/b@v1.0.0: not found");
        s.push("   ");
        assert_eq!(s.message().unwrap(), "go: example.com/b@v1.0.0: not found");
    }

    #[tokio::test]
    async fn lines_keep_invalid_utf8_crlf_and_a_last_unterminated_line() {
        let data: &[u8] = b"a\r\nb\xffc\n\nlast";
        let mut r = LineReader::new(Some(data));
        let mut lines = Vec::new();
        while let Some(l) = r.next().await {
            lines.push(l);
        }
        assert!(r.done());
        assert_eq!(lines, ["a", "b\u{fffd}c", "", "last"]);
    }

    #[tokio::test]
    async fn overlong_lines_are_split() {
        let data = vec![b'x'; MAX_LINE * 2 + 10];
        let mut r = LineReader::new(Some(&data[..]));
        let mut lens = Vec::new();
        while let Some(l) = r.next().await {
            lens.push(l.len());
        }
        assert_eq!(lens.iter().sum::<usize>(), data.len());
        assert!(lens.iter().all(|&n| n <= MAX_LINE + 8 * 1024));
    }
}
