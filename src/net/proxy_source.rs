//! An HTTP(S) module proxy read for `modscope proxy check`, through the same client as
//! `sumdb --online` (timeouts, retries with backoff on 5xx and resets).

use super::http::{Client, FailKind, FetchError};
use gomodcache::progress::CancelFlag;
use gomodcache::proxy::source::{Body, ProxySource, Response};
use std::time::Duration;

pub struct HttpProxy {
    base: String,
    client: Client,
    cancel: CancelFlag,
}

impl HttpProxy {
    /// `url` is the proxy's base (`https://proxy.example.com/go`); `netrc` the text go's
    /// GOAUTH=netrc would read, whose entries are sent as go sends them.
    pub fn new(
        url: &str,
        timeout: Duration,
        jobs: usize,
        cancel: CancelFlag,
        netrc: Option<&str>,
    ) -> HttpProxy {
        let mut client = Client::new(timeout, jobs);
        if let Some(netrc) = netrc {
            client = client.with_netrc(netrc);
        }
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
}
