use super::*;
use crate::cache::layout::{ModuleCache, ModuleFiles};
use crate::progress::NoProgress;
use crate::synth::{SynthModule, write_cache_entry};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

struct Fixture {
    tmp: tempfile::TempDir,
    cache: PathBuf,
    module: SynthModule,
    files: ModuleFiles,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("modcache");
        let module = SynthModule::new("example.com/memo", "v1.2.3")
            .with_file("LICENSE", "Synthetic test module.\n")
            .with_file("sub/util.go", "package sub\n\nconst U = 1\n");
        write_cache_entry(&cache, &module).unwrap();
        let files = ModuleCache::new(&cache)
            .files(&module.path, &module.version)
            .unwrap();
        settle();
        Fixture {
            tmp,
            cache,
            module,
            files,
        }
    }

    fn memo_dir(&self) -> PathBuf {
        self.tmp.path().join("user-cache").join(MEMO_DIR)
    }

    /// A memo with no racy window: results are remembered even for files written just now
    /// (every test waits a clock tick between a write and the next hash instead).
    fn memo(&self, mode: MemoMode) -> VerifyMemo {
        VerifyMemo::open_in(&self.memo_dir(), &self.cache, mode)
            .unwrap()
            .with_racy_window(Duration::ZERO)
    }

    fn ziphash(&self) -> String {
        format!("valid:{}", self.module.zip_h1())
    }

    fn hash_zip(&self, memo: &VerifyMemo) -> Result<String, HashError> {
        memo.hash_zip(
            &self.files.zip,
            "example.com/memo@v1.2.3",
            &self.ziphash(),
            &CancelFlag::new(),
            &NoProgress,
        )
    }

    fn hash_dir(&self, memo: &VerifyMemo) -> Result<String, HashError> {
        memo.hash_dir(
            &self.files.dir,
            "example.com/memo@v1.2.3",
            &self.ziphash(),
            &CancelFlag::new(),
            &NoProgress,
        )
    }

    /// Hashes zip and tree through a fresh memo, saves it, and returns (zip, dir, hits, misses).
    fn run(&self, mode: MemoMode) -> (String, String, usize, usize) {
        let memo = self.memo(mode);
        let zip = self.hash_zip(&memo).unwrap();
        let dir = self.hash_dir(&memo).unwrap();
        memo.save().unwrap();
        let (hits, misses) = memo.stats();
        (zip, dir, hits, misses)
    }
}

/// Longer than a file-system timestamp tick, so a write after it gets a new ctime.
fn settle() {
    std::thread::sleep(Duration::from_millis(30));
}

#[test]
fn unchanged_zip_and_tree_are_taken_from_the_memo() {
    let f = Fixture::new();
    let h1 = f.module.zip_h1();
    assert_eq!(f.run(MemoMode::Use), (h1.clone(), h1.clone(), 0, 2));
    assert_eq!(f.run(MemoMode::Use), (h1.clone(), h1.clone(), 2, 0));
    // The memo lives where it was asked to, one file per module cache, nowhere in the cache.
    let memo = f.memo(MemoMode::Use);
    assert!(memo.path().starts_with(f.memo_dir()) && memo.path().is_file());
    assert!(!memo.path().starts_with(&f.cache));
}

#[test]
fn a_hit_reports_the_bytes_a_hash_would_have_read() {
    struct Bytes(AtomicU64);
    impl HashProgress for Bytes {
        fn on_bytes(&self, n: u64) {
            self.0.fetch_add(n, Ordering::Relaxed);
        }
    }
    let f = Fixture::new();
    let mut seen = Vec::new();
    for _ in 0..2 {
        let memo = f.memo(MemoMode::Use);
        let bytes = Bytes(AtomicU64::new(0));
        let (c, z) = (CancelFlag::new(), f.ziphash());
        memo.hash_zip(&f.files.zip, "example.com/memo@v1.2.3", &z, &c, &bytes)
            .unwrap();
        memo.hash_dir(&f.files.dir, "example.com/memo@v1.2.3", &z, &c, &bytes)
            .unwrap();
        memo.save().unwrap();
        seen.push(bytes.0.load(Ordering::Relaxed));
    }
    let content: u64 = f.module.tree().iter().map(|(_, d)| d.len() as u64).sum();
    assert_eq!(seen, vec![2 * content, 2 * content]);
}

#[test]
fn an_edit_that_keeps_the_size_is_caught() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    let file = f.files.dir.join("sub/util.go");
    std::fs::write(&file, "package sub\n\nconst U = 2\n").unwrap();
    settle();
    let (zip, dir, hits, misses) = f.run(MemoMode::Use);
    assert_eq!(zip, f.module.zip_h1());
    assert_ne!(dir, f.module.zip_h1(), "the edited tree must be re-hashed");
    assert_eq!((hits, misses), (1, 1));
    // And the edited tree's hash is what is remembered now.
    assert_eq!(f.run(MemoMode::Use), (zip, dir, 2, 0));
}

#[test]
fn an_edit_that_restores_size_and_mtime_is_caught_by_ctime() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    let file = f.files.dir.join("sub/util.go");
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::write(&file, "package sub\n\nconst U = 3\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), mtime);
    settle();
    let (_, dir, _, _) = f.run(MemoMode::Use);
    assert_ne!(dir, f.module.zip_h1());
}

#[test]
fn a_touched_file_is_re_hashed() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    let file = f.files.dir.join("LICENSE");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(SystemTime::now())
        .unwrap();
    settle();
    let h1 = f.module.zip_h1();
    assert_eq!(f.run(MemoMode::Use), (h1.clone(), h1, 1, 1));
}

#[test]
fn added_and_removed_files_are_caught() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    std::fs::write(f.files.dir.join("sub/extra.go"), "package sub\n").unwrap();
    settle();
    let (_, added, hits, _) = f.run(MemoMode::Use);
    assert_ne!(added, f.module.zip_h1());
    assert_eq!(hits, 1, "only the zip is unchanged");
    std::fs::remove_file(f.files.dir.join("sub/extra.go")).unwrap();
    std::fs::remove_file(f.files.dir.join("LICENSE")).unwrap();
    settle();
    let (_, removed, _, _) = f.run(MemoMode::Use);
    assert_ne!(removed, f.module.zip_h1());
    assert_ne!(removed, added);
}

#[test]
fn a_rewritten_zip_or_ziphash_is_re_hashed() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    let other = SynthModule::new("example.com/memo", "v1.2.3").with_file("x.go", "package x\n");
    std::fs::write(&f.files.zip, other.zip_bytes()).unwrap();
    settle();
    let (zip, _, hits, _) = f.run(MemoMode::Use);
    assert_eq!(zip, other.zip_h1());
    assert_eq!(hits, 1);
    // The .ziphash is part of both keys.
    let memo = f.memo(MemoMode::Use);
    let c = CancelFlag::new();
    memo.hash_zip(
        &f.files.zip,
        "example.com/memo@v1.2.3",
        "absent",
        &c,
        &NoProgress,
    )
    .unwrap();
    memo.hash_dir(
        &f.files.dir,
        "example.com/memo@v1.2.3",
        "absent",
        &c,
        &NoProgress,
    )
    .unwrap();
    assert_eq!(memo.stats(), (0, 2));
}

#[test]
fn refresh_mode_re_hashes_everything_and_refreshes_the_memo() {
    let f = Fixture::new();
    f.run(MemoMode::Use);
    let h1 = f.module.zip_h1();
    assert_eq!(f.run(MemoMode::Refresh), (h1.clone(), h1.clone(), 0, 2));
    // A memo whose entries were forged (a wrong h1 for the right fingerprint, all computable
    // from public metadata) without the user's key: not read at all.
    let path = f.memo(MemoMode::Use).path().to_path_buf();
    let text = std::fs::read_to_string(&path).unwrap();
    let forged = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    std::fs::write(&path, text.replace(&h1, forged)).unwrap();
    assert_eq!(f.run(MemoMode::Use), (h1.clone(), h1.clone(), 0, 2));
    // Signed with the key (which only the user can read): Use trusts it, Refresh does not,
    // and rewrites it.
    let text = std::fs::read_to_string(&path).unwrap();
    let body = text[..text.rfind("mac ").unwrap()].replace(&h1, forged);
    let key = super::super::memo_file::memo_key(path.parent().unwrap()).unwrap();
    let signature = hex::encode(super::super::memo_file::mac(&key, body.as_bytes()));
    std::fs::write(&path, format!("{body}mac {signature}\n")).unwrap();
    assert_eq!(f.run(MemoMode::Use).0, forged);
    assert_eq!(f.run(MemoMode::Refresh), (h1.clone(), h1.clone(), 0, 2));
    assert_eq!(f.run(MemoMode::Use), (h1.clone(), h1, 2, 0));
}

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
    use crate::analysis::project::load_project;
    use crate::analysis::report::CheckMode;
    use crate::goenv::env::ValueSource;
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
