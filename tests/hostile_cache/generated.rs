//! `check` over caches generated from random bytes (file kinds, sizes, names and contents:
//! `gomodcache::synth::hostile`), the same generator the `check_cache` fuzz target drives for
//! millions of inputs: check returns, writes nothing to the cache, and lists every required
//! module, whatever the cache holds.

use gomodcache::synth::hostile::{build, check_invariants};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn check_survives_any_generated_cache(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let tmp = tempfile::tempdir().unwrap();
        let (project, cache) = build(tmp.path(), &data).unwrap();
        let verdict = check_invariants(&project, &cache);
        prop_assert!(verdict.is_ok(), "{:?}", verdict);
    }
}

/// The generator really reaches the faults it is meant to: a zip that is a FIFO, a `.ziphash`
/// linked to /dev/zero and a sparse 600 MiB tree file, all at once (a hang or an unbounded read
/// here fails the suite's time limit, not only this assertion).
#[test]
fn check_survives_a_fifo_zip_a_dev_zero_ziphash_and_a_huge_tree_file() {
    let tmp = tempfile::tempdir().unwrap();
    // op: module a (0x0_), zip (0) as a FIFO (7); module a, .ziphash (1) to /dev/zero (6);
    // module b (0x1_), its .go file (9), sparse (8) of 2×300 MiB.
    let data = [0u8, 0x00, 7, 0x01, 6, 0x19, 8, 2];
    let (project, cache) = build(tmp.path(), &data).unwrap();
    let zip = cache.files("example.com/a", "v1.0.0").unwrap().zip;
    use std::os::unix::fs::FileTypeExt;
    assert!(zip.symlink_metadata().unwrap().file_type().is_fifo());
    assert_eq!(check_invariants(&project, &cache), Ok(()));
}
