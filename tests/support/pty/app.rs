//! [`PtyApp`]: the real binary in a pseudo-terminal, its screen as a person would see it (a
//! `vt100` parser fed by a reader thread) and the raw bytes, keys sent, bounded waits.

use super::procs::thread_report;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

pub struct PtyApp {
    shared: Arc<Mutex<Shared>>,
    child: Box<dyn Child + Send + Sync>,
    /// `None` once the terminal was hung up.
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    reader: Option<JoinHandle<()>>,
    /// Tells the reader to stop after its next read (it holds a master fd of its own).
    stop_reading: Arc<AtomicBool>,
    pid: i32,
    size: (u16, u16),
}

/// The inspector (`modscope -C project`) in a 120×40 pty, in `project`, with `env` and
/// `TERM=xterm-256color`.
pub fn inspector(project: &Path, env: &[(String, String)]) -> PtyApp {
    let mut env = env.to_vec();
    env.push(("TERM".into(), "xterm-256color".into()));
    PtyApp::spawn(
        env!("CARGO_BIN_EXE_modscope"),
        &["-C", &project.display().to_string()],
        &env,
        project,
        120,
        40,
    )
}

/// `modscope --demo` in a 120×40 pty, with `home` as HOME, TMPDIR and working directory, and
/// nothing of the test's environment but PATH.
pub fn demo_inspector(home: &Path) -> PtyApp {
    let env: Vec<(String, String)> = vec![
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("HOME".into(), home.display().to_string()),
        ("TMPDIR".into(), home.display().to_string()),
        ("TERM".into(), "xterm-256color".into()),
    ];
    PtyApp::spawn(
        env!("CARGO_BIN_EXE_modscope"),
        &["--demo"],
        &env,
        home,
        120,
        40,
    )
}

impl PtyApp {
    /// Starts `program args` in a `cols`×`rows` pty, in `cwd`, with exactly `env` (nothing of
    /// the test's own environment is inherited).
    pub fn spawn(
        program: &str,
        args: &[&str],
        env: &[(String, String)],
        cwd: &Path,
        cols: u16,
        rows: u16,
    ) -> PtyApp {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        // Only the child holds the slave now: when it exits, reads on the master end.
        drop(pair.slave);
        let pid = child.process_id().expect("child pid") as i32;
        let master = pair.master;
        let mut reader = master.try_clone_reader().expect("pty reader");
        let writer = master.take_writer().expect("pty writer");
        let nz = |n: u16| NonZeroU16::new(n).expect("non-zero terminal size");
        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            eof: false,
        }));
        let feed = Arc::clone(&shared);
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut s = lock(&feed);
                        s.raw.extend_from_slice(&buf[..n]);
                        s.parser.process(&buf[..n]);
                    }
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
            lock(&feed).eof = true;
        });
        PtyApp {
            shared,
            child,
            master: Some(master),
            writer: Some(writer),
            reader: Some(reader),
            stop_reading,
            pid,
            size: (cols, rows),
        }
    }

    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The screen as text, one line per row (trailing blanks trimmed).
    pub fn screen(&self) -> String {
        lock(&self.shared).parser.screen().contents()
    }

    pub fn lines(&self) -> Vec<String> {
        let s = lock(&self.shared);
        let (_, cols) = s.parser.screen().size();
        s.parser.screen().rows(0, cols.get()).collect()
    }

    /// Runs `f` on the emulated screen (cells, colours, modes).
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(lock(&self.shared).parser.screen())
    }

    /// Every byte the app wrote to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        lock(&self.shared).raw.clone()
    }

    /// Whether the app closed the terminal (it exited, or at least closed every slave fd).
    pub fn output_closed(&self) -> bool {
        lock(&self.shared).eof
    }

    /// Types bytes as the user would (`\r` is Enter, `\x1b` is Esc).
    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("the terminal was hung up");
        w.write_all(bytes).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// Polls the screen until `pred` holds; panics after `timeout` (or as soon as the app has
    /// exited without it holding) with the screen in the message.
    pub fn wait_until(&mut self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            // A screen read while the app is still writing a frame can hold half of it: the
            // condition is judged again once the output has been quiet for a moment.
            if pred(&screen) && pred(&self.settled_screen()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader take the last bytes, then look one more time.
                std::thread::sleep(Duration::from_millis(100));
                let screen = self.screen();
                if pred(&screen) {
                    return;
                }
                panic!("the app exited ({status:?}) before: {what}\n--- screen ---\n{screen}");
            }
            if Instant::now() >= deadline {
                panic!("timed out after {timeout:?} waiting for: {what}\n--- screen ---\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The screen once no byte has arrived for 40 ms (at most half a second of waiting: an app
    /// that keeps drawing is read as it is then).
    fn settled_screen(&self) -> String {
        let give_up = Instant::now() + Duration::from_millis(500);
        let mut seen = lock(&self.shared).raw.len();
        while Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(40));
            let now = lock(&self.shared).raw.len();
            if now == seen {
                break;
            }
            seen = now;
        }
        self.screen()
    }

    /// Waits for `needle` to be on screen.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) {
        self.wait_until(&format!("{needle:?} on screen"), timeout, |s| {
            s.contains(needle)
        });
    }

    /// Waits for the app to exit; kills it and panics if it is still running `timeout` after
    /// `since` (when it was told to quit). Returns the exit status and when it was seen. Afterwards
    /// the reader has seen every byte (a descendant still holding the pty open is reported).
    pub fn wait_exit(
        &mut self,
        since: Instant,
        timeout: Duration,
    ) -> (portable_pty::ExitStatus, Duration) {
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    let took = since.elapsed();
                    self.join_reader(Duration::from_secs(5));
                    return (status, took);
                }
                Ok(None) => {}
                Err(e) => panic!("waiting for the app: {e}"),
            }
            if since.elapsed() >= timeout {
                let screen = self.screen();
                let threads = thread_report(self.pid);
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the app did not exit within {timeout:?} (killed it)\n--- threads ---\n\
                     {threads}--- screen ---\n{screen}"
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn join_reader(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.output_closed() {
            assert!(
                Instant::now() < deadline,
                "the app exited but its terminal is still held open (by a surviving descendant?)"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
    }

    /// Resizes the terminal (the app gets SIGWINCH); the emulated screen first, so that what
    /// the app draws for the new size lands on a screen of that size.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let nz = |n: u16| NonZeroU16::new(n).expect("non-zero terminal size");
        let mut s = lock(&self.shared);
        s.parser.set_size(nz(rows), nz(cols));
        self.size = (cols, rows);
        self.master
            .as_ref()
            .expect("the terminal was hung up")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// Whether the app is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes the terminal as a closed window or a dropped ssh connection does: every master
    /// fd is closed, so the kernel hangs the pty up (SIGHUP to the app, its session leader;
    /// reads and writes on it fail from then on). Closing the writer first sends a newline and
    /// EOF, as portable-pty does; the reader is stopped by making the app redraw once.
    pub fn hang_up(&mut self) {
        self.stop_reading.store(true, Ordering::SeqCst);
        let (cols, rows) = self.size;
        self.resize(cols, rows.saturating_sub(1).max(2));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.output_closed() {
            assert!(
                Instant::now() < deadline,
                "the app did not redraw after a resize"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
        self.writer = None;
        self.master = None;
    }

    /// The pty's local-mode flags as text (`ICANON`, `ECHO`, …): raw mode clears them.
    pub fn local_flags(&self) -> String {
        let t = self
            .master
            .as_ref()
            .expect("the terminal was hung up")
            .get_termios()
            .expect("tcgetattr on the pty");
        format!("{:?}", t.local_flags)
    }
}

impl Drop for PtyApp {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn lock(s: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panicking test thread must not hide the screen from the next assertion.
    s.lock().unwrap_or_else(PoisonError::into_inner)
}
