//! Generating the benchmark's projects: synthetic modules of Go-like text, or modules whose file
//! counts and sizes follow a real project's (`REAL_COUNTS`, `REAL_SIZES`), as a `file://` proxy
//! or a module cache laid out directly.

use super::Result;
use gomodcache::synth::{SynthModule, go_mod_text, write_cache_entry, write_proxy};
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

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
pub(super) enum Profile {
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
pub(super) fn generate(out: &Path, n: usize, profile: Profile, proxy: bool) -> Result<()> {
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
