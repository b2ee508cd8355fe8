//! The fixture of the cached-toolchain tests: a fake `golang.org/toolchain` module in a
//! `file://` proxy, a checksum database vouching for it, and a cache filled through them.

use super::support::{GoSandbox, fake_sumdb};
use gomodcache::synth::{SynthModule, write_proxy};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub const TOOLCHAIN: &str = "go1.27.3";
const MAIN_GO: &str = "package main\n\nfunc main() {}\n";

pub struct Base {
    pub sb: GoSandbox,
    /// GOSUMDB for the fake checksum database (`sum.example.test+…`).
    pub sumdb_key: String,
    /// `v0.0.1-go1.27.3.linux-amd64` on linux/amd64.
    pub version: String,
}

fn host() -> (String, String) {
    let out = Command::new("go")
        .args(["env", "GOHOSTOS", "GOHOSTARCH"])
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut l = text.lines();
    (l.next().unwrap().into(), l.next().unwrap().into())
}

fn fake_toolchain(version: &str, goos: &str, goarch: &str) -> SynthModule {
    let script = format!(
        "#!/bin/sh\necho \"go version {TOOLCHAIN} {goos}/{goarch} (fake toolchain) $*\"\nexit 0\n"
    );
    SynthModule {
        path: "golang.org/toolchain".into(),
        version: version.into(),
        go_mod: Some("module golang.org/toolchain\n".into()),
        files: vec![
            ("bin/go".into(), script.into_bytes()),
            ("bin/gofmt".into(), b"echo i am unused\n".to_vec()),
            ("pkg/tool/fake".into(), Vec::new()),
            ("lib/wasm/go_js_wasm_exec".into(), Vec::new()),
        ],
    }
}

pub fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real_go_toolchain");
        let _ = Command::new("chmod")
            .args(["-R", "u+w"])
            .arg(&parent)
            .status();
        let _ = std::fs::remove_dir_all(&parent);
        let sb = GoSandbox::new_in(&parent, &[]);
        let (goos, goarch) = host();
        let version = format!("v0.0.1-{TOOLCHAIN}.{goos}-{goarch}");
        write_proxy(&sb.proxy, &[fake_toolchain(&version, &goos, &goarch)]).unwrap();
        let sumdb_key = fake_sumdb(&sb, &[&format!("golang.org/toolchain@{version}")]);
        sb.write_project(
            "module example.com/main\n\ngo 1.22\n",
            &[("main.go", MAIN_GO)],
        );
        let b = Base {
            sb,
            sumdb_key,
            version,
        };
        fetch_online(&b.sb, &b.sumdb_key, &["mod", "download"]);
        assert!(b.tree(&b.sb).join("bin/go").is_file());
        b
    })
}

impl Base {
    pub fn tree(&self, sb: &GoSandbox) -> PathBuf {
        sb.cache
            .join(format!("golang.org/toolchain@{}", self.version))
    }
    pub fn download(&self, sb: &GoSandbox, ext: &str) -> PathBuf {
        sb.cache.join(format!(
            "cache/download/golang.org/toolchain/@v/{}.{ext}",
            self.version
        ))
    }
}

/// `GOTOOLCHAIN=go1.27.3 go <args>` through the file:// proxy and its checksum database:
/// what "online" is in these tests.
pub fn fetch_online(sb: &GoSandbox, key: &str, args: &[&str]) {
    let out = sb
        .command("go", args, &sb.project)
        .env("GOTOOLCHAIN", TOOLCHAIN)
        .env("GOSUMDB", key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}
