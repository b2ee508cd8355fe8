//! `modscope sumdb --online` against the test checksum database (tests/support/fakesumdb)
//! served over HTTP on 127.0.0.1 by a small server in this file, both as a proxy (the whole
//! proxy directory, whose `sumdb/<db>/` route go and modscope use first) and as the database
//! itself (`GOSUMDB="<key> http://127.0.0.1:PORT"`), with faults injected per path.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use support::http_server::{Fault, Server};
use support::{GoSandbox, fake_sumdb, module, sumdb_world};

const DB: &str = "sum.example.test";

struct Base {
    sb: GoSandbox,
    key: String,
}

/// A project whose go.sum go wrote with GOSUMDB=off: go never looked a line up, so no cache
/// holds an answer for any (the state of a go.sum that came with the repository).
fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let (sb, key) = sumdb_world("sumdb-online");
        sb.go_ok(&["mod", "tidy"]);
        assert!(!sb.cache.join("cache/download/sumdb").exists());
        Base { sb, key }
    })
}

/// A fresh copy of the base, with modscope's own cache directory inside it.
fn fresh() -> (GoSandbox, PathBuf) {
    let sb = base().sb.fork();
    let own = sb.tmp.path().join("modscope-cache");
    (sb, own)
}

struct Run {
    code: i32,
    report: Value,
    stderr: String,
    took: Duration,
}

fn run(sb: &GoSandbox, own: &Path, env: &[(&str, String)], args: &[&str]) -> Run {
    let mut all = vec!["sumdb", "--json"];
    all.extend_from_slice(args);
    let start = Instant::now();
    let out = sb
        .command(env!("CARGO_BIN_EXE_modscope"), &all, &sb.project)
        .env("GONOSUMDB", "example.com/private")
        .env("MODSCOPE_CACHE_DIR", own)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {stderr}\n{}", String::from_utf8_lossy(&out.stdout)));
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr,
        took,
    }
}

/// Through the server's proxy route: GOPROXY is the server, GOSUMDB only names the key.
fn via_proxy(srv: &Server) -> Vec<(&'static str, String)> {
    vec![("GOPROXY", srv.url()), ("GOSUMDB", base().key.clone())]
}

fn line<'a>(r: &'a Value, path: &str, go_mod: bool) -> &'a Value {
    r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"] == path && l["go_mod"] == go_mod)
        .unwrap_or_else(|| panic!("no line for {path}: {r:#}"))
}

fn verdicts(r: &Value, path: &str) -> [String; 2] {
    [false, true].map(|m| line(r, path, m)["verdict"].as_str().unwrap().to_string())
}

fn lookup_rel(path: &str) -> String {
    format!("lookup/{path}@v1.0.0")
}

#[path = "sumdb_online/bad_answers.rs"]
mod bad_answers;
#[path = "sumdb_online/credentials.rs"]
mod credentials;
#[path = "sumdb_online/vouching.rs"]
mod vouching;
