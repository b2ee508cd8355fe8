//! The real `go` as the oracle: it accepts the synthetic modules and writes what we compute.

use super::*;

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
