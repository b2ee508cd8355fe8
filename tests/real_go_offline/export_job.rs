//! The export as the inspector runs it: a background job with byte progress that writes the same
//! bundle as `modscope export`, and a cancel that takes back everything it wrote.

use super::sandbox::sandbox;
use gomodcache::bundle::{ExportProgress, Manifest, export_bundle_with};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::GoEnv;
use gomodcache::offline::verdict::VerdictInput;
use gomodcache::progress::CancelFlag;
use gomodcache::project::load_project;
use gomodcache::toolchain::GoInstall;
use modscope::jobs::export_job::{ExportRequest, spawn_export};
use modscope::jobs::{JobEvent, JobOutcome};
use std::time::{Duration, Instant};

async fn run_job(req: ExportRequest, cancel_at_once: bool) -> Vec<JobEvent> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let handle = spawn_export(7, req, tx);
    if cancel_at_once {
        handle.cancel.cancel();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut events = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (id, ev) = tokio::time::timeout(left, rx.recv())
            .await
            .expect("the export job did not finish")
            .expect("the job dropped its sender before Finished");
        assert_eq!(id, 7);
        let done = matches!(ev, JobEvent::Finished(_));
        events.push(ev);
        if done {
            return events;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_job_writes_the_cli_bundle_with_byte_progress() {
    let sb = sandbox().fork();
    let project = load_project(&sb.project, Some("off")).unwrap();
    let job_out = sb.tmp.path().join("job-bundle");
    let req = ExportRequest {
        project,
        cache: ModuleCache::new(&sb.cache),
        go_env: sb.go_env(),
        out: job_out.clone(),
    };
    let events = run_job(req, false).await;
    let JobEvent::Started { command_line } = &events[0] else {
        panic!("{events:?}")
    };
    assert!(command_line.contains(&job_out.display().to_string()));
    assert_eq!(
        events.last(),
        Some(&JobEvent::Finished(JobOutcome::Succeeded)),
        "{events:?}"
    );
    let progress: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Progress { done, total } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert!(!progress.is_empty(), "{events:?}");
    assert!(progress.windows(2).all(|w| w[0].0 <= w[1].0));
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(job_out.join("modscope-bundle.json")).unwrap())
            .unwrap();
    let (done, total) = *progress.last().unwrap();
    assert_eq!(done, total, "the last progress is complete");
    // Everything copied is counted: the .mod/.info/list files and the zips.
    assert_eq!(done, manifest.total_size);
    let output: String = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output { line, .. } => Some(format!("{line}\n")),
            _ => None,
        })
        .collect();
    assert!(
        output.contains(&format!("GOPROXY=file://{}", job_out.display())),
        "{output}"
    );

    // The same files, byte for byte, as `modscope export`.
    let cli_out = sb.tmp.path().join("cli-bundle");
    let cache = sb.cache.display().to_string();
    let o = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &[
                "export",
                "--json",
                "--out",
                cli_out.to_str().unwrap(),
                "--modcache",
                &cache,
            ],
            &sb.project,
        )
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let cli: Manifest = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(cli.files, manifest.files);
    assert_eq!(cli.modules, manifest.modules);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_export_job_leaves_nothing_behind() {
    let sb = sandbox().fork();
    let project = load_project(&sb.project, Some("off")).unwrap();
    let out = sb.tmp.path().join("cancelled");
    let req = ExportRequest {
        project,
        cache: ModuleCache::new(&sb.cache),
        go_env: sb.go_env(),
        out: out.clone(),
    };
    let events = run_job(req, true).await;
    assert_eq!(
        events.last(),
        Some(&JobEvent::Finished(JobOutcome::Cancelled))
    );
    assert!(!out.exists(), "the directory it created is gone");
}

/// Cancels after the first bytes are copied, mid-bundle.
struct CancelAfterFirstCopy(CancelFlag);
impl ExportProgress for CancelAfterFirstCopy {
    fn copied(&self, _bytes: u64) {
        self.0.cancel();
    }
}

#[test]
fn cancelling_mid_copy_takes_back_the_files_but_keeps_a_directory_that_existed() {
    let sb = sandbox().fork();
    let project = load_project(&sb.project, Some("off")).unwrap();
    let out = sb.tmp.path().join("existing-empty");
    std::fs::create_dir(&out).unwrap();
    let vars: Vec<(String, String)> = sb.go_env();
    let env = GoEnv::from_vars(vars.clone());
    let go = GoInstall::from_installation(&vars);
    let input = VerdictInput {
        project: &project,
        cache: &ModuleCache::new(&sb.cache),
        env: &env,
        go: &go,
        ignore_vendor: true,
    };
    let flag = CancelFlag::new();
    let err = export_bundle_with(
        &input,
        &out,
        None,
        gomodcache::bundle::BundleLayout::Goproxy,
        &CancelAfterFirstCopy(flag.clone()),
        &flag,
    )
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::Interrupted, "{err}");
    assert!(out.is_dir(), "the user's empty directory stays");
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
