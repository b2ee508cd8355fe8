//! GOAUTH as go reads it (cmd/go/internal/auth, `go help goauth`): a `;`-separated list of
//! `off`, `netrc`, `git DIR` and commands, giving HTTP headers per URL prefix for HTTPS
//! requests only.
//!
//! - Before the first request every method runs once without a URL (`git` waits for one). After
//!   a request answered 4xx, every method runs again with the URL (a command gets it as its last
//!   argument and the response's status line and headers on stdin), and the request is made
//!   once more. Methods run last to first, so the first that gives a prefix wins.
//! - `netrc`: `$NETRC`, else `~/.netrc`: Basic credentials per `machine` (a URL prefix).
//! - `git DIR` (DIR absolute, a directory): `git credential fill` in DIR with `url=<URL>`;
//!   Basic credentials for the URL it answers (which must be a prefix of the one asked for).
//!   Unlike go it never prompts (GIT_TERMINAL_PROMPT=0: a prompt would land in the inspector's
//!   screen) and does not run `git credential approve/reject` afterwards.
//! - a command (split on spaces, `'…'`/`"…"` quoting): prints credential sets, each URL lines,
//!   a blank line, header lines, a blank line.
//!
//! A credential is never printed: an error names the command and how it ended, never what it
//! wrote (its stderr may hold the secret it failed to use).

mod parse;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::{Mutex, Once};

pub use parse::{Headers, Method, parse, parse_command_output};
use parse::{parse_git_output, prefix_of};

fn basic(login: &str, password: &str) -> Headers {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{login}:{password}"));
    vec![("Authorization".into(), format!("Basic {token}"))]
}

/// A 4xx answer, as a command reads it on stdin: status line, header lines, blank line.
#[derive(Debug, Clone, Default)]
pub struct Refusal {
    pub status_line: String,
    pub headers: Headers,
}

/// The credentials of a GOAUTH setting, for one process's requests.
pub struct GoAuth {
    methods: Vec<Method>,
    netrc: Option<String>,
    /// The environment the commands run with.
    vars: Vec<(String, String)>,
    /// Prefix → headers.
    cache: Mutex<BTreeMap<String, Headers>>,
    first_run: Once,
    /// How the methods failed (named, never their output), for the error of a refused request.
    errors: Mutex<Vec<String>>,
}

impl GoAuth {
    /// GOAUTH (`None`: unset, go's default `netrc`) with the environment commands run with and
    /// the `.netrc` go would read.
    pub fn new(goauth: Option<&str>, vars: &[(String, String)]) -> Result<GoAuth, String> {
        let methods = parse(goauth.unwrap_or(""))?;
        let netrc = methods
            .contains(&Method::Netrc)
            .then(|| super::netrc::read_netrc(vars))
            .flatten();
        Ok(GoAuth {
            methods,
            netrc,
            vars: vars.to_vec(),
            cache: Mutex::default(),
            first_run: Once::new(),
            errors: Mutex::default(),
        })
    }

    /// Only `.netrc` text (what `GOAUTH=netrc` reads), for tests.
    pub fn from_netrc(netrc: &str) -> GoAuth {
        GoAuth {
            methods: vec![Method::Netrc],
            netrc: Some(netrc.to_string()),
            vars: Vec::new(),
            cache: Mutex::default(),
            first_run: Once::new(),
            errors: Mutex::default(),
        }
    }

    pub fn is_off(&self) -> bool {
        self.methods.is_empty()
    }

    /// The headers for an HTTPS `url` (after the first run of every method): the longest
    /// prefix's, as go's `loadCredential`.
    pub fn headers(&self, url: &str) -> Option<Headers> {
        if self.is_off() || !url.starts_with("https://") {
            return None;
        }
        self.first_run.call_once(|| self.run(None, None));
        self.lookup(url)
    }

    /// `url` was answered 4xx: every method runs again with it; the headers to try once more.
    pub fn after_refusal(&self, url: &str, refusal: &Refusal) -> Option<Headers> {
        if self.is_off() || !url.starts_with("https://") {
            return None;
        }
        self.first_run.call_once(|| self.run(None, None));
        self.run(Some(url), Some(refusal));
        self.lookup(url)
    }

    /// How the methods failed, for a request that stayed refused.
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    fn lookup(&self, url: &str) -> Option<Headers> {
        let cache = self.cache.lock().ok()?;
        let without = url.strip_prefix("https://")?;
        let end = without.find(['?', '#']).unwrap_or(without.len());
        let mut prefix = without[..end].trim_end_matches('/');
        loop {
            if let Some(h) = cache.get(prefix) {
                return Some(h.clone());
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }

    fn store(&self, prefix: &str, headers: Headers) {
        if let Ok(mut cache) = self.cache.lock() {
            let prefix = prefix_of(prefix);
            if headers.is_empty() {
                cache.remove(&prefix);
            } else {
                cache.insert(prefix, headers);
            }
        }
    }

    fn fail(&self, message: String) {
        if let Ok(mut errors) = self.errors.lock()
            && !errors.contains(&message)
        {
            errors.push(message);
        }
    }

    /// go's `runGoAuth`: last method first, so the first one's credentials are kept.
    fn run(&self, url: Option<&str>, refusal: Option<&Refusal>) {
        for method in self.methods.iter().rev() {
            match method {
                Method::Netrc => {
                    let entries = self
                        .netrc
                        .as_deref()
                        .map(super::netrc::entries)
                        .unwrap_or_default();
                    // The first entry of a machine wins, as in go.
                    for (machine, login, password) in entries.iter().rev() {
                        self.store(machine, basic(login, password));
                    }
                }
                Method::Git(dir) => {
                    let Some(url) = url else { continue };
                    match self.git_fill(dir, url) {
                        Ok((prefix, headers)) => self.store(&prefix, headers),
                        Err(e) => self.fail(format!("GOAUTH=git {}: {e}", dir.display())),
                    }
                }
                Method::Command(text, words) => match self.command(words, url, refusal) {
                    Ok(sets) => {
                        for (prefix, headers) in sets {
                            self.store(&prefix, headers);
                        }
                    }
                    Err(e) => self.fail(format!("GOAUTH command `{text}`: {e}")),
                },
            }
        }
    }

    fn child(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        cmd
    }

    fn command(
        &self,
        words: &[String],
        url: Option<&str>,
        refusal: Option<&Refusal>,
    ) -> Result<BTreeMap<String, Headers>, String> {
        let mut cmd = self.child(&words[0]);
        cmd.args(&words[1..]).args(url);
        let stdin = refusal.map(|r| {
            let mut text = format!("{}\n", r.status_line);
            for (k, v) in &r.headers {
                text.push_str(&format!("{k}: {v}\n"));
            }
            text.push('\n');
            text
        });
        let out = run_with_input(cmd, stdin.as_deref())?;
        parse_command_output(&out).map_err(|e| format!("cannot parse its output: {e}"))
    }

    fn git_fill(&self, dir: &std::path::Path, url: &str) -> Result<(String, Headers), String> {
        let mut cmd = self.child("git");
        cmd.args(["credential", "fill"])
            .current_dir(dir)
            .env("GIT_TERMINAL_PROMPT", "0");
        let out = run_with_input(cmd, Some(&format!("url={url}\n")))
            .map_err(|e| format!("'git credential fill' {e}"))?;
        let (prefix, user, password) = parse_git_output(&out);
        if prefix.is_empty() {
            return Err("'git credential fill' gave no URL".into());
        }
        if !url.starts_with(&prefix) {
            return Err(format!(
                "requested a credential for {url}, but 'git credential fill' provided one for {prefix}"
            ));
        }
        Ok((prefix, basic(&user, &password)))
    }
}

/// Runs `cmd` with `input` on stdin (none: empty), its stdout as text; an error says how it
/// ended, never what it wrote.
fn run_with_input(mut cmd: Command, input: Option<&str>) -> Result<String, String> {
    use std::io::Write as _;
    cmd.stdin(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("could not run: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input closes the pipe: not an error.
        let _ = stdin.write_all(input.unwrap_or("").as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("could not run: {e}"))?;
    if !out.status.success() {
        return Err(format!("failed ({})", out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| "wrote output that is not UTF-8".into())
}

#[cfg(test)]
mod tests;
