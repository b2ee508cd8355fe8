//! One GET, the way modscope makes every request: a timeout for the whole request, up to
//! [`RETRIES`] retries with doubling backoff after a 5xx or a connection reset, a size limit,
//! and `file://` URLs read from disk (go accepts `file://` proxies, and so does this).

use crate::core::progress::CancelFlag;
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
}

impl Client {
    pub fn new(timeout: Duration, jobs: usize) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_idle_connections(jobs.max(1) * 2)
            .max_idle_connections_per_host(jobs.max(1))
            .user_agent(concat!("modscope/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            timeout,
            backoff: BACKOFF,
        }
    }

    /// GETs `url`, retrying as the module doc says; `cancel` stops between attempts.
    pub fn get(&self, url: &str, cancel: &CancelFlag) -> Result<Vec<u8>, FetchError> {
        if let Some(path) = url.strip_prefix("file://") {
            return read_file(url, path);
        }
        let mut wait = self.backoff;
        let mut attempt = 0;
        loop {
            if cancel.is_cancelled() {
                return Err(fail(url, FailKind::Cancelled, "cancelled".into()));
            }
            let (result, retry) = self.once(url);
            match result {
                Err(e) if retry && attempt < RETRIES => {
                    attempt += 1;
                    let _ = e;
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(mut e) if attempt > 0 => {
                    e.message = format!("{} (after {attempt} retries)", e.message);
                    return Err(e);
                }
                other => return other,
            }
        }
    }

    /// One attempt, and whether a failure is worth another.
    fn once(&self, url: &str) -> (Result<Vec<u8>, FetchError>, bool) {
        let response = match self.agent.get(url).call() {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => {
                let msg = format!("timed out after {}", secs(self.timeout));
                return (Err(fail(url, FailKind::Timeout, msg)), false);
            }
            Err(ureq::Error::Io(e)) => {
                let retry = matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                        | std::io::ErrorKind::UnexpectedEof
                );
                return (Err(fail(url, FailKind::Other, e.to_string())), retry);
            }
            Err(e) => return (Err(fail(url, FailKind::Other, e.to_string())), false),
        };
        let status = response.status();
        if !status.is_success() {
            let kind = match status.as_u16() {
                404 | 410 => FailKind::NotFound,
                s => FailKind::Status(s),
            };
            let msg = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            );
            return (
                Err(fail(url, kind, msg.trim_end().to_string())),
                status.is_server_error(),
            );
        }
        match response
            .into_body()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
        {
            Ok(body) => (Ok(body), false),
            Err(ureq::Error::Timeout(_)) => {
                let msg = format!("timed out after {}", secs(self.timeout));
                (Err(fail(url, FailKind::Timeout, msg)), false)
            }
            Err(e) => (Err(fail(url, FailKind::Other, e.to_string())), true),
        }
    }
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
    match crate::core::fs_util::read_regular_file(std::path::Path::new(path), MAX_BODY) {
        Ok(d) => Ok(d),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(fail(url, FailKind::NotFound, "no such file".into()))
        }
        Err(e) => Err(fail(url, FailKind::Other, e.to_string())),
    }
}
