//! The export bundle as the only proxy, with an empty module cache.

use super::sandbox::sandbox;
use gomodcache::bundle::Manifest;
use std::collections::BTreeSet;
use std::path::Path;

fn files_under(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// `modscope export ARGS` over the sandbox's cache, which must succeed; its stdout.
fn export(sb: &super::support::GoSandbox, args: &[&str]) -> String {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = sb.modscope(&all);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_export_bundle_alone_builds_and_verifies_with_an_empty_cache() {
    let sb = sandbox().fork();
    let bundle = sb.tmp.path().join("bundle");
    let tar = sb.tmp.path().join("bundle.tar");
    let stdout = export(
        &sb,
        &[
            "--out",
            bundle.to_str().unwrap(),
            "--tar",
            tar.to_str().unwrap(),
        ],
    );
    assert!(
        stdout.contains(&format!("GOPROXY=file://{}", bundle.display())),
        "{stdout}"
    );
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(bundle.join("modscope-bundle.json")).unwrap())
            .unwrap();
    assert!(manifest.missing.is_empty(), "{:?}", manifest.missing);
    let files = files_under(&bundle);
    let listed: BTreeSet<String> = manifest.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        listed.len() + 1,
        files.len(),
        "every file but the manifest is listed"
    );
    for f in &manifest.files {
        let data = std::fs::read(bundle.join(&f.path)).unwrap();
        assert_eq!(data.len() as u64, f.size);
        assert_eq!(
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&data)),
            f.sha256
        );
    }
    for absent in [
        "example.com/x/",
        "example.com/b/@v/v1.1.0",
        "example.com/t/@v/v1.0.0.zip",
    ] {
        assert!(
            !files.iter().any(|f| f.starts_with(absent)),
            "{absent} must not be in the bundle: {files:?}"
        );
    }
    for present in [
        "example.com/a/@v/v1.0.0.zip",
        "example.com/b/@v/v1.0.0.zip",
        "example.com/t/@v/v1.0.0.mod",
        "example.com/a/@v/list",
        "example.com/b/@v/v1.0.0.info",
    ] {
        assert!(files.contains(present), "{present} missing from {files:?}");
    }
    let tarred = std::process::Command::new("tar")
        .arg("-tf")
        .arg(&tar)
        .output()
        .unwrap();
    let tarred: BTreeSet<String> = String::from_utf8_lossy(&tarred.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(tarred, files);

    // An empty cache and the bundle as the only proxy.
    let empty = sb.tmp.path().join("empty-cache");
    let proxy = format!("file://{}", bundle.display());
    let env = [
        ("GOMODCACHE", empty.to_str().unwrap()),
        ("GOPROXY", proxy.as_str()),
        ("GOFLAGS", "-modcacherw"),
    ];
    for args in [&["build", "./..."][..], &["mod", "verify"][..]] {
        let o = sb
            .command("go", args, &sb.project)
            .envs(env)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "go {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let fetched: BTreeSet<String> = files_under(&empty.join("cache/download"))
        .into_iter()
        .filter(|f| f.ends_with(".mod") || f.ends_with(".zip"))
        .collect();
    assert!(
        fetched.is_subset(&files),
        "fetched {fetched:?} from a bundle of {files:?}"
    );
    let bundle_size = manifest.total_size;
    let cache_size = gomodcache::bundle::dir_size(&sb.cache);
    eprintln!(
        "bundle {bundle_size} bytes ({} files) vs full cache {cache_size} bytes",
        manifest.files.len()
    );
    assert!(bundle_size < cache_size);
}

/// `--layout athens`: Athens' disk storage (`<path>/<version>/go.mod`, `source.zip`,
/// `<version>.info`, as its fs storage's Save writes them; versions listed from the
/// directories). Served the way Athens serves that storage (`/<escaped path>/@v/<version>.mod`
/// from `<path>/<version>/go.mod`, and so on), the bundle alone builds with an empty cache.
#[test]
fn the_athens_layout_holds_the_same_files_where_athens_keeps_them() {
    let sb = sandbox().fork();
    let bundle = sb.tmp.path().join("athens");
    let stdout = export(
        &sb,
        &["--layout", "athens", "--out", bundle.to_str().unwrap()],
    );
    assert!(stdout.contains("ATHENS_DISK_STORAGE_ROOT"), "{stdout}");
    let files = files_under(&bundle);
    for present in [
        "example.com/a/v1.0.0/go.mod",
        "example.com/a/v1.0.0/source.zip",
        "example.com/a/v1.0.0/v1.0.0.info",
        "example.com/t/v1.0.0/go.mod",
    ] {
        assert!(files.contains(present), "{present} missing from {files:?}");
    }
    assert!(
        !files
            .iter()
            .any(|f| f.contains("/@v/") || f.ends_with("/list")),
        "{files:?}"
    );
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(bundle.join("modscope-bundle.json")).unwrap())
            .unwrap();
    assert_eq!(manifest.layout, gomodcache::bundle::BundleLayout::Athens);

    // What Athens would serve from that storage, as a GOPROXY tree.
    let served = sb.tmp.path().join("served");
    for m in &manifest.modules {
        let from = bundle.join(&m.path).join(&m.version);
        let ep = gomodcache::cache::escape::escape_path(&m.path).unwrap();
        let at = served.join(ep).join("@v");
        std::fs::create_dir_all(&at).unwrap();
        std::fs::copy(from.join("go.mod"), at.join(format!("{}.mod", m.version))).unwrap();
        std::fs::copy(
            from.join(format!("{}.info", m.version)),
            at.join(format!("{}.info", m.version)),
        )
        .unwrap();
        if m.zip {
            std::fs::copy(
                from.join("source.zip"),
                at.join(format!("{}.zip", m.version)),
            )
            .unwrap();
        }
    }
    let empty = sb.tmp.path().join("empty-cache");
    let proxy = format!("file://{}", served.display());
    let o = sb
        .command("go", &["build", "./..."], &sb.project)
        .envs([
            ("GOMODCACHE", empty.to_str().unwrap()),
            ("GOPROXY", proxy.as_str()),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
