//! The helper of `scripts/bench.sh`: writes large synthetic Go projects (a `file://` proxy for the
//! real `go` to download from, or a module cache laid out directly), counts the bytes a full
//! check hashes, and times the inspector's keystroke → frame path on a large list.
//!
//! ```text
//! cargo run --release --example bench_fixture -- proxy  OUT N [big|small]  # OUT/proxy + OUT/project
//! cargo run --release --example bench_fixture -- cache  OUT N [big|small]  # OUT/modcache + OUT/project
//! cargo run --release --example bench_fixture -- bytes  GOMODCACHE         # bytes a full check hashes
//! cargo run --release --example bench_fixture -- render PROJECT GOMODCACHE [ITERATIONS]  # keystroke → frame
//! ```
//!
//! Everything is deterministic (a fixed-seed generator), needs no network and writes only under
//! OUT. Module content is Go-like text: 20–200 files per module (`big`), mostly small `.go` files
//! with a few larger generated files and test data; `small` has 2–12 small files per module.

use modscope::core::analysis::check::{CheckOptions, run_check};
use modscope::core::analysis::project::load_project;
use modscope::core::analysis::report::CheckMode;
use modscope::core::cache::env::ValueSource;
use modscope::core::cache::layout::ModuleCache;
use modscope::core::graph::{ModGraph, Node};
use modscope::core::progress::{CancelFlag, NoProgress};
use modscope::core::synth::{SynthModule, go_mod_text, write_cache_entry, write_proxy};
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
                other => return usage(&format!("unknown profile {other:?}")),
            };
            match n.parse() {
                Ok(n) => generate(Path::new(out), n, profile, mode == "proxy"),
                Err(_) => return usage("N must be a number"),
            }
        }
        (Some("bytes"), Some(cache), None) => count_bytes(Path::new(cache)),
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
        "bench_fixture: {msg}\nusage: bench_fixture proxy|cache OUT N [big|small] | bytes GOMODCACHE | render PROJECT GOMODCACHE [ITERATIONS]"
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

fn synth_module(i: usize, profile: Profile) -> SynthModule {
    let mut rng = Rng::new(i as u64);
    let path = module_path(i);
    let version = module_version(i);
    let mut m = SynthModule::new(&path, &version);
    let pkg = m.package_name();
    let (count, large) = match profile {
        Profile::Big => (rng.range(20, 200) as usize, rng.range(0, 2) as usize),
        Profile::Small => (rng.range(2, 12) as usize, 0),
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
            let m = synth_module(i, profile);
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
        scope: modscope::core::analysis::check::CheckScope::Required,
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
fn dense_graph(modules: &[modscope::core::analysis::report::ModuleReport]) -> ModGraph {
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
