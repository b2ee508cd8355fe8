//! The real binary in a pseudo-terminal: a reader thread feeds every byte to a `vt100` parser
//! (the screen a person would see) and keeps a raw copy (to check the escape sequences), plus
//! /proc helpers to prove that no process outlives the app.
//!
//! Every wait is bounded: on timeout the helper panics with the screen on it, and dropping a
//! [`PtyApp`] kills an app that is still running, so a hung app fails the test instead of
//! hanging it.

#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
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
            if pred(&screen) {
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

/// What a stuck process is doing: its pending and caught signals, and each thread's state,
/// kernel wait channel and current syscall (from /proc).
pub fn thread_report(pid: i32) -> String {
    let mut out = String::new();
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        for l in status.lines().filter(|l| {
            ["State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"]
                .iter()
                .any(|k| l.starts_with(k))
        }) {
            out.push_str(l);
            out.push('\n');
        }
    }
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for t in tasks.flatten() {
        let read = |f: &str| {
            std::fs::read_to_string(t.path().join(f))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let stat = read("stat");
        let state = stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .unwrap_or("?")
            .to_string();
        out.push_str(&format!(
            "{} {:<16} {state} wchan={} syscall={}\n",
            t.file_name().to_string_lossy(),
            read("comm"),
            read("wchan"),
            read("syscall"),
        ));
    }
    out
}

fn lock(s: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panicking test thread must not hide the screen from the next assertion.
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where `haystack` contains `needle` (byte offset of the first occurrence).
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where `haystack` contains `needle` last.
pub fn rfind_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// One process as /proc shows it.
#[derive(Debug, Clone)]
pub struct ProcInfo {
    pub pid: i32,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    /// `R`, `S`, `Z` (zombie: already dead, waiting to be reaped), …
    pub state: char,
    pub comm: String,
    /// Arguments joined by spaces.
    pub cmdline: String,
    pub cwd: Option<PathBuf>,
}

impl ProcInfo {
    /// Running or sleeping, not merely an unreaped zombie.
    pub fn alive(&self) -> bool {
        !matches!(self.state, 'Z' | 'X' | 'x')
    }
}

pub fn process(pid: i32) -> Option<ProcInfo> {
    let dir = PathBuf::from(format!("/proc/{pid}"));
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_string();
    let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
    let num = |i: usize| fields.get(i).and_then(|f| f.parse::<i32>().ok());
    let cmdline = std::fs::read(dir.join("cmdline"))
        .map(|b| {
            String::from_utf8_lossy(&b)
                .split('\0')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    Some(ProcInfo {
        pid,
        ppid: num(1)?,
        pgrp: num(2)?,
        session: num(3)?,
        state: fields.first()?.chars().next()?,
        comm,
        cmdline,
        cwd: std::fs::read_link(dir.join("cwd")).ok(),
    })
}

/// Every process (those that vanish while being read are skipped).
pub fn processes() -> Vec<ProcInfo> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(process)
        .collect()
}

/// Live processes matching `pred`.
pub fn live_processes(pred: impl Fn(&ProcInfo) -> bool) -> Vec<ProcInfo> {
    processes()
        .into_iter()
        .filter(|p| p.alive() && pred(p))
        .collect()
}

/// Polls until no live process matches `pred`; returns the survivors after `timeout`.
pub fn wait_no_process(timeout: Duration, pred: impl Fn(&ProcInfo) -> bool) -> Vec<ProcInfo> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = live_processes(&pred);
        if left.is_empty() || Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// SIGKILLs, when dropped, every live process whose command line contains the marker: a failing
/// test must not leave its fake `go` (or what it started) running.
pub struct KillOnDrop(pub String);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for p in live_processes(|p| p.cmdline.contains(&self.0)) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(p.pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

/// Where `program` is on the test's PATH.
pub fn which(program: &str) -> PathBuf {
    std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} not on PATH"))
}

/// Waits (up to `timeout`) for a file holding a pid, and returns the pid.
pub fn read_pid(path: &Path, timeout: Duration) -> i32 {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(pid) = std::fs::read_to_string(path)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            return pid;
        }
        assert!(
            Instant::now() < deadline,
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Writes `dir/go`, a `/bin/sh` script with `body` (which may use `$D` for `dir`), and
/// `dir/sleeper`, a copy of `sleep`: every process the fake starts runs a program under `dir`, so
/// /proc cmdlines name `dir` (see [`KillOnDrop`]).
pub fn write_fake_go(dir: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let sleeper = dir.join("sleeper");
    std::fs::copy(which("sleep"), &sleeper).unwrap();
    std::fs::set_permissions(&sleeper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = format!("#!/bin/sh\nD='{}'\n{body}", dir.display());
    let go = dir.join("go");
    std::fs::write(&go, script).unwrap();
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A `go` that never finishes: it records its pid in `go.pid`, starts a grandchild that ignores
/// SIGTERM (so only a SIGKILL of the whole process group ends it, its pid in `grandchild.pid`),
/// prints a line on stderr and sleeps. `stubborn`: the script itself ignores SIGTERM too, so
/// the app must escalate to SIGKILL after its grace period.
pub fn slow_fake_go(dir: &Path, stubborn: bool) {
    let trap = if stubborn { "trap '' TERM\n" } else { "" };
    write_fake_go(
        dir,
        &format!(
            "{trap}\
             echo $$ > \"$D/go.pid\"\n\
             ( trap '' TERM; exec \"$D/sleeper\" 300 ) &\n\
             echo $! > \"$D/grandchild.pid\"\n\
             echo 'go: downloading (fake, slow)' >&2\n\
             \"$D/sleeper\" 300\n"
        ),
    );
}

/// The terminal was given back: the alternate screen left after it was entered, mouse capture
/// disabled after it was enabled (the raw bytes), and the emulated terminal agrees.
pub fn assert_terminal_restored(app: &PtyApp) {
    let raw = app.raw();
    let enter = find_bytes(&raw, b"\x1b[?1049h").expect("the alternate screen was never entered");
    let leave = rfind_bytes(&raw, b"\x1b[?1049l").expect("the alternate screen was never left");
    assert!(
        leave > enter,
        "left the alternate screen before entering it"
    );
    let mouse_on = rfind_bytes(&raw, b"\x1b[?1000h").expect("mouse capture was never enabled");
    for off in [
        "\x1b[?1006l",
        "\x1b[?1015l",
        "\x1b[?1003l",
        "\x1b[?1002l",
        "\x1b[?1000l",
    ] {
        let at = rfind_bytes(&raw, off.as_bytes())
            .unwrap_or_else(|| panic!("mouse capture not disabled: {off:?} never written"));
        assert!(
            at > mouse_on,
            "{off:?} written before mouse capture was enabled"
        );
    }
    app.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        assert_eq!(
            s.mouse_protocol_encoding(),
            vt100::MouseProtocolEncoding::Default
        );
        assert!(!s.hide_cursor(), "the cursor is still hidden");
    });
    // Raw mode off again: canonical input and echo are back on the pty.
    let flags = app.local_flags();
    assert!(
        flags.contains("ICANON") && flags.contains("ECHO"),
        "the pty is still in raw mode: {flags}"
    );
}

/// A module row of the list on `screen`: `│  ✓ cached   example.com/alpha  v1.0.0 …`.
#[allow(dead_code)]
pub fn row_shows(screen: &str, path: &str, status: &str) -> bool {
    screen
        .lines()
        .any(|l| l.starts_with('│') && l.contains(&format!(" {path} ")) && l.contains(status))
}
