//! Lines vouched online and then read offline from modscope's cache: through the proxy's sumdb
//! route or the database itself, none when GOSUMDB or GOPROXY is off, and many at once.

use super::*;

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
