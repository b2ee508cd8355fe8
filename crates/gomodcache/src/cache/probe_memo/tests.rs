use super::*;
use crate::cache::layout::ModuleFiles;
use crate::synth::{SynthModule, write_cache_entry};

struct Fixture {
    tmp: tempfile::TempDir,
    cache: ModuleCache,
    module: SynthModule,
    files: ModuleFiles,
}

/// go leaves extracted trees read-only.
fn make_writable(dir: &Path) {
    let ok = std::process::Command::new("chmod")
        .arg("-R")
        .arg("u+w")
        .arg(dir)
        .status()
        .unwrap();
    assert!(ok.success());
}

/// A clock tick between a write and the next probe, so ctimes differ.
fn settle() {
    std::thread::sleep(Duration::from_millis(30));
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("modcache");
        let module = SynthModule::new("example.com/probe", "v1.0.0")
            .with_file("LICENSE", "Synthetic test module.\n");
        write_cache_entry(&root, &module).unwrap();
        let cache = ModuleCache::new(&root);
        let files = cache.files(&module.path, &module.version).unwrap();
        settle();
        Fixture {
            tmp,
            cache,
            module,
            files,
        }
    }

    /// A memo with no racy window (tests wait a tick instead).
    fn memo(&self) -> ProbeMemo {
        ProbeMemo::open_in(&self.tmp.path().join("memo"), &self.cache.root)
            .unwrap()
            .with_racy_window(Duration::ZERO)
    }

    /// Probes once through a fresh memo and saves it: (probe, hits, misses).
    fn probe(&self) -> (CacheProbe, usize, usize) {
        self.probe_with(ZipSizes::Checked)
    }

    /// [`Fixture::probe`] with the zip looked at or not.
    fn probe_with(&self, zip_sizes: ZipSizes) -> (CacheProbe, usize, usize) {
        let memo = self.memo().with_zip_sizes(zip_sizes);
        let p = memo
            .probe(&self.cache, &self.module.path, &self.module.version)
            .unwrap();
        memo.save().unwrap();
        let (hits, misses) = memo.stats();
        (p, hits, misses)
    }

    /// What a probe without the memo says, with the `.mod`'s h1 as the memo fills it in.
    fn truth(&self) -> CacheProbe {
        let mut p = self
            .cache
            .probe(&self.module.path, &self.module.version)
            .unwrap();
        if p.has_go_mod {
            p.go_mod_h1 = read_regular_file(&p.files.go_mod, crate::fs::read::limits::GO_MOD)
                .ok()
                .map(|b| hash_go_mod(&b));
        }
        p
    }
}

#[test]
fn an_unchanged_module_is_answered_from_the_memo_exactly_as_a_probe_would() {
    let f = Fixture::new();
    let (first, hits, misses) = f.probe();
    assert_eq!((hits, misses), (0, 1));
    assert_eq!(first, f.truth());
    let (second, hits, misses) = f.probe();
    assert_eq!((hits, misses), (1, 0), "nothing changed: five stats answer");
    let (third, hits, misses) = f.probe_with(ZipSizes::Remembered);
    assert_eq!((hits, misses), (1, 0), "and four without the zip");
    assert_eq!(third, first);
    assert_eq!(second, first);
    assert!(second.go_mod_h1.is_some() && second.ziphash != Ziphash::Absent);
    assert!(
        !f.memo().path().starts_with(&f.cache.root),
        "the memo is never in the module cache"
    );
}

#[test]
fn every_change_the_quick_scan_can_see_is_seen() {
    let write = |p: &Path, data: &[u8]| {
        settle();
        std::fs::write(p, data).unwrap();
    };
    type Change<'a> = (&'a str, Box<dyn Fn(&Fixture) + 'a>);
    let changes: Vec<Change> = vec![
        (
            ".ziphash rewritten in place, same size",
            Box::new(|f: &Fixture| {
                let old = std::fs::read_to_string(&f.files.ziphash).unwrap();
                let new = format!("h1:{}", "A".repeat(old.trim().len() - 3));
                write(&f.files.ziphash, new.as_bytes());
            }),
        ),
        (
            ".mod edited in place, same size",
            Box::new(|f: &Fixture| {
                let mut m = std::fs::read(&f.files.go_mod).unwrap();
                let last = m.len() - 2;
                m[last] ^= 1;
                write(&f.files.go_mod, &m);
            }),
        ),
        (
            "a .partial appears",
            Box::new(|f: &Fixture| write(&f.files.partial, b"")),
        ),
        (
            "a stray temporary file appears",
            Box::new(|f: &Fixture| write(&f.files.download_dir.join("v1.0.0.zip123.tmp"), b"x")),
        ),
        (
            "the .info is removed",
            Box::new(|f: &Fixture| {
                settle();
                std::fs::remove_file(&f.files.info).unwrap();
            }),
        ),
        (
            "the zip is removed",
            Box::new(|f: &Fixture| {
                settle();
                std::fs::remove_file(&f.files.zip).unwrap();
            }),
        ),
        (
            "another version is extracted beside the tree",
            Box::new(|f: &Fixture| {
                settle();
                let mut next = f.module.clone();
                next.version = "v1.0.1".into();
                write_cache_entry(&f.cache.root, &next).unwrap();
            }),
        ),
        (
            "the extracted directory is removed",
            Box::new(|f: &Fixture| {
                settle();
                make_writable(&f.files.dir);
                std::fs::remove_dir_all(&f.files.dir).unwrap();
            }),
        ),
    ];
    // Whether the zip is looked at or not: none of these is a change of the zip alone.
    for zip_sizes in [ZipSizes::Checked, ZipSizes::Remembered] {
        let f = Fixture::new();
        f.probe();
        for (what, change) in &changes {
            change(&f);
            settle();
            let (seen, _, misses) = f.probe_with(zip_sizes);
            assert_eq!(misses, 1, "{what} ({zip_sizes:?}): must be probed again");
            assert_eq!(seen, f.truth(), "{what} ({zip_sizes:?})");
            let (again, hits, _) = f.probe_with(zip_sizes);
            assert_eq!((hits, &again), (1, &seen), "{what}: then remembered");
        }
    }
}

#[test]
fn nothing_just_changed_is_remembered() {
    let f = Fixture::new();
    let memo = ProbeMemo::open_in(&f.tmp.path().join("memo"), &f.cache.root)
        .unwrap()
        .with_racy_window(Duration::from_secs(3600));
    memo.probe(&f.cache, &f.module.path, &f.module.version)
        .unwrap();
    assert!(!memo.save().unwrap(), "changed within the window: not kept");
}

#[test]
fn a_garbled_or_foreign_memo_is_ignored() {
    let f = Fixture::new();
    f.probe();
    let path = f.memo().path().to_path_buf();
    std::fs::write(&path, b"{not json").unwrap();
    let (p, hits, misses) = f.probe();
    assert_eq!((hits, misses), (0, 1));
    assert_eq!(p, f.truth());
    // Another cache's memo under this cache's name is not believed either.
    let other = ModuleCache::new(f.tmp.path().join("elsewhere"));
    std::fs::create_dir_all(&other.root).unwrap();
    let memo = ProbeMemo::open_in(&f.tmp.path().join("memo"), &other.root).unwrap();
    std::fs::copy(&path, memo.path()).unwrap();
    let memo = ProbeMemo::open_in(&f.tmp.path().join("memo"), &other.root).unwrap();
    memo.probe(&other, &f.module.path, &f.module.version)
        .unwrap();
    assert_eq!(memo.stats(), (0, 1));
}

/// The memo looks through a handle on the cache root opened with it, the probe by path: a
/// cache moved away and made again in between is seen by the two as different directories, so
/// nothing of that run is kept.
#[test]
fn a_cache_replaced_while_the_memo_is_open_is_not_remembered() {
    let f = Fixture::new();
    let memo = f.memo();
    let old = f.tmp.path().join("modcache.old");
    std::fs::rename(&f.cache.root, &old).unwrap();
    write_cache_entry(&f.cache.root, &f.module).unwrap();
    settle();
    let p = memo
        .probe(&f.cache, &f.module.path, &f.module.version)
        .unwrap();
    assert_eq!(p, f.truth());
    assert!(
        !memo.save().unwrap(),
        "learned through a stale root: not kept"
    );
    // The next run is not answered from anything the stale one saw.
    let (p, hits, misses) = f.probe();
    assert_eq!((hits, misses), (0, 1));
    assert_eq!(p, f.truth());
    // And with the root unchanged, it is remembered again.
    let (_, hits, _) = f.probe();
    assert_eq!(hits, 1);
}

/// Saving merges: a module probed again gets its new line, modules this run did not ask about
/// keep theirs, and the previous format's file of this cache goes.
#[test]
fn saving_keeps_the_lines_of_modules_not_asked_about() {
    let f = Fixture::new();
    let others: Vec<SynthModule> = ["example.com/a", "example.com/zz"]
        .iter()
        .map(|p| SynthModule::new(p, "v1.2.0").with_file("a.go", "package a\n"))
        .collect();
    for m in &others {
        write_cache_entry(&f.cache.root, m).unwrap();
    }
    settle();
    let memo = f.memo();
    for m in others.iter().chain([&f.module]) {
        memo.probe(&f.cache, &m.path, &m.version).unwrap();
    }
    assert!(memo.save().unwrap());
    let old_formats: Vec<PathBuf> = OLD_PROBE_MEMO_DIRS
        .iter()
        .map(|dir| {
            let old = memo
                .path()
                .parent()
                .unwrap()
                .with_file_name(dir)
                .join(memo.path().file_name().unwrap());
            std::fs::create_dir_all(old.parent().unwrap()).unwrap();
            std::fs::write(&old, "modscope probe-memo v1\n").unwrap();
            old
        })
        .collect();
    // Only the middle module changes and is probed again.
    settle();
    std::fs::remove_file(&f.files.info).unwrap();
    settle();
    let (p, hits, misses) = f.probe();
    assert_eq!((hits, misses), (0, 1));
    assert!(!p.has_info);
    for old in &old_formats {
        assert!(!old.exists(), "the old formats' files are removed: {old:?}");
    }
    let memo = f.memo();
    for m in others.iter().chain([&f.module]) {
        let seen = memo.probe(&f.cache, &m.path, &m.version).unwrap();
        assert_eq!(
            seen,
            f.cache
                .probe(&m.path, &m.version)
                .map(|mut p| {
                    p.go_mod_h1 =
                        read_regular_file(&p.files.go_mod, crate::fs::read::limits::GO_MOD)
                            .ok()
                            .map(|b| hash_go_mod(&b));
                    p
                })
                .unwrap()
        );
    }
    assert_eq!(
        memo.stats(),
        (3, 0),
        "all three remembered, the changed one anew"
    );
    let text = std::fs::read_to_string(memo.path()).unwrap();
    assert_eq!(text.lines().count(), 2 + 3, "{text}");
}

/// A real extracted tree is covered through its parent directory; one that is a symlink is
/// looked at itself, since what it points to can change or go without its parent changing.
#[test]
fn a_symlinked_tree_is_followed_not_trusted_through_its_parent() {
    let f = Fixture::new();
    f.probe();
    // The real tree is moved elsewhere and a symlink put in its place.
    let elsewhere = f.tmp.path().join("elsewhere");
    std::fs::rename(&f.files.dir, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &f.files.dir).unwrap();
    settle();
    let (seen, _, misses) = f.probe();
    assert_eq!((misses, seen.dir_exists), (1, true));
    let (_, hits, _) = f.probe();
    assert_eq!(hits, 1, "a symlinked tree is remembered too");
    // What it points to goes; the directory holding the symlink does not change.
    let parent = f.files.dir.parent().unwrap();
    let before = std::fs::metadata(parent).unwrap().modified().unwrap();
    settle();
    make_writable(&elsewhere);
    std::fs::remove_dir_all(&elsewhere).unwrap();
    assert_eq!(
        std::fs::metadata(parent).unwrap().modified().unwrap(),
        before
    );
    settle();
    let (seen, _, misses) = f.probe();
    assert_eq!(misses, 1, "the symlink's target is looked at");
    assert!(!seen.dir_exists);
    assert_eq!(seen, f.truth());
}

mod zip_tests;
