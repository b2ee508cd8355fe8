//! Where a proxy audit reads from: a module proxy's files, by path relative to its base URL
//! (`<escaped path>/@v/<escaped version>.info`, …). The engine reads `file://` proxies itself;
//! an HTTP(S) proxy is read by the front end's client through the same trait, so the engine
//! stays free of network code.

use crate::fs::read::{open_regular, read_regular_file};
use std::path::PathBuf;

/// What one request got.
#[derive(Debug)]
pub enum Response {
    /// 200 with the body (`None` for a HEAD).
    Found(Option<Body>),
    /// 404 or 410: go's "not found", after which a `,` in GOPROXY falls back to the next entry.
    NotFound {
        /// 404 or 410.
        status: u16,
    },
    /// Anything else: 5xx, a timeout, a refused connection, TLS, authentication.
    Failed {
        /// The HTTP status, when there was an answer.
        status: Option<u16>,
        /// What went wrong, in words.
        error: String,
    },
}

/// A response body: in memory, or in a file (a zip may be hundreds of MiB).
#[derive(Debug)]
pub enum Body {
    /// The bytes read.
    Bytes(Vec<u8>),
    /// The proxy's own file (a `file://` proxy), or a temporary download the holder removes.
    File(PathBuf, Option<tempfile::TempPath>),
}

/// A module proxy, read by relative path.
pub trait ProxySource: Sync {
    /// The base URL, for messages (`file:///srv/proxy`, `https://proxy.example.com`).
    fn base(&self) -> &str;
    /// GET, reading at most `limit` bytes (more is a failure: go's own limits).
    fn get(&self, rel: &str, limit: u64) -> Response;
    /// HEAD: whether it is there, without the bytes.
    fn head(&self, rel: &str) -> Response;
    /// Interrupts every request in flight (they fail at once instead of waiting for the server
    /// or their timeout) and fails the ones made after: a cancelled audit ends without waiting
    /// out a slow proxy. Reading files needs nothing of the kind.
    fn stop(&self) {}
}

/// A `file://` proxy: a directory in the GOPROXY layout.
pub struct FileProxy {
    base: String,
    root: PathBuf,
}

impl FileProxy {
    /// `url` is `file:///abs/dir` (as GOPROXY spells it).
    pub fn new(url: &str) -> Option<FileProxy> {
        let path = url.strip_prefix("file://")?;
        Some(FileProxy {
            base: url.trim_end_matches('/').to_string(),
            root: PathBuf::from(path),
        })
    }
}

impl ProxySource for FileProxy {
    fn base(&self) -> &str {
        &self.base
    }

    fn get(&self, rel: &str, limit: u64) -> Response {
        let path = self.root.join(rel);
        // A zip is hashed in place; small files are read.
        if rel.ends_with(".zip") {
            return match open_regular(&path, limit) {
                Ok(_) => Response::Found(Some(Body::File(path, None))),
                Err(e) => not_found_or_failed(e),
            };
        }
        match read_regular_file(&path, limit) {
            Ok(data) => Response::Found(Some(Body::Bytes(data))),
            Err(e) => not_found_or_failed(e),
        }
    }

    fn head(&self, rel: &str) -> Response {
        match open_regular(&self.root.join(rel), u64::MAX) {
            Ok(_) => Response::Found(None),
            Err(e) => not_found_or_failed(e),
        }
    }
}

/// go's file:// proxy treats a missing file as "not found" (404) and anything else as an error.
fn not_found_or_failed(e: std::io::Error) -> Response {
    if e.kind() == std::io::ErrorKind::NotFound {
        Response::NotFound { status: 404 }
    } else {
        Response::Failed {
            status: None,
            error: e.to_string(),
        }
    }
}
