//! The directory layouts written: the GOPROXY tree, a cache entry exactly as go writes it, the
//! cache/download list, and file names go refuses.

use super::*;

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
