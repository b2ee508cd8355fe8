//! Credentials for the checksum database, as go ≥ 1.24 sends them on every web request: what
//! GOAUTH gives (a command, `off`, `netrc` when unset), against a database over HTTPS on
//! 127.0.0.1 that answers 401 without Basic credentials (its authority trusted through
//! SSL_CERT_FILE, as go trusts it). The real go, given the same settings and a go.sum to write,
//! looks the same lines up in the same database and succeeds or fails the same way. The
//! password is never printed.

use super::*;
use std::process::Output;

/// Basic base64("team:s3cret-token").
const AUTHORIZATION: &str = "Basic dGVhbTpzM2NyZXQtdG9rZW4=";

struct World {
    sb: GoSandbox,
    own: PathBuf,
    /// Plain HTTP, every module, no `sumdb/<db>/supported` (404): go and modscope ask the
    /// database itself.
    proxy: Server,
    db: Server,
    cert: PathBuf,
    empty_netrc: PathBuf,
}

fn world() -> World {
    let (sb, own) = fresh();
    let proxy = Server::start(&sb.proxy, Duration::ZERO);
    proxy.fault("supported", Fault::Status(404));
    let (db, cert) = Server::start_tls(&sb.proxy, sb.tmp.path());
    db.require_authorization(AUTHORIZATION);
    let empty_netrc = sb.tmp.path().join("empty-netrc");
    std::fs::write(&empty_netrc, "").unwrap();
    World {
        sb,
        own,
        proxy,
        db,
        cert,
        empty_netrc,
    }
}

impl World {
    /// GOPROXY, GOSUMDB naming the database's URL, the authority, NETRC and GOAUTH (`None`:
    /// unset).
    fn env(&self, goauth: Option<&str>, netrc: &Path) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("GOPROXY", self.proxy.url()),
            ("GOSUMDB", format!("{} {}", base().key, self.db.url())),
            ("SSL_CERT_FILE", self.cert.display().to_string()),
            ("NETRC", netrc.display().to_string()),
        ];
        env.extend(goauth.map(|g| ("GOAUTH", g.to_string())));
        env
    }

    fn online(&self, env: &[(&str, String)]) -> Run {
        // The sandbox's commands start from an empty environment: GOAUTH is unset unless given.
        let r = run(&self.sb, &self.own, env, &["--online"]);
        assert!(
            !r.stderr.contains("s3cret") && !r.report.to_string().contains("s3cret"),
            "a password was printed: {}\n{:#}",
            r.stderr,
            r.report
        );
        r
    }

    /// go with the same settings, go.sum gone and an empty module cache: it looks both
    /// modules up in the database to write their lines. go.sum is put back afterwards.
    fn go_download(&self, env: &[(&str, String)]) -> Output {
        let go_sum = self.sb.project.join("go.sum");
        let kept = std::fs::read(&go_sum).unwrap();
        std::fs::remove_file(&go_sum).unwrap();
        let cache = tempfile::tempdir().unwrap();
        let mut go = self.sb.command(
            "go",
            &["mod", "download", "example.com/a", "example.com/b"],
            &self.sb.project,
        );
        go.env("GOMODCACHE", cache.path())
            .env("GONOSUMDB", "example.com/private")
            .env("GOFLAGS", "-mod=mod -modcacherw")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        let out = go.output().unwrap();
        std::fs::write(&go_sum, kept).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("s3cret"), "{stderr}");
        out
    }

    fn script(&self, name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = self.sb.tmp.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.display().to_string()
    }

    fn lookups_served(&self) -> usize {
        self.db
            .requests()
            .iter()
            .filter(|r| r.starts_with("/lookup/"))
            .count()
    }
}

fn assert_vouched(r: &Run, db: &Server) {
    assert_eq!(r.code, 0, "{:#}\n{}", r.report, r.stderr);
    for path in ["example.com/a", "example.com/b"] {
        assert_eq!(
            verdicts(&r.report, path),
            ["vouched", "vouched"],
            "{:#}",
            r.report
        );
    }
    assert_eq!(r.report["online"]["via"], db.url());
}

fn assert_go_ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_database_gets_the_credentials_goauth_gives_as_go_sends_them() {
    let w = world();
    let url = w.db.url();

    // GOAUTH=off: nothing is sent, the database answers 401 to every lookup; the lines stay
    // unchecked naming the refusal and why nothing was sent, and no request got through.
    let off = w.env(Some("off"), &w.empty_netrc);
    let r = w.online(&off);
    assert_eq!(r.code, 0, "{:#}", r.report);
    for path in ["example.com/a", "example.com/b"] {
        assert_eq!(verdicts(&r.report, path), ["unchecked", "unchecked"]);
        let reason = line(&r.report, path, false)["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!("{url}/lookup/{path}@v1.0.0"))
                && reason.contains("401 Unauthorized (GOAUTH=off: no credentials were sent)"),
            "{reason}"
        );
    }
    assert_eq!(w.lookups_served(), 0, "{:?}", w.db.requests());
    // go: the same refusal, on the same lookup.
    let go = w.go_download(&off);
    let stderr = String::from_utf8_lossy(&go.stderr);
    assert!(
        !go.status.success() && stderr.contains("/lookup/example.com/") && stderr.contains("401"),
        "{stderr}"
    );

    // A command that prints the credentials for the database's URL: vouched, as go succeeds.
    let command = w.script(
        "db-auth.sh",
        &format!("printf '{url}\\n\\nAuthorization: {AUTHORIZATION}\\n\\n'"),
    );
    let with_command = w.env(Some(&command), &w.empty_netrc);
    let r = w.online(&with_command);
    assert_vouched(&r, &w.db);
    assert!(w.lookups_served() >= 2, "{:?}", w.db.requests());
    let before = w.lookups_served();
    assert_go_ok(&w.go_download(&with_command));
    assert!(w.lookups_served() > before, "go did not ask the database");

    // The same command from the go env file (`go env -w GOAUTH=…`), as go reads it there.
    let goenv = w.sb.tmp.path().join("goenv");
    std::fs::write(&goenv, format!("GOAUTH={command}\n")).unwrap();
    let mut from_file = w.env(None, &w.empty_netrc);
    from_file.push(("GOENV", goenv.display().to_string()));
    std::fs::remove_dir_all(&w.own).unwrap();
    let before = w.lookups_served();
    assert_vouched(&w.online(&from_file), &w.db);
    assert!(w.lookups_served() > before, "{:?}", w.db.requests());
    assert_go_ok(&w.go_download(&from_file));

    // GOAUTH unset is `netrc`: the database's entry (the machine is the URL prefix, port
    // included) is sent, as go sends it.
    let netrc = w.sb.tmp.path().join("netrc");
    std::fs::write(
        &netrc,
        format!(
            "machine 127.0.0.1:{} login team password s3cret-token\n",
            w.db.port
        ),
    )
    .unwrap();
    let unset = w.env(None, &netrc);
    std::fs::remove_dir_all(&w.own).unwrap();
    assert_vouched(&w.online(&unset), &w.db);
    assert_go_ok(&w.go_download(&unset));
    // …and with an empty .netrc nothing is: refused again.
    std::fs::remove_dir_all(&w.own).unwrap();
    let r = w.online(&w.env(None, &w.empty_netrc));
    assert_eq!(
        verdicts(&r.report, "example.com/a"),
        ["unchecked", "unchecked"]
    );
    assert!(
        r.report["online"]["errors"][0]
            .as_str()
            .unwrap()
            .contains("401"),
        "{:#}",
        r.report["online"]
    );
}

/// The proxy's sumdb route behind the same credentials as the proxy (the common team setup):
/// `supported` answers 401 without them, which stops go (only 404/410 moves on), and with them
/// the lines are vouched through the route.
#[test]
fn the_proxy_sumdb_route_gets_goauth_credentials_too() {
    let (sb, own) = fresh();
    let (srv, cert) = Server::start_tls(&sb.proxy, sb.tmp.path());
    srv.require_authorization(AUTHORIZATION);
    let url = srv.url();
    let script = sb.tmp.path().join("proxy-auth.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '{url}\\n\\nAuthorization: {AUTHORIZATION}\\n\\n'\n"),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = |goauth: &str| {
        vec![
            ("GOPROXY", url.clone()),
            ("GOSUMDB", base().key.clone()),
            ("SSL_CERT_FILE", cert.display().to_string()),
            ("GOAUTH", goauth.to_string()),
        ]
    };
    let off = run(&sb, &own, &env("off"), &["--online"]);
    assert_eq!(
        verdicts(&off.report, "example.com/a"),
        ["unchecked", "unchecked"]
    );
    let reason = line(&off.report, "example.com/a", false)["reason"]
        .as_str()
        .unwrap();
    assert!(
        reason.contains(&format!("{url}/sumdb/{DB}/supported"))
            && reason.contains("401 Unauthorized (GOAUTH=off: no credentials were sent)"),
        "{reason}"
    );
    assert!(srv.requests().is_empty(), "{:?}", srv.requests());

    let on = run(
        &sb,
        &own,
        &env(&script.display().to_string()),
        &["--online"],
    );
    assert_eq!(on.code, 0, "{:#}\n{}", on.report, on.stderr);
    assert_eq!(
        verdicts(&on.report, "example.com/a"),
        ["vouched", "vouched"],
        "{:#}",
        on.report
    );
    assert_eq!(on.report["online"]["via"], format!("{url}/sumdb/{DB}"));
}

/// A GOAUTH go refuses is bad input (exit 2), named as go names it, before any request.
#[test]
fn a_goauth_go_refuses_is_a_usage_error() {
    let (sb, own) = fresh();
    let srv = Server::start(&sb.proxy, Duration::ZERO);
    let mut env = via_proxy(&srv);
    env.push(("GOAUTH", "off;netrc".into()));
    let out = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &["sumdb", "--online"],
            &sb.project,
        )
        .env("MODSCOPE_CACHE_DIR", &own)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("GOAUTH=off cannot be combined with other authentication commands"),
        "{stderr}"
    );
    assert!(srv.requests().is_empty(), "{:?}", srv.requests());
}
