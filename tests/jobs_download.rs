//! The real `go mod download -json` as a job, against a `file://` proxy of synthetic modules in
//! a temporary GOMODCACHE/HOME/GOPATH (never ~/go): progress from the cache, and the -json
//! stream parsed back.

mod jobs_support;

use gomodcache::cache::layout::ModuleCache;
use gomodcache::synth::{SynthModule, write_proxy};
use jobs_support::collect;
use modscope::jobs::{
    GoInvocation, JobEvent, JobOutcome, OutputStream, parse_download_json,
    spawn_go_with_cache_progress,
};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc::unbounded_channel;

struct Sandbox {
    tmp: tempfile::TempDir,
    cache: PathBuf,
    project: PathBuf,
}

impl Sandbox {
    fn new(modules: &[SynthModule]) -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("modscope-jobs-")
            .tempdir()
            .unwrap();
        for d in ["proxy", "project", "home", "gopath"] {
            std::fs::create_dir_all(tmp.path().join(d)).unwrap();
        }
        write_proxy(&tmp.path().join("proxy"), modules).unwrap();
        let project = tmp.path().join("project");
        std::fs::write(project.join("go.mod"), "module example.com/w\n\ngo 1.21\n").unwrap();
        Sandbox {
            cache: tmp.path().join("modcache"),
            project,
            tmp,
        }
    }

    fn invocation(&self, args: &[&str]) -> GoInvocation {
        let t = self.tmp.path();
        let s = |p: &Path| p.display().to_string();
        GoInvocation::new(&self.project, args)
            .with_env("HOME", s(&t.join("home")))
            .with_env("GOPATH", s(&t.join("gopath")))
            .with_env("GOMODCACHE", s(&self.cache))
            .with_env("GOCACHE", s(&t.join("gocache")))
            .with_env("GOPROXY", format!("file://{}", t.join("proxy").display()))
            .with_env("GOSUMDB", "off")
            .with_env("GOFLAGS", "-modcacherw")
            .with_env("GOTOOLCHAIN", "local")
            .with_env("GOENV", "off")
            .with_env("GOWORK", "off")
            .with_env("GO111MODULE", "on")
    }

    fn ziphash(&self, m: &SynthModule) -> PathBuf {
        ModuleCache::new(&self.cache)
            .files(&m.path, &m.version)
            .unwrap()
            .ziphash
    }
}

fn stdout(events: &[JobEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output {
                stream: OutputStream::Stdout,
                line,
            } => Some(format!("{line}\n")),
            _ => None,
        })
        .collect()
}

fn progress(events: &[JobEvent]) -> Vec<(u64, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Progress { done, total } => Some((*done, *total)),
            _ => None,
        })
        .collect()
}

async fn download(sb: &Sandbox, args: &[&str], watched: Vec<PathBuf>) -> Vec<JobEvent> {
    let (tx, mut rx) = unbounded_channel();
    let handle = spawn_go_with_cache_progress(21, sb.invocation(args), watched, tx);
    let events = collect(&mut rx, 21, Duration::from_secs(120)).await;
    handle.join.await.unwrap();
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_mod_download_reports_cache_progress_and_json_results() {
    let modules = [
        SynthModule::new("example.com/a", "v1.0.0"),
        SynthModule::new("example.com/b", "v1.0.0").with_file("extra.txt", vec![b'x'; 50_000]),
    ];
    let sb = Sandbox::new(&modules);
    let watched: Vec<PathBuf> = modules.iter().map(|m| sb.ziphash(m)).collect();
    let args = [
        "mod",
        "download",
        "-json",
        "example.com/a@v1.0.0",
        "example.com/b@v1.0.0",
    ];
    let events = download(&sb, &args, watched).await;
    assert_eq!(
        events[0],
        JobEvent::Started {
            command_line: "go mod download -json example.com/a@v1.0.0 example.com/b@v1.0.0".into()
        }
    );
    assert_eq!(
        events.last(),
        Some(&JobEvent::Finished(JobOutcome::Succeeded)),
        "{events:?}"
    );
    let p = progress(&events);
    assert_eq!(p.last(), Some(&(2, 2)), "{p:?}");
    assert!(p.windows(2).all(|w| w[0].0 < w[1].0), "{p:?}");

    let results = parse_download_json(&stdout(&events)).unwrap();
    assert_eq!(results.len(), 2);
    for (r, m) in results.iter().zip(&modules) {
        assert_eq!((&r.path, &r.version), (&m.path, &m.version));
        assert_eq!(r.error, None);
        assert_eq!(r.sum.as_deref(), Some(m.zip_h1().as_str()));
        assert_eq!(r.go_mod_sum.as_deref(), Some(m.go_mod_h1().as_str()));
        assert!(Path::new(r.dir.as_deref().unwrap()).is_dir());
        assert!(Path::new(r.zip.as_deref().unwrap()).is_file());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_missing_from_the_proxy_fails_the_job_but_not_the_others() {
    let a = SynthModule::new("example.com/a", "v1.0.0");
    let sb = Sandbox::new(std::slice::from_ref(&a));
    let missing = SynthModule::new("example.com/missing", "v1.0.0");
    let watched = vec![sb.ziphash(&a), sb.ziphash(&missing)];
    let args = [
        "mod",
        "download",
        "-json",
        "example.com/a@v1.0.0",
        "example.com/missing@v1.0.0",
    ];
    let events = download(&sb, &args, watched).await;
    match events.last() {
        Some(JobEvent::Finished(JobOutcome::Failed { exit_code, .. })) => {
            assert_eq!(*exit_code, Some(1))
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert_eq!(progress(&events).last(), Some(&(1, 2)));
    let results = parse_download_json(&stdout(&events)).unwrap();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(
        results[1]
            .error
            .as_deref()
            .unwrap()
            .contains("example.com/missing@v1.0.0")
    );
}
