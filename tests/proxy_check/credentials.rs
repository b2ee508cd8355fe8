//! `.netrc` credentials as go uses them: never over plain HTTP, and sent to an HTTPS proxy
//! behind basic auth.

use super::*;

/// A proxy that wants credentials, over plain HTTP: go sends `.netrc` credentials (GOAUTH=netrc,
/// its default) only over HTTPS, and so does modscope: with an entry for the host in NETRC,
/// every request still goes without them and fails (401) for both, and the password is never
/// printed.
#[test]
fn netrc_credentials_are_never_sent_over_plain_http_as_in_go() {
    use support::http_server::Server;
    let sb = sandbox();
    let server = Server::start(&sb.proxy, std::time::Duration::ZERO);
    // Basic base64("team:s3cret-token").
    server.require_authorization("Basic dGVhbTpzM2NyZXQtdG9rZW4=");
    let netrc = sb.tmp.path().join("netrc");
    std::fs::write(
        &netrc,
        "machine 127.0.0.1 login team password s3cret-token\n",
    )
    .unwrap();
    let out = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &[
                "proxy",
                "check",
                &server.url(),
                "--json",
                "--modcache",
                sb.cache.to_str().unwrap(),
            ],
            &sb.project,
        )
        .env("NETRC", &netrc)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["counts"]["present"], 0, "{v:#}");
    assert!(text.contains("401"), "{text}");
    assert!(!text.contains("s3cret") && !String::from_utf8_lossy(&out.stderr).contains("s3cret"));

    // go: the same entry, the same refusal to send it over HTTP.
    let empty = tempfile::tempdir().unwrap();
    let go = sb
        .command(
            "go",
            &["mod", "download", "example.com/a@v1.0.0"],
            &sb.project,
        )
        .env("GOMODCACHE", empty.path())
        .env("GOPROXY", server.url())
        .env("GOFLAGS", "-modcacherw -mod=mod")
        .env("NETRC", &netrc)
        .output()
        .unwrap();
    assert!(!go.status.success());
    assert!(
        String::from_utf8_lossy(&go.stderr).contains("401"),
        "{}",
        String::from_utf8_lossy(&go.stderr)
    );
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(empty.path())
        .status();
}

/// Over HTTPS, with the proxy's authority trusted through SSL_CERT_FILE (as go trusts it): a
/// proxy that wants credentials is audited with the `.netrc` entry go would send (the machine is
/// the URL prefix, port included), and go, given the same NETRC, downloads from it too; without
/// the entry both get 401. The password is never printed.
#[test]
fn an_https_proxy_behind_basic_auth_is_reached_with_the_netrc_go_would_use() {
    use support::http_server::Server;
    let sb = sandbox();
    let (server, cert) = Server::start_tls(&sb.proxy, sb.tmp.path());
    // Basic base64("team:s3cret-token").
    server.require_authorization("Basic dGVhbTpzM2NyZXQtdG9rZW4=");
    let netrc = sb.tmp.path().join("netrc");
    std::fs::write(
        &netrc,
        format!(
            "machine 127.0.0.1:{} login team password s3cret-token\n",
            server.port
        ),
    )
    .unwrap();
    let empty_netrc = sb.tmp.path().join("empty-netrc");
    std::fs::write(&empty_netrc, "").unwrap();
    let modscope = |netrc: &Path| {
        let out = sb
            .command(
                env!("CARGO_BIN_EXE_modscope"),
                &[
                    "proxy",
                    "check",
                    &server.url(),
                    "--modcache",
                    sb.cache.to_str().unwrap(),
                ],
                &sb.project,
            )
            .env("NETRC", netrc)
            .env("SSL_CERT_FILE", &cert)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("s3cret"), "the password was printed: {text}");
        (out.status.code(), text)
    };
    let (code, text) = modscope(&empty_netrc);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("401"), "{text}");
    let (code, text) = modscope(&netrc);
    assert_eq!(code, Some(0), "{text}");

    let empty = tempfile::tempdir().unwrap();
    let go = |netrc: &Path| {
        sb.command(
            "go",
            &["mod", "download", "example.com/a@v1.0.0"],
            &sb.project,
        )
        .env("GOMODCACHE", empty.path())
        .env("GOPROXY", server.url())
        .env("GOFLAGS", "-modcacherw -mod=mod")
        .env("NETRC", netrc)
        .env("SSL_CERT_FILE", &cert)
        .output()
        .unwrap()
    };
    let refused = go(&empty_netrc);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("401"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let fetched = go(&netrc);
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(empty.path())
        .status();
}
