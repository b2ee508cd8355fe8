//! The memo file itself: what is never remembered, a garbled memo, where a memo may live, how
//! memos of deleted caches go, and that the report never depends on it.

use super::*;

#[test]
fn a_garbled_memo_is_ignored() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    let path = f.memo(MemoMode::Use).path().to_path_buf();
    let good = std::fs::read_to_string(&path).unwrap();
    let h1 = f.module.zip_h1();
    let garbage: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\xff\xfe\x00garbage\n\n".to_vec(),
        good.replacen("modscope verify-memo v2", "modscope verify-memo v0", 1)
            .into_bytes(),
        good.replacen("root ", "root /elsewhere", 1).into_bytes(),
        good.as_bytes()[..good.len() / 2].to_vec(),
        good.replace(" h1:", " h2:").into_bytes(),
        good.replace("\nd ", "\nd zz")
            .replace("\nz ", "\nz 12 ")
            .into_bytes(),
        [good.as_bytes(), b"z\nd 00 1 2\n\0\0\0"].concat(),
    ];
    for bad in garbage {
        std::fs::write(&path, &bad).unwrap();
        let (zip, dir, _, _) = f.run(MemoMode::Use);
        assert_eq!((zip, dir), (h1.clone(), h1.clone()));
    }
    // A directory where the memo file should be: still no crash, just no memo written.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir_all(path.join("x")).unwrap();
    let memo = f.memo(MemoMode::Use);
    assert_eq!(f.hash_dir(&memo).unwrap(), h1);
    assert!(memo.save().is_err());
}

#[test]
fn errors_and_recent_changes_are_not_remembered() {
    let f = Fixture::new();
    std::fs::write(&f.files.zip, b"not a zip").unwrap();
    settle();
    let memo = f.memo(MemoMode::Use);
    assert!(matches!(
        f.hash_zip(&memo),
        Err(HashError::CorruptZip { .. })
    ));
    assert!(!memo.save().unwrap(), "nothing to remember");

    // With the real racy window, files written a moment ago are hashed but not remembered.
    let g = Fixture::new();
    let memo = VerifyMemo::open_in(&g.memo_dir(), &g.cache, MemoMode::Use).unwrap();
    assert_eq!(g.hash_dir(&memo).unwrap(), g.module.zip_h1());
    assert!(!memo.save().unwrap());
    assert!(!memo.path().exists());
}

#[cfg(unix)]
#[test]
fn trees_with_symlinks_are_never_remembered() {
    let f = Fixture::new();
    let target = f.tmp.path().join("outside.go");
    std::fs::write(&target, "package sub\n").unwrap();
    std::os::unix::fs::symlink(&target, f.files.dir.join("sub/link.go")).unwrap();
    settle();
    for _ in 0..2 {
        let memo = f.memo(MemoMode::Use);
        f.hash_dir(&memo).unwrap();
        assert_eq!(memo.stats(), (0, 1));
        memo.save().unwrap();
    }
}

#[test]
fn a_memo_inside_the_module_cache_is_refused() {
    let f = Fixture::new();
    let inside = f.cache.join("cache").join(MEMO_DIR);
    assert!(VerifyMemo::open_in(&inside, &f.cache, MemoMode::Use).is_none());
    assert!(VerifyMemo::open_in(&f.memo_dir(), &f.cache, MemoMode::Use).is_some());
}

#[test]
fn memos_of_deleted_module_caches_are_pruned() {
    let f = Fixture::new();
    let gone = tempfile::tempdir().unwrap();
    let g_cache = gone.path().join("modcache");
    let module = SynthModule::new("example.com/gone", "v1.0.0");
    write_cache_entry(&g_cache, &module).unwrap();
    settle();
    let g = VerifyMemo::open_in(&f.memo_dir(), &g_cache, MemoMode::Use)
        .unwrap()
        .with_racy_window(Duration::ZERO);
    let files = ModuleCache::new(&g_cache)
        .files(&module.path, &module.version)
        .unwrap();
    g.hash_zip(
        &files.zip,
        "example.com/gone@v1.0.0",
        "absent",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap();
    assert!(g.save().unwrap());
    let g_file = g.path().to_path_buf();
    drop(gone);
    f.run(MemoMode::Use);
    assert!(!g_file.exists(), "the memo of a deleted cache is removed");
    assert!(f.memo(MemoMode::Use).path().exists());
}

#[test]
fn the_report_is_identical_with_and_without_the_memo() {
    use crate::analysis::check::{CheckOptions, run_check, run_check_with_memo};
    use crate::analysis::report::CheckMode;
    use crate::goenv::env::ValueSource;
    use crate::project::load_project;
    // The demo has every kind of fault: edited trees, rewritten zips, bad .ziphash files…
    let tmp = tempfile::tempdir().unwrap();
    let layout = crate::demo::materialize_demo(tmp.path()).unwrap();
    let project = load_project(&layout.project_dir, Some("off")).unwrap();
    let cache = ModuleCache::new(&layout.gomodcache);
    let opts = CheckOptions {
        scope: crate::analysis::check::CheckScope::Required,
        mode: CheckMode::Full,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        gomodcache_source: ValueSource::CommandLine,
    };
    settle();
    // Identical but for what the memo answered, which the report says apart.
    let json = |memo: Option<&VerifyMemo>| {
        let mut report = run_check_with_memo(&project, &cache, &opts, memo);
        report.verify_memo = None;
        serde_json::to_string_pretty(&report).unwrap()
    };
    let plain = serde_json::to_string_pretty(&run_check(&project, &cache, &opts)).unwrap();
    let memo_dir = tmp.path().join("user-cache");
    for (mode, expect_hits) in [
        (MemoMode::Use, false),
        (MemoMode::Use, true),
        (MemoMode::Refresh, false),
    ] {
        let memo = VerifyMemo::open_in(&memo_dir, &layout.gomodcache, mode)
            .unwrap()
            .with_racy_window(Duration::ZERO);
        assert_eq!(json(Some(&memo)), plain, "{mode:?}");
        assert_eq!(memo.stats().0 > 0, expect_hits, "{:?}", memo.stats());
        memo.save().unwrap();
    }
}

#[test]
fn every_spelling_of_a_module_cache_shares_one_memo() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    std::fs::create_dir_all(f.tmp.path().join("elsewhere")).unwrap();
    let other = f.tmp.path().join("elsewhere/../modcache");
    let memo = VerifyMemo::open_in(&f.memo_dir(), &other, MemoMode::Use).unwrap();
    assert_eq!(memo.path(), f.memo(MemoMode::Use).path());
    let files = ModuleCache::new(&other)
        .files(&f.module.path, &f.module.version)
        .unwrap();
    memo.hash_zip(
        &files.zip,
        "example.com/memo@v1.2.3",
        &f.ziphash(),
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(memo.stats(), (1, 0));
}
