//! The module proxy `modscope proxy check` audits, for the command and the inspector's job
//! alike: which one (the URL given, or the first proxy of the effective GOPROXY), and its
//! reader: a `file://` tree, or an HTTP(S) proxy through the same client as `sumdb --online`
//! (timeouts, retries with backoff on 5xx and resets, credentials as go sends them).

use super::goauth::GoAuth;
use super::http::{Client, FailKind, FetchError};
use gomodcache::goenv::env::GoEnv;
use gomodcache::goenv::env::effective_private;
use gomodcache::goenv::goproxy::{ProxyKind, ProxyList, parse_goproxy};
use gomodcache::progress::CancelFlag;
use gomodcache::proxy::source::{Body, FileProxy, ProxySource, Response};
use std::time::Duration;

/// The proxy to audit and the GOPROXY list it is audited as part of (for what go does after
/// each answer): `url` when given, else the list's first proxy, as go would ask it first.
pub fn proxy_target(env: &GoEnv, url: Option<&str>) -> Result<(String, ProxyList), String> {
    let goproxy = env
        .get("GOPROXY")
        .unwrap_or("https://proxy.golang.org,direct");
    let (gonoproxy, _) = effective_private(env, "GONOPROXY");
    let list = parse_goproxy(goproxy, &gonoproxy);
    let url = match url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => match list.entries.iter().find(|e| e.kind == ProxyKind::Proxy) {
            Some(e) => e.url.trim_end_matches('/').to_string(),
            None => {
                return Err(format!(
                    "GOPROXY={goproxy} names no proxy: give the URL to check (modscope proxy check URL)"
                ));
            }
        },
    };
    Ok((url, list))
}

/// How an HTTP(S) proxy is read.
#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    /// One request, whole.
    pub timeout: Duration,
    /// Requests in flight.
    pub jobs: usize,
}

/// The reader for a proxy URL: a `file://` tree, or HTTP(S) through the network client with
/// the credentials go would send: GOAUTH as `env` has it (the go env file included), its
/// commands run with `vars` (the process environment go runs with). A GOAUTH go refuses is
/// refused here too.
pub fn open_proxy(
    url: &str,
    settings: HttpSettings,
    cancel: &CancelFlag,
    env: &GoEnv,
    vars: &[(String, String)],
) -> Result<Box<dyn ProxySource + Send>, String> {
    if let Some(p) = FileProxy::new(url) {
        return Ok(Box::new(p));
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        let auth = GoAuth::new(env.get("GOAUTH"), vars)?;
        return Ok(Box::new(HttpProxy::new(
            url,
            settings.timeout,
            settings.jobs,
            cancel.clone(),
            auth,
        )));
    }
    Err(format!(
        "{url}: not a proxy URL (file://, http:// or https://)"
    ))
}

pub struct HttpProxy {
    base: String,
    client: Client,
    cancel: CancelFlag,
}

impl HttpProxy {
    /// `url` is the proxy's base (`https://proxy.example.com/go`); `auth` the credentials
    /// go's GOAUTH gives, sent as go sends them.
    pub fn new(
        url: &str,
        timeout: Duration,
        jobs: usize,
        cancel: CancelFlag,
        auth: GoAuth,
    ) -> HttpProxy {
        let client = Client::new(timeout, jobs).with_auth(auth);
        HttpProxy {
            base: url.trim_end_matches('/').to_string(),
            client,
            cancel,
        }
    }

    fn url(&self, rel: &str) -> String {
        format!("{}/{rel}", self.base)
    }
}

fn failed(e: FetchError) -> Response {
    match e.kind {
        FailKind::NotFound => Response::NotFound {
            status: e
                .message
                .split(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(404),
        },
        FailKind::Status(s) => Response::Failed {
            status: Some(s),
            error: e.to_string(),
        },
        _ => Response::Failed {
            status: None,
            error: e.to_string(),
        },
    }
}

impl ProxySource for HttpProxy {
    fn base(&self) -> &str {
        &self.base
    }

    fn get(&self, rel: &str, limit: u64) -> Response {
        let url = self.url(rel);
        if rel.ends_with(".zip") {
            return match self.client.get_to_file(&url, limit, &self.cancel) {
                Ok(path) => Response::Found(Some(Body::File(path.to_path_buf(), Some(path)))),
                Err(e) => failed(e),
            };
        }
        match self.client.get_limited(&url, limit, &self.cancel) {
            Ok(data) => Response::Found(Some(Body::Bytes(data))),
            Err(e) => failed(e),
        }
    }

    fn head(&self, rel: &str) -> Response {
        match self.client.head(&self.url(rel), &self.cancel) {
            Ok(()) => Response::Found(None),
            Err(e) => failed(e),
        }
    }

    fn stop(&self) {
        self.client.shutdown();
    }
}
