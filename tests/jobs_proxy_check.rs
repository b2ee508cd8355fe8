//! The inspector's proxy check job against an HTTP proxy on 127.0.0.1: it names what the proxy
//! lacks, with progress in module versions; cancelled while every request hangs, it ends at
//! once (the requests in flight are interrupted, not waited out) and sends nothing after.

mod jobs_support;
mod support;

use gomodcache::cache::layout::ModuleCache;
use gomodcache::project::load_project;
use gomodcache::proxy::report::EntryState;
use jobs_support::collect;
use modscope::jobs::proxy_job::{ProxyCheckRequest, spawn_proxy_check};
use modscope::jobs::{JobEvent, JobOutcome};
use std::time::{Duration, Instant};
use support::http_server::{Fault, Server};
use support::{GoSandbox, alpha, beta, gamma};
use tokio::sync::mpsc::unbounded_channel;

const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n\texample.com/gamma v0.3.1\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t_ \"example.com/alpha\"\n\t_ \"example.com/beta\"\n\t_ \"example.com/gamma\"\n)\n\nfunc main() {}\n";

fn project() -> GoSandbox {
    let sb = GoSandbox::new(&[alpha(), beta(), gamma()]);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    sb
}

/// The job's request with GOPROXY pointing at `server` (its first entry is what is checked).
fn request(sb: &GoSandbox, server: &Server, timeout: Duration) -> ProxyCheckRequest {
    let mut go_env = sb.go_env();
    go_env.retain(|(k, _)| k != "GOPROXY");
    go_env.push(("GOPROXY".into(), server.url()));
    let project = load_project(&sb.project, Some("off")).unwrap();
    let mut req = ProxyCheckRequest::new(project, ModuleCache::new(&sb.cache), go_env);
    req.settings.timeout = timeout;
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_job_names_the_missing_zip_with_progress_in_module_versions() {
    let sb = project();
    let server = Server::start(&sb.proxy, Duration::ZERO);
    server.fault("example.com/beta/@v/v1.2.0.zip", Fault::Status(404));
    let (tx, mut rx) = unbounded_channel();
    let _handle = spawn_proxy_check(7, request(&sb, &server, Duration::from_secs(30)), tx);
    let events = collect(&mut rx, 7, Duration::from_secs(60)).await;
    match &events[0] {
        JobEvent::Started { command_line } => {
            assert!(command_line.contains(&server.url()), "{command_line}")
        }
        other => panic!("{other:?}"),
    }
    let progress: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Progress { done, total } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(progress.last(), Some(&(3, 3)), "{events:?}");
    let audit = events
        .iter()
        .find_map(|e| match e {
            JobEvent::ProxyAudited(a) => Some(a.clone()),
            _ => None,
        })
        .expect("the audit");
    let missing: Vec<(String, String)> = audit
        .entries
        .iter()
        .filter(|e| !e.advisory && e.state != EntryState::Present)
        .map(|e| (e.module.clone().unwrap(), e.file.clone()))
        .collect();
    assert_eq!(
        missing,
        vec![("example.com/beta@v1.2.0".to_string(), "zip".to_string())]
    );
    assert!(matches!(
        events.last(),
        Some(JobEvent::Finished(JobOutcome::Failed { .. }))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_interrupts_every_request_in_flight_and_nothing_is_sent_after() {
    let sb = project();
    let server = Server::start(&sb.proxy, Duration::ZERO);
    let infos = [
        "example.com/alpha/@v/v1.0.0.info",
        "example.com/beta/@v/v1.2.0.info",
        "example.com/gamma/@v/v0.3.1.info",
    ];
    for p in infos {
        server.fault(p, Fault::Hang);
    }
    let (tx, mut rx) = unbounded_channel();
    // The server never answers; the client would give up after 20 s. The job must end well
    // before that: its requests are interrupted, not waited out. (Waited out, the job ends
    // only after 20 s and the collection below fails at 10 s.)
    let handle = spawn_proxy_check(8, request(&sb, &server, Duration::from_secs(20)), tx);
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.requests().len() < infos.len() {
        assert!(Instant::now() < deadline, "{:?}", server.requests());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    handle.cancel.cancel();
    let events = collect(&mut rx, 8, Duration::from_secs(10)).await;
    assert_eq!(
        events.last(),
        Some(&JobEvent::Finished(JobOutcome::Cancelled))
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, JobEvent::ProxyAudited(_))),
        "a cancelled check sends no audit"
    );
    // The pool has stopped: no request reaches the server after the job ended.
    let asked = server.requests().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.requests().len(), asked, "{:?}", server.requests());
    handle.join.await.unwrap();
    assert!(rx.try_recv().is_err(), "nothing follows Finished");
}
