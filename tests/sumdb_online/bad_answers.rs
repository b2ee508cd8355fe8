//! A database that lies, forks or fails: a wrong record, a tile that does not match, a forked
//! tree head, 404, 500 and a request that never answers.

use super::*;

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
