use super::*;
use crate::cache::layout::ModuleCache;

/// The relative lookup and the full-path one must agree, or every memo entry written by one
/// would miss in the other.
#[test]
fn relative_and_full_path_fingerprints_are_equal() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path());
    let files = cache.files("example.com/a", "v1.0.0").unwrap();
    std::fs::create_dir_all(&files.download_dir).unwrap();
    std::fs::create_dir_all(&files.dir).unwrap();
    std::fs::write(&files.go_mod, "module example.com/a\n").unwrap();
    std::fs::write(&files.ziphash, "h1:x\n").unwrap();
    std::os::unix::fs::symlink("elsewhere.zip", &files.zip).unwrap();
    let relative = Places::open(tmp.path());
    assert!(relative.held_root.is_some() && relative.held_downloads.is_some());
    let full = || Places {
        held_root: None,
        held_downloads: None,
        parents: Mutex::default(),
    };
    for cover in [DirCover::Parent, DirCover::Own] {
        let a = relative.fingerprint(&files, cover, true).unwrap();
        assert_eq!(a, full().fingerprint(&files, cover, true).unwrap());
        assert_eq!(DirCover::of_digest(a.digest.as_bytes()), Some(cover));
    }
    assert_ne!(
        relative
            .fingerprint(&files, DirCover::Parent, true)
            .unwrap()
            .digest[1..],
        relative
            .fingerprint(&files, DirCover::Own, true)
            .unwrap()
            .digest[1..]
    );
    // And it changes with what it covers: the dangling symlink becomes a file.
    let a = relative.fingerprint(&files, DirCover::Own, true).unwrap();
    std::fs::remove_file(&files.zip).unwrap();
    std::fs::write(&files.zip, "zip").unwrap();
    let b = relative.fingerprint(&files, DirCover::Own, true).unwrap();
    assert_ne!(a.digest, b.digest);
    assert_eq!(b, full().fingerprint(&files, DirCover::Own, true).unwrap());
}

/// A place seen absent has no identity: what appears there before the probe must keep
/// the probe from being remembered under that fingerprint.
#[test]
fn files_that_appear_after_the_fingerprint_disagree_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path());
    let module = crate::synth::SynthModule::new("example.com/a", "v1.0.0");
    let files = cache.files(&module.path, &module.version).unwrap();
    let places = Places::open(tmp.path());
    let before = places.fingerprint(&files, DirCover::Own, true).unwrap();
    assert_eq!(before.present, [false; 5]);
    assert!(before.agrees_with(&cache.probe(&module.path, &module.version).unwrap()));
    crate::synth::write_cache_entry(tmp.path(), &module).unwrap();
    let probe = cache.probe(&module.path, &module.version).unwrap();
    assert!(probe.has_go_mod && probe.has_zip && probe.dir_exists);
    assert!(!before.agrees_with(&probe));
    let after = places.fingerprint(&files, DirCover::Own, true).unwrap();
    assert!(after.agrees_with(&probe));
    // Gone again: what was present and is now absent is a changed fingerprint, not a
    // disagreement (its identity was hashed).
    std::fs::remove_file(&files.go_mod).unwrap();
    let probe = cache.probe(&module.path, &module.version).unwrap();
    assert!(after.agrees_with(&probe));
    assert_ne!(
        after.digest,
        places
            .fingerprint(&files, DirCover::Own, true)
            .unwrap()
            .digest
    );
}

#[test]
fn below_the_root() {
    fn b<'a>(root: &str, path: &'a str) -> Option<&'a Path> {
        below(Path::new(root), Path::new(path))
    }
    assert_eq!(b("/c", "/c/a/b"), Some(Path::new("a/b")));
    assert_eq!(b("/c/", "/c/a"), Some(Path::new("a")));
    assert_eq!(b("/c", "/cd/a"), None);
    assert_eq!(b("/c", "/c"), None);
    assert_eq!(b("/c", "/c//a"), None);
    assert_eq!(b("/c", "/c/a/../../etc"), None);
    assert_eq!(b("/", "/a"), Some(Path::new("a")));
}

#[test]
fn absent_and_unreadable_places() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path());
    let files = cache.files("example.com/a", "v1.0.0").unwrap();
    let places = Places::open(tmp.path());
    // Nothing there: every place absent is still a fingerprint.
    assert!(places.fingerprint(&files, DirCover::Own, true).is_some());
    assert_eq!(places.cover_now(&files), Some((DirCover::Parent, false)));
    // A file where the download directory should be: its children cannot be looked at.
    std::fs::create_dir_all(files.download_dir.parent().unwrap()).unwrap();
    std::fs::write(&files.download_dir, "").unwrap();
    assert_eq!(places.fingerprint(&files, DirCover::Own, true), None);
    // A file where the extracted tree's parent should be: the tree cannot be looked at
    // (ENOTDIR), so nothing can be remembered for it.
    let tmp = tempfile::tempdir().unwrap();
    let files = ModuleCache::new(tmp.path())
        .files("example.com/a", "v1.0.0")
        .unwrap();
    std::fs::write(tmp.path().join("example.com"), "").unwrap();
    let places = Places::open(tmp.path());
    assert_eq!(places.cover_now(&files), None);
    assert_eq!(places.fingerprint_before_probe(&files), None);
}

/// A parent seen absent earlier in the scan has no identity to cover a tree that is there
/// when a sibling is looked at.
#[test]
fn a_parent_seen_absent_covers_no_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path());
    let a = cache.files("example.com/a", "v1.0.0").unwrap();
    let b = cache.files("example.com/b", "v1.0.0").unwrap();
    let places = Places::open(tmp.path());
    let before = places.fingerprint_before_probe(&a).unwrap();
    assert_eq!(before.present, [false; 5]);
    std::fs::create_dir_all(&b.dir).unwrap();
    assert_eq!(places.fingerprint_before_probe(&b), None);
    // A new scan sees the parent and covers the tree through it.
    let fresh = Places::open(tmp.path())
        .fingerprint_before_probe(&b)
        .unwrap();
    assert!(fresh.present[0] && fresh.digest.starts_with('p'));
}

/// A symlinked tree's presence is its target's: a dangling link is an absent tree, and a
/// target that appears before the probe keeps the probe from being remembered.
#[test]
fn a_dangling_symlinked_tree_is_absent() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path());
    let module = crate::synth::SynthModule::new("example.com/a", "v1.0.0");
    crate::synth::write_cache_entry(tmp.path(), &module).unwrap();
    let files = cache.files(&module.path, &module.version).unwrap();
    let target = tmp.path().join("elsewhere");
    std::fs::rename(&files.dir, &target).unwrap();
    std::os::unix::fs::symlink(&target, &files.dir).unwrap();
    let moved = tmp.path().join("moved");
    std::fs::rename(&target, &moved).unwrap();
    let fp = Places::open(tmp.path())
        .fingerprint_before_probe(&files)
        .unwrap();
    assert!(fp.digest.starts_with('o'));
    assert!(!fp.present[0], "a link to nothing is no tree");
    std::fs::rename(&moved, &target).unwrap();
    let probe = cache.probe(&module.path, &module.version).unwrap();
    assert!(probe.dir_exists);
    assert!(!fp.agrees_with(&probe));
}

/// Only a real directory, or none, is covered through its parent; anything else by itself.
#[test]
fn how_the_extracted_directory_is_covered() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path());
    let files = cache.files("example.com/a", "v1.0.0").unwrap();
    std::fs::create_dir_all(&files.dir).unwrap();
    assert_eq!(
        Places::open(tmp.path()).cover_now(&files),
        Some((DirCover::Parent, true))
    );
    std::fs::remove_dir(&files.dir).unwrap();
    std::os::unix::fs::symlink(tmp.path(), &files.dir).unwrap();
    assert_eq!(
        Places::open(tmp.path()).cover_now(&files),
        Some((DirCover::Own, false))
    );
    // The parent is looked at once per scan, whatever happens to it later in the scan.
    let places = Places::open(tmp.path());
    let a = places.fingerprint(&files, DirCover::Parent, true).unwrap();
    std::fs::remove_file(&files.dir).unwrap();
    assert_eq!(
        places.fingerprint(&files, DirCover::Parent, true).unwrap(),
        a
    );
    let fresh = Places::open(tmp.path())
        .fingerprint(&files, DirCover::Parent, true)
        .unwrap();
    assert_ne!(fresh.digest, a.digest, "a new scan sees the parent changed");
}
