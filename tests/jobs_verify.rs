//! The in-process verify job gives exactly what `run_check` gives, module by module, with
//! throttled byte progress, and stops promptly when cancelled.

mod jobs_support;

use gomodcache::analysis::check::{CheckOptions, run_check};
use gomodcache::analysis::report::{CheckMode, ModuleReport, Status};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::demo::materialize_demo;
use gomodcache::goenv::env::ValueSource;
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::{Project, load_project};
use gomodcache::synth::{SynthModule, go_mod_text, write_cache_entry};
use jobs_support::collect;
use modscope::jobs::{JobEvent, JobOutcome, VerifyRequest, spawn_verify};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::unbounded_channel;

struct Run {
    events: Vec<JobEvent>,
    elapsed: Duration,
}

impl Run {
    fn modules(&self) -> Vec<ModuleReport> {
        let mut m: Vec<ModuleReport> = self
            .events
            .iter()
            .filter_map(|e| match e {
                JobEvent::Module(m) => Some((**m).clone()),
                _ => None,
            })
            .collect();
        m.sort_by(|a, b| a.path.cmp(&b.path));
        m
    }
    fn progress(&self) -> Vec<(u64, u64)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                JobEvent::Progress { done, total } => Some((*done, *total)),
                _ => None,
            })
            .collect()
    }
    fn outcome(&self) -> &JobOutcome {
        match self.events.last() {
            Some(JobEvent::Finished(o)) => o,
            other => panic!("last event {other:?}"),
        }
    }
    fn started(&self) -> &str {
        match &self.events[0] {
            JobEvent::Started { command_line } => command_line,
            other => panic!("first event {other:?}"),
        }
    }
    /// Monotone, within the total, and throttled (at most ~15 a second plus the last one).
    fn assert_progress_well_behaved(&self) {
        let p = self.progress();
        for w in p.windows(2) {
            assert!(w[0].0 <= w[1].0 && w[0].1 <= w[1].1, "not monotone: {p:?}");
        }
        assert!(p.iter().all(|(d, t)| d <= t && *t > 0), "{p:?}");
        let bound = 2 + (self.elapsed.as_millis() / 60) as usize;
        assert!(
            p.len() <= bound,
            "{} progress events in {:?}",
            p.len(),
            self.elapsed
        );
    }
}

fn request(project: &Project, cache: &Path, mode: CheckMode) -> VerifyRequest {
    VerifyRequest {
        project: project.clone(),
        cache: ModuleCache::new(cache),
        only: None,
        mode,
        memos: None,
        go_env: None,
        fresh: false,
    }
}

async fn run(req: VerifyRequest) -> Run {
    let (tx, mut rx) = unbounded_channel();
    let t0 = Instant::now();
    let handle = spawn_verify(11, req, tx);
    let events = collect(&mut rx, 11, Duration::from_secs(120)).await;
    let elapsed = t0.elapsed();
    handle.join.await.unwrap();
    Run { events, elapsed }
}

fn check(project: &Project, cache: &Path, mode: CheckMode) -> Vec<ModuleReport> {
    let report = run_check(
        project,
        &ModuleCache::new(cache),
        &CheckOptions {
            scope: gomodcache::analysis::check::CheckScope::Required,
            mode,
            cancel: &CancelFlag::new(),
            progress: &NoProgress,
            gomodcache_source: ValueSource::CommandLine,
        },
    );
    let mut m = report.modules;
    m.sort_by(|a, b| a.path.cmp(&b.path));
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_module_arrives_with_the_report_run_check_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(tmp.path()).unwrap();
    let project = load_project(&layout.project_dir, Some("off")).unwrap();
    for mode in [CheckMode::Full, CheckMode::Quick] {
        let expected = check(&project, &layout.gomodcache, mode);
        let r = run(request(&project, &layout.gomodcache, mode)).await;
        let word = if mode == CheckMode::Full {
            "full re-hash"
        } else {
            "quick"
        };
        assert_eq!(
            r.started(),
            format!("verify {} modules (in-process, {word})", expected.len())
        );
        assert_eq!(*r.outcome(), JobOutcome::Succeeded);
        assert_eq!(r.modules(), expected, "{mode:?}");
        let statuses: Vec<Status> = r.modules().iter().map(|m| m.status).collect();
        assert!(statuses.contains(&Status::Mismatch) && statuses.contains(&Status::Missing));
        if mode == CheckMode::Full {
            assert!(!r.progress().is_empty());
            r.assert_progress_well_behaved();
        } else {
            assert!(r.progress().is_empty(), "quick mode hashes nothing");
        }
    }
}

#[tokio::test]
async fn only_restricts_the_job_to_the_named_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(tmp.path()).unwrap();
    let project = load_project(&layout.project_dir, Some("off")).unwrap();
    let mut req = request(&project, &layout.gomodcache, CheckMode::Full);
    req.only = Some(vec![
        "github.com/google/uuid".into(),
        "go.uber.org/zap".into(),
        "example.com/not-required".into(),
    ]);
    let r = run(req).await;
    assert_eq!(r.started(), "verify 2 modules (in-process, full re-hash)");
    let paths: Vec<String> = r.modules().into_iter().map(|m| m.path).collect();
    assert_eq!(paths, ["github.com/google/uuid", "go.uber.org/zap"]);
}

/// A project requiring `modules`, all cached intact; returns (project dir, cache dir).
fn healthy(root: &Path, modules: &[SynthModule]) -> (std::path::PathBuf, std::path::PathBuf) {
    let (project, cache) = (root.join("project"), root.join("cache"));
    std::fs::create_dir_all(&project).unwrap();
    let requires: Vec<(&str, &str)> = modules
        .iter()
        .map(|m| (m.path.as_str(), m.version.as_str()))
        .collect();
    std::fs::write(
        project.join("go.mod"),
        go_mod_text("example.com/main", "1.21", &requires),
    )
    .unwrap();
    let sums: String = modules.iter().map(SynthModule::go_sum_lines).collect();
    std::fs::write(project.join("go.sum"), sums).unwrap();
    for m in modules {
        write_cache_entry(&cache, m).unwrap();
    }
    (project, cache)
}

/// `n` modules with `files` data files of `size` bytes each (cheap to compress, not constant).
fn big_modules(n: usize, files: usize, size: usize) -> Vec<SynthModule> {
    (0..n)
        .map(|i| {
            (0..files).fold(
                SynthModule::new(&format!("example.com/big{i}"), "v1.0.0"),
                |m, f| {
                    // A 251-byte block repeated (copied, not computed byte by byte: the cancel
                    // test needs hundreds of MiB in a debug build).
                    let block: Vec<u8> = (0..251u32).map(|b| b as u8 ^ (i + f) as u8).collect();
                    let mut data = block.repeat(size / block.len() + 1);
                    data.truncate(size);
                    m.with_file(format!("data/{f}.bin"), data)
                },
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_counts_every_byte_of_zips_and_trees() {
    let tmp = tempfile::tempdir().unwrap();
    let modules = big_modules(4, 3, 100_000);
    let (project_dir, cache) = healthy(tmp.path(), &modules);
    let project = load_project(&project_dir, Some("off")).unwrap();
    let r = run(request(&project, &cache, CheckMode::Full)).await;
    assert_eq!(*r.outcome(), JobOutcome::Succeeded);
    assert!(r.modules().iter().all(|m| m.status == Status::Cached));
    let content: u64 = modules
        .iter()
        .flat_map(|m| m.tree())
        .map(|(_, d)| d.len() as u64)
        .sum();
    // Each file is hashed twice: inside the zip and in the extracted tree.
    assert_eq!(r.progress().last(), Some(&(2 * content, 2 * content)));
    r.assert_progress_well_behaved();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_the_hashing_promptly() {
    let tmp = tempfile::tempdir().unwrap();
    let t = Instant::now();
    // Cancellation is checked between files and chunks. The content must take far longer to hash
    // than the first progress event (~66 ms) takes to reach this test, or the job ends before
    // the cancel: 6 × 40 files of 2 MiB, ~1 GiB hashed with the zips inflated (15 MiB did end
    // first once hashing ran optimised; 1 MiB files were ~4× the margin needed, this is ~8×).
    let (project_dir, cache) = healthy(tmp.path(), &big_modules(6, 40, 2 << 20));
    eprintln!("writing the cache took {:?}", t.elapsed());
    let project = load_project(&project_dir, Some("off")).unwrap();
    let (tx, mut rx) = unbounded_channel();
    let t0 = Instant::now();
    let handle = spawn_verify(12, request(&project, &cache, CheckMode::Full), tx);
    // Wait until hashing is under way.
    let mut events = Vec::new();
    loop {
        let (_, ev) = rx.recv().await.unwrap();
        let hashing = matches!(ev, JobEvent::Progress { done, .. } if done > 0);
        assert!(
            !matches!(ev, JobEvent::Finished(_)),
            "finished before cancel"
        );
        events.push(ev);
        if hashing {
            break;
        }
    }
    let t1 = Instant::now();
    handle.cancel.cancel();
    events.extend(collect(&mut rx, 12, Duration::from_secs(30)).await);
    let latency = t1.elapsed();
    let r = Run {
        events,
        elapsed: t0.elapsed(),
    };
    eprintln!(
        "verify cancel → Finished(Cancelled) in {latency:?} ({} of 6 modules done, {:?} bytes, after {:?})",
        r.modules().len(),
        r.progress().last(),
        t1 - t0
    );
    assert_eq!(*r.outcome(), JobOutcome::Cancelled);
    assert!(latency < Duration::from_secs(1), "{latency:?}");
    let (done, total) = *r.progress().last().unwrap();
    assert!(done < total);
    r.assert_progress_well_behaved();
}

#[tokio::test]
async fn a_job_cancelled_before_it_ran_reports_no_module() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(tmp.path()).unwrap();
    let project = load_project(&layout.project_dir, Some("off")).unwrap();
    let (tx, mut rx) = unbounded_channel();
    let handle = spawn_verify(
        13,
        request(&project, &layout.gomodcache, CheckMode::Full),
        tx,
    );
    handle.cancel.cancel();
    let events = collect(&mut rx, 13, Duration::from_secs(10)).await;
    assert!(matches!(events[0], JobEvent::Started { .. }));
    assert_eq!(events[1..], [JobEvent::Finished(JobOutcome::Cancelled)]);
}

fn output(r: &Run) -> Vec<String> {
    r.events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output { line, .. } => Some(line.clone()),
            _ => None,
        })
        .collect()
}

/// The inspector's verify pass says what the verify memo answered, never "full" for it, and a
/// fresh pass (R) re-hashes everything.
#[tokio::test]
async fn the_verify_pass_says_what_the_memo_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(&tmp.path().join("demo")).unwrap();
    let project = load_project(&layout.project_dir, Some("off")).unwrap();
    let mut req = request(&project, &layout.gomodcache, CheckMode::Full);
    req.memos = Some(tmp.path().join("memos"));
    let first = run(req.clone()).await;
    assert_eq!(
        first.started(),
        format!(
            "verify {} modules (in-process, full, through the verify memo)",
            first.modules().len()
        )
    );
    let said = output(&first).join("\n");
    assert!(
        said.contains(" 0 zips and trees unchanged (verify memo)"),
        "{said}"
    );
    // Files changed within the last 2 s are not remembered (the racy window).
    std::thread::sleep(Duration::from_millis(2100));
    let _ = run(req.clone()).await;
    let second = run(req.clone()).await;
    let said = output(&second).join("\n");
    assert!(said.contains(", 0 re-hashed"), "{said}");
    req.fresh = true;
    let fresh = run(req).await;
    assert!(
        fresh.started().contains("full re-hash"),
        "{}",
        fresh.started()
    );
    let said = output(&fresh).join("\n");
    assert!(
        said.contains("re-hashed (verify memo ignored and refreshed)"),
        "{said}"
    );
}
