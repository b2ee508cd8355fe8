//! `modscope check` and its verify memo, as a user runs them: the memo lives under
//! `$MODSCOPE_CACHE_DIR` (never in GOMODCACHE), a second check gives the same JSON, an edit is
//! still caught, `--full` re-hashes.

use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::{Report, Status};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::cache::verify_memo::{CACHE_DIR_ENV, MEMO_DIR, RACY_WINDOW};
use gomodcache::synth::{SynthModule, go_mod_text, write_cache_entry};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Sandbox {
    tmp: tempfile::TempDir,
    cache: PathBuf,
    project: PathBuf,
    modules: Vec<SynthModule>,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("modcache");
        let project = tmp.path().join("project");
        std::fs::create_dir_all(&project).unwrap();
        let modules: Vec<SynthModule> = (0..3)
            .map(|i| {
                SynthModule::new(&format!("example.com/memo{i}"), "v1.0.0")
                    .with_file("LICENSE", "Synthetic test module.\n")
                    .with_file("sub/util.go", "package sub\n\nconst U = 1\n")
            })
            .collect();
        let mut sum = String::new();
        for m in &modules {
            write_cache_entry(&cache, m).unwrap();
            sum.push_str(&m.go_sum_lines());
        }
        let reqs: Vec<(&str, &str)> = modules
            .iter()
            .map(|m| (m.path.as_str(), m.version.as_str()))
            .collect();
        std::fs::write(
            project.join("go.mod"),
            go_mod_text("example.com/main", "1.21", &reqs),
        )
        .unwrap();
        std::fs::write(project.join("go.sum"), sum).unwrap();
        // Files changed within the racy window are hashed but not remembered: let them age.
        std::thread::sleep(RACY_WINDOW + std::time::Duration::from_millis(200));
        Sandbox {
            tmp,
            cache,
            project,
            modules,
        }
    }

    fn user_cache(&self) -> PathBuf {
        self.tmp.path().join("user-cache")
    }

    fn check(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_modscope"))
            .arg("check")
            .args(extra)
            .arg("--modcache")
            .arg(&self.cache)
            .current_dir(&self.project)
            .env(CACHE_DIR_ENV, self.user_cache())
            .env("HOME", self.tmp.path().join("home"))
            .env_remove("GOWORK")
            .env_remove("GOFLAGS")
            .output()
            .unwrap()
    }

    /// The memo files (not the `memo.key` that signs them).
    fn memo_files(&self) -> Vec<PathBuf> {
        let dir = self.user_cache().join(MEMO_DIR);
        match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().is_some_and(|n| n != "memo.key"))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    fn tree(&self, i: usize) -> PathBuf {
        let m = &self.modules[i];
        ModuleCache::new(&self.cache)
            .files(&m.path, &m.version)
            .unwrap()
            .dir
    }
}

fn report(o: &Output) -> Report {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// Every file under `dir` with its size.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), e.metadata().unwrap().len()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_memo_gives_the_same_report_and_still_catches_edits() {
    let s = Sandbox::new();
    let before = listing(&s.cache);
    let first = s.check(&["--json"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let memos = s.memo_files();
    assert_eq!(memos.len(), 1, "one memo per module cache: {memos:?}");
    assert!(memos[0].extension().is_some_and(|e| e == "memo"));
    // Nothing was written into the module cache.
    assert_eq!(listing(&s.cache), before);

    let second = s.check(&["--json"]);
    assert_eq!(second.status.code(), Some(0));
    // Identical but for what the memo answered, which the report says.
    let without_memo_use = |out: &Output| {
        let mut r = report(out);
        let used = r.verify_memo.take();
        (r, used)
    };
    let (first_report, first_use) = without_memo_use(&first);
    let (second_report, second_use) = without_memo_use(&second);
    assert_eq!(second_report, first_report, "identical JSON from the memo");
    let (first_use, second_use) = (first_use.unwrap(), second_use.unwrap());
    assert_eq!(first_use.unchanged, 0, "{first_use:?}");
    assert_eq!(
        second_use.unchanged + second_use.rehashed,
        first_use.rehashed,
        "every zip and tree counted once: {second_use:?}"
    );
    let full = s.check(&["--json", "--full"]);
    let (full_report, full_use) = without_memo_use(&full);
    assert_eq!(full_report, first_report, "identical JSON re-hashed");
    assert_eq!(full_use, None, "--full does not consult the memo");
    let human = String::from_utf8_lossy(&s.check(&[]).stdout).into_owned();
    assert!(
        human.contains("taken from the verify memo (--full re-hashes all)"),
        "{human}"
    );

    // Same size, new content: caught on the very next check.
    let file = s.tree(1).join("sub/util.go");
    std::fs::write(&file, "package sub\n\nconst U = 2\n").unwrap();
    let edited = s.check(&["--json"]);
    assert_eq!(edited.status.code(), Some(1));
    let r = report(&edited);
    let m = r
        .modules
        .iter()
        .find(|m| m.path == "example.com/memo1")
        .unwrap();
    assert_eq!(m.status, Status::Mismatch);
    assert_eq!(m.problems[0].kind, ProblemKind::ExtractedFilesModified);
    let others: Vec<Status> = r
        .modules
        .iter()
        .filter(|m| m.path != "example.com/memo1")
        .map(|m| m.status)
        .collect();
    assert_eq!(others, vec![Status::Cached, Status::Cached]);

    // An added file too.
    std::fs::write(s.tree(2).join("extra.go"), "package memo2\n").unwrap();
    let added = report(&s.check(&["--json"]));
    let m = added
        .modules
        .iter()
        .find(|m| m.path == "example.com/memo2")
        .unwrap();
    assert_eq!(m.status, Status::Mismatch);
}

#[test]
fn a_garbage_memo_is_ignored_and_full_conflicts_with_quick() {
    let s = Sandbox::new();
    let first = s.check(&["--json"]);
    let memo = s.memo_files().remove(0);
    std::fs::write(&memo, b"\x00\x01 not a memo\nz zz\n").unwrap();
    let again = s.check(&["--json"]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert_eq!(again.stdout, first.stdout);
    // The garbage was replaced by a good memo.
    let text = std::fs::read_to_string(&memo).unwrap();
    assert!(text.starts_with("modscope verify-memo v2\n"), "{text}");

    let both = s.check(&["--json", "--quick", "--full"]);
    assert_eq!(both.status.code(), Some(2), "{both:?}");
    // Quick mode hashes nothing and leaves the memo alone.
    std::fs::remove_file(&memo).unwrap();
    assert_eq!(s.check(&["--json", "--quick"]).status.code(), Some(0));
    assert!(s.memo_files().is_empty());
}

#[test]
fn the_quick_scan_memo_gives_the_same_report_and_still_sees_changes() {
    use gomodcache::cache::probe_memo::PROBE_MEMO_DIR;
    let s = Sandbox::new();
    let first = s.check(&["--json", "--quick"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let memo_dir = s.user_cache().join(PROBE_MEMO_DIR);
    assert_eq!(
        std::fs::read_dir(&memo_dir).unwrap().count(),
        1,
        "one quick-scan memo per module cache"
    );
    let second = s.check(&["--json", "--quick"]);
    assert_eq!(second.stdout, first.stdout, "identical JSON from the memo");

    // A .ziphash rewritten in place with another hash of the same length.
    let m = &s.modules[0];
    let files = ModuleCache::new(&s.cache)
        .files(&m.path, &m.version)
        .unwrap();
    let other = format!("h1:{}=", "B".repeat(43));
    std::fs::write(&files.ziphash, &other).unwrap();
    let r = report(&s.check(&["--json", "--quick"]));
    let seen = r.modules.iter().find(|x| x.path == m.path).unwrap();
    assert_eq!(seen.status, Status::Mismatch, "{seen:?}");
    assert_eq!(seen.ziphash_h1.as_deref(), Some(other.as_str()));

    // A zip removed: seen on the next quick check too.
    let m2 = &s.modules[2];
    let files2 = ModuleCache::new(&s.cache)
        .files(&m2.path, &m2.version)
        .unwrap();
    std::fs::remove_file(&files2.zip).unwrap();
    let r = report(&s.check(&["--json", "--quick"]));
    let seen = r.modules.iter().find(|x| x.path == m2.path).unwrap();
    assert!(
        seen.zip_size.is_none() && seen.cache.zip.is_none(),
        "{seen:?}"
    );
    // And the same report as with no memo at all.
    let fresh = Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(["check", "--json", "--quick", "--modcache"])
        .arg(&s.cache)
        .current_dir(&s.project)
        .env(CACHE_DIR_ENV, s.tmp.path().join("empty-user-cache"))
        .env("HOME", s.tmp.path().join("home"))
        .env_remove("GOWORK")
        .env_remove("GOFLAGS")
        .output()
        .unwrap();
    assert_eq!(report(&fresh), r);
}

#[test]
fn a_memo_that_cannot_be_saved_is_a_warning_in_human_output_and_json() {
    let s = Sandbox::new();
    let blocker = s.tmp.path().join("a-file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let run = |json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_modscope"));
        c.arg("check");
        if json {
            c.arg("--json");
        }
        c.arg("--modcache")
            .arg(&s.cache)
            .current_dir(&s.project)
            .env(CACHE_DIR_ENV, blocker.join("memo"))
            .env("HOME", s.tmp.path().join("home"))
            .env_remove("GOWORK")
            .env_remove("GOFLAGS")
            .output()
            .unwrap()
    };
    let human = run(false);
    assert_eq!(human.status.code(), Some(0), "a warning is not a failure");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("warning:") && text.contains("could not be saved") && text.contains("fix:"),
        "{text}"
    );
    let r = report(&run(true));
    let kinds: Vec<&str> = r.warnings.iter().map(|w| w.kind.as_str()).collect();
    assert!(kinds.contains(&"verify-memo-not-saved"), "{kinds:?}");
    assert!(kinds.contains(&"probe-memo-not-saved"), "{kinds:?}");
}
