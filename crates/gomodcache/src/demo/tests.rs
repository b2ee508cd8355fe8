//! The demo writes every file it promises, the same bytes each run, never over an earlier demo;
//! and the helpers that read its hashes back for the other demo tests.

use super::*;
use crate::cache::dirhash::{hash_dir, hash_go_mod, hash_zip};
use crate::cache::layout::Ziphash;
use crate::progress::{CancelFlag, NoProgress};
use std::collections::BTreeMap;

fn demo() -> (tempfile::TempDir, DemoLayout) {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(&tmp.path().join("demo")).unwrap();
    (tmp, layout)
}

/// go.sum as `(path, version-or-version/go.mod) → h1`.
fn go_sum(layout: &DemoLayout) -> BTreeMap<(String, String), String> {
    let text = std::fs::read_to_string(layout.project_dir.join("go.sum")).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            assert_eq!(f.len(), 3, "{l}");
            ((f[0].to_string(), f[1].to_string()), f[2].to_string())
        })
        .collect()
}

/// The version go actually fetches for a requirement (pkg/errors is replaced by v0.9.1).
fn target_version(e: &DemoExpectation) -> &str {
    if e.path == ERRORS_PATH {
        ERRORS_REPLACEMENT
    } else {
        &e.version
    }
}

struct Hashes {
    ziphash: Ziphash,
    zip: Option<String>,
    dir: Option<String>,
    go_mod: Option<String>,
    sum_zip: Option<String>,
    sum_mod: Option<String>,
}

fn hashes(
    layout: &DemoLayout,
    sum: &BTreeMap<(String, String), String>,
    path: &str,
    version: &str,
) -> Hashes {
    let cache = ModuleCache::new(&layout.gomodcache);
    let probe = cache.probe(path, version).unwrap();
    let f = &probe.files;
    let (c, p) = (CancelFlag::new(), NoProgress);
    Hashes {
        zip: probe.has_zip.then(|| hash_zip(&f.zip, &c, &p).unwrap()),
        dir: probe
            .dir_exists
            .then(|| hash_dir(&f.dir, &format!("{path}@{version}"), &c, &p).unwrap()),
        go_mod: probe
            .has_go_mod
            .then(|| hash_go_mod(&std::fs::read(&f.go_mod).unwrap())),
        sum_zip: sum.get(&(path.to_string(), version.to_string())).cloned(),
        sum_mod: sum
            .get(&(path.to_string(), format!("{version}/go.mod")))
            .cloned(),
        ziphash: probe.ziphash,
    }
}

#[test]
fn writes_every_promised_file() {
    let (tmp, layout) = demo();
    let dest = tmp.path().join("demo");
    assert_eq!(layout.project_dir, dest.join("project"));
    assert_eq!(layout.gomodcache, dest.join("gomodcache"));
    assert_eq!(layout.proxy_dir, dest.join("proxy"));
    for f in [
        "go.mod",
        "go.sum",
        "main.go",
        "internal/utils/go.mod",
        "internal/utils/inventoryutils.go",
    ] {
        assert!(layout.project_dir.join(f).is_file(), "{f}");
    }
    let go_mod = std::fs::read_to_string(layout.project_dir.join("go.mod")).unwrap();
    for needle in [
        "module github.com/acme/inventory\n",
        "\ngo 1.22\n",
        "\ntoolchain go1.22.5\n",
        "\tgithub.com/BurntSushi/toml v1.3.2\n",
        "\tgithub.com/Azure/go-ansiterm v0.0.0-20230124172434-306776ec8161 // indirect\n",
        "\tgithub.com/pkg/errors v0.8.1\n",
        "\treplace github.com/acme/inventory-utils => ./internal/utils\n",
        "\nreplace github.com/acme/legacy-auth => ../legacy-auth\n",
        "\nreplace github.com/pkg/errors => github.com/pkg/errors v0.9.1\n",
    ] {
        assert!(
            go_mod.contains(needle.trim_start_matches('\t')),
            "go.mod lacks {needle:?}:\n{go_mod}"
        );
    }
    let main_go = std::fs::read_to_string(layout.project_dir.join("main.go")).unwrap();
    assert!(
        main_go.contains("\ttoml \"github.com/BurntSushi/toml\"\n"),
        "{main_go}"
    );
    assert!(
        main_go.contains("\"github.com/acme/legacy-auth\""),
        "{main_go}"
    );
    assert!(
        !main_go.contains("pflag"),
        "indirect deps are not imported:\n{main_go}"
    );
    // The proxy has every registry module, both versions of pkg/errors, and no local module.
    let proxy = &layout.proxy_dir;
    for spec in CATALOGUE {
        let d = proxy
            .join(crate::cache::escape::escape_path(spec.path).unwrap())
            .join("@v");
        for ext in ["info", "mod", "zip"] {
            assert!(
                d.join(format!("{}.{ext}", spec.version)).is_file(),
                "{}@{} .{ext}",
                spec.path,
                spec.version
            );
        }
        assert!(d.join("list").is_file());
    }
    assert!(proxy.join("github.com/pkg/errors/@v/v0.8.1.zip").is_file());
    assert_eq!(
        std::fs::read_to_string(proxy.join("github.com/pkg/errors/@v/list")).unwrap(),
        "v0.8.1\nv0.9.1\n"
    );
    assert!(
        proxy
            .join("github.com/!burnt!sushi/toml/@v/v1.3.2.zip")
            .is_file()
    );
    assert!(!proxy.join("github.com/acme").exists());
    assert!(!dest.join("legacy-auth").exists());
}

fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Determinism only: how long writing the demo takes is for a benchmark, not a test.
#[test]
fn two_runs_write_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = materialize_demo(&tmp.path().join("a")).unwrap();
    let b = materialize_demo(&tmp.path().join("b")).unwrap();
    assert_eq!(a.expectations, b.expectations);
    let (sa, sb) = (
        snapshot(&tmp.path().join("a")),
        snapshot(&tmp.path().join("b")),
    );
    assert!(sa.len() > 100, "{} files", sa.len());
    assert_eq!(sa.len(), sb.len());
    for ((na, da), (nb, db)) in sa.iter().zip(&sb) {
        assert_eq!(na, nb);
        assert!(da == db, "{na} differs between runs");
    }
}

#[test]
fn refuses_to_write_over_an_earlier_demo() {
    let tmp = tempfile::tempdir().unwrap();
    materialize_demo(tmp.path()).unwrap();
    let err = materialize_demo(tmp.path()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    // Empty directories are fine.
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(fresh.join("project")).unwrap();
    materialize_demo(&fresh).unwrap();
}

#[test]
fn tampering_changes_one_char() {
    let h = "h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=";
    let t = tamper_h1(h);
    assert_eq!(t.len(), 47);
    assert_ne!(t, h);
    assert_eq!(
        tamper_h1("h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").as_bytes()[13],
        b'B'
    );
}

mod faults;
mod real_go;
