//! One GET, the way modscope makes every request: a timeout for the whole request, up to
//! [`RETRIES`] retries with doubling backoff after a 5xx or a connection reset, a size limit,
//! and `file://` URLs read from disk (go accepts `file://` proxies, and so does this).

use super::goauth::{GoAuth, Headers, Refusal};
use gomodcache::progress::CancelFlag;
use std::time::Duration;

/// Retries after a 5xx or a reset connection (so at most 1 + RETRIES requests).
pub const RETRIES: u32 = 3;
/// The first backoff; each retry waits twice the one before.
const BACKOFF: Duration = Duration::from_millis(200);
/// No answer of a checksum database is larger (a tile is 8 KiB, a lookup a few hundred bytes).
const MAX_BODY: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailKind {
    /// 404 or 410 (or a missing file): the thing is not there.
    NotFound,
    Status(u16),
    Timeout,
    Cancelled,
    Other,
}

/// A failed GET: one sentence naming the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
    pub kind: FailKind,
    pub message: String,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GET {}: {}", self.url, self.message)
    }
}

pub struct Client {
    agent: ureq::Agent,
    timeout: Duration,
    backoff: Duration,
    /// Credentials as go's GOAUTH gives them (HTTPS only).
    auth: Option<std::sync::Arc<GoAuth>>,
    /// GOAUTH=off: a 401/403 says that nothing was sent.
    auth_off: bool,
}

impl Client {
    pub fn new(timeout: Duration, jobs: usize) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_idle_connections(jobs.max(1) * 2)
            .max_idle_connections_per_host(jobs.max(1))
            .user_agent(concat!("modscope/", env!("CARGO_PKG_VERSION")))
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(super::roots::system_roots())
                    .build(),
            )
            .build();
        Client {
            agent: config.into(),
            timeout,
            backoff: BACKOFF,
            auth: None,
            auth_off: false,
        }
    }

    /// Sends what GOAUTH gives, as go does: over HTTPS only, and after a 4xx answer the
    /// methods run again with the URL and the request is made once more.
    pub fn with_auth(mut self, auth: GoAuth) -> Client {
        self.auth_off = auth.is_off();
        self.auth = (!self.auth_off).then(|| std::sync::Arc::new(auth));
        self
    }

    /// Sends the credentials of a `.netrc` as go's GOAUTH=netrc does: each `machine` is a URL
    /// prefix (`host[:port][/path]`), matched against a request's URL without `https://` and
    /// then its parents, path segment by segment; over HTTPS only, never in clear text.
    pub fn with_netrc(self, netrc: &str) -> Client {
        self.with_auth(GoAuth::from_netrc(netrc))
    }

    /// Interrupts every request in flight on this client (each fails at once with an IO
    /// error) and fails every later one: ureq closes the sockets under the blocked reads.
    pub fn shutdown(&self) {
        self.agent.clone().shutdown();
    }

    /// The `Authorization` header GOAUTH gives for `url` (tests).
    #[cfg(test)]
    fn credential_for(&self, url: &str) -> Option<String> {
        let headers = self.auth.as_ref()?.headers(url)?;
        headers
            .into_iter()
            .find(|(k, _)| k == "Authorization")
            .map(|(_, v)| v)
    }

    /// GETs `url` (at most 1 MiB, a checksum database's largest answer), retrying as the
    /// module doc says; `cancel` stops between attempts.
    pub fn get(&self, url: &str, cancel: &CancelFlag) -> Result<Vec<u8>, FetchError> {
        if let Some(path) = url.strip_prefix("file://") {
            return read_file(url, path);
        }
        self.retrying(url, cancel, |url| self.once(Request::Get(MAX_BODY), url))
            .map(|body| body.unwrap_or_default())
    }

    /// GETs `url` reading at most `limit` bytes (more is an error).
    pub fn get_limited(
        &self,
        url: &str,
        limit: u64,
        cancel: &CancelFlag,
    ) -> Result<Vec<u8>, FetchError> {
        self.retrying(url, cancel, |url| self.once(Request::Get(limit), url))
            .map(|body| body.unwrap_or_default())
    }

    /// GETs `url` into a temporary file (a zip may be hundreds of MiB), at most `limit` bytes.
    pub fn get_to_file(
        &self,
        url: &str,
        limit: u64,
        cancel: &CancelFlag,
    ) -> Result<tempfile::TempPath, FetchError> {
        self.retrying(url, cancel, |url| self.once_to_file(url, limit))
    }

    /// HEAD: whether `url` is there.
    pub fn head(&self, url: &str, cancel: &CancelFlag) -> Result<(), FetchError> {
        self.retrying(url, cancel, |url| self.once(Request::Head, url))
            .map(|_| ())
    }

    fn retrying<T>(
        &self,
        url: &str,
        cancel: &CancelFlag,
        once: impl Fn(&str) -> (Result<T, FetchError>, bool),
    ) -> Result<T, FetchError> {
        let mut wait = self.backoff;
        let mut attempt = 0;
        loop {
            if cancel.is_cancelled() {
                return Err(fail(url, FailKind::Cancelled, "cancelled".into()));
            }
            match once(url) {
                (Err(_), true) if attempt < RETRIES && !cancel.is_cancelled() => {
                    attempt += 1;
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                (Err(mut e), _) if attempt > 0 => {
                    e.message = format!("{} (after {attempt} retries)", e.message);
                    return Err(e);
                }
                (other, _) => return other,
            }
        }
    }

    /// The response to one request, or a failure and whether it is worth another attempt.
    fn respond(
        &self,
        request: &Request,
        url: &str,
    ) -> Result<ureq::http::Response<ureq::Body>, (FetchError, bool)> {
        let headers = self.auth.as_ref().and_then(|a| a.headers(url));
        let mut response = self.send(request, url, headers.as_ref())?;
        // go's web.get: a 4xx over HTTPS runs GOAUTH again with the URL and the answer, and
        // asks once more (here only when that gave other headers than were sent).
        if let Some(auth) = &self.auth
            && url.starts_with("https://")
            && response.status().is_client_error()
        {
            let refusal = Refusal {
                status_line: format!("{:?} {}", response.version(), response.status()),
                headers: response
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                    .collect(),
            };
            let again = auth.after_refusal(url, &refusal);
            if again.is_some() && again != headers {
                response = self.send(request, url, again.as_ref())?;
            }
        }
        let status = response.status();
        if !status.is_success() {
            let kind = match status.as_u16() {
                404 | 410 => FailKind::NotFound,
                s => FailKind::Status(s),
            };
            let mut msg = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_string();
            if matches!(status.as_u16(), 401 | 403) {
                let why = match &self.auth {
                    Some(auth) => auth.errors(),
                    None if self.auth_off => vec!["GOAUTH=off: no credentials were sent".into()],
                    None => Vec::new(),
                };
                if !why.is_empty() {
                    msg = format!("{msg} ({})", why.join("; "));
                }
            }
            return Err((fail(url, kind, msg), status.is_server_error()));
        }
        Ok(response)
    }

    /// One request with `headers`, any status; a failure and whether it is worth another
    /// attempt.
    fn send(
        &self,
        request: &Request,
        url: &str,
        headers: Option<&Headers>,
    ) -> Result<ureq::http::Response<ureq::Body>, (FetchError, bool)> {
        let mut builder = match request {
            Request::Head => self.agent.head(url),
            Request::Get(_) => self.agent.get(url),
        };
        for (name, value) in headers.into_iter().flatten() {
            builder = builder.header(name, value);
        }
        let sent = builder.call();
        let response = match sent {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => {
                let msg = format!("timed out after {}", secs(self.timeout));
                return Err((fail(url, FailKind::Timeout, msg), false));
            }
            Err(ureq::Error::Io(e)) => {
                // A resolver answering "try again" (EAI_AGAIN) under many lookups at once is
                // transient too: go's resolver retries it.
                let retry = matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                        | std::io::ErrorKind::UnexpectedEof
                ) || e
                    .to_string()
                    .contains("Temporary failure in name resolution");
                return Err((fail(url, FailKind::Other, e.to_string()), retry));
            }
            Err(e) => return Err((fail(url, FailKind::Other, e.to_string()), false)),
        };
        Ok(response)
    }

    /// One attempt: the body of a GET (`None` for a HEAD).
    fn once(&self, request: Request, url: &str) -> (Result<Option<Vec<u8>>, FetchError>, bool) {
        let response = match self.respond(&request, url) {
            Ok(r) => r,
            Err((e, retry)) => return (Err(e), retry),
        };
        let Request::Get(limit) = request else {
            return (Ok(None), false);
        };
        match response
            .into_body()
            .with_config()
            .limit(limit)
            .read_to_vec()
        {
            Ok(body) => (Ok(Some(body)), false),
            Err(e) => self.body_error(url, e),
        }
    }

    fn once_to_file(
        &self,
        url: &str,
        limit: u64,
    ) -> (Result<tempfile::TempPath, FetchError>, bool) {
        let response = match self.respond(&Request::Get(limit), url) {
            Ok(r) => r,
            Err((e, retry)) => return (Err(e), retry),
        };
        let mut file = match tempfile::NamedTempFile::new() {
            Ok(f) => f,
            Err(e) => return (Err(fail(url, FailKind::Other, e.to_string())), false),
        };
        let mut body = response.into_body();
        let mut reader = body.with_config().limit(limit).reader();
        match std::io::copy(&mut reader, &mut file) {
            Ok(_) => (Ok(file.into_temp_path()), false),
            Err(e) => (Err(fail(url, FailKind::Other, e.to_string())), true),
        }
    }

    fn body_error<T>(&self, url: &str, e: ureq::Error) -> (Result<T, FetchError>, bool) {
        match e {
            ureq::Error::Timeout(_) => {
                let msg = format!("timed out after {}", secs(self.timeout));
                (Err(fail(url, FailKind::Timeout, msg)), false)
            }
            e => (Err(fail(url, FailKind::Other, e.to_string())), true),
        }
    }
}

/// What one attempt asks.
enum Request {
    Head,
    /// With the most bytes the body may have.
    Get(u64),
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

fn fail(url: &str, kind: FailKind, message: String) -> FetchError {
    FetchError {
        url: url.to_string(),
        kind,
        message,
    }
}

fn read_file(url: &str, path: &str) -> Result<Vec<u8>, FetchError> {
    match gomodcache::fs::read::read_regular_file(std::path::Path::new(path), MAX_BODY) {
        Ok(d) => Ok(d),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(fail(url, FailKind::NotFound, "no such file".into()))
        }
        Err(e) => Err(fail(url, FailKind::Other, e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_credentials_match_url_prefixes_over_https_only_as_in_go() {
        let c = Client::new(Duration::from_secs(1), 1).with_netrc(
            "machine proxy.example.com login a password b\n\
             machine 127.0.0.1:8443 login c password d\n\
             machine git.example.com/team login e password f\n",
        );
        let basic = |s: &str| {
            use base64::Engine as _;
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(s)
            )
        };
        assert_eq!(
            c.credential_for("https://proxy.example.com/x/@v/list"),
            Some(basic("a:b"))
        );
        assert_eq!(c.credential_for("http://proxy.example.com/x/@v/list"), None);
        // The port is part of the prefix, as in go.
        assert_eq!(
            c.credential_for("https://127.0.0.1:8443/m/@v/list"),
            Some(basic("c:d"))
        );
        assert_eq!(c.credential_for("https://127.0.0.1/m/@v/list"), None);
        assert_eq!(
            c.credential_for("https://git.example.com/team/go/m/@v/list"),
            Some(basic("e:f"))
        );
        assert_eq!(
            c.credential_for("https://git.example.com/other/m/@v/list"),
            None
        );
    }
}
