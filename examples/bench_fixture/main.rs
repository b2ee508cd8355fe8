//! The helper of `scripts/bench.sh`: writes large synthetic Go projects (a `file://` proxy for the
//! real `go` to download from, or a module cache laid out directly), counts the bytes a full
//! check hashes, and times the inspector's keystroke → frame path on a large list.
//!
//! ```text
//! cargo run --release --example bench_fixture -- proxy  OUT N [big|small]  # OUT/proxy + OUT/project
//! cargo run --release --example bench_fixture -- cache  OUT N [big|small]  # OUT/modcache + OUT/project
//! cargo run --release --example bench_fixture -- bytes  GOMODCACHE         # bytes a full check hashes
//! cargo run --release --example bench_fixture -- inflate GOMODCACHE        # inflate-only time, zlib-rs vs libdeflate
//! cargo run --release --example bench_fixture -- render PROJECT GOMODCACHE [ITERATIONS]  # keystroke → frame
//! ```
//!
//! Everything is deterministic (a fixed-seed generator), needs no network and writes only under
//! OUT. Module content is Go-like text: 20–200 files per module (`big`), mostly small `.go` files
//! with a few larger generated files and test data; `small` has 2–12 small files per module;
//! `real` follows the file counts and sizes of a real project's modules (see [`REAL_COUNTS`]).

mod generate;
mod timings;

use generate::{Profile, generate};
use std::path::Path;
use std::process::ExitCode;
use timings::{count_bytes, inflate_bench, render_bench};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let result = match (arg(0), arg(1), arg(2)) {
        (Some(mode @ ("proxy" | "cache")), Some(out), Some(n)) => {
            let profile = match arg(3).unwrap_or("big") {
                "big" => Profile::Big,
                "small" => Profile::Small,
                "real" => Profile::Real,
                other => return usage(&format!("unknown profile {other:?}")),
            };
            match n.parse() {
                Ok(n) => generate(Path::new(out), n, profile, mode == "proxy"),
                Err(_) => return usage("N must be a number"),
            }
        }
        (Some("bytes"), Some(cache), None) => count_bytes(Path::new(cache)),
        (Some("inflate"), Some(cache), None) => inflate_bench(Path::new(cache)),
        (Some("render"), Some(project), Some(cache)) => match arg(3).unwrap_or("200").parse() {
            Ok(iters) => render_bench(Path::new(project), Path::new(cache), iters),
            _ => return usage("ITERATIONS must be a number"),
        },
        _ => return usage("bad arguments"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_fixture: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!(
        "bench_fixture: {msg}\nusage: bench_fixture proxy|cache OUT N [big|small|real] | bytes GOMODCACHE | inflate GOMODCACHE | render PROJECT GOMODCACHE [ITERATIONS]"
    );
    ExitCode::from(2)
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
