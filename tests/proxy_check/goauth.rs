//! GOAUTH beyond `.netrc`, against an HTTPS proxy on 127.0.0.1 that wants Basic credentials
//! (its authority trusted through SSL_CERT_FILE, as go trusts it), with go itself given the same
//! setting as the oracle: a command that prints the credentials up front, one that gives them
//! only when asked again with the URL and the 401 on its stdin, a command that fails (named,
//! its output never printed), and `git DIR` with a `git credential` helper configured in the
//! sandbox's HOME. The password is never printed.

use crate::support::http_server::Server;
use crate::support::{GoSandbox, alpha, beta};
use std::path::{Path, PathBuf};
use std::process::Output;

const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t_ \"example.com/alpha\"\n\t_ \"example.com/beta\"\n)\n\nfunc main() {}\n";
/// Basic base64("team:s3cret-token").
const AUTHORIZATION: &str = "Basic dGVhbTpzM2NyZXQtdG9rZW4=";

struct World {
    sb: GoSandbox,
    server: Server,
    cert: PathBuf,
    /// A `.netrc` with nothing in it: only GOAUTH's other methods give credentials.
    empty_netrc: PathBuf,
}

fn world() -> World {
    let sb = GoSandbox::new(&[alpha(), beta()]);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    let (server, cert) = Server::start_tls(&sb.proxy, sb.tmp.path());
    server.require_authorization(AUTHORIZATION);
    let empty_netrc = sb.tmp.path().join("empty-netrc");
    std::fs::write(&empty_netrc, "").unwrap();
    World {
        sb,
        server,
        cert,
        empty_netrc,
    }
}

impl World {
    fn env<'a>(&'a self, goauth: &'a str) -> [(&'a str, &'a std::ffi::OsStr); 4] {
        [
            ("GOAUTH", goauth.as_ref()),
            ("NETRC", self.empty_netrc.as_os_str()),
            ("SSL_CERT_FILE", self.cert.as_os_str()),
            ("GIT_TERMINAL_PROMPT", "0".as_ref()),
        ]
    }

    /// `modscope proxy check` with GOAUTH=`goauth`: exit code and everything it printed.
    fn check(&self, goauth: &str) -> (Option<i32>, String) {
        let out = self
            .sb
            .command(
                env!("CARGO_BIN_EXE_modscope"),
                &[
                    "proxy",
                    "check",
                    &self.server.url(),
                    "--modcache",
                    self.sb.cache.to_str().unwrap(),
                ],
                &self.sb.project,
            )
            .envs(self.env(goauth))
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("s3cret"), "a password was printed: {text}");
        (out.status.code(), text)
    }

    /// go, with the same GOAUTH, the proxy alone and an empty cache.
    fn go_download(&self, goauth: &str) -> Output {
        let mut go = self.sb.command(
            "go",
            &["mod", "download", "example.com/alpha@v1.0.0"],
            &self.sb.project,
        );
        go.envs(self.env(goauth));
        super::go_from_proxy_alone(go, &self.server.url())
    }

    fn script(&self, name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = self.sb.tmp.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.display().to_string()
    }
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn assert_refused(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("401"), "{stderr}");
}

#[test]
fn goauth_commands_give_credentials_as_go_takes_them() {
    let w = world();
    let url = w.server.url();
    let without = w.check("netrc");
    assert_eq!(without.0, Some(1), "{}", without.1);
    assert!(without.1.contains("401"), "{}", without.1);
    assert_refused(&w.go_download("netrc"));

    // Printed up front (the run before the first request, without a URL).
    let up_front = w.script(
        "up-front.sh",
        &format!("printf '{url}\\n\\nAuthorization: {AUTHORIZATION}\\n\\n'"),
    );
    let (code, text) = w.check(&up_front);
    assert_eq!(code, Some(0), "{text}");
    assert_ok(&w.go_download(&up_front));

    // Only when asked again after a 4xx: with the URL as its argument and the answer on stdin.
    let log = w.sb.tmp.path().join("asked.log");
    let when_asked = w.script(
        "when-asked.sh",
        &format!(
            "[ -n \"$1\" ] || exit 0\nhead -n 1 >> '{log}'\necho \"$1\" >> '{log}'\nprintf '{url}\\n\\nAuthorization: {AUTHORIZATION}\\n\\n'",
            log = log.display()
        ),
    );
    let (code, text) = w.check(&when_asked);
    assert_eq!(code, Some(0), "{text}");
    let asked = std::fs::read_to_string(&log).unwrap();
    assert!(asked.starts_with("HTTP/1.1 401 Unauthorized\n"), "{asked}");
    assert!(asked.contains(&format!("{url}/example.com/")), "{asked}");
    assert_ok(&w.go_download(&when_asked));

    // The first method of the list wins: a failing one after a working one changes nothing.
    let failing = w.script(
        "failing.sh",
        "echo 'password=s3cret-token' >&2\necho 'https://nowhere'\nexit 3",
    );
    let (code, text) = w.check(&format!("{up_front};{failing}"));
    assert_eq!(code, Some(0), "{text}");
    // Alone, it leaves the proxy refusing: the error names the command, not what it wrote.
    let (code, text) = w.check(&failing);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("401") && text.contains(&failing), "{text}");
    assert_refused(&w.go_download(&failing));

    // A setting go refuses is refused: bad input.
    let (code, text) = w.check(&format!("off;{up_front}"));
    assert_eq!(code, Some(2), "{text}");
    assert!(!w.go_download(&format!("off;{up_front}")).status.success());
}

#[test]
fn goauth_git_uses_the_credential_helper_configured_in_home_as_go_does() {
    let w = world();
    let home = w.sb.tmp.path().join("home");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .env_clear()
            .env("HOME", &home)
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    git(&["config", "--global", "credential.helper", "store"]);
    let dir = w.sb.project.display().to_string();
    let goauth = format!("git {dir}");
    assert!(Path::new(&dir).is_absolute());

    // No credential stored: git has nothing (and may not prompt), both are refused.
    let (code, text) = w.check(&goauth);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("401"), "{text}");
    assert_refused(&w.go_download(&goauth));

    std::fs::write(
        home.join(".git-credentials"),
        format!("https://team:s3cret-token@127.0.0.1:{}\n", w.server.port),
    )
    .unwrap();
    let (code, text) = w.check(&goauth);
    assert_eq!(code, Some(0), "{text}");
    assert_ok(&w.go_download(&goauth));

    // A relative directory is refused, by go and here alike.
    let (code, text) = w.check("git project");
    assert_eq!(code, Some(2), "{text}");
    assert!(!w.go_download("git project").status.success());
}
