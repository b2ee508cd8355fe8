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

#[test]
fn catalogue_covers_every_fault_once() {
    let (_tmp, layout) = demo();
    let e = &layout.expectations;
    assert!(e.len() >= 16 + 2, "{} requirements", e.len());
    for fault in [
        "not-in-cache",
        "mod-only",
        "partial",
        "dir-edited",
        "zip-rewritten",
        "go-sum-tampered",
        "go-sum-line-missing",
        "mod-edited",
        "dir-edited-no-zip",
        "replace-dir-missing",
    ] {
        assert_eq!(e.iter().filter(|x| x.fault == fault).count(), 1, "{fault}");
    }
    let status = |p: &str| {
        e.iter()
            .find(|x| x.path == p)
            .map(|x| (x.status, x.fault))
            .unwrap()
    };
    assert_eq!(status("github.com/BurntSushi/toml"), ("cached", ""));
    assert_eq!(status("github.com/Azure/go-ansiterm"), ("cached", ""));
    assert_eq!(status("github.com/docker/docker"), ("cached", ""));
    assert_eq!(status("github.com/pkg/errors"), ("cached", ""));
    assert_eq!(status(UTILS_PATH), ("replaced-local", ""));
    assert_eq!(
        status(LEGACY_AUTH_PATH),
        ("replaced-local", "replace-dir-missing")
    );
    let errors = e.iter().find(|x| x.path == ERRORS_PATH).unwrap();
    assert_eq!(
        errors.version, "v0.8.1",
        "the required version, not the replacement"
    );
    assert!(e.iter().all(|x| matches!(
        x.status,
        "cached" | "missing" | "mismatch" | "replaced-local" | "graph"
    )));
    assert!(
        e.iter().filter(|x| x.status == "graph").count() >= 3,
        "the demo has graph-only modules, as every real project does"
    );
}

#[test]
fn each_fault_is_really_present() {
    let (tmp, layout) = demo();
    let sum = go_sum(&layout);
    let cache = ModuleCache::new(&layout.gomodcache);
    for e in &layout.expectations {
        let v = target_version(e);
        let what = format!("{}@{} ({})", e.path, v, e.fault);
        if e.status == "replaced-local" {
            assert!(
                !sum.keys().any(|(p, _)| *p == e.path),
                "{what}: a directory replacement has no go.sum lines"
            );
            let utils = layout.project_dir.join("internal/utils/go.mod");
            match e.fault {
                "" => assert!(utils.is_file()),
                "replace-dir-missing" => assert!(!tmp.path().join("demo/legacy-auth").exists()),
                other => panic!("unexpected {other}"),
            }
            continue;
        }
        let h = hashes(&layout, &sum, &e.path, v);
        let files = cache.files(&e.path, v).unwrap();
        if e.status == "graph" {
            // As in a pruned project's go.sum: the go.mod line only; the .mod is cached.
            assert!(h.sum_zip.is_none() && h.sum_mod.is_some(), "{what}");
            assert!(files.go_mod.is_file(), "{what}");
            continue;
        }
        let valid = |z: &Ziphash| match z {
            Ziphash::Valid(s) => s.clone(),
            other => panic!("{what}: ziphash {other:?}"),
        };
        if e.fault != "go-sum-line-missing" {
            assert!(h.sum_zip.is_some(), "{what}: zip go.sum line");
        }
        assert!(h.sum_mod.is_some(), "{what}: /go.mod go.sum line");
        match e.fault {
            "" => {
                let zh = valid(&h.ziphash);
                assert_eq!(h.zip.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.dir.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.sum_zip.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.go_mod, h.sum_mod, "{what}");
                assert!(!files.partial.exists() && files.info.is_file(), "{what}");
                assert_eq!(std::fs::read(&files.ziphash).unwrap().len(), 47);
            }
            "not-in-cache" => {
                assert!(
                    !files.download_dir.exists() && !files.dir.exists(),
                    "{what}"
                );
            }
            "mod-only" => {
                assert!(files.go_mod.is_file() && files.info.is_file(), "{what}");
                assert!(
                    !files.zip.exists() && !files.dir.exists() && h.ziphash == Ziphash::Absent,
                    "{what}"
                );
                assert_eq!(h.go_mod, h.sum_mod, "{what}");
            }
            "partial" => {
                assert!(
                    files.partial.is_file() && files.dir.is_dir() && files.zip.is_file(),
                    "{what}"
                );
                assert_eq!(h.zip.as_ref(), Some(&valid(&h.ziphash)), "{what}");
            }
            "dir-edited" => {
                let zh = valid(&h.ziphash);
                assert_ne!(h.dir.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.zip.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.sum_zip.as_ref(), Some(&zh), "{what}");
            }
            "zip-rewritten" => {
                let zh = valid(&h.ziphash);
                assert_ne!(h.zip.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.dir.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.sum_zip.as_ref(), Some(&zh), "{what}");
            }
            "go-sum-tampered" => {
                let zh = valid(&h.ziphash);
                let line = h.sum_zip.clone().unwrap();
                assert_ne!(line, zh, "{what}");
                assert_eq!(line.len(), 47, "{what}");
                assert_eq!(
                    line.bytes().zip(zh.bytes()).filter(|(a, b)| a != b).count(),
                    1,
                    "{what}"
                );
                assert_eq!(h.zip.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.dir.as_ref(), Some(&zh), "{what}");
            }
            "go-sum-line-missing" => {
                assert_eq!(h.sum_zip, None, "{what}");
                assert_eq!(h.zip.as_ref(), Some(&valid(&h.ziphash)), "{what}");
            }
            "mod-edited" => {
                assert_ne!(h.go_mod, h.sum_mod, "{what}");
                let zh = valid(&h.ziphash);
                assert_eq!(h.zip.as_ref(), Some(&zh), "{what}");
                assert_eq!(h.dir.as_ref(), Some(&zh), "{what}");
            }
            "dir-edited-no-zip" => {
                assert!(
                    !files.zip.exists() && h.ziphash == Ziphash::Absent,
                    "{what}"
                );
                assert!(h.dir.is_some() && h.dir != h.sum_zip, "{what}");
            }
            other => panic!("unexpected fault {other}"),
        }
    }
    // The replaced-away version is neither cached nor in go.sum.
    assert!(
        !cache
            .files(ERRORS_PATH, ERRORS_REQUIRED)
            .unwrap()
            .download_dir
            .join("v0.8.1.mod")
            .exists()
    );
    assert!(!sum.contains_key(&(ERRORS_PATH.to_string(), "v0.8.1/go.mod".to_string())));
    // The upper-case module is in the cache under its escaped name.
    assert!(
        layout
            .gomodcache
            .join("cache/download/github.com/!burnt!sushi/toml/@v/v1.3.2.ziphash")
            .is_file()
    );
    assert!(
        layout
            .gomodcache
            .join("github.com/!burnt!sushi/toml@v1.3.2/LICENSE")
            .is_file()
    );
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

#[test]
fn two_runs_write_identical_bytes_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let a = materialize_demo(&tmp.path().join("a")).unwrap();
    let took = start.elapsed();
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
    // Generous for debug builds on a loaded 2-core machine; release takes a few milliseconds.
    assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
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

/// Real `go` agrees with the demo: the proxy's modules hash to the demo's go.sum lines (except
/// the two tampered ones); once `../legacy-auth` exists and go.sum is correct, the project is
/// tidy and builds from the proxy; `go mod verify` sees the zip and dir edits but not the
/// dir edit whose zip and ziphash are gone. `cargo test -p gomodcache --lib demo -- --ignored`
#[test]
fn real_go_agrees_with_the_demo() {
    use crate::synth::tests::run_go;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let layout = materialize_demo(&t.join("demo")).unwrap();
    let proxy = format!("file://{}", layout.proxy_dir.display());
    let mut modules: Vec<SynthModule> = Vec::new();
    for spec in CATALOGUE {
        let m = catalog::build(spec, &modules);
        modules.push(m);
    }
    // Graph-only modules have only their go.mod line (what tidy keeps for a pruned project).
    let mut want_sum: Vec<String> = modules
        .iter()
        .zip(CATALOGUE)
        .flat_map(|(m, spec)| {
            m.go_sum_lines()
                .lines()
                .filter(|l| !spec.graph_only || l.contains("/go.mod "))
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    want_sum.sort();

    // 1. Every module from the proxy, into a fresh cache, outside any module.
    let empty = t.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let demo_sum = std::fs::read_to_string(layout.project_dir.join("go.sum")).unwrap();
    for m in &modules {
        let (ok, out) = run_go(
            t,
            &empty,
            &t.join("fresh"),
            &proxy,
            &[
                "mod",
                "download",
                "-json",
                &format!("{}@{}", m.path, m.version),
            ],
        );
        assert!(ok, "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let zip_line = format!("{} {} {}\n", m.path, m.version, v["Sum"].as_str().unwrap());
        let mod_line = format!(
            "{} {}/go.mod {}\n",
            m.path,
            m.version,
            v["GoModSum"].as_str().unwrap()
        );
        assert!(demo_sum.contains(&mod_line), "{mod_line}");
        let tampered = ["gopkg.in/yaml.v3", "go.uber.org/zap"].contains(&m.path.as_str());
        let graph_only = CATALOGUE.iter().any(|s| s.path == m.path && s.graph_only);
        assert_eq!(
            demo_sum.contains(&zip_line),
            !tampered && !graph_only,
            "{zip_line}"
        );
    }

    // 2. A repaired copy of the project is tidy and builds.
    let project = t.join("work/project");
    std::fs::create_dir_all(project.join("internal/utils")).unwrap();
    for f in [
        "go.mod",
        "main.go",
        "internal/utils/go.mod",
        "internal/utils/inventoryutils.go",
    ] {
        std::fs::copy(layout.project_dir.join(f), project.join(f)).unwrap();
    }
    std::fs::write(
        project.join("go.sum"),
        want_sum
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let legacy = t.join("work/legacy-auth");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(
        legacy.join("go.mod"),
        "module github.com/acme/legacy-auth\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::write(
        legacy.join("auth.go"),
        "package legacyauth\n\nconst Version = \"local\"\n",
    )
    .unwrap();
    let fresh = t.join("fresh2");
    for args in [&["mod", "tidy", "-diff"][..], &["build", "./..."][..]] {
        let (ok, out) = run_go(t, &project, &fresh, &proxy, args);
        assert!(ok, "go {args:?}:\n{out}");
    }

    // 3. go mod verify on the demo cache (its mod-edited .mod restored, or go stops there).
    let cache = ModuleCache::new(&layout.gomodcache);
    let color = modules
        .iter()
        .find(|m| m.path == "github.com/fatih/color")
        .unwrap();
    std::fs::write(
        cache.files(&color.path, &color.version).unwrap().go_mod,
        color.mod_bytes(),
    )
    .unwrap();
    let (ok, out) = run_go(t, &project, &layout.gomodcache, &proxy, &["mod", "verify"]);
    assert!(!ok);
    assert!(
        out.contains("github.com/Masterminds/semver/v3 v3.2.1: zip has been modified"),
        "{out}"
    );
    assert!(
        out.contains("github.com/google/uuid v1.6.0: dir has been modified"),
        "{out}"
    );
    assert!(!out.contains("multierr"), "go's blind spot: {out}");
}
