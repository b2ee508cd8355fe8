//! `modscope cache` and `modscope cache prune` against a cache the real go filled from a local
//! file:// proxy, shared by several projects: a pruned go 1.21 project (registered by running
//! `modscope check` in it), an unpruned go 1.16 one (found with --projects), a registered
//! project that was deleted since, one under vendor/ (skipped). The report's sets and bytes are
//! compared with an independent walk and with du; after a prune the real go builds and verifies
//! every project offline, and what was removed downloads again.

mod support;

use gomodcache::cache::evict::Eviction;
use gomodcache::cache::layout::ModuleCache;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::{GoSandbox, module};

fn modules() -> Vec<gomodcache::synth::SynthModule> {
    let lib = |p: &str, v: &str, go: &str, req: &[(&str, &str)], src: &str| {
        module(p, v, Some(go), req, src)
    };
    vec![
        lib(
            "example.com/alpha",
            "v1.0.0",
            "1.17",
            &[
                ("example.com/beta", "v1.2.0"),
                ("example.com/graphonly", "v1.0.0"),
            ],
            "import \"example.com/beta\"\n\nfunc A() int { return beta.B() + 1 }",
        ),
        lib(
            "example.com/beta",
            "v1.0.0",
            "1.17",
            &[],
            "func B() int { return 0 }",
        ),
        lib(
            "example.com/beta",
            "v1.1.0",
            "1.17",
            &[],
            "func B() int { return 1 }",
        ),
        lib(
            "example.com/beta",
            "v1.2.0",
            "1.17",
            &[],
            "func B() int { return 2 }",
        ),
        lib(
            "example.com/gamma",
            "v0.3.0",
            "1.17",
            &[],
            "func G() int { return 30 }",
        ),
        lib(
            "example.com/gamma",
            "v0.3.1",
            "1.17",
            &[],
            "func G() int { return 3 }",
        ),
        lib(
            "example.com/graphonly",
            "v1.0.0",
            "1.17",
            &[],
            "func X() int { return 9 }",
        ),
        lib(
            "example.com/Upper",
            "v1.0.0-RC1",
            "1.16",
            &[],
            "func U() int { return 4 }",
        ),
        lib(
            "example.com/old",
            "v1.0.0",
            "1.16",
            &[
                ("example.com/beta", "v1.1.0"),
                ("example.com/gamma", "v0.3.0"),
            ],
            "import \"example.com/beta\"\n\nfunc O() int { return beta.B() }",
        ),
        lib(
            "example.com/unused",
            "v1.0.0",
            "1.17",
            &[],
            "func N() int { return 5 }",
        ),
    ]
}

const P1_MOD: &str = "module example.com/p1\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/gamma v0.3.1\n\texample.com/Upper v1.0.0-RC1\n)\n";
const P1_MAIN: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/Upper\"\n\t\"example.com/alpha\"\n\t\"example.com/gamma\"\n)\n\nfunc main() { fmt.Println(alpha.A(), gamma.G(), upper.U()) }\n";
const P2_MOD: &str = "module example.com/p2\n\ngo 1.16\n\nrequire example.com/old v1.0.0\n";
const P2_MAIN: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/old\"\n)\n\nfunc main() { fmt.Println(old.O()) }\n";
const P3_MOD: &str = "module example.com/p3\n\ngo 1.21\n\nrequire example.com/unused v1.0.0\n";
const P3_MAIN: &str =
    "package main\n\nimport \"example.com/unused\"\n\nfunc main() { println(unused.N()) }\n";

struct World {
    sb: GoSandbox,
    projects: PathBuf,
    p2: PathBuf,
}

fn go_in(sb: &GoSandbox, dir: &Path, args: &[&str], offline: bool) -> Output {
    let mut cmd = sb.command("go", args, dir);
    cmd.env("GOFLAGS", "");
    if offline {
        cmd.env("GOPROXY", "off");
    }
    cmd.output().unwrap()
}

fn go_ok(sb: &GoSandbox, dir: &Path, args: &[&str]) -> Output {
    let out = go_in(sb, dir, args, false);
    assert!(
        out.status.success(),
        "go {args:?} in {}: {}",
        dir.display(),
        text(&out)
    );
    out
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn write(p: &Path, data: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

/// modscope with the sandbox's environment, its own data and cache directories, stdin closed.
fn modscope(sb: &GoSandbox, dir: &Path, args: &[&str]) -> Output {
    let cache = sb.cache.display().to_string();
    let mut all = args.to_vec();
    all.extend(["--modcache", &cache]);
    sb.command(env!("CARGO_BIN_EXE_modscope"), &all, dir)
        .env("GOFLAGS", "")
        .env("MODSCOPE_CACHE_DIR", sb.tmp.path().join("modscope-cache"))
        .env("MODSCOPE_DATA_DIR", sb.tmp.path().join("modscope-data"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", text(out)))
}

/// An hour and a bit ago: old enough for a leftover to go.
fn age(p: &Path) {
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let f = std::fs::File::open(p).unwrap();
    f.set_times(std::fs::FileTimes::new().set_modified(t))
        .unwrap();
}

fn world() -> World {
    let sb = GoSandbox::new(&modules());
    let projects = sb.tmp.path().join("projects");
    let p2 = projects.join("p2");
    let p3 = projects.join("gone/p3");
    // P1 (go 1.21, pruned graph): the sandbox's project, registered by `modscope check`.
    sb.write_project(P1_MOD, &[("main.go", P1_MAIN)]);
    for p in [(&p2, P2_MOD, P2_MAIN), (&p3, P3_MOD, P3_MAIN)] {
        write(&p.0.join("go.mod"), p.1);
        write(&p.0.join("main.go"), p.2);
    }
    for dir in [&sb.project, &p2, &p3] {
        go_ok(&sb, dir, &["mod", "tidy"]);
        go_ok(&sb, dir, &["build", "./..."]);
        go_ok(&sb, dir, &["list", "-m", "all"]);
    }
    // An older beta nobody uses (superseded by the used v1.1.0 and v1.2.0).
    go_ok(
        &sb,
        &sb.project,
        &["mod", "download", "example.com/beta@v1.0.0"],
    );
    for dir in [&sb.project, &p3] {
        let out = modscope(&sb, dir, &["check", "--json"]);
        assert!(out.status.success(), "{}", text(&out));
    }
    // P3 goes away: the registry must drop it with a note.
    std::fs::remove_dir_all(projects.join("gone")).unwrap();
    // A project under vendor/ is skipped by --projects (else `unused` would look used).
    write(&projects.join("vendor/x/go.mod"), P3_MOD);
    // A hard link: beta v1.2.0's LICENSE is alpha's (same content, so go still verifies).
    let c = &sb.cache;
    let lic = c.join("example.com/beta@v1.2.0/LICENSE");
    std::fs::remove_file(&lic).unwrap();
    std::fs::hard_link(c.join("example.com/alpha@v1.0.0/LICENSE"), &lic).unwrap();
    // A cache/vcs clone and leftovers of interrupted downloads.
    let vcs = c.join("cache/vcs/0123abcd");
    write(&vcs.join("HEAD"), "ref: refs/heads/main\n");
    write(&vcs.join("objects/pack/p.pack"), &"x".repeat(20_000));
    write(
        &c.join("cache/vcs/0123abcd.info"),
        "git:https://example.com/repo\n",
    );
    write(&c.join("cache/vcs/0123abcd.lock"), "");
    let tmp = c.join("cache/download/example.com/beta/@v/v1.2.0.zip987654.tmp");
    write(&tmp, &"z".repeat(3000));
    age(&tmp);
    write(
        &c.join("cache/download/example.com/beta/@v/v9.9.9.partial"),
        "",
    );
    write(
        &c.join("cache/download/example.com/beta/@v/v9.9.9.lock"),
        "",
    );
    let tmp_tree = c.join("example.com/beta@v1.2.0.tmp-12345/b.go");
    write(&tmp_tree, "package beta\n");
    age(tmp_tree.parent().unwrap());
    World { sb, projects, p2 }
}

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

fn b(v: &Value) -> (u64, u64) {
    (v["disk"].as_u64().unwrap(), v["apparent"].as_u64().unwrap())
}

/// `path@version` → (state, bytes, {project dir name → needs}).
type Versions = BTreeMap<String, (String, (u64, u64), BTreeMap<String, String>)>;

fn versions(r: &Value) -> Versions {
    let mut out = BTreeMap::new();
    for m in r["modules"].as_array().unwrap() {
        for v in m["versions"].as_array().unwrap() {
            let users = v["used_by"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| {
                    let dir = u["project"].as_str().unwrap();
                    let name = Path::new(dir)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    (name, u["needs"].as_str().unwrap().to_string())
                })
                .collect();
            out.insert(
                format!(
                    "{}@{}",
                    m["path"].as_str().unwrap(),
                    v["version"].as_str().unwrap()
                ),
                (
                    v["state"].as_str().unwrap().to_string(),
                    b(&v["bytes"]),
                    users,
                ),
            );
        }
    }
    out
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

/// A prune killed after each step of an eviction (here of a version P1 builds from, the
/// harshest case) leaves a cache that `go mod download` repairs: then P1 builds and verifies
/// offline.
#[test]
fn an_eviction_killed_at_every_step_is_repaired_by_go() {
    let w = world();
    let base = &w.sb;
    let steps = {
        let e = Eviction::plan(
            &ModuleCache::new(&base.cache),
            "example.com/gamma",
            "v0.3.1",
            &base.tmp.path().join("q"),
            "test",
        )
        .unwrap();
        e.steps().len()
    };
    assert!(steps >= 8, "{steps}");
    for k in 0..=steps {
        let sb = base.fork();
        let mut e = Eviction::plan(
            &ModuleCache::new(&sb.cache),
            "example.com/gamma",
            "v0.3.1",
            &sb.tmp.path().join("q"),
            "test",
        )
        .unwrap();
        assert_eq!(e.run_steps(Some(k)).unwrap(), k);
        go_ok(&sb, &sb.project, &["mod", "download"]);
        for args in [&["build", "./..."][..], &["mod", "verify"]] {
            let out = go_in(&sb, &sb.project, args, true);
            assert!(
                out.status.success(),
                "killed after step {k}: GOPROXY=off go {args:?}: {}",
                text(&out)
            );
        }
        let r = json(&modscope(&sb, &sb.project, &["cache", "--json"]));
        assert_eq!(
            versions(&r)["example.com/gamma@v0.3.1"].0,
            "complete",
            "after step {k}"
        );
    }
}
