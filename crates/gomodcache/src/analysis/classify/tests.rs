//! Classification on hand-made caches, for the states the real-go integration tests cannot
//! produce easily (a malformed `.ziphash`, a zip never extracted, leftovers of a killed go).

use super::*;
use crate::cache::layout::ModuleCache;
use crate::modfile::go_sum::parse_go_sum;
use crate::progress::{CancelFlag, NoProgress};
use crate::project::SumFiles;
use crate::synth::{SynthModule, write_cache_entry};

struct Fixture {
    _tmp: tempfile::TempDir,
    cache: ModuleCache,
    module: SynthModule,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let module = SynthModule::new("example.com/Mod", "v1.2.3");
    write_cache_entry(tmp.path(), &module).unwrap();
    Fixture {
        cache: ModuleCache::new(tmp.path()),
        module,
        _tmp: tmp,
    }
}

fn sums(text: &str) -> SumFiles {
    SumFiles {
        files: vec![("go.sum".into(), parse_go_sum("go.sum", text.as_bytes()))],
    }
}

fn run(f: &Fixture, sums: &SumFiles, mode: CheckMode) -> ModuleReport {
    let req = Requirement {
        graph_only: false,
        path: f.module.path.clone(),
        version: f.module.version.clone(),
        indirect: false,
        required_by: vec![],
        replacement: None,
    };
    let ctx = ClassifyContext {
        needs: None,
        cache: &f.cache,
        sums,
        mode,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        memo: None,
        probe_memo: None,
    };
    classify(&req, &ctx).unwrap()
}

fn kinds(r: &ModuleReport) -> Vec<K> {
    r.problems.iter().map(|p| p.kind).collect()
}

#[test]
fn a_consistent_entry_is_cached_with_every_hash_filled_in() {
    let f = fixture();
    let r = run(&f, &sums(&f.module.go_sum_lines()), CheckMode::Full);
    assert_eq!(r.status, Status::Cached, "{:?}", r.problems);
    let h = f.module.zip_h1();
    assert_eq!(r.go_sum.h1.as_ref(), Some(&h));
    assert_eq!(r.ziphash_h1.as_ref(), Some(&h));
    assert_eq!(r.computed.zip_h1.as_ref(), Some(&h));
    assert_eq!(r.computed.dir_h1.as_ref(), Some(&h));
    assert_eq!(r.computed.go_mod_h1, Some(f.module.go_mod_h1()));
    assert!(
        r.cache.zip.is_some()
            && r.cache.dir.is_some()
            && r.cache.go_mod.is_some()
            && r.cache.ziphash.is_some()
    );
    assert!(r.cache.dir.unwrap().ends_with("example.com/!mod@v1.2.3"));
}

#[test]
fn malformed_ziphash_is_a_mismatch() {
    let f = fixture();
    let files = f.cache.files("example.com/Mod", "v1.2.3").unwrap();
    std::fs::write(&files.ziphash, "h1:short").unwrap();
    let r = run(&f, &sums(&f.module.go_sum_lines()), CheckMode::Quick);
    assert_eq!(r.status, Status::Mismatch);
    assert_eq!(kinds(&r), [K::InvalidZiphash]);
}

#[test]
fn ziphash_alone_changed_is_told_apart_from_a_rewritten_zip() {
    let f = fixture();
    let files = f.cache.files("example.com/Mod", "v1.2.3").unwrap();
    let other = SynthModule::new("example.com/Other", "v1.0.0").zip_h1();
    std::fs::write(&files.ziphash, &other).unwrap();
    let r = run(&f, &sums(&f.module.go_sum_lines()), CheckMode::Full);
    assert_eq!(r.status, Status::Mismatch);
    // go.sum disagrees with .ziphash, and the full check shows why: the zip, the tree and go.sum
    // agree, so .ziphash is the odd one out, and it is the only cause named.
    assert_eq!(kinds(&r), [K::InvalidZiphash], "{:?}", r.problems);
}

#[test]
fn zip_never_extracted_and_missing_mod_file_are_missing_parts() {
    let f = fixture();
    let files = f.cache.files("example.com/Mod", "v1.2.3").unwrap();
    std::fs::remove_dir_all(&files.dir).unwrap();
    std::fs::remove_file(&files.go_mod).unwrap();
    let r = run(&f, &sums(&f.module.go_sum_lines()), CheckMode::Full);
    assert_eq!(r.status, Status::Missing);
    assert_eq!(kinds(&r), [K::MissingModFile, K::ZipNotExtracted]);
    assert_eq!(
        r.fix.as_deref(),
        Some("go mod download example.com/Mod@v1.2.3")
    );
}

#[test]
fn stray_temp_files_are_a_warning_only() {
    let f = fixture();
    let files = f.cache.files("example.com/Mod", "v1.2.3").unwrap();
    std::fs::write(files.download_dir.join("v1.2.3.zip4242.tmp"), "").unwrap();
    let r = run(&f, &sums(&f.module.go_sum_lines()), CheckMode::Quick);
    assert_eq!(r.status, Status::Cached);
    assert_eq!(kinds(&r), [K::StrayTempFiles]);
    assert!(!r.is_unhealthy());
    assert!(r.fix.unwrap().starts_with("rm -f "));
}

#[test]
fn missing_go_sum_lines_are_named_separately() {
    let f = fixture();
    let only_zip_line = f.module.go_sum_lines().lines().next().unwrap().to_string();
    let r = run(&f, &sums(&only_zip_line), CheckMode::Quick);
    assert_eq!(r.status, Status::Mismatch);
    assert_eq!(kinds(&r), [K::GoSumGoModLineMissing]);
    let r = run(&f, &sums(""), CheckMode::Quick);
    assert_eq!(kinds(&r), [K::GoSumLineMissing, K::GoSumGoModLineMissing]);
}

#[test]
fn a_cancelled_check_stops() {
    let f = fixture();
    let s = sums(&f.module.go_sum_lines());
    let req = Requirement {
        graph_only: false,
        path: f.module.path.clone(),
        version: f.module.version.clone(),
        indirect: false,
        required_by: vec![],
        replacement: None,
    };
    let cancel = CancelFlag::new();
    cancel.cancel();
    let ctx = ClassifyContext {
        needs: None,
        cache: &f.cache,
        sums: &s,
        mode: CheckMode::Full,
        cancel: &cancel,
        progress: &NoProgress,
        memo: None,
        probe_memo: None,
    };
    assert_eq!(classify(&req, &ctx), Err(Cancelled));
}

/// A `/go.mod` disagreement is the cache's to repair only when the cached `.mod` differs from
/// the go.mod inside the module's zip; otherwise go.sum changed and its line is named.
#[test]
fn a_go_mod_mismatch_names_the_side_that_changed() {
    let f = fixture();
    let files = f.cache.files("example.com/Mod", "v1.2.3").unwrap();
    std::fs::write(&files.go_mod, "module example.com/Mod\n// edited\n").unwrap();
    let r = run(&f, &sums(&f.module.go_sum_lines()), CheckMode::Quick);
    assert_eq!(kinds(&r), [K::GoModMismatch]);
    assert_eq!(
        r.fix.as_deref(),
        Some("modscope repair example.com/Mod@v1.2.3")
    );
    assert!(
        r.problems[0]
            .message
            .contains("the .mod file in the cache was changed")
    );

    let f = fixture();
    let wrong = f.module.go_sum_lines().replace(
        &f.module.go_mod_h1(),
        "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    let r = run(&f, &sums(&wrong), CheckMode::Quick);
    assert_eq!(kinds(&r), [K::GoModMismatch]);
    // A command, not prose: go.sum's line for the key goes and go writes it again.
    assert_eq!(
        r.fix.as_deref(),
        Some(
            "awk '!($1 == \"example.com/Mod\" && $2 == \"v1.2.3/go.mod\")' go.sum > go.sum.tmp \
             && mv go.sum.tmp go.sum && go mod download example.com/Mod"
        )
    );
    assert!(
        r.problems[0]
            .message
            .contains("go.sum's line is the one that changed")
    );
}
