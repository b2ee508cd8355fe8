//! The repair job the inspector can start: the modules a full check picks are evicted into the
//! quarantine and downloaded again by the real `go`, with what moved reported as output lines.

mod jobs_support;
mod support;

use gomodcache::analysis::check::{CheckOptions, run_check};
use gomodcache::analysis::repair_plan::select_repairs;
use gomodcache::analysis::report::CheckMode;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::ValueSource;
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::load_project;
use jobs_support::collect;
use modscope::jobs::{JobEvent, JobOutcome, RepairRequest, spawn_repair};
use std::time::Duration;
use support::{GoSandbox, alpha, beta, force_write, gamma};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_repair_job_evicts_downloads_and_leaves_a_verified_cache() {
    let sb = GoSandbox::new(&[alpha(), beta(), gamma()]);
    sb.write_project(
        "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/gamma v0.3.1\n)\n",
        &[(
            "main.go",
            "package main\n\nimport (\n\t\"example.com/alpha\"\n\t\"example.com/gamma\"\n)\n\nfunc main() { println(alpha.A(), gamma.G()) }\n",
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    let cache = ModuleCache::new(&sb.cache);
    let tree = cache.files("example.com/gamma", "v0.3.1").unwrap().dir;
    force_write(&tree.join("gamma.go"), b"package gamma // evil\n");

    let project = load_project(&sb.project, Some("off")).unwrap();
    let cancel = CancelFlag::new();
    let opts = CheckOptions {
        scope: gomodcache::analysis::check::CheckScope::Required,
        mode: CheckMode::Full,
        cancel: &cancel,
        progress: &NoProgress,
        gomodcache_source: ValueSource::CommandLine,
    };
    let report = run_check(&project, &cache, &opts);
    let selection = select_repairs(&report, &cache, &[]).unwrap();
    assert_eq!(selection.repairs.len(), 1, "{selection:#?}");
    assert_eq!(selection.repairs[0].cache_at(), "example.com/gamma@v0.3.1");

    let quarantine = sb.tmp.path().join("quarantine");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let request = RepairRequest {
        project_dir: sb.project.clone(),
        go_env: sb.go_env(),
        cache: cache.clone(),
        quarantine_root: quarantine.clone(),
        candidates: selection.repairs,
    };
    let _handle = spawn_repair(7, request, tx);
    let events = collect(&mut rx, 7, Duration::from_secs(120)).await;
    let lines: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output { line, .. } => Some(line.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        matches!(&events[0], JobEvent::Started { command_line } if command_line == "modscope repair --yes example.com/gamma@v0.3.1"),
        "{events:?}"
    );
    assert_eq!(
        events.last(),
        Some(&JobEvent::Finished(JobOutcome::Succeeded)),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("evicted example.com/gamma@v0.3.1 (")),
        "{lines:#?}"
    );
    assert_eq!(std::fs::read_dir(&quarantine).unwrap().count(), 1);
    let verify = sb.go(&["mod", "verify"]);
    assert!(
        String::from_utf8_lossy(&verify.stdout).contains("all modules verified"),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert_eq!(
        std::fs::read(tree.join("gamma.go")).unwrap(),
        b"package gamma\n\nfunc G() int { return 3 }\n"
    );
}
