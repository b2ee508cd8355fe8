//! A small HTTP/1.1 server on 127.0.0.1 for hermetic network tests: it serves a GOPROXY
//! directory (and the checksum database fakesumdb wrote into it, also at the database's own
//! paths), with faults injected per path, and logs every request.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
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
}

pub struct Server {
    pub port: u16,
    /// Every path asked for, in order.
    log: Arc<Mutex<Vec<String>>>,
    faults: Arc<Mutex<HashMap<String, Fault>>>,
}

impl Server {
    /// Serves `proxy` (a GOPROXY directory, with fakesumdb's `sumdb/<db>/`), and the checksum
    /// database's own paths (`/lookup/…`, `/tile/…`, `/latest`) from `proxy/sumdb/<db>/`.
    /// Each request waits `latency` first. Faults are keyed by the database path for the
    /// database's files, and by the request path (without the leading `/`) for the rest.
    pub fn start(proxy: &Path, latency: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let faults: Arc<Mutex<HashMap<String, Fault>>> = Arc::default();
        let (root, l, f) = (proxy.to_path_buf(), log.clone(), faults.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (root, l, f) = (root.clone(), l.clone(), f.clone());
                std::thread::spawn(move || serve(conn, &root, &l, &f, latency));
            }
        });
        Server { port, log, faults }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn fault(&self, db_path: &str, fault: Fault) {
        self.faults.lock().unwrap().insert(db_path.into(), fault);
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(
    mut conn: TcpStream,
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
