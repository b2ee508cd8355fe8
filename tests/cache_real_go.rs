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

#[path = "cache_real_go/interrupted_eviction.rs"]
mod interrupted_eviction;
#[path = "cache_real_go/report_and_prune.rs"]
mod report_and_prune;
