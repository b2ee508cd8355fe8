#![no_main]
//! The whole `check` (quick and full, over the build list) on a project and module cache built
//! from the input: file kinds (FIFOs, links to /dev/zero, loops, directories where files
//! belong, sparse giants), sizes, names and contents. check returns, writes nothing to the
//! cache, and lists every required module (`core::synth::hostile`).
use libfuzzer_sys::fuzz_target;
use gomodcache::synth::hostile::{build, check_invariants};

fuzz_target!(|data: &[u8]| {
    let base = if std::path::Path::new("/dev/shm").is_dir() { "/dev/shm" } else { "/tmp" };
    let tmp = tempfile::Builder::new().prefix("check-cache-").tempdir_in(base).unwrap();
    let (project, cache) = build(tmp.path(), data).unwrap();
    if let Err(e) = check_invariants(&project, &cache) {
        panic!("{e}");
    }
});
