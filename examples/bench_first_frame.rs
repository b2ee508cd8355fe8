//! Time to the inspector's first classified frame, measured from outside as a user sees it, side
//! by side with a reference command (`go list -m -json all`), for `scripts/bench.sh`.
//!
//!   bench_first_frame MODSCOPE PROJECT RUNS REFERENCE [ARG ...]
//!
//! Each round starts `MODSCOPE` in a 120×40 pseudo-terminal in PROJECT (the environment is
//! inherited) and stops the clock when the emulated screen first shows a classified list: the
//! header's module count above zero and no "scanning…". Then it quits the inspector (not
//! timed) and runs REFERENCE once (timed, output discarded). Rounds alternate so both see the
//! same machine. One warm-up round is not counted. Prints medians in ms and their ratio.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [modscope, project, runs, reference @ ..] = args.as_slice() else {
        eprintln!("usage: bench_first_frame MODSCOPE PROJECT RUNS REFERENCE [ARG ...]");
        return ExitCode::from(2);
    };
    let Ok(runs) = runs.parse::<usize>() else {
        eprintln!("RUNS must be a number");
        return ExitCode::from(2);
    };
    if reference.is_empty() {
        eprintln!("no reference command");
        return ExitCode::from(2);
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..=runs {
        let frame = match first_frame(modscope, project) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("bench_first_frame: {e}");
                return ExitCode::FAILURE;
            }
        };
        let start = Instant::now();
        let status = Command::new(&reference[0])
            .args(&reference[1..])
            .current_dir(project)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let reference_time = start.elapsed();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("bench_first_frame: the reference command failed");
            return ExitCode::FAILURE;
        }
        if round > 0 {
            ours.push(ms(frame));
            theirs.push(ms(reference_time));
        }
    }
    let (a, b) = (median(&mut ours), median(&mut theirs));
    println!(
        "first_frame_ms={a:.1} reference_ms={b:.1} ratio={:.3} runs={runs} first_frame_all={:?} reference_all={:?}",
        a / b,
        ours,
        theirs
    );
    ExitCode::SUCCESS
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Whether the screen shows the list classified: "N modules" with N > 0, not scanning.
fn classified(screen: &str) -> bool {
    if screen.contains("scanning…") {
        return false;
    }
    screen.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words
            .windows(2)
            .any(|w| w[1] == "modules" && w[0].parse::<u64>().is_ok_and(|n| n > 0))
    })
}

fn first_frame(modscope: &str, project: &str) -> Result<Duration, String> {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| format!("openpty: {e}"))?;
    let mut cmd = CommandBuilder::new(modscope);
    cmd.cwd(project);
    cmd.env("TERM", "xterm-256color");
    let mut reader = pair.master.try_clone_reader().map_err(|e| e.to_string())?;
    let mut writer = pair.master.take_writer().map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .map_err(|e| format!("cannot start {modscope}: {e}"))?;
    drop(pair.slave);
    let nz = |n: u16| std::num::NonZeroU16::new(n).expect("not zero");
    let mut parser = vt100::Parser::new(nz(40), nz(120), 0);
    let elapsed = loop {
        let left = LIMIT.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok(bytes) => {
                parser.process(&bytes);
                if classified(&parser.screen().contents()) {
                    break start.elapsed();
                }
            }
            Err(_) => {
                let _ = child.kill();
                return Err(format!(
                    "no classified frame within {LIMIT:?}; the screen was:\n{}",
                    parser.screen().contents()
                ));
            }
        }
    };
    let _ = writer.write_all(b"q");
    let _ = writer.flush();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
        }
    }
    Ok(elapsed)
}
