//! The fault catalogue: every fault appears once, and each is really present in the files the
//! demo writes (hashes, go.sum lines and cache layout say so).

use super::*;

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
