//! The zip, fingerprinted apart from the other places: only the size reported depends on it.

use super::*;

/// A zip rewritten in place (go never does that; a person or another tool might): the checked
/// memo sees it. The memo that remembers zip sizes keeps the old size, and only the size: a zip
/// that goes, or comes, changes its directory and is seen.
#[test]
fn only_a_zip_rewritten_in_place_escapes_remembered_zip_sizes() {
    let f = Fixture::new();
    let (before, _, _) = f.probe();
    settle();
    std::fs::write(&f.files.zip, b"PK").unwrap();
    settle();
    let (stale, hits, _) = f.probe_with(ZipSizes::Remembered);
    assert_eq!(hits, 1, "the zip is not looked at");
    assert_eq!(stale, before, "answered as remembered, old size included");
    let (seen, _, misses) = f.probe_with(ZipSizes::Checked);
    assert_eq!(misses, 1, "the checked memo looks at the zip");
    assert_eq!(seen.zip_size, Some(2));
    assert_eq!(seen, f.truth());
    // What the checked probe learned is what the other one answers next.
    let (now, hits, _) = f.probe_with(ZipSizes::Remembered);
    assert_eq!((hits, now), (1, seen));
    settle();
    std::fs::remove_file(&f.files.zip).unwrap();
    settle();
    let (gone, _, misses) = f.probe_with(ZipSizes::Remembered);
    assert_eq!(misses, 1, "a removed zip changes its directory");
    assert!(!gone.has_zip && gone.zip_size.is_none());
    assert_eq!(gone, f.truth());
}

/// A symlinked zip: the probe reports its target's size, so a target rewritten with another
/// size must be seen although the link itself did not change.
/// Even when zip sizes are otherwise remembered: the target is outside the download directory,
/// so nothing there changes with it.
#[test]
fn a_symlinked_zips_target_is_followed() {
    for zip_sizes in [ZipSizes::Checked, ZipSizes::Remembered] {
        let f = Fixture::new();
        let target = f.tmp.path().join("the.zip");
        std::fs::rename(&f.files.zip, &target).unwrap();
        std::os::unix::fs::symlink(&target, &f.files.zip).unwrap();
        settle();
        let (first, _, _) = f.probe();
        let (_, hits, _) = f.probe_with(zip_sizes);
        assert_eq!(hits, 1, "remembered ({zip_sizes:?})");
        let link = std::fs::symlink_metadata(&f.files.zip)
            .unwrap()
            .modified()
            .unwrap();
        settle();
        std::fs::write(&target, b"PK shorter").unwrap();
        assert_eq!(
            std::fs::symlink_metadata(&f.files.zip)
                .unwrap()
                .modified()
                .unwrap(),
            link
        );
        settle();
        let (seen, _, misses) = f.probe_with(zip_sizes);
        assert_eq!(misses, 1, "the link's target is looked at ({zip_sizes:?})");
        assert_eq!(seen.zip_size, Some(10));
        assert_ne!(seen.zip_size, first.zip_size);
        assert_eq!(seen, f.truth());
        // And a target that goes: the link stays, the size goes.
        settle();
        std::fs::remove_file(&target).unwrap();
        settle();
        let (gone, _, misses) = f.probe_with(zip_sizes);
        assert_eq!(misses, 1, "a target removed ({zip_sizes:?})");
        assert!(gone.has_zip && gone.zip_size.is_none(), "{gone:?}");
        assert_eq!(gone, f.truth());
    }
}
