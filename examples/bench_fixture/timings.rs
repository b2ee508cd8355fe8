//! Measuring: the bytes a full check hashes, inflating alone (zlib-rs against libdeflate), and
//! the inspector's keystroke → frame path on a large list.

use super::Result;
use gomodcache::analysis::check::{CheckOptions, run_check};
use gomodcache::analysis::report::CheckMode;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::ValueSource;
use gomodcache::graph::{ModGraph, Node};
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::load_project;
use modscope::tui::app_state::AppState;
use modscope::tui::message::Msg;
use modscope::tui::update::update;
use modscope::tui::view::view;
use std::path::Path;
use std::time::Instant;

/// What a full check hashes: the uncompressed content of every cached zip (all central-directory
/// entries) plus every file of every extracted tree.
pub(super) fn count_bytes(cache: &Path) -> Result<()> {
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
pub(super) fn inflate_bench(cache: &Path) -> Result<()> {
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
pub(super) fn render_bench(project_dir: &Path, gomodcache: &Path, iters: usize) -> Result<()> {
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
