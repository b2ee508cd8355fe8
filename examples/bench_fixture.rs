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

use gomodcache::analysis::check::{CheckOptions, run_check};
use gomodcache::analysis::report::CheckMode;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::ValueSource;
use gomodcache::graph::{ModGraph, Node};
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::load_project;
use gomodcache::synth::{SynthModule, go_mod_text, write_cache_entry, write_proxy};
use modscope::tui::app_state::AppState;
use modscope::tui::message::Msg;
use modscope::tui::update::update;
use modscope::tui::view::view;
use rayon::prelude::*;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

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

/// splitmix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// Roughly log-uniform in `lo..=hi`: many small values, few large ones (file sizes).
    fn log_range(&mut self, lo: u64, hi: u64) -> u64 {
        let (a, b) = ((lo as f64).ln(), (hi as f64).ln());
        let t = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (a + (b - a) * t).exp() as u64
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

#[derive(Clone, Copy)]
enum Profile {
    Big,
    Small,
    Real,
}

/// The `real` profile's distribution, measured on the module cache that
/// `go mod download` fills for github.com/caddyserver/caddy/v2@v2.8.4 (fetched through
/// proxy.golang.org, go1.26.8, 2026-12-06): 142 module zips, 18,412 files, 204 MiB of content
/// (80 MiB compressed). Files per module at these percentiles:
const REAL_COUNTS: &[(f64, f64)] = &[
    (0.0, 5.0),
    (0.05, 7.0),
    (0.1, 8.0),
    (0.2, 14.0),
    (0.3, 17.0),
    (0.4, 22.0),
    (0.5, 31.0),
    (0.6, 57.0),
    (0.7, 73.0),
    (0.8, 145.0),
    (0.85, 254.0),
    (0.9, 426.0),
    (0.95, 527.0),
    (0.97, 778.0),
    (0.99, 1380.0),
    (1.0, 1913.0),
];
/// File sizes in bytes over all 18,412 files, same source, at the given percentiles.
const REAL_SIZES: &[(f64, f64)] = &[
    (0.0, 0.0),
    (0.01, 5.0),
    (0.05, 13.0),
    (0.1, 30.0),
    (0.2, 203.0),
    (0.3, 508.0),
    (0.4, 1000.0),
    (0.5, 1706.0),
    (0.6, 2862.0),
    (0.7, 4632.0),
    (0.8, 7880.0),
    (0.9, 15357.0),
    (0.95, 29344.0),
    (0.97, 45947.0),
    (0.98, 65674.0),
    (0.99, 130477.0),
    (0.993, 199903.0),
    (0.996, 304529.0),
    (0.998, 540828.0),
    (0.999, 1183602.0),
    (0.9995, 1650597.0),
    (1.0, 8415851.0),
];
/// Same source: 18 % of the files (19 % of the bytes) hardly compress (deflated to more than
/// 3/4 of their size: test data, images, compressed corpora); the rest is source text.
const REAL_INCOMPRESSIBLE: u64 = 18;

/// A uniform draw in [0, 1).
fn unit(rng: &mut Rng) -> f64 {
    (rng.next() >> 11) as f64 / (1u64 << 53) as f64
}

/// The value at `u` (in [0, 1)) of a distribution given by percentiles: linear between the two
/// points around it, log-linear where both are at least 1 (sizes and counts spread over orders
/// of magnitude).
fn from_percentiles(u: f64, table: &[(f64, f64)]) -> u64 {
    let i = table
        .iter()
        .position(|&(p, _)| p >= u)
        .unwrap_or(table.len() - 1)
        .max(1);
    let ((p0, v0), (p1, v1)) = (table[i - 1], table[i]);
    let t = if p1 > p0 { (u - p0) / (p1 - p0) } else { 0.0 };
    let v = if v0 >= 1.0 && v1 >= 1.0 {
        (v0.ln() + (v1.ln() - v0.ln()) * t).exp()
    } else {
        v0 + (v1 - v0) * t
    };
    v.round() as u64
}

/// Bytes that do not compress.
fn noise(rng: &mut Rng, size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 8);
    while out.len() < size {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(size);
    out
}

const KEYWORDS: &[&str] = &[
    "if", "for", "return", "func", "var", "const", "type", "struct", "range", "defer", "go",
    "switch", "case", "err", "nil", "ctx", "len", "make", "append", "string", "int", "error",
    "bool", "byte", "true", "false", ":=", "=", "!=", "==", "{", "}", "(", ")", "&&", "||",
];
const SYLLABLES: &[&str] = &[
    "buf", "conn", "node", "tree", "hash", "read", "write", "parse", "token", "value", "key",
    "list", "map", "set", "get", "load", "store", "sync", "lock", "path", "file", "dir", "mod",
    "sum", "zip", "info", "req", "resp", "client", "server", "handler", "codec", "frame", "item",
    "count", "index", "offset", "size", "limit", "state", "config", "option", "result", "entry",
];

fn ident(rng: &mut Rng, exported: bool) -> String {
    let mut s = String::new();
    for i in 0..rng.range(1, 3) {
        let syl = rng.pick(SYLLABLES);
        if i > 0 || exported {
            let mut c = syl.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push_str(syl);
        }
    }
    if rng.below(8) == 0 {
        s.push_str(&rng.below(10).to_string());
    }
    s
}

/// Go-looking text of about `size` bytes (compresses like real source, about 4:1).
fn go_text(rng: &mut Rng, pkg: &str, size: usize) -> Vec<u8> {
    let mut s =
        format!("// Code in package {pkg}. Synthetic benchmark content.\n\npackage {pkg}\n\n");
    while s.len() < size {
        let name = ident(rng, true);
        s.push_str(&format!(
            "// {name} {} the {} of a {}.\nfunc {name}({} {}) ({}, error) {{\n",
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES),
            ident(rng, false),
            rng.pick(&["int", "string", "[]byte", "*Node", "context.Context"]),
            rng.pick(&["int", "string", "bool", "[]byte"]),
        ));
        for _ in 0..rng.range(2, 12) {
            s.push('\t');
            for _ in 0..rng.range(3, 9) {
                if rng.below(3) == 0 {
                    s.push_str(rng.pick(KEYWORDS));
                } else {
                    let exported = rng.below(2) == 0;
                    s.push_str(&ident(rng, exported));
                }
                s.push(' ');
            }
            s.push('\n');
        }
        s.push_str("\treturn 0, nil\n}\n\n");
    }
    s.truncate(size.max(s.find("\n\n").unwrap_or(0)));
    s.push('\n');
    s.into_bytes()
}

fn module_path(i: usize) -> String {
    format!("bench.example/org{}/module-{i:05}", i % 37)
}

fn module_version(i: usize) -> String {
    format!("v1.{}.{}", i % 7, i % 13)
}

fn synth_module(i: usize, n: usize, profile: Profile) -> SynthModule {
    let mut rng = Rng::new(i as u64);
    let path = module_path(i);
    let version = module_version(i);
    let mut m = SynthModule::new(&path, &version);
    let pkg = m.package_name();
    let (count, large) = match profile {
        Profile::Big => (rng.range(20, 200) as usize, rng.range(0, 2) as usize),
        Profile::Small => (rng.range(2, 12) as usize, 0),
        Profile::Real => return real_module(m, &mut rng, i, n),
    };
    let subdirs = [
        "",
        "internal/",
        "cmd/tool/",
        "pkg/codec/",
        "pkg/store/",
        "api/v1/",
    ];
    m = m
        .with_file("LICENSE", go_text(&mut rng, "license", 1100))
        .with_file("README.md", go_text(&mut rng, "readme", 2000));
    for k in 0..count.saturating_sub(3 + large) {
        let dir = subdirs[rng.below(subdirs.len() as u64) as usize];
        let test = if rng.below(3) == 0 { "_test" } else { "" };
        let size = rng.log_range(300, 10_000) as usize;
        m = m.with_file(
            format!("{dir}file{k:03}{test}.go"),
            go_text(&mut rng, &pkg, size),
        );
    }
    for k in 0..large {
        let size = rng.log_range(16 << 10, 256 << 10) as usize;
        let name = if k == 0 {
            "zz_generated.go".to_string()
        } else {
            format!("testdata/corpus{k}.txt")
        };
        m = m.with_file(name, go_text(&mut rng, &pkg, size));
    }
    m
}

/// Module `i` of `n` of the `real` profile: LICENSE and README plus files drawn from
/// [`REAL_COUNTS`] and [`REAL_SIZES`] (go.mod counts as one of them). Stratified, so that a few
/// hundred modules follow the distribution closely (its tail holds most of the bytes): module i
/// draws its file count from its own 1/n slice of the distribution (slices spread over the
/// modules by a fixed permutation), and a module's files draw their sizes one from each 1/count
/// slice, in shuffled order.
fn real_module(mut m: SynthModule, rng: &mut Rng, i: usize, n: usize) -> SynthModule {
    let pkg = m.package_name();
    let slice = (i * 7919 % n) as f64;
    let count = from_percentiles((slice + unit(rng)) / n as f64, REAL_COUNTS).max(3) as usize;
    let mut slices: Vec<usize> = (0..count - 3).collect();
    for k in (1..slices.len()).rev() {
        slices.swap(k, rng.below(k as u64 + 1) as usize);
    }
    let subdirs = [
        "",
        "internal/",
        "cmd/tool/",
        "pkg/codec/",
        "testdata/",
        "api/v1/",
    ];
    m = m
        .with_file("LICENSE", go_text(rng, "license", 1100))
        .with_file("README.md", go_text(rng, "readme", 2000));
    for (k, &s) in slices.iter().enumerate() {
        let dir = subdirs[rng.below(subdirs.len() as u64) as usize];
        let u = (s as f64 + unit(rng)) / slices.len() as f64;
        let size = from_percentiles(u, REAL_SIZES) as usize;
        let (name, data) = if rng.below(100) < REAL_INCOMPRESSIBLE {
            (format!("{dir}data{k:04}.bin"), noise(rng, size))
        } else {
            let test = if rng.below(3) == 0 { "_test" } else { "" };
            let mut text = go_text(rng, &pkg, size);
            text.truncate(size);
            (format!("{dir}file{k:04}{test}.go"), text)
        };
        m = m.with_file(name, data);
    }
    m
}

/// Writes the project (`go.mod` requiring every module, `go.sum` with both lines of each) and
/// either a `file://` proxy (`OUT/proxy`) or the module cache itself (`OUT/modcache`).
fn generate(out: &Path, n: usize, profile: Profile, proxy: bool) -> Result<()> {
    let project = out.join("project");
    std::fs::create_dir_all(&project)?;
    let target = out.join(if proxy { "proxy" } else { "modcache" });
    std::fs::create_dir_all(&target)?;
    let started = Instant::now();
    let results: Vec<Result<(String, usize, u64, u64)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let m = synth_module(i, n, profile);
            if proxy {
                // One path per module: write_proxy's list merge never races.
                write_proxy(&target, std::slice::from_ref(&m))?;
            } else {
                write_cache_entry(&target, &m)?;
            }
            let tree = m.tree();
            let bytes: u64 = tree.iter().map(|(_, d)| d.len() as u64).sum();
            let zip = m.zip_bytes().len() as u64;
            Ok((m.go_sum_lines(), tree.len(), bytes, zip))
        })
        .collect();
    let mut sum = String::new();
    let (mut files, mut bytes, mut zips) = (0usize, 0u64, 0u64);
    for r in results {
        let (lines, f, b, z) = r?;
        sum.push_str(&lines);
        files += f;
        bytes += b;
        zips += z;
    }
    let paths: Vec<(String, String)> = (0..n)
        .map(|i| (module_path(i), module_version(i)))
        .collect();
    let requires: Vec<(&str, &str)> = paths
        .iter()
        .map(|(p, v)| (p.as_str(), v.as_str()))
        .collect();
    std::fs::write(
        project.join("go.mod"),
        go_mod_text("bench.example/main", "1.21", &requires),
    )?;
    std::fs::write(project.join("go.sum"), sum)?;
    std::fs::write(project.join("main.go"), "package main\n\nfunc main() {}\n")?;
    println!(
        "modules={n} files={files} content_bytes={bytes} zip_bytes={zips} seconds={:.1}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What a full check hashes: the uncompressed content of every cached zip (all central-directory
/// entries) plus every file of every extracted tree.
fn count_bytes(cache: &Path) -> Result<()> {
    let (mut zip_bytes, mut tree_bytes, mut tree_files) = (0u64, 0u64, 0u64);
    let download = cache.join("cache");
    for entry in walkdir::WalkDir::new(cache) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        if path.starts_with(&download) {
            if path.extension().is_some_and(|e| e == "zip") {
                let archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
                for i in 0..archive.len() {
                    zip_bytes += archive.by_index_data(i).map(|e| e.size()).unwrap_or(0);
                }
            }
        } else {
            tree_bytes += entry.metadata()?.len();
            tree_files += 1;
        }
    }
    println!(
        "hashed_bytes={} zip_content_bytes={zip_bytes} tree_bytes={tree_bytes} tree_files={tree_files}",
        zip_bytes + tree_bytes
    );
    Ok(())
}

/// Inflate-only time over every entry of every cached zip, one thread, the raw entries read into
/// memory first (not timed): zlib-rs (streaming, one reused decompressor) against libdeflate
/// (one call per entry into a buffer of the declared size), and SHA-256 of the inflated bytes.
fn inflate_bench(cache: &Path) -> Result<()> {
    use sha2::Digest;
    let mut entries: Vec<(Vec<u8>, usize)> = Vec::new();
    for entry in walkdir::WalkDir::new(cache.join("cache/download")) {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "zip") {
            continue;
        }
        let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
        for i in 0..archive.len() {
            let mut f = archive.by_index_raw(i)?;
            if f.compression() != zip::CompressionMethod::Deflated {
                continue;
            }
            let size = f.size() as usize;
            let mut raw = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut raw)?;
            entries.push((raw, size));
        }
    }
    let total: u64 = entries.iter().map(|e| e.1 as u64).sum();
    let mut best = [f64::MAX; 3];
    let mut buf = vec![0u8; 256 << 10];
    let mut out = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut d = flate2::Decompress::new(false);
        for (raw, _) in &entries {
            d.reset(false);
            let mut pos = 0;
            loop {
                let before = d.total_in();
                let status = d.decompress(&raw[pos..], &mut buf, flate2::FlushDecompress::None)?;
                pos += (d.total_in() - before) as usize;
                if status == flate2::Status::StreamEnd {
                    break;
                }
            }
        }
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut d = libdeflater::Decompressor::new();
        for (raw, size) in &entries {
            out.resize(*size, 0);
            d.deflate_decompress(raw, &mut out[..*size])?;
        }
        best[1] = best[1].min(t.elapsed().as_secs_f64());
        let mut hashing = std::time::Duration::ZERO;
        for (raw, size) in &entries {
            out.resize(*size, 0);
            let n = d.deflate_decompress(raw, &mut out[..*size])?;
            let t = Instant::now();
            std::hint::black_box(sha2::Sha256::digest(&out[..n]));
            hashing += t.elapsed();
        }
        best[2] = best[2].min(hashing.as_secs_f64());
    }
    let mibs = |s: f64| total as f64 / 1048576.0 / s;
    println!(
        "entries={} inflated_bytes={total} zlib_rs_ms={:.1} zlib_rs_mibs={:.0} libdeflate_ms={:.1} libdeflate_mibs={:.0} sha256_ms={:.1} sha256_mibs={:.0}",
        entries.len(),
        best[0] * 1e3,
        mibs(best[0]),
        best[1] * 1e3,
        mibs(best[1]),
        best[2] * 1e3,
        mibs(best[2]),
    );
    Ok(())
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

/// Keystroke → frame on the list of every module of a project (the quick check's reports, as
/// the inspector's first frame has them), on ratatui's TestBackend at 160×48: the time of
/// `update(msg)` plus a full `view` draw, for filter keystrokes and for moving down.
fn render_bench(project_dir: &Path, gomodcache: &Path, iters: usize) -> Result<()> {
    let project = load_project(project_dir, Some("off"))?;
    let opts = CheckOptions {
        scope: gomodcache::analysis::check::CheckScope::Required,
        mode: CheckMode::Quick,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        gomodcache_source: ValueSource::CommandLine,
    };
    let report = run_check(&project, &ModuleCache::new(gomodcache), &opts);
    let n = report.modules.len();
    let mut state = AppState::new(
        project_dir.to_path_buf(),
        gomodcache.to_path_buf(),
        Vec::new(),
        false,
        Instant::now(),
    );
    state.color = true;
    update(
        &mut state,
        Msg::Resize {
            width: 160,
            height: 48,
        },
    );
    // What a finished scan leaves (set directly: the scan message also carries the project).
    state.header.main_module = report.main_module.clone();
    state.scanning = false;
    state.modules = report.modules;
    state.recompute_visible();
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48))?;
    terminal.draw(|f| view(&state, f))?;
    let mut frame = |state: &mut AppState, msg: Msg| -> Result<f64> {
        let t = Instant::now();
        update(state, msg);
        terminal.draw(|f| view(state, f))?;
        Ok(t.elapsed().as_secs_f64() * 1e3)
    };
    // Typing a filter that narrows the list step by step, then clearing it.
    let mut filter = Vec::new();
    update(&mut state, Msg::StartFilter);
    for _ in 0..iters.div_ceil(10) {
        for c in "module-12".chars() {
            filter.push(frame(&mut state, Msg::FilterInput(c))?);
        }
        filter.push(frame(&mut state, Msg::FilterClear)?);
        update(&mut state, Msg::StartFilter);
    }
    update(&mut state, Msg::FilterClear);
    let mut down = Vec::new();
    for _ in 0..iters {
        down.push(frame(&mut state, Msg::MoveDown)?);
    }
    // Moving with a dense module graph loaded (each module requiring the next and one of the
    // 50 after it): every selection change answers "why" for the new row.
    // From the last row upwards: the modules furthest from the main module.
    state.graph = Some(dense_graph(&state.modules));
    update(&mut state, Msg::End);
    let mut dense = Vec::new();
    for _ in 0..iters {
        dense.push(frame(&mut state, Msg::MoveUp)?);
    }
    println!(
        "rows={n} filter_median_ms={:.3} filter_p99_ms={:.3} movedown_median_ms={:.3} movedown_p99_ms={:.3} dense_median_ms={:.3} dense_p99_ms={:.3}",
        percentile(&mut filter, 0.5),
        percentile(&mut filter, 0.99),
        percentile(&mut down, 0.5),
        percentile(&mut down, 0.99),
        percentile(&mut dense, 0.5),
        percentile(&mut dense, 0.99)
    );
    Ok(())
}

/// A dense module graph over `modules`: module i requires module i+1 and one of the 50 after
/// it (a fixed pseudo-random choice), the main module the first two: paths to a late module
/// number in the billions, the shape that made listing them slow.
fn dense_graph(modules: &[gomodcache::analysis::report::ModuleReport]) -> ModGraph {
    let node = |i: usize| Node::new(&modules[i].path, &modules[i].version);
    let mut g = ModGraph::default();
    let main = Node::new("example.com/main", "");
    g.main.push(main.clone());
    g.edges
        .insert(main, (0..modules.len().min(2)).map(node).collect());
    let mut x: u64 = 12345;
    for i in 0..modules.len() {
        let mut reqs = Vec::new();
        let span = modules.len() - i - 1;
        if span > 0 {
            reqs.push(node(i + 1));
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            reqs.push(node(i + 1 + (x >> 33) as usize % span.min(50)));
        }
        g.edges.insert(node(i), reqs);
        g.selected
            .insert(modules[i].path.clone(), modules[i].version.clone());
    }
    g
}
