//! The report's sets and bytes against the test's own walk and du, then a prune after which
//! every project still builds offline and what was removed downloads again.

use super::*;

/// Bytes on disk and apparent of everything under `root` (hard links once): the test's own walk.
fn walk_bytes(root: &Path, filter: &dyn Fn(&Path) -> bool) -> (u64, u64) {
    let mut seen = HashSet::new();
    let (mut disk, mut apparent) = (0, 0);
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let e = e.unwrap();
        if !filter(e.path()) {
            continue;
        }
        let m = e.path().symlink_metadata().unwrap();
        if !m.is_dir() && m.nlink() > 1 && !seen.insert((m.dev(), m.ino())) {
            continue;
        }
        disk += m.blocks() * 512;
        apparent += m.size();
    }
    (disk, apparent)
}

fn du(root: &Path, apparent: bool) -> u64 {
    let mut cmd = Command::new("du");
    cmd.args(["-s", "-B1"]);
    if apparent {
        cmd.arg("--apparent-size");
    }
    let out = cmd.arg(root).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The version's own bytes by the test's walk: its tree and its `@v/<ver>.*` files but
/// temporary ones, hard links counted once across the whole cache in path order.
fn version_bytes(cache: &Path, path: &str, version: &str) -> (u64, u64) {
    // Where each inode with several links is first met, in path order.
    let mut first: BTreeMap<(u64, u64), PathBuf> = BTreeMap::new();
    for e in walkdir::WalkDir::new(cache).sort_by_file_name() {
        let e = e.unwrap();
        let m = e.path().symlink_metadata().unwrap();
        if !m.is_dir() && m.nlink() > 1 {
            first
                .entry((m.dev(), m.ino()))
                .or_insert_with(|| e.path().to_path_buf());
        }
    }
    let owns = |p: &Path| {
        let m = p.symlink_metadata().unwrap();
        m.is_dir() || m.nlink() == 1 || first.get(&(m.dev(), m.ino())).is_some_and(|f| f == p)
    };
    let f = ModuleCache::new(cache).files(path, version).unwrap();
    let stem = format!("{}.", f.escaped_version);
    let tree = if f.dir.exists() {
        walk_bytes(&f.dir, &owns)
    } else {
        (0, 0)
    };
    let dl = walk_bytes(&f.download_dir, &|p| {
        let n = p.file_name().unwrap().to_string_lossy();
        let orphan_partial = n.ends_with(".partial") && !f.dir.exists();
        n.starts_with(&stem) && !n.ends_with(".tmp") && !orphan_partial
    });
    (tree.0 + dl.0, tree.1 + dl.1)
}

#[test]
fn the_report_is_exact_and_a_prune_keeps_every_project_building() {
    let w = world();
    let sb = &w.sb;
    let projects = w.projects.display().to_string();
    let out = modscope(
        sb,
        &sb.project,
        &["cache", "--json", "--projects", &projects],
    );
    assert!(out.status.success(), "{}", text(&out));
    let r = json(&out);
    assert_eq!(r["schema_version"], 1);
    // The totals are du's.
    assert_eq!(b(&r["total"]), (du(&sb.cache, false), du(&sb.cache, true)));
    assert_eq!(b(&r["total"]), walk_bytes(&sb.cache, &|_| true));
    let got = versions(&r);
    let users = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, n)| (p.to_string(), n.to_string()))
            .collect()
    };
    let expected: BTreeMap<&str, (&str, BTreeMap<String, String>)> = BTreeMap::from([
        (
            "example.com/Upper@v1.0.0-RC1",
            ("complete", users(&[("project", "zip")])),
        ),
        (
            "example.com/alpha@v1.0.0",
            ("complete", users(&[("project", "zip")])),
        ),
        ("example.com/beta@v1.0.0", ("complete", users(&[]))),
        (
            "example.com/beta@v1.1.0",
            ("complete", users(&[("p2", "zip")])),
        ),
        (
            "example.com/beta@v1.2.0",
            ("complete", users(&[("project", "zip")])),
        ),
        ("example.com/gamma@v0.3.0", ("mod", users(&[("p2", "mod")]))),
        (
            "example.com/gamma@v0.3.1",
            ("complete", users(&[("project", "zip")])),
        ),
        (
            "example.com/old@v1.0.0",
            ("complete", users(&[("p2", "zip")])),
        ),
        ("example.com/unused@v1.0.0", ("complete", users(&[]))),
    ]);
    let mut expected_keys: BTreeSet<String> = expected.keys().map(|k| k.to_string()).collect();
    // graphonly is in P1's build list through alpha's pruned go.mod: go list -m all read its
    // .info (and nothing else).
    assert_eq!(
        got["example.com/graphonly@v1.0.0"].2,
        users(&[("project", "mod")])
    );
    expected_keys.insert("example.com/graphonly@v1.0.0".into());
    assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), expected_keys);
    for (k, (state, who)) in &expected {
        assert_eq!((&got[*k].0.as_str(), &got[*k].2), (state, who), "{k}");
    }
    for (k, (_, bytes, _)) in &got {
        let (p, v) = k.rsplit_once('@').unwrap();
        assert_eq!(*bytes, version_bytes(&sb.cache, p, v), "{k}");
    }
    let leftovers: BTreeSet<(String, String)> = r["leftovers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let p = l["path"].as_str().unwrap();
            (
                l["kind"].as_str().unwrap().into(),
                Path::new(p).file_name().unwrap().to_string_lossy().into(),
            )
        })
        .collect();
    assert_eq!(
        leftovers,
        BTreeSet::from([
            ("temp-file".into(), "v1.2.0.zip987654.tmp".into()),
            ("orphan-partial".into(), "v9.9.9.partial".into()),
            ("lone-lock".into(), "v9.9.9.lock".into()),
            ("temp-tree".into(), "beta@v1.2.0.tmp-12345".into()),
        ])
    );
    assert_eq!(r["vcs"][0]["remote"], "git:https://example.com/repo");
    assert_eq!(
        b(&r["vcs"][0]["bytes"]),
        walk_bytes(&sb.cache.join("cache/vcs"), &|p| !p.ends_with("vcs"))
    );
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("p3") && notes.contains("no longer exists"),
        "{notes}"
    );
    let dirs: BTreeSet<String> = r["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["dir"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dirs.len(), 2, "{dirs:?}");

    // --keep-latest 2: only beta v1.0.0 (older than the used v1.2.0, not among the 2 newest).
    let dry = json(&modscope(
        sb,
        &sb.project,
        &[
            "cache",
            "prune",
            "--keep-latest",
            "2",
            "--dry-run",
            "--json",
            "--projects",
            &projects,
        ],
    ));
    let planned = |d: &Value| -> BTreeSet<String> {
        d["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                format!(
                    "{}@{}",
                    v["path"].as_str().unwrap(),
                    v["version"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        planned(&dry),
        BTreeSet::from(["example.com/beta@v1.0.0".to_string()])
    );
    // The project the command runs in uses the cache even if modscope never inspected it: run
    // in p2 (not registered, no --projects), --unused leaves what p2 uses; run where there is
    // no project, p2's versions are unused (only the registered P1 counts then).
    let unused_in = |dir: &Path| {
        let out = modscope(
            sb,
            dir,
            &["cache", "prune", "--unused", "--dry-run", "--json"],
        );
        assert!(out.status.success(), "{}", text(&out));
        planned(&json(&out))
    };
    let (in_p2, nowhere) = (unused_in(&w.p2), unused_in(sb.tmp.path()));
    for v in ["example.com/beta@v1.1.0", "example.com/old@v1.0.0"] {
        assert!(!in_p2.contains(v), "{v} offered from inside p2: {in_p2:?}");
        assert!(
            nowhere.contains(v),
            "{v} kept outside any project: {nowhere:?}"
        );
    }
    assert!(in_p2.contains("example.com/unused@v1.0.0"), "{in_p2:?}");

    // Without a terminal and without --yes nothing happens.
    let refused = modscope(
        sb,
        &sb.project,
        &["cache", "prune", "--unused", "--projects", &projects],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(sb.cache.join("example.com/unused@v1.0.0").exists());

    let dry = json(&modscope(
        sb,
        &sb.project,
        &[
            "cache",
            "prune",
            "--unused",
            "--dry-run",
            "--json",
            "--projects",
            &projects,
        ],
    ));
    let want = BTreeSet::from([
        "example.com/beta@v1.0.0".to_string(),
        "example.com/unused@v1.0.0".to_string(),
    ]);
    assert_eq!(planned(&dry), want);
    let out = modscope(
        sb,
        &sb.project,
        &[
            "cache",
            "prune",
            "--unused",
            "--yes",
            "--json",
            "--projects",
            &projects,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let done = json(&out);
    assert_eq!(
        planned(&done),
        want,
        "removes exactly what the dry run listed"
    );
    let o = &done["outcome"];
    assert_eq!(o["failed"], 0, "{o}");
    let moved: u64 = want.iter().map(|k| got[k].1.0).sum();
    assert_eq!(o["moved_to_quarantine"]["disk"].as_u64().unwrap(), moved);
    assert_eq!(o["purge_command"], "modscope repair --purge-quarantine");
    // The leftovers went (the temporary tree and file were aged past an hour).
    for gone in [
        "cache/download/example.com/beta/@v/v1.2.0.zip987654.tmp",
        "cache/download/example.com/beta/@v/v9.9.9.partial",
        "cache/download/example.com/beta/@v/v9.9.9.lock",
        "example.com/beta@v1.2.0.tmp-12345",
        "example.com/unused@v1.0.0",
        "cache/download/example.com/unused/@v/v1.0.0.zip",
    ] {
        assert!(
            sb.cache.join(gone).symlink_metadata().is_err(),
            "{gone} is still there"
        );
    }
    // Every project still builds and verifies offline.
    for dir in [&sb.project, &w.p2] {
        for args in [
            &["build", "./..."][..],
            &["mod", "verify"],
            &["list", "-m", "all"],
        ] {
            let out = go_in(sb, dir, args, true);
            assert!(
                out.status.success(),
                "GOPROXY=off go {args:?} in {}: {}",
                dir.display(),
                text(&out)
            );
        }
    }
    // The report now agrees with du again, and a pruned version comes back.
    let r = json(&modscope(
        sb,
        &sb.project,
        &["cache", "--json", "--projects", &projects],
    ));
    assert_eq!(b(&r["total"]), (du(&sb.cache, false), du(&sb.cache, true)));
    assert!(!versions(&r).contains_key("example.com/unused@v1.0.0"));
    go_ok(
        sb,
        &sb.project,
        &["mod", "download", "example.com/unused@v1.0.0"],
    );
    let r = json(&modscope(sb, &sb.project, &["cache", "--json"]));
    assert_eq!(versions(&r)["example.com/unused@v1.0.0"].0, "complete");
}
