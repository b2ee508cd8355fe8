use super::*;
use std::os::unix::fs::PermissionsExt;

/// A cache with `example.com/a` at v1.0.0 (to evict) and v1.1.0 (its sibling), each with a
/// read-only tree as go leaves it, and every download file go writes.
fn cache_with_two_versions() -> (tempfile::TempDir, ModuleCache) {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path().join("modcache"));
    for v in ["v1.0.0", "v1.1.0"] {
        let f = cache.files("example.com/a", v).unwrap();
        std::fs::create_dir_all(f.dir.join("sub")).unwrap();
        std::fs::write(f.dir.join("a.go"), "package a\n").unwrap();
        std::fs::write(f.dir.join("sub/s.go"), "package sub\n").unwrap();
        std::fs::create_dir_all(&f.download_dir).unwrap();
        for p in [&f.zip, &f.ziphash, &f.go_mod, &f.info] {
            std::fs::write(p, v).unwrap();
        }
        std::fs::write(f.download_dir.join(format!("{v}.lock")), "").unwrap();
        std::fs::write(f.download_dir.join(format!("{v}.zip123.tmp")), "t").unwrap();
        for d in [f.dir.join("sub"), f.dir.clone()] {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
                }
            }
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
    (tmp, cache)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn plan(cache: &ModuleCache, quarantine: &Path) -> Eviction {
    Eviction::plan(cache, "example.com/a", "v1.0.0", quarantine, "test").unwrap()
}

#[test]
fn the_steps_mark_partial_first_move_trusted_files_before_the_tree_and_unmark_last() {
    let (tmp, cache) = cache_with_two_versions();
    let e = plan(&cache, &tmp.path().join("q"));
    let f = cache.files("example.com/a", "v1.0.0").unwrap();
    let originals: Vec<&Path> = e.moves().iter().map(|(o, _)| *o).collect();
    let dl = &f.download_dir;
    assert_eq!(
        originals,
        [
            f.zip.as_path(),
            &f.ziphash,
            &f.go_mod,
            &f.dir,
            &f.info,
            &dl.join("v1.0.0.zip123.tmp"),
            &dl.join("v1.0.0.lock"),
        ]
    );
    let s = e.steps();
    assert_eq!(
        s[..3],
        [
            EvictionStep::WriteManifest,
            EvictionStep::MarkPartial,
            EvictionStep::MakeTreeWritable
        ]
    );
    assert_eq!(s[s.len() - 3], EvictionStep::RemovePartial);
    assert!(
        matches!(&s[s.len() - 2], EvictionStep::Move { original, .. } if original.ends_with("v1.0.0.lock")),
        "go's lock file moves after .partial is gone"
    );
    assert_eq!(s[s.len() - 1], EvictionStep::CompleteManifest);
    assert!(
        !tmp.path().join("q").exists(),
        "planning writes nothing, not even the quarantine"
    );
}

#[test]
fn a_full_eviction_moves_one_version_and_keeps_its_sibling() {
    let (tmp, cache) = cache_with_two_versions();
    let sibling = cache.files("example.com/a", "v1.1.0").unwrap();
    let before_sibling = names_in(&sibling.dir);
    let mut e = plan(&cache, &tmp.path().join("q"));
    e.run().unwrap();
    let f = cache.files("example.com/a", "v1.0.0").unwrap();
    assert!(!f.dir.exists() && !f.partial.exists());
    assert_eq!(
        names_in(&f.download_dir),
        [
            "v1.1.0.info",
            "v1.1.0.lock",
            "v1.1.0.mod",
            "v1.1.0.zip",
            "v1.1.0.zip123.tmp",
            "v1.1.0.ziphash"
        ]
    );
    assert_eq!(names_in(&sibling.dir), before_sibling);
    let q = e.quarantine_dir();
    assert_eq!(
        std::fs::read_to_string(q.join("cache/download/example.com/a/@v/v1.0.0.zip")).unwrap(),
        "v1.0.0"
    );
    assert!(q.join("example.com/a@v1.0.0/sub/s.go").is_file());
    let m: EvictionManifest =
        serde_json::from_slice(&std::fs::read(q.join("manifest.json")).unwrap()).unwrap();
    assert!(m.complete);
    assert_eq!(
        (m.module.as_str(), m.version.as_str()),
        ("example.com/a", "v1.0.0")
    );
    assert_eq!(m.files.len(), 7);
    assert!(m.files.iter().all(|f| Path::new(&f.stored).exists()));
    let listed = list_quarantine(&tmp.path().join("q")).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].manifest.as_ref(), Some(&m));
    let purged = purge_quarantine(&tmp.path().join("q")).unwrap();
    assert_eq!(purged.len(), 1);
    assert!(!q.exists());
}

#[test]
fn stopping_after_each_step_leaves_partial_until_the_end() {
    let (tmp, cache) = cache_with_two_versions();
    let n = plan(&cache, &tmp.path().join("q0")).steps().len();
    for k in 0..=n {
        let (tmp, cache) = cache_with_two_versions();
        let mut e = plan(&cache, &tmp.path().join("q"));
        assert_eq!(e.run_steps(Some(k)).unwrap(), k);
        let f = cache.files("example.com/a", "v1.0.0").unwrap();
        let partial_expected = k >= 2 && k < n - 2;
        assert_eq!(f.partial.exists(), partial_expected, "after {k} steps");
        assert_eq!(e.quarantine_dir().join("manifest.json").exists(), k >= 1);
        // The tree is gone only while (or after) .partial disowns it.
        if !f.dir.exists() {
            assert!(partial_expected || k >= n - 2, "after {k} steps");
        }
        // The rest of the steps finish the job from there.
        e.run().unwrap();
        assert!(!f.dir.exists() && !f.partial.exists() && !f.zip.exists());
    }
    drop(tmp);
}

#[test]
fn a_symlinked_tree_moves_as_the_link_and_its_target_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path().join("modcache"));
    let f = cache.files("example.com/a", "v1.0.0").unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep.go"), "x").unwrap();
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::create_dir_all(f.dir.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&outside, &f.dir).unwrap();
    let mut e = plan(&cache, &tmp.path().join("q"));
    e.run().unwrap();
    let stored = e.quarantine_dir().join("example.com/a@v1.0.0");
    assert!(
        std::fs::symlink_metadata(&stored)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(outside.join("keep.go").is_file());
    let mode = std::fs::metadata(&outside).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o555,
        "the link's target was not made writable"
    );
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_parent_that_leads_out_of_the_cache_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = ModuleCache::new(tmp.path().join("modcache"));
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("a@v1.0.0")).unwrap();
    std::fs::create_dir_all(&cache.root).unwrap();
    std::os::unix::fs::symlink(&elsewhere, cache.root.join("example.com")).unwrap();
    let err = Eviction::plan(
        &cache,
        "example.com/a",
        "v1.0.0",
        &tmp.path().join("q"),
        "t",
    )
    .unwrap_err();
    assert!(err.0.contains("outside the module cache"), "{err}");
    assert!(err.0.contains("a@v1.0.0"), "{err}");
    assert!(elsewhere.join("a@v1.0.0").is_dir());
}

#[test]
fn a_quarantine_inside_the_cache_is_refused() {
    let (_tmp, cache) = cache_with_two_versions();
    let err = Eviction::plan(
        &cache,
        "example.com/a",
        "v1.0.0",
        &cache.root.join("q"),
        "t",
    )
    .unwrap_err();
    assert!(err.0.contains("inside the module cache"), "{err}");
}

#[test]
fn a_version_locked_by_go_is_left_alone() {
    let (tmp, cache) = cache_with_two_versions();
    let f = cache.files("example.com/a", "v1.0.0").unwrap();
    let lock = std::fs::File::open(f.download_dir.join("v1.0.0.lock")).unwrap();
    let held = Flock::lock(lock, FlockArg::LockExclusiveNonblock).unwrap();
    let mut e = plan(&cache, &tmp.path().join("q"));
    let err = e.run().unwrap_err();
    assert!(
        err.0
            .contains("a go command is working on example.com/a@v1.0.0"),
        "{err}"
    );
    assert_eq!(e.steps_done(), 0, "refused before the first step");
    assert!(!e.quarantine_dir().exists());
    assert!(f.zip.exists() && f.dir.exists() && !f.partial.exists());
    drop(held);
    e.run().unwrap();
    assert!(!f.zip.exists());
}

#[test]
fn the_cross_file_system_fallback_copies_then_removes() {
    let (tmp, cache) = cache_with_two_versions();
    let f = cache.files("example.com/a", "v1.0.0").unwrap();
    make_tree_writable(&f.dir).unwrap();
    let stored = tmp.path().join("copy/tree");
    std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("a.go", f.dir.join("link")).unwrap();
    quarantine::copy_then_remove(&f.dir, &stored).unwrap();
    assert!(!f.dir.exists());
    assert_eq!(
        std::fs::read_to_string(stored.join("sub/s.go")).unwrap(),
        "package sub\n"
    );
    assert_eq!(
        std::fs::read_link(stored.join("link")).unwrap(),
        Path::new("a.go")
    );
}

#[test]
fn errors_name_the_path() {
    let err = move_path(
        Path::new("/nonexistent-dir/x"),
        Path::new("/proc/modscope-test/x"),
    )
    .unwrap_err();
    assert!(err.0.contains("/proc/modscope-test"), "{err}");
}

#[test]
fn a_failed_step_says_which_and_whether_the_cache_was_touched() {
    let (tmp, cache) = cache_with_two_versions();
    let mut e = plan(&cache, &tmp.path().join("q"));
    e.run_steps(Some(3)).unwrap();
    // The first move cannot create its directory in the quarantine.
    std::fs::write(e.quarantine_dir().join("cache"), "in the way").unwrap();
    let err = e.run().unwrap_err();
    assert!(err.0.contains("cannot create"), "{err}");
    assert!(err.0.contains("step 4 of 12: move"), "{err}");
    assert!(err.0.contains(".partial marker tells go"), "{err}");
    assert!(e.touched_cache() && e.steps_done() == 3);
    let f = cache.files("example.com/a", "v1.0.0").unwrap();
    assert!(f.partial.exists() && f.zip.exists());
}

#[test]
fn a_relative_cache_root_is_planned_with_absolute_paths() {
    let (tmp, cache) = cache_with_two_versions();
    let cwd = std::env::current_dir().unwrap();
    let relative = pathdiff(&cache.root, &cwd);
    let e = plan(&ModuleCache::new(&relative), &tmp.path().join("q"));
    let zip = cache.files("example.com/a", "v1.0.0").unwrap().zip;
    assert!(e.moves()[0].0.is_absolute());
    assert_eq!(
        std::fs::canonicalize(e.moves()[0].0).unwrap(),
        std::fs::canonicalize(&zip).unwrap()
    );
    assert!(e.moves()[0].1.starts_with(tmp.path().join("q")));
}

/// `path` relative to `base` (both absolute), with `..` as needed.
fn pathdiff(path: &Path, base: &Path) -> PathBuf {
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = base.components().count() - common;
    let mut out: PathBuf = std::iter::repeat_n("..", ups).collect();
    out.extend(path.components().skip(common));
    out
}
