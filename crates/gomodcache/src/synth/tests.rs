//! Synthetic modules hash and zip as go does; and `run_go`, the hermetic real go the real-go
//! tests of this crate share.

use super::*;
use crate::cache::dirhash::{hash_dir, hash_zip};
use crate::progress::{CancelFlag, NoProgress};
use std::path::Path;

fn zip_hash_of(bytes: &[u8]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("m.zip");
    std::fs::write(&p, bytes).unwrap();
    hash_zip(&p, &CancelFlag::new(), &NoProgress).unwrap()
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// The worked example of spec §3.5, whose hashes go1.19 wrote to go.sum.
#[test]
fn spec_worked_example() {
    let m = SynthModule {
        path: "example.com/c".into(),
        version: "v1.0.0".into(),
        go_mod: Some("module example.com/c\n\ngo 1.17\n".into()),
        files: vec![("c.go".into(), b"package c\n\nconst C = \"c\"\n".to_vec())],
    };
    assert_eq!(
        m.zip_h1(),
        "h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38="
    );
    assert_eq!(
        m.go_mod_h1(),
        "h1:Bp66dKBFuBMMUAyQAwJKbODE2iEIqWjNvvR9oMGGFOg="
    );
    assert_eq!(zip_hash_of(&m.zip_bytes()), m.zip_h1());
    assert_eq!(
        m.go_sum_lines(),
        "example.com/c v1.0.0 h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=\n\
         example.com/c v1.0.0/go.mod h1:Bp66dKBFuBMMUAyQAwJKbODE2iEIqWjNvvR9oMGGFOg=\n"
    );
}

#[test]
fn zip_h1_equals_hash_zip_of_the_zip() {
    let dep = SynthModule::new("github.com/spf13/pflag", "v1.0.5");
    let modules = [
        SynthModule::new("github.com/BurntSushi/toml", "v1.3.2")
            .with_file("LICENSE", "MIT\n")
            .with_file("internal/x/x.go", "package x\n"),
        SynthModule::with_deps("github.com/spf13/cobra", "v1.8.0", &[&dep]),
        SynthModule::without_go_mod("github.com/docker/docker", "v24.0.9+incompatible"),
        SynthModule::new("example.com/Upper", "v1.0.0-RC1"),
    ];
    for m in &modules {
        assert_eq!(zip_hash_of(&m.zip_bytes()), m.zip_h1(), "{}", m.path);
    }
}

#[test]
fn zip_has_prefixed_entries_no_directories_and_is_deterministic() {
    let m = SynthModule::new("github.com/BurntSushi/toml", "v1.3.2")
        .with_file("internal/a/a.go", "package a\n");
    let bytes = m.zip_bytes();
    assert_eq!(bytes, m.clone().zip_bytes(), "same bytes every time");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names = Vec::new();
    for i in 0..z.len() {
        let e = z.by_index(i).unwrap();
        assert!(!e.is_dir());
        assert_eq!(e.compression(), zip::CompressionMethod::Deflated);
        names.push(String::from_utf8(e.name_raw().to_vec()).unwrap());
    }
    assert_eq!(
        names,
        [
            "github.com/BurntSushi/toml@v1.3.2/go.mod",
            "github.com/BurntSushi/toml@v1.3.2/internal/a/a.go",
            "github.com/BurntSushi/toml@v1.3.2/toml.go",
        ]
    );
}

#[test]
fn incompatible_module_has_no_go_mod_in_zip_and_a_synthesized_mod() {
    let m = SynthModule::without_go_mod("github.com/docker/docker", "v24.0.9+incompatible");
    assert_eq!(m.mod_bytes(), b"module github.com/docker/docker\n");
    assert!(m.tree().iter().all(|(n, _)| n != "go.mod"));
    assert_eq!(
        m.go_mod_h1(),
        crate::cache::dirhash::hash_go_mod(b"module github.com/docker/docker\n")
    );
}

#[test]
fn package_names_are_sanitised() {
    for (path, want) in [
        ("github.com/BurntSushi/toml", "toml"),
        ("github.com/mattn/go-isatty", "isatty"),
        ("github.com/Azure/go-ansiterm", "ansiterm"),
        ("github.com/Masterminds/semver/v3", "semver"),
        ("gopkg.in/yaml.v3", "yaml"),
        ("golang.org/x/text", "text"),
        ("example.com/inventory-utils", "inventoryutils"),
        ("example.com/9lives", "p9lives"),
        ("example.com/go", "gopkg"),
        ("example.com/main", "mainpkg"),
        ("example.com/client-go", "client"),
    ] {
        assert_eq!(package_name_for(path), want, "{path}");
    }
}

#[test]
fn deps_are_required_and_imported() {
    let a = SynthModule::new("example.com/x/errors", "v1.0.0");
    let b = SynthModule::new("example.com/y/errors", "v2.0.0+incompatible");
    let m = SynthModule::with_deps("example.com/app/lib", "v0.1.0", &[&a, &b]);
    assert_eq!(
        m.go_mod.as_deref().unwrap(),
        "module example.com/app/lib\n\ngo 1.21\n\nrequire (\n\texample.com/x/errors v1.0.0\n\
         \texample.com/y/errors v2.0.0+incompatible\n)\n"
    );
    let src = String::from_utf8(m.files[0].1.clone()).unwrap();
    assert!(
        src.contains("\terrors \"example.com/x/errors\"\n\terrors2 \"example.com/y/errors\"\n"),
        "{src}"
    );
    assert!(
        src.contains("return []string{errors.Version, errors2.Version}"),
        "{src}"
    );
    let one = SynthModule::with_deps("example.com/app/one", "v0.1.0", &[&a]);
    assert!(
        one.go_mod
            .unwrap()
            .ends_with("\nrequire example.com/x/errors v1.0.0\n")
    );
}

#[test]
fn info_time_comes_from_a_pseudo_version() {
    let p = SynthModule::new("golang.org/x/text", "v0.0.0-20240110193028-4a1a5e8c0d3b");
    assert_eq!(
        p.info_json(),
        r#"{"Version":"v0.0.0-20240110193028-4a1a5e8c0d3b","Time":"2024-01-10T19:30:28Z"}"#
    );
    let r = SynthModule::new("golang.org/x/sys", "v0.15.0");
    assert_eq!(
        r.info_json(),
        r#"{"Version":"v0.15.0","Time":"2023-01-01T00:00:00Z"}"#
    );
}

/// go's build cache for the tests that build with the real go, in the target directory (never
/// the user's cache); `tmp`'s own when that directory cannot be found. It is the one the
/// integration tests use (`target/tmp/go-build-cache`, their `CARGO_TARGET_TMPDIR`, which unit
/// tests are not given), so a `cargo test` run compiles fmt and its dependencies once, not once
/// here and once there (a cold `go build` of a fmt program: 10.9 s of CPU, 39 s of wall time
/// on the loaded 2-core machine). It holds compiled packages keyed by their inputs and go locks
/// it, so sharing it changes nothing a test checks.
fn shared_gocache(tmp: &Path) -> std::path::PathBuf {
    // target/<profile>/deps/<test binary> -> target/tmp/go-build-cache
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("tmp/go-build-cache")))
        .unwrap_or_else(|| tmp.join("gocache"))
}

/// Runs `go args` in `dir` hermetically: HOME and GOPATH under `tmp` (GOCACHE: see
/// [`shared_gocache`]), the given GOMODCACHE and GOPROXY, no checksum DB, no toolchain switch, no
/// env file, `-modcacherw`.
/// Returns whether it succeeded and its stdout followed by its stderr.
pub(crate) fn run_go(
    tmp: &Path,
    dir: &Path,
    gomodcache: &Path,
    goproxy: &str,
    args: &[&str],
) -> (bool, String) {
    let out = std::process::Command::new("go")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", tmp.join("home"))
        .env("GOPATH", tmp.join("gopath"))
        .env("GOCACHE", shared_gocache(tmp))
        .env("GOMODCACHE", gomodcache)
        .env("GOENV", "off")
        .env("GOFLAGS", "-modcacherw")
        .env("GOPROXY", goproxy)
        .env("GOSUMDB", "off")
        .env("GONOSUMDB", "*")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("GO111MODULE", "on")
        .env("GOTELEMETRY", "off")
        .output()
        .expect("`go` on PATH");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

mod layout;
mod real_go;
