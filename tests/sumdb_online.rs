//! `modscope sumdb --online` against the test checksum database (tests/support/fakesumdb)
//! served over HTTP on 127.0.0.1 by a small server in this file, both as a proxy (the whole
//! proxy directory, whose `sumdb/<db>/` route go and modscope use first) and as the database
//! itself (`GOSUMDB="<key> http://127.0.0.1:PORT"`), with faults injected per path.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use support::http_server::{Fault, Server};
use support::{GoSandbox, fake_sumdb, module, sumdb_world};

const DB: &str = "sum.example.test";

struct Base {
    sb: GoSandbox,
    key: String,
}

/// A project whose go.sum go wrote with GOSUMDB=off: go never looked a line up, so no cache
/// holds an answer for any (the state of a go.sum that came with the repository).
fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let (sb, key) = sumdb_world("sumdb-online");
        sb.go_ok(&["mod", "tidy"]);
        assert!(!sb.cache.join("cache/download/sumdb").exists());
        Base { sb, key }
    })
}

/// A fresh copy of the base, with modscope's own cache directory inside it.
fn fresh() -> (GoSandbox, PathBuf) {
    let sb = base().sb.fork();
    let own = sb.tmp.path().join("modscope-cache");
    (sb, own)
}

struct Run {
    code: i32,
    report: Value,
    stderr: String,
    took: Duration,
}

fn run(sb: &GoSandbox, own: &Path, env: &[(&str, String)], args: &[&str]) -> Run {
    let mut all = vec!["sumdb", "--json"];
    all.extend_from_slice(args);
    let start = Instant::now();
    let out = sb
        .command(env!("CARGO_BIN_EXE_modscope"), &all, &sb.project)
        .env("GONOSUMDB", "example.com/private")
        .env("MODSCOPE_CACHE_DIR", own)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {stderr}\n{}", String::from_utf8_lossy(&out.stdout)));
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr,
        took,
    }
}

/// Through the server's proxy route: GOPROXY is the server, GOSUMDB only names the key.
fn via_proxy(srv: &Server) -> Vec<(&'static str, String)> {
    vec![("GOPROXY", srv.url()), ("GOSUMDB", base().key.clone())]
}

fn line<'a>(r: &'a Value, path: &str, go_mod: bool) -> &'a Value {
    r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"] == path && l["go_mod"] == go_mod)
        .unwrap_or_else(|| panic!("no line for {path}: {r:#}"))
}

fn verdicts(r: &Value, path: &str) -> [String; 2] {
    [false, true].map(|m| line(r, path, m)["verdict"].as_str().unwrap().to_string())
}

fn lookup_rel(path: &str) -> String {
    format!("lookup/{path}@v1.0.0")
}

#[test]
fn online_vouches_lines_go_never_looked_up_and_the_next_offline_run_reads_them_from_modscope_cache()
{
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    let env = via_proxy(&srv);
    // Offline: unchecked, and not one request although GOPROXY names a live server.
    let off = run(&sb, &own, &env, &[]);
    assert_eq!(off.code, 0, "{:#}", off.report);
    for path in ["example.com/a", "example.com/b"] {
        assert_eq!(verdicts(&off.report, path), ["unchecked", "unchecked"]);
        assert!(
            line(&off.report, path, false)["reason"]
                .as_str()
                .unwrap()
                .contains("--online")
        );
    }
    assert!(srv.requests().is_empty(), "{:?}", srv.requests());
    // Online: vouched, looked up through the proxy's sumdb route.
    let on = run(&sb, &own, &env, &["--online"]);
    assert_eq!(on.code, 0, "{:#}\n{}", on.report, on.stderr);
    for path in ["example.com/a", "example.com/b"] {
        assert_eq!(
            verdicts(&on.report, path),
            ["vouched", "vouched"],
            "{:#}",
            on.report
        );
        let l = line(&on.report, path, true);
        assert_eq!(l["looked_up_now"], true);
        assert!(
            l["reason"].as_str().unwrap().starts_with("looked up now ("),
            "{l}"
        );
    }
    let p = line(&on.report, "example.com/private/p", false);
    assert!(p["reason"].as_str().unwrap().contains("GONOSUMDB"), "{p}");
    let asked = srv.requests();
    assert!(
        asked
            .iter()
            .all(|r| r.starts_with(&format!("/sumdb/{DB}/"))),
        "{asked:?}"
    );
    assert!(!asked.iter().any(|r| r.contains("private")), "{asked:?}");
    assert_eq!(
        on.report["online"]["via"],
        format!("{}/sumdb/{DB}", srv.url())
    );
    assert_eq!(
        on.report["online"]["kept_lookups"], 2,
        "{:#}",
        on.report["online"]
    );
    // Kept in modscope's cache, laid out as go's; never in the module cache or GOPATH.
    assert!(
        own.join("sumdb")
            .join(DB)
            .join(lookup_rel("example.com/a"))
            .is_file()
    );
    assert!(
        own.join("sumdb")
            .join(DB)
            .join("tile/8/0/000.p/2")
            .is_file()
    );
    assert!(own.join("sumdb").join(DB).join("latest").is_file());
    assert!(!sb.cache.join("cache/download/sumdb").exists());
    assert!(!sb.tmp.path().join("gopath/pkg/sumdb").exists());
    // The next offline run: vouched from modscope's cache, without a request.
    let before = srv.requests().len();
    let again = run(&sb, &own, &env, &[]);
    assert_eq!(again.code, 0);
    for path in ["example.com/a", "example.com/b"] {
        assert_eq!(
            verdicts(&again.report, path),
            ["vouched", "vouched"],
            "{:#}",
            again.report
        );
        let from = line(&again.report, path, false)["answer_from"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(from.starts_with(&own.display().to_string()), "{from}");
    }
    assert_eq!(srv.requests().len(), before);

    // The real go agrees: with go.sum gone and an empty module cache, go looks every module up
    // in the same database (same GOSUMDB, same route) and writes the very lines modscope vouched.
    let go_sum = std::fs::read_to_string(sb.project.join("go.sum")).unwrap();
    std::fs::remove_file(sb.project.join("go.sum")).unwrap();
    let fresh_cache = sb.tmp.path().join("modcache2");
    let go = sb
        .command(
            "go",
            &["mod", "download", "example.com/a", "example.com/b"],
            &sb.project,
        )
        .env("GOMODCACHE", &fresh_cache)
        .env("GONOSUMDB", "example.com/private")
        .env("GOFLAGS", "-mod=mod -modcacherw")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(
        go.status.success(),
        "{}",
        String::from_utf8_lossy(&go.stderr)
    );
    assert!(
        fresh_cache
            .join("cache/download/sumdb")
            .join(DB)
            .join(lookup_rel("example.com/a"))
            .is_file()
    );
    let written = std::fs::read_to_string(sb.project.join("go.sum")).unwrap();
    for l in written.lines() {
        assert!(
            go_sum.lines().any(|g| g == l),
            "go wrote {l}, not in\n{go_sum}"
        );
    }
    assert_eq!(written.lines().count(), 4);
}

#[test]
fn when_the_proxy_has_no_sumdb_route_the_database_itself_is_asked() {
    let (sb, own) = fresh();
    let db = Server::start(&sb.proxy, Duration::ZERO);
    // A proxy with nothing at all: `supported` is 404, so go (and modscope) go direct.
    let empty = tempfile::tempdir().unwrap();
    let proxy = Server::start(empty.path(), Duration::ZERO);
    let env = vec![
        ("GOPROXY", proxy.url()),
        ("GOSUMDB", format!("{} {}", base().key, db.url())),
    ];
    let on = run(&sb, &own, &env, &["--online"]);
    assert_eq!(on.code, 0, "{:#}", on.report);
    assert_eq!(
        verdicts(&on.report, "example.com/a"),
        ["vouched", "vouched"]
    );
    assert_eq!(on.report["online"]["via"], db.url());
    assert_eq!(proxy.requests(), vec![format!("/sumdb/{DB}/supported")]);
    assert!(
        db.requests()
            .iter()
            .any(|r| r == "/lookup/example.com/a@v1.0.0"),
        "{:?}",
        db.requests()
    );
}

#[test]
fn gosumdb_off_and_goproxy_off_look_nothing_up() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    for (var, why) in [("GOSUMDB", "GOSUMDB=off"), ("GOPROXY", "GOPROXY=off")] {
        let mut env = via_proxy(&srv);
        env.retain(|(k, _)| *k != var);
        env.push((var, "off".into()));
        let r = run(&sb, &own, &env, &["--online"]);
        assert_eq!(r.code, 0);
        assert!(
            r.report["online"]["skipped"]
                .as_str()
                .unwrap()
                .contains(why),
            "{:#}",
            r.report
        );
        assert_eq!(
            line(&r.report, "example.com/a", false)["verdict"],
            "unchecked"
        );
    }
    assert!(srv.requests().is_empty(), "{:?}", srv.requests());
}

/// A lookup whose record says another hash than the database logged: its proof fails, the
/// line is unverifiable, nothing of it is kept; and go, asked to look the module up through
/// the same server, refuses too.
#[test]
fn a_lying_lookup_is_unverifiable_and_go_refuses_it_too() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    let real = std::fs::read_to_string(
        sb.proxy
            .join("sumdb")
            .join(DB)
            .join(lookup_rel("example.com/a")),
    )
    .unwrap();
    let h1 = real
        .lines()
        .nth(1)
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    let lie = real.replacen(&h1, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1);
    srv.fault(&lookup_rel("example.com/a"), Fault::Body(lie.into_bytes()));
    let env = via_proxy(&srv);
    let r = run(&sb, &own, &env, &["--online"]);
    assert_eq!(r.code, 1, "{:#}", r.report);
    assert_eq!(
        verdicts(&r.report, "example.com/a"),
        ["unverifiable", "unverifiable"]
    );
    assert!(
        line(&r.report, "example.com/a", false)["reason"]
            .as_str()
            .unwrap()
            .contains("looked up now")
    );
    assert_eq!(verdicts(&r.report, "example.com/b"), ["vouched", "vouched"]);
    assert!(
        !own.join("sumdb")
            .join(DB)
            .join(lookup_rel("example.com/a"))
            .exists()
    );
    assert!(
        own.join("sumdb")
            .join(DB)
            .join(lookup_rel("example.com/b"))
            .exists()
    );
    // go, with no go.sum line for a and an empty cache, consults the database and fails.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("go.mod"), "module x\n\ngo 1.21\n").unwrap();
    let go = sb
        .command(
            "go",
            &["mod", "download", "example.com/a@v1.0.0"],
            dir.path(),
        )
        .env("GOMODCACHE", sb.tmp.path().join("modcache3"))
        .env("GOFLAGS", "-mod=mod -modcacherw")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&go.stderr);
    assert!(
        !go.status.success() && stderr.contains("verifying"),
        "{stderr}"
    );
}

#[test]
fn a_tile_that_does_not_match_makes_the_looked_up_lines_unverifiable() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    let mut tile = std::fs::read(sb.proxy.join("sumdb").join(DB).join("tile/8/0/000.p/2")).unwrap();
    tile[40] ^= 1;
    srv.fault("tile/8/0/000.p/2", Fault::Body(tile));
    let r = run(&sb, &own, &via_proxy(&srv), &["--online"]);
    assert_eq!(r.code, 1, "{:#}", r.report);
    assert_eq!(
        verdicts(&r.report, "example.com/a"),
        ["unverifiable", "unverifiable"]
    );
    assert!(!own.join("sumdb").join(DB).join("tile/8/0/000.p/2").exists());
    assert!(
        !own.join("sumdb")
            .join(DB)
            .join(lookup_rel("example.com/a"))
            .exists()
    );
}

/// The database's `latest` is a tree head signed by its key, of the size go already saw, with
/// another root: two logs. A finding, and nothing of the run is kept.
#[test]
fn a_tree_head_that_forks_from_the_cached_one_is_a_finding_and_nothing_is_kept() {
    use base64::Engine as _;
    use ed25519_dalek::Signer as _;
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    // What go would have cached: the genuine latest.
    let genuine = std::fs::read(sb.proxy.join("sumdb").join(DB).join("latest")).unwrap();
    let go_latest = sb
        .tmp
        .path()
        .join("gopath/pkg/sumdb")
        .join(DB)
        .join("latest");
    std::fs::create_dir_all(go_latest.parent().unwrap()).unwrap();
    std::fs::write(&go_latest, &genuine).unwrap();
    let vkey = gomodcache::sumdb::note::VerifierKey::parse(&base().key).unwrap();
    let signer = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let text = format!(
        "go.sum database tree\n2\n{}\n",
        base64::engine::general_purpose::STANDARD.encode([9u8; 32])
    );
    let mut sig = vkey.hash.to_be_bytes().to_vec();
    sig.extend_from_slice(&signer.sign(text.as_bytes()).to_bytes());
    let forged = format!(
        "{text}\n— {DB} {}\n",
        base64::engine::general_purpose::STANDARD.encode(sig)
    );
    srv.fault("latest", Fault::Body(forged.into_bytes()));
    let r = run(&sb, &own, &via_proxy(&srv), &["--online"]);
    assert_eq!(r.code, 1, "{:#}", r.report);
    assert!(
        r.report["findings"].to_string().contains("fork"),
        "{:#}",
        r.report
    );
    assert!(
        r.report["online"]["not_kept"]
            .as_str()
            .unwrap()
            .contains("fork")
    );
    assert!(!own.join("sumdb").exists() || !own.join("sumdb").join(DB).join("lookup").exists());
}

#[test]
fn a_404_leaves_the_line_unchecked_and_names_the_url() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    srv.fault(&lookup_rel("example.com/b"), Fault::Status(404));
    let r = run(&sb, &own, &via_proxy(&srv), &["--online"]);
    assert_eq!(r.code, 0, "{:#}", r.report);
    assert_eq!(verdicts(&r.report, "example.com/a"), ["vouched", "vouched"]);
    let b = line(&r.report, "example.com/b", false);
    assert_eq!(b["verdict"], "unchecked");
    let reason = b["reason"].as_str().unwrap();
    assert!(
        reason.contains("404")
            && reason.contains(&format!(
                "{}/sumdb/{DB}/lookup/example.com/b@v1.0.0",
                srv.url()
            )),
        "{reason}"
    );
}

#[test]
fn a_500_is_retried_until_it_answers() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    srv.fault(&lookup_rel("example.com/a"), Fault::FailTimes(2));
    let r = run(&sb, &own, &via_proxy(&srv), &["--online"]);
    assert_eq!(r.code, 0, "{:#}", r.report);
    assert_eq!(verdicts(&r.report, "example.com/a"), ["vouched", "vouched"]);
    let asked = srv
        .requests()
        .iter()
        .filter(|p| p.ends_with("lookup/example.com/a@v1.0.0"))
        .count();
    assert_eq!(asked, 3);
}

/// A server that accepts and never answers one lookup: the run ends within its deadline, names
/// the URL that timed out, and vouches for the rest.
#[test]
fn a_request_that_never_answers_times_out_and_is_named() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    srv.fault(&lookup_rel("example.com/a"), Fault::Hang);
    let r = run(&sb, &own, &via_proxy(&srv), &["--online", "--timeout", "1"]);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
    assert_eq!(r.code, 0, "{:#}\n{}", r.report, r.stderr);
    let a = line(&r.report, "example.com/a", false);
    let reason = a["reason"].as_str().unwrap();
    assert!(
        reason.contains("timed out") && reason.contains("lookup/example.com/a@v1.0.0"),
        "{reason}"
    );
    assert_eq!(verdicts(&r.report, "example.com/b"), ["vouched", "vouched"]);
}

/// Many lines at once, all vouched online then offline from modscope's cache, with the time
/// printed. In the suite: 100 modules, no latency. As the benchmark (500 modules, 1,000 lines,
/// 20 ms per request, at 8 and 16 requests in flight):
/// `MODSCOPE_BENCH_MODULES=500 MODSCOPE_BENCH_LATENCY_MS=20 cargo test --test sumdb_online -- --nocapture many_lines`
#[test]
fn many_lines_are_vouched_online_then_offline() {
    let count: usize = std::env::var("MODSCOPE_BENCH_MODULES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sumdb-online-many");
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&parent)
        .status();
    let _ = std::fs::remove_dir_all(&parent);
    let mods: Vec<_> = (0..count)
        .map(|i| {
            module(
                &format!("example.com/m{i:03}"),
                "v1.0.0",
                Some("1.21"),
                &[],
                "func F() int { return 1 }",
            )
        })
        .collect();
    let sb = GoSandbox::new_in(&parent, &mods);
    let names: Vec<String> = (0..count)
        .map(|i| format!("example.com/m{i:03}@v1.0.0"))
        .collect();
    let key = fake_sumdb(&sb, &names.iter().map(String::as_str).collect::<Vec<_>>());
    // go.sum: the database's own lines (what a repository's go.sum holds).
    let mut go_sum = String::new();
    for n in &names {
        let (p, _) = n.split_once('@').unwrap();
        let rec =
            std::fs::read_to_string(sb.proxy.join("sumdb").join(DB).join(lookup_rel(p))).unwrap();
        for l in rec.lines().skip(1).take(2) {
            go_sum.push_str(l);
            go_sum.push('\n');
        }
    }
    sb.write_project(
        "module example.com/main\n\ngo 1.21\n",
        &[("go.sum", &go_sum)],
    );
    let latency = std::env::var("MODSCOPE_BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0u64);
    let lines = 2 * count;
    for jobs in ["8", "16"] {
        let own = tempfile::tempdir().unwrap();
        let srv = Server::start(&sb.proxy, Duration::from_millis(latency));
        let env = vec![("GOPROXY", srv.url()), ("GOSUMDB", key.clone())];
        let r = run(&sb, own.path(), &env, &["--online", "--jobs", jobs]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.report["counts"]["vouched"], lines);
        let n = srv.requests().len();
        let ideal = Duration::from_millis(latency * n as u64 / jobs.parse::<u64>().unwrap());
        println!(
            "bench: {lines} lines --online --jobs {jobs}, {latency} ms/request: {n} requests in {:.2} s (requests x latency / jobs = {:.2} s)",
            r.took.as_secs_f64(),
            ideal.as_secs_f64()
        );
        let off = run(&sb, own.path(), &env, &[]);
        assert_eq!(off.report["counts"]["vouched"], lines);
        println!(
            "bench: the next offline run, {lines} lines from modscope's cache: {:.3} s",
            off.took.as_secs_f64()
        );
    }
}
