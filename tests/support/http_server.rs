//! A small HTTP/1.1 server on 127.0.0.1 for hermetic network tests: it serves a GOPROXY
//! directory (and the checksum database fakesumdb wrote into it, also at the database's own
//! paths), with faults injected per path, and logs every request.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DB: &str = "sum.example.test";

/// What the server does for one path.
#[derive(Clone)]
pub enum Fault {
    Body(Vec<u8>),
    Status(u16),
    /// 500 this many times, then the real answer.
    FailTimes(usize),
    /// Accepts and never answers.
    Hang,
    /// Every request without this `Authorization` value gets 401 (set with
    /// [`Server::require_authorization`]).
    RequireAuth(String),
}

pub struct Server {
    pub port: u16,
    /// Every path asked for, in order.
    log: Arc<Mutex<Vec<String>>>,
    faults: Arc<Mutex<HashMap<String, Fault>>>,
    scheme: &'static str,
}

impl Server {
    /// Serves `proxy` (a GOPROXY directory, with fakesumdb's `sumdb/<db>/`), and the checksum
    /// database's own paths (`/lookup/…`, `/tile/…`, `/latest`) from `proxy/sumdb/<db>/`.
    /// Each request waits `latency` first. Faults are keyed by the database path for the
    /// database's files, and by the request path (without the leading `/`) for the rest.
    pub fn start(proxy: &Path, latency: Duration) -> Server {
        Server::start_with(proxy, latency, None)
    }

    /// [`start`](Self::start) over TLS with a certificate for 127.0.0.1 made here (by the
    /// `openssl` command); returns the server and its authority's PEM file, for
    /// `SSL_CERT_FILE`.
    pub fn start_tls(proxy: &Path, dir: &Path) -> (Server, std::path::PathBuf) {
        // An authority, and the server's certificate signed by it (TLS libraries refuse an
        // authority's certificate used as the server's own).
        let (ca, ca_key) = (dir.join("ca.pem"), dir.join("ca-key.pem"));
        let (cert, key, csr) = (
            dir.join("cert.pem"),
            dir.join("key.pem"),
            dir.join("cert.csr"),
        );
        let ext = dir.join("cert.ext");
        std::fs::write(
            &ext,
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        let openssl = |args: &[&std::ffi::OsStr]| {
            let made = std::process::Command::new("openssl")
                .args(args)
                .output()
                .expect("openssl makes the test certificates");
            assert!(
                made.status.success(),
                "{}",
                String::from_utf8_lossy(&made.stderr)
            );
        };
        let os = |s: &'static str| std::ffi::OsStr::new(s);
        openssl(&[
            os("req"),
            os("-x509"),
            os("-newkey"),
            os("rsa:2048"),
            os("-nodes"),
            os("-days"),
            os("2"),
            os("-subj"),
            os("/CN=modscope test authority"),
            os("-keyout"),
            ca_key.as_os_str(),
            os("-out"),
            ca.as_os_str(),
        ]);
        openssl(&[
            os("req"),
            os("-newkey"),
            os("rsa:2048"),
            os("-nodes"),
            os("-subj"),
            os("/CN=127.0.0.1"),
            os("-keyout"),
            key.as_os_str(),
            os("-out"),
            csr.as_os_str(),
        ]);
        openssl(&[
            os("x509"),
            os("-req"),
            os("-in"),
            csr.as_os_str(),
            os("-CA"),
            ca.as_os_str(),
            os("-CAkey"),
            ca_key.as_os_str(),
            os("-CAcreateserial"),
            os("-days"),
            os("2"),
            os("-extfile"),
            ext.as_os_str(),
            os("-out"),
            cert.as_os_str(),
        ]);
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let key = PrivateKeyDer::from_pem_file(&key).unwrap();
        // ring, as ureq's client uses (deprecated in rustls for lacking post-quantum key
        // exchange, which a test server on 127.0.0.1 does not need).
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        (
            Server::start_with(proxy, Duration::ZERO, Some(Arc::new(config))),
            ca,
        )
    }

    fn start_with(
        proxy: &Path,
        latency: Duration,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let faults: Arc<Mutex<HashMap<String, Fault>>> = Arc::default();
        let (root, l, f) = (proxy.to_path_buf(), log.clone(), faults.clone());
        let scheme = if tls.is_some() { "https" } else { "http" };
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (root, l, f, tls) = (root.clone(), l.clone(), f.clone(), tls.clone());
                std::thread::spawn(move || match tls {
                    None => serve(conn, &root, &l, &f, latency),
                    Some(config) => {
                        let Ok(session) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        let mut stream = rustls::StreamOwned::new(session, conn);
                        serve(&mut stream, &root, &l, &f, latency);
                        stream.conn.send_close_notify();
                        let _ = stream.flush();
                    }
                });
            }
        });
        Server {
            port,
            log,
            faults,
            scheme,
        }
    }

    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.port)
    }

    /// Answers 401 to every request that does not carry `Authorization: value`.
    pub fn require_authorization(&self, value: &str) {
        self.fault("*", Fault::RequireAuth(value.to_string()));
    }

    pub fn fault(&self, db_path: &str, fault: Fault) {
        self.faults.lock().unwrap().insert(db_path.into(), fault);
    }

    /// Serves `path` as it is again.
    pub fn clear_fault(&self, path: &str) {
        self.faults.lock().unwrap().remove(path);
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(
    mut conn: impl Read + Write,
    root: &Path,
    log: &Mutex<Vec<String>>,
    faults: &Mutex<HashMap<String, Fault>>,
    latency: Duration,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let is_head = head.starts_with("HEAD ");
    let required = match faults.lock().unwrap().get("*") {
        Some(Fault::RequireAuth(v)) => Some(v.clone()),
        _ => None,
    };
    if let Some(v) = required {
        let sent = head.lines().any(|l| {
            l.split_once(':')
                .is_some_and(|(k, val)| k.eq_ignore_ascii_case("authorization") && val.trim() == v)
        });
        if !sent {
            let _ = write!(
                conn,
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return;
        }
    }
    let path = head.split(' ').nth(1).unwrap_or("/").to_string();
    log.lock().unwrap().push(path.clone());
    std::thread::sleep(latency);
    let prefix = format!("/sumdb/{DB}/");
    let db_path = path
        .strip_prefix(&prefix)
        .or_else(|| {
            let p = path.strip_prefix('/')?;
            (p.starts_with("lookup/") || p.starts_with("tile/") || p == "latest").then_some(p)
        })
        .map(str::to_string);
    let file = match &db_path {
        Some(p) => root.join("sumdb").join(DB).join(p),
        None => root.join(path.trim_start_matches('/')),
    };
    let key = db_path
        .clone()
        .unwrap_or_else(|| path.trim_start_matches('/').to_string());
    let fault = Some(&key).and_then(|p| {
        let mut faults = faults.lock().unwrap();
        match faults.get_mut(p) {
            Some(Fault::FailTimes(0)) => None,
            Some(Fault::FailTimes(n)) => {
                *n -= 1;
                Some(Fault::Status(500))
            }
            other => other.cloned(),
        }
    });
    let (status, body) = match fault {
        Some(Fault::Hang) => {
            std::thread::sleep(Duration::from_secs(3600));
            return;
        }
        Some(Fault::Status(s)) => (s, b"fault\n".to_vec()),
        Some(Fault::Body(b)) => (200, b),
        Some(Fault::RequireAuth(_)) => unreachable!("kept under the key *"),
        Some(Fault::FailTimes(_)) | None => match std::fs::read(&file) {
            Ok(b) => (200, b),
            Err(_) => (404, b"not found\n".to_vec()),
        },
    };
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        410 => "Gone",
        _ => "Internal Server Error",
    };
    let _ = write!(
        conn,
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if !is_head {
        let _ = conn.write_all(&body);
    }
}
