//! Helpers for tests/hostile_cache.rs: running the real binary with a time limit, hand-written
//! zips (any name, any declared size), a deflate stream of zeros built without compressing it,
//! and making file permissions bite when the tests run as root.

#![allow(dead_code)]

use gomodcache::analysis::report::{ModuleReport, Report, Status};
pub use gomodcache::synth::raw_zip::{Entry, zip_bytes};
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a loaded 2-core machine; a hang is far longer.
pub const TIME_LIMIT: Duration = Duration::from_secs(240);

pub struct Run {
    pub report: Option<Report>,
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn report(&self) -> &Report {
        self.report.as_ref().unwrap_or_else(|| {
            panic!(
                "no JSON report (exit {}):\n{}\n{}",
                self.code,
                String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(4000)]),
                self.stderr
            )
        })
    }

    /// Exit code as documented, and nothing on stderr that a panic or a crash prints.
    pub fn assert_exit(&self, code: i32) {
        for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace", "SIGSEGV"] {
            assert!(
                !self.stderr.contains(bad),
                "stderr shows a crash:\n{}",
                self.stderr
            );
        }
        assert_eq!(
            self.code,
            code,
            "exit code; stderr:\n{}\nstdout starts:\n{}",
            self.stderr,
            String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(4000)])
        );
    }
}

/// Runs `cmd` to the end with [`TIME_LIMIT`], reading its output as it comes (a report can be
/// far larger than a pipe). A run past the limit is killed and fails the test: a hang.
pub fn run_limited(mut cmd: Command) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {TIME_LIMIT:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let stdout = out_thread.join().unwrap();
    let stderr = String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal ({status:?}); stderr:\n{stderr}"));
    let report = serde_json::from_slice(&stdout).ok();
    Run {
        report,
        code,
        stdout,
        stderr,
        elapsed,
    }
}

pub fn find<'a>(r: &'a Report, path: &str) -> &'a ModuleReport {
    r.modules
        .iter()
        .find(|m| m.path == path)
        .unwrap_or_else(|| panic!("{path} not in the report"))
}

/// Every module but `except` is cached with no problem at all.
pub fn assert_others_cached(r: &Report, except: &str) {
    for m in r.modules.iter().filter(|m| m.path != except) {
        assert_eq!(
            (m.status, &m.problems),
            (Status::Cached, &Vec::new()),
            "{} should be untouched by the fault in {except}",
            m.path
        );
    }
}

/// The problem of `kind` whose message holds every needle; panics with the module otherwise.
pub fn problem<'a>(m: &'a ModuleReport, kind: &str, needles: &[&str]) -> &'a str {
    m.problems
        .iter()
        .find(|p| p.kind.as_str() == kind && needles.iter().all(|n| p.message.contains(n)))
        .map(|p| p.message.as_str())
        .unwrap_or_else(|| panic!("no {kind} problem mentioning {needles:?} in {m:#?}"))
}

/// The entries of an existing zip, re-read with the zip crate, to be written back stored.
pub fn entries_of(zip: &Path) -> Vec<Entry> {
    let mut a = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            Entry::stored(f.name_raw().to_vec(), data)
        })
        .collect()
}

/// A raw deflate stream that inflates to `mib` MiB of zeros, about 1 KiB per MiB: one MiB is
/// compressed once with a full flush (byte-aligned, dictionary reset, so it stands alone),
/// repeated, and closed with an empty final block. Nothing of that size is ever in memory.
pub fn zeros_deflate(mib: usize) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let input = vec![0u8; 1 << 20];
    let mut segment = Vec::with_capacity(64 << 10);
    while c.total_in() < input.len() as u64 {
        let done = c.total_in() as usize;
        c.compress_vec(&input[done..], &mut segment, flate2::FlushCompress::Full)
            .unwrap();
    }
    let mut out = Vec::with_capacity(segment.len() * mib + 2);
    for _ in 0..mib {
        out.extend(&segment);
    }
    out.extend([0x03, 0x00]); // final fixed-Huffman block holding only end-of-block
    out
}

/// Runs `modscope`-like commands so that file permissions apply: nothing as a normal user; as
/// root, `setpriv` without the two capabilities that bypass them. Err(reason) when that cannot
/// be done here, proven by trying to read `probe` (a file with mode 000) through it.
pub fn permission_wrapper(probe: &Path) -> Result<Vec<String>, String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| e.to_string())?;
    let root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let wrap: Vec<String> = if root {
        [
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search",
            "--",
        ]
        .map(String::from)
        .to_vec()
    } else {
        Vec::new()
    };
    let mut cmd = match wrap.split_first() {
        Some((p, rest)) => {
            let mut c = Command::new(p);
            c.args(rest).arg("cat");
            c
        }
        None => Command::new("cat"),
    };
    let out = cmd
        .arg(probe)
        .output()
        .map_err(|e| format!("cannot run {wrap:?}: {e}"))?;
    if out.status.success() {
        return Err(format!(
            "a file with mode 000 can still be read here (root: {root}, wrapper {wrap:?})"
        ));
    }
    Ok(wrap)
}

/// `prog args…` behind `wrap`.
pub fn wrapped(wrap: &[String], prog: &Path) -> Command {
    match wrap.split_first() {
        Some((p, rest)) => {
            let mut c = Command::new(p);
            c.args(rest).arg(prog);
            c
        }
        None => Command::new(prog),
    }
}

pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Deterministic bytes that do not compress (xorshift), for a module whose zip is large.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Every path under `root` with its type, mode, size, mtime and ctime (nanoseconds): any write,
/// chmod, touch or created-and-removed file changes it.
pub fn snapshot(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, [i128; 5]> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let m = e.path().symlink_metadata().unwrap();
            (
                e.path().to_path_buf(),
                [
                    i128::from(m.mode()),
                    i128::from(m.size()),
                    i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
                    i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
                    i128::from(m.is_dir()),
                ],
            )
        })
        .collect()
}
