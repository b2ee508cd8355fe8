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

#[test]
fn proxy_tree_has_the_goproxy_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let modules = [
        SynthModule::new("github.com/BurntSushi/toml", "v1.3.2"),
        SynthModule::new("github.com/BurntSushi/toml", "v1.10.0"),
        SynthModule::new(
            "github.com/BurntSushi/toml",
            "v0.0.0-20200101000000-abcdefabcdef",
        ),
        SynthModule::new("golang.org/x/text", "v0.0.0-20240110193028-4a1a5e8c0d3b"),
        SynthModule::new("example.com/Upper", "v1.0.0-RC1"),
    ];
    write_proxy(root, &modules).unwrap();
    let d = root.join("github.com/!burnt!sushi/toml/@v");
    assert_eq!(read(d.join("list")), "v1.3.2\nv1.10.0\n");
    assert_eq!(
        std::fs::read(d.join("v1.3.2.zip")).unwrap(),
        modules[0].zip_bytes()
    );
    assert_eq!(
        std::fs::read(d.join("v1.3.2.mod")).unwrap(),
        modules[0].mod_bytes()
    );
    assert_eq!(read(d.join("v1.3.2.info")), modules[0].info_json());
    assert!(d.join("v0.0.0-20200101000000-abcdefabcdef.zip").is_file());
    assert_eq!(read(root.join("golang.org/x/text/@v/list")), "");
    assert_eq!(
        read(root.join("example.com/!upper/@v/list")),
        "v1.0.0-RC1\n"
    );
    assert!(
        root.join("example.com/!upper/@v/v1.0.0-!r!c1.zip")
            .is_file()
    );
    // A second call merges lists.
    write_proxy(
        root,
        &[SynthModule::new("github.com/BurntSushi/toml", "v1.4.0")],
    )
    .unwrap();
    assert_eq!(read(d.join("list")), "v1.3.2\nv1.4.0\nv1.10.0\n");
}

#[test]
fn cache_entry_has_the_exact_go_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path();
    let m = SynthModule::new("github.com/BurntSushi/toml", "v1.3.2").with_file("LICENSE", "MIT\n");
    write_cache_entry(cache, &m).unwrap();
    let d = cache.join("cache/download/github.com/!burnt!sushi/toml/@v");
    let mut names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "list",
            "v1.3.2.info",
            "v1.3.2.lock",
            "v1.3.2.mod",
            "v1.3.2.zip",
            "v1.3.2.ziphash"
        ]
    );
    let ziphash = std::fs::read(d.join("v1.3.2.ziphash")).unwrap();
    assert_eq!(ziphash.len(), 47);
    assert_eq!(ziphash, m.zip_h1().as_bytes());
    assert_eq!(read(d.join("list")), "v1.3.2\n");
    assert_eq!(read(d.join("v1.3.2.lock")), "");
    assert!(
        !cache.join("cache/lock").exists(),
        "go 1.26 `go mod download` does not create it"
    );
    let dir = cache.join("github.com/!burnt!sushi/toml@v1.3.2");
    let mut tree: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    tree.sort();
    assert_eq!(tree, ["LICENSE", "go.mod", "toml.go"]);
    let h = hash_dir(
        &dir,
        "github.com/BurntSushi/toml@v1.3.2",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(h, m.zip_h1());
    let files = crate::cache::layout::ModuleCache::new(cache)
        .files(&m.path, &m.version)
        .unwrap();
    assert_eq!(
        hash_zip(&files.zip, &CancelFlag::new(), &NoProgress).unwrap(),
        m.zip_h1()
    );
    // Writable, so a temp dir can be removed without a chmod walk.
    assert!(
        !std::fs::metadata(dir.join("toml.go"))
            .unwrap()
            .permissions()
            .readonly()
    );
}

#[test]
fn cache_list_skips_upper_case_versions_and_keeps_pseudo_and_incompatible() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path();
    for v in [
        "v1.0.0-RC1",
        "v0.0.0-20240110193028-4a1a5e8c0d3b",
        "v2.0.0+incompatible",
        "v1.0.0",
    ] {
        let m = if v.ends_with("+incompatible") {
            SynthModule::without_go_mod("example.com/Upper", v)
        } else {
            SynthModule::new("example.com/Upper", v)
        };
        write_cache_entry(cache, &m).unwrap();
    }
    let d = cache.join("cache/download/example.com/!upper/@v");
    assert!(d.join("v1.0.0-!r!c1.ziphash").is_file());
    assert!(
        cache
            .join("example.com/!upper@v1.0.0-!r!c1/upper.go")
            .is_file()
    );
    assert_eq!(
        read(d.join("list")),
        "v0.0.0-20240110193028-4a1a5e8c0d3b\nv1.0.0\nv2.0.0+incompatible\n"
    );
}

#[test]
fn bad_file_names_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["../evil", "/abs", "a//b", "./a", "a\\b"] {
        let m = SynthModule::new("example.com/a", "v1.0.0").with_file(bad, "x");
        let err = write_cache_entry(tmp.path(), &m).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{bad}");
    }
    assert!(
        !tmp.path().join("cache").exists(),
        "nothing written before the check"
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

/// Runs real `go` against `write_proxy` output and compares what it writes with what this module
/// computes. Needs `go` on PATH (1.21+); hermetic: every go directory lives in a temp dir.
/// `cargo test -p gomodcache --lib synth -- --ignored`
#[test]
fn real_go_accepts_synthetic_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let pflag = SynthModule::new("github.com/spf13/pflag", "v1.0.5");
    let cobra = SynthModule::with_deps("github.com/spf13/cobra", "v1.8.0", &[&pflag])
        .with_file("LICENSE", "Apache License 2.0\n")
        .with_file("README.md", "# cobra\n");
    let modules = vec![
        pflag.clone(),
        cobra.clone(),
        SynthModule::new("github.com/BurntSushi/toml", "v1.3.2"),
        SynthModule::without_go_mod("github.com/docker/docker", "v24.0.9+incompatible"),
        SynthModule::new("golang.org/x/text", "v0.0.0-20240110193028-4a1a5e8c0d3b"),
        SynthModule::new("github.com/Masterminds/semver/v3", "v3.2.1"),
        SynthModule::new("gopkg.in/yaml.v3", "v3.0.1"),
        SynthModule::new("example.com/Upper", "v1.0.0-RC1"),
    ];
    let proxy = t.join("proxy");
    write_proxy(&proxy, &modules).unwrap();
    let project = t.join("project");
    let direct: Vec<&SynthModule> = modules.iter().filter(|m| m.path != pflag.path).collect();
    let requires: Vec<(&str, &str)> = direct
        .iter()
        .map(|m| (m.path.as_str(), m.version.as_str()))
        .collect();
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("go.mod"),
        go_mod_text("example.com/app", "1.22", &requires),
    )
    .unwrap();
    let (imports, names) = import_block(&direct);
    let uses: Vec<String> = names
        .iter()
        .map(|n| format!("\tprintln({n}.Version)\n"))
        .collect();
    std::fs::write(
        project.join("main.go"),
        format!(
            "package main\n\n{imports}\nfunc main() {{\n{}}}\n",
            uses.concat()
        ),
    )
    .unwrap();

    let proxy_url = format!("file://{}", proxy.display());
    let go = |cache: &Path, args: &[&str]| {
        let (ok, text) = run_go(t, &project, cache, &proxy_url, args);
        assert!(ok, "go {args:?} failed:\n{text}");
        text
    };
    let cache_a = t.join("cache-a");
    go(&cache_a, &["mod", "tidy"]);
    go(&cache_a, &["build", "./..."]);
    let mut want: Vec<&SynthModule> = modules.iter().collect();
    want.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| sort_order(&a.version, &b.version))
    });
    let want_sum: String = want.iter().map(|m| m.go_sum_lines()).collect();
    assert_eq!(
        read(project.join("go.sum")),
        want_sum,
        "go.sum written by go mod tidy"
    );

    // A fresh cache filled by `go mod download -json m@v`, against one written by write_cache_entry.
    let cache_b = t.join("cache-b");
    let cache_c = t.join("cache-c");
    for m in &modules {
        let json = go(
            &cache_b,
            &[
                "mod",
                "download",
                "-json",
                &format!("{}@{}", m.path, m.version),
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["Sum"], m.zip_h1().as_str(), "{json}");
        assert_eq!(v["GoModSum"], m.go_mod_h1().as_str(), "{json}");
        write_cache_entry(&cache_c, m).unwrap();
        let files = crate::cache::layout::ModuleCache::new(&cache_b)
            .files(&m.path, &m.version)
            .unwrap();
        assert_eq!(read(&files.ziphash), m.zip_h1());
    }
    let listing = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .filter(|(rel, _)| !rel.starts_with("cache/download/sumdb/"))
            .collect();
        out.sort();
        out
    };
    let (b, c) = (listing(&cache_b), listing(&cache_c));
    let names = |l: &[(String, Vec<u8>)]| l.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let (nb, nc) = (names(&b), names(&c));
    let only_go: Vec<&String> = nb.iter().filter(|n| !nc.contains(n)).collect();
    let only_us: Vec<&String> = nc.iter().filter(|n| !nb.contains(n)).collect();
    assert!(
        only_go.is_empty() && only_us.is_empty(),
        "only go wrote {only_go:?}; only we wrote {only_us:?}"
    );
    for ((name, x), (_, y)) in b.iter().zip(c.iter()) {
        assert_eq!(
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y),
            "{name}"
        );
    }
    // go verifies the cache we wrote on our own.
    let out = go(&cache_c, &["mod", "verify"]);
    assert!(out.contains("all modules verified"), "{out}");
}
