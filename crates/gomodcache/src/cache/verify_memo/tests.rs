//! The memo's fixture, and what makes a remembered hash be taken or computed again: unchanged,
//! edited, touched, added, removed or rewritten files, and refresh mode.

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

mod memo_file;
