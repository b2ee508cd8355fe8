//! The process table from /proc: what a process is and is doing, waiting for processes to end,
//! killing what a failed test left behind, and pid files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
