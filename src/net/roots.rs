//! The certificate authorities TLS trusts: the system's, found as go finds them on Linux
//! (crypto/x509 `root_linux.go`, `root_unix.go`), not a bundled list. A network whose TLS
//! is intercepted by a corporate proxy has that proxy's authority in the system store, and
//! go works there; a client that trusted only Mozilla's list would fail every request.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use ureq::tls::{Certificate, PemItem, RootCerts, parse_pem};

/// go's candidate bundle files, the first readable one used.
const CERT_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];
/// go's certificate directories, every file of which is read.
const CERT_DIRS: &[&str] = &["/etc/ssl/certs", "/etc/pki/tls/certs"];

/// The roots, loaded once: `SSL_CERT_FILE` instead of the bundle files and `SSL_CERT_DIR`
/// (`:`-separated) instead of the directories, as go reads them; Mozilla's list only when the
/// system has none.
pub fn system_roots() -> RootCerts {
    static ROOTS: OnceLock<RootCerts> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let file = std::env::var("SSL_CERT_FILE")
                .ok()
                .filter(|f| !f.is_empty());
            let dirs = std::env::var("SSL_CERT_DIR").ok().filter(|d| !d.is_empty());
            let certs = load(file.as_deref(), dirs.as_deref());
            if certs.is_empty() {
                RootCerts::WebPki
            } else {
                RootCerts::Specific(Arc::new(certs))
            }
        })
        .clone()
}

fn pem_certs(data: &[u8], out: &mut Vec<Certificate<'static>>) {
    for item in parse_pem(data).flatten() {
        if let PemItem::Certificate(c) = item {
            out.push(c);
        }
    }
}

/// The certificates of the first readable bundle file and of every file in the directories.
fn load(file: Option<&str>, dirs: Option<&str>) -> Vec<Certificate<'static>> {
    let limit = 64 << 20;
    let mut out = Vec::new();
    let files: Vec<&str> = match file {
        Some(f) => vec![f],
        None => CERT_FILES.to_vec(),
    };
    for f in files {
        if let Ok(data) = gomodcache::fs::read::read_regular_file(Path::new(f), limit) {
            pem_certs(&data, &mut out);
            break;
        }
    }
    let dirs: Vec<&str> = match dirs {
        Some(d) => d.split(':').filter(|d| !d.is_empty()).collect(),
        None => CERT_DIRS.to_vec(),
    };
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            // Files and links to files (the hashed names of c_rehash link to the bundle's
            // certificates); a pipe or a device is never opened.
            if let Ok(data) = gomodcache::fs::read::read_regular_file(&e.path(), limit) {
                pem_certs(&data, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_cert_file_and_dir_replace_the_defaults_as_in_go() {
        let tmp = tempfile::tempdir().unwrap();
        // No certificate at all: nothing loaded (the caller then falls back to Mozilla's list).
        assert!(
            load(
                Some("/nonexistent/bundle.pem"),
                Some(tmp.path().to_str().unwrap())
            )
            .is_empty()
        );
        // A non-PEM file in the directory is skipped, not an error.
        std::fs::write(tmp.path().join("README"), "not a certificate").unwrap();
        assert!(
            load(
                Some("/nonexistent/bundle.pem"),
                Some(tmp.path().to_str().unwrap())
            )
            .is_empty()
        );
        // The system's bundle, when the machine has one, yields certificates.
        if Path::new(CERT_FILES[0]).is_file() {
            assert!(!load(Some(CERT_FILES[0]), Some("/nonexistent")).is_empty());
        }
    }
}
