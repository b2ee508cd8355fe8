//! The real `go` is the oracle: after `go mod tidy` against a local `file://` proxy, every hash
//! modscope computes equals go.sum; each injected fault is classified with the right status and
//! cause, and agrees with `go mod verify` / `go mod download` wherever those give a verdict.

mod support;

use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::{ModuleReport, Report, Status};
use gomodcache::cache::dirhash::{hash_dir, hash_go_mod, hash_zip};
use gomodcache::cache::layout::ModuleCache;
use gomodcache::modfile::go_sum::parse_go_sum;
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::synth::SynthModule;
use support::{GoSandbox, force_write, module, remove};

/// The synthetic world: a dependency chain, an upper-case path with an upper-case prerelease, a
/// +incompatible module without go.mod, a pseudo-version, a module replaced by another version.
fn modules() -> Vec<SynthModule> {
    vec![
        module(
            "example.com/a",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/b", "v1.0.0")],
            "import \"example.com/b\"\n\nfunc A() string { return b.B() }",
        ),
        module(
            "example.com/b",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func B() string { return \"b\" }",
        ),
        module(
            "example.com/Upper",
            "v1.0.0-RC1",
            Some("1.16"),
            &[],
            "func U() int { return 1 }",
        ),
        module(
            "example.com/nomod",
            "v2.0.0+incompatible",
            None,
            &[],
            "func N() int { return 2 }",
        ),
        module(
            "example.com/pseudo",
            "v0.0.0-20240110193028-4a1a5e8c0d3b",
            Some("1.20"),
            &[],
            "func P() int { return 3 }",
        ),
        module(
            "example.com/repl",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func R() int { return 4 }",
        ),
        module(
            "example.com/repl",
            "v1.1.0",
            Some("1.17"),
            &[],
            "func R() int { return 41 }",
        ),
    ]
}

const MAIN_GO: &str = r#"package main

import (
	"fmt"

	"example.com/a"
	"example.com/Upper"
	"example.com/local"
	"example.com/nomod"
	"example.com/pseudo"
	"example.com/repl"
)

func main() { fmt.Println(a.A(), upper.U(), nomod.N(), pseudo.P(), repl.R(), local.L()) }
"#;

const GO_MOD: &str = "module example.com/main\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/Upper v1.0.0-RC1\n\texample.com/local v0.0.0\n\texample.com/nomod v2.0.0+incompatible\n\texample.com/pseudo v0.0.0-20240110193028-4a1a5e8c0d3b\n\texample.com/repl v1.0.0\n)\n\nreplace example.com/repl v1.0.0 => example.com/repl v1.1.0\n\nreplace example.com/local => ./local\n";

/// A sandbox filled by `go mod tidy` (each fault then works on a fork). One per test: a shared
/// `static` one would never be dropped and would leak its temporary directory.
fn tidy_sandbox() -> GoSandbox {
    let sb = GoSandbox::new(&modules());
    sb.write_project(
        GO_MOD,
        &[
            ("main.go", MAIN_GO),
            ("local/go.mod", "module example.com/local\n\ngo 1.21\n"),
            (
                "local/local.go",
                "package local\n\nfunc L() int { return 5 }\n",
            ),
        ],
    );
    sb.go_ok(&["mod", "tidy"]);
    sb.go_ok(&["build", "./..."]);
    sb
}

fn check_json(sb: &GoSandbox, extra: &[&str]) -> (Report, i32) {
    let mut args = vec!["check", "--json"];
    args.extend(extra);
    let out = sb.modscope(&args);
    let report: Report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out.status.code().unwrap())
}

fn find<'a>(r: &'a Report, path: &str) -> &'a ModuleReport {
    r.modules
        .iter()
        .find(|m| m.path == path)
        .unwrap_or_else(|| panic!("{path} not in report"))
}

fn kinds(m: &ModuleReport) -> Vec<ProblemKind> {
    m.problems.iter().map(|p| p.kind).collect()
}

fn go_verify(sb: &GoSandbox) -> (bool, String) {
    let out = sb.go(&["mod", "verify"]);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn every_hash_we_compute_equals_go_sum() {
    let sb = &tidy_sandbox();
    let sum = parse_go_sum("go.sum", &std::fs::read(sb.project.join("go.sum")).unwrap());
    assert!(sum.problems.is_empty());
    let cache = ModuleCache::new(&sb.cache);
    let (mut zips, mut mods, mut dirs) = (0, 0, 0);
    for line in &sum.lines {
        let f = cache.files(&line.path, &line.version).unwrap();
        if line.go_mod {
            assert_eq!(
                hash_go_mod(&std::fs::read(&f.go_mod).unwrap()),
                line.hash,
                "{} {}/go.mod",
                line.path,
                line.version
            );
            mods += 1;
        } else {
            assert_eq!(
                hash_zip(&f.zip, &CancelFlag::new(), &NoProgress).unwrap(),
                line.hash,
                "{} {}",
                line.path,
                line.version
            );
            assert_eq!(std::fs::read_to_string(&f.ziphash).unwrap(), line.hash);
            let prefix = format!("{}@{}", line.path, line.version);
            assert_eq!(
                hash_dir(&f.dir, &prefix, &CancelFlag::new(), &NoProgress).unwrap(),
                line.hash,
                "{prefix} dir"
            );
            zips += 1;
            dirs += 1;
        }
    }
    // a, b, Upper, nomod, pseudo and repl v1.1.0 have zip lines.
    assert!(
        zips >= 6 && mods >= 6 && dirs >= 6,
        "zips {zips} mods {mods}"
    );
}

#[test]
fn healthy_project_is_all_cached_and_go_agrees() {
    let sb = &tidy_sandbox();
    let (report, code) = check_json(sb, &[]);
    assert_eq!(code, 0, "{report:#?}");
    assert!(report.is_healthy());
    for m in &report.modules {
        let want = if m.path == "example.com/local" {
            Status::ReplacedLocal
        } else {
            Status::Cached
        };
        assert_eq!(m.status, want, "{}: {:?}", m.path, m.problems);
        assert!(m.problems.is_empty(), "{}: {:?}", m.path, m.problems);
    }
    let repl = find(&report, "example.com/repl");
    let r = repl.replace.as_ref().unwrap();
    assert_eq!(
        (r.path.as_str(), r.version.as_deref()),
        ("example.com/repl", Some("v1.1.0"))
    );
    assert_eq!(
        repl.computed.zip_h1, repl.go_sum.h1,
        "the replacement's zip is the one checked"
    );
    let upper = find(&report, "example.com/Upper");
    assert!(
        upper
            .cache
            .dir
            .as_deref()
            .unwrap()
            .ends_with("example.com/!upper@v1.0.0-!r!c1")
    );
    assert!(find(&report, "example.com/b").indirect);
    let (ok, text) = go_verify(sb);
    assert!(ok && text.contains("all modules verified"), "{text}");
}

/// A fault, how to inject it, and what modscope and go must say.
struct Fault {
    name: &'static str,
    module: &'static str,
    inject: fn(&GoSandbox),
    status: Status,
    kind: ProblemKind,
    /// What `go mod verify` prints for it; None when it says "all modules verified".
    go_verify: Option<&'static str>,
    /// Whether `GOPROXY=off go mod download` of the module fails (go needs the network).
    needs_network: bool,
}

fn files(sb: &GoSandbox, path: &str, version: &str) -> gomodcache::cache::layout::ModuleFiles {
    ModuleCache::new(&sb.cache).files(path, version).unwrap()
}

fn edit_go_sum(sb: &GoSandbox, f: impl Fn(&str) -> Option<String>) {
    let p = sb.project.join("go.sum");
    let text = std::fs::read_to_string(&p).unwrap();
    let out: Vec<String> = text.lines().filter_map(&f).collect();
    std::fs::write(&p, out.join("\n") + "\n").unwrap();
}

fn faults() -> Vec<Fault> {
    vec![
        Fault {
            name: "extracted file edited",
            module: "example.com/a",
            inject: |sb| {
                force_write(
                    &files(sb, "example.com/a", "v1.0.0").dir.join("a.go"),
                    b"package a\n\nfunc A() string { return \"evil\" }\n",
                )
            },
            status: Status::Mismatch,
            kind: ProblemKind::ExtractedFilesModified,
            go_verify: Some("example.com/a v1.0.0: dir has been modified"),
            needs_network: false,
        },
        Fault {
            name: "zip rewritten",
            module: "example.com/pseudo",
            inject: |sb| {
                let f = files(
                    sb,
                    "example.com/pseudo",
                    "v0.0.0-20240110193028-4a1a5e8c0d3b",
                );
                let other = module(
                    "example.com/pseudo",
                    "v0.0.0-20240110193028-4a1a5e8c0d3b",
                    Some("1.20"),
                    &[],
                    "func P() int { return 666 }",
                );
                force_write(&f.zip, &other.zip_bytes());
            },
            status: Status::Mismatch,
            kind: ProblemKind::ZipModified,
            go_verify: Some("zip has been modified"),
            needs_network: false,
        },
        Fault {
            name: "zip truncated",
            module: "example.com/b",
            inject: |sb| {
                let f = files(sb, "example.com/b", "v1.0.0");
                let bytes = std::fs::read(&f.zip).unwrap();
                force_write(&f.zip, &bytes[..bytes.len() / 2]);
            },
            status: Status::Mismatch,
            kind: ProblemKind::CorruptZip,
            go_verify: Some("example.com/b v1.0.0: zip: not a valid zip file"),
            needs_network: false,
        },
        Fault {
            name: "go.sum line tampered",
            module: "example.com/Upper",
            inject: |sb| {
                edit_go_sum(sb, |l| {
                    Some(if l.starts_with("example.com/Upper v1.0.0-RC1 h1:") {
                        let (head, hash) = l.split_at(l.len() - 10);
                        format!(
                            "{head}{}",
                            if hash.starts_with('A') {
                                hash.replacen('A', "B", 1)
                            } else {
                                format!("A{}", &hash[1..])
                            }
                        )
                    } else {
                        l.to_string()
                    })
                })
            },
            status: Status::Mismatch,
            kind: ProblemKind::GoSumMismatch,
            go_verify: None,
            needs_network: false,
        },
        Fault {
            name: "go.sum line missing",
            module: "example.com/nomod",
            inject: |sb| {
                edit_go_sum(sb, |l| {
                    (!l.starts_with("example.com/nomod v2.0.0+incompatible h1:"))
                        .then(|| l.to_string())
                })
            },
            status: Status::Mismatch,
            kind: ProblemKind::GoSumLineMissing,
            go_verify: None,
            needs_network: false,
        },
        Fault {
            name: "cached .mod edited",
            module: "example.com/b",
            inject: |sb| {
                force_write(
                    &files(sb, "example.com/b", "v1.0.0").go_mod,
                    b"module example.com/b\n\ngo 1.17\n\n// edited\n",
                )
            },
            status: Status::Mismatch,
            kind: ProblemKind::GoModMismatch,
            go_verify: Some("verifying example.com/b@v1.0.0/go.mod: checksum mismatch"),
            needs_network: false,
        },
        Fault {
            name: "not in cache",
            module: "example.com/a",
            inject: |sb| {
                let f = files(sb, "example.com/a", "v1.0.0");
                remove(&f.dir);
                remove(&f.download_dir);
            },
            status: Status::Missing,
            kind: ProblemKind::NotInCache,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            name: "mod only",
            module: "example.com/pseudo",
            inject: |sb| {
                let f = files(
                    sb,
                    "example.com/pseudo",
                    "v0.0.0-20240110193028-4a1a5e8c0d3b",
                );
                remove(&f.dir);
                remove(&f.zip);
                remove(&f.ziphash);
            },
            status: Status::Missing,
            kind: ProblemKind::ModOnly,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            // With the zip still there it is only a warning (go re-extracts it offline): see
            // real_go_build_list.rs. Without it, go must download.
            name: "partial marker, zip gone",
            module: "example.com/nomod",
            inject: |sb| {
                let f = files(sb, "example.com/nomod", "v2.0.0+incompatible");
                force_write(&f.partial, b"");
                remove(&f.zip);
            },
            status: Status::Missing,
            kind: ProblemKind::PartialDownload,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            name: "ziphash deleted",
            module: "example.com/Upper",
            inject: |sb| remove(&files(sb, "example.com/Upper", "v1.0.0-RC1").ziphash),
            status: Status::Missing,
            kind: ProblemKind::MissingZiphash,
            go_verify: Some("example.com/Upper v1.0.0-RC1: missing ziphash"),
            needs_network: false,
        },
        Fault {
            name: "zip and ziphash deleted, tree edited (go's blind spot)",
            module: "example.com/b",
            inject: |sb| {
                let f = files(sb, "example.com/b", "v1.0.0");
                remove(&f.zip);
                remove(&f.ziphash);
                force_write(
                    &f.dir.join("b.go"),
                    b"package b\n\nfunc B() string { return \"evil\" }\n",
                );
            },
            status: Status::Mismatch,
            kind: ProblemKind::ExtractedFilesModified,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            name: "local replacement directory missing",
            module: "example.com/local",
            inject: |sb| remove(&sb.project.join("local")),
            status: Status::ReplacedLocal,
            kind: ProblemKind::ReplaceDirMissing,
            go_verify: None,
            needs_network: false,
        },
        Fault {
            name: "local replacement without go.mod",
            module: "example.com/local",
            inject: |sb| remove(&sb.project.join("local/go.mod")),
            status: Status::ReplacedLocal,
            kind: ProblemKind::ReplaceNoGoMod,
            go_verify: Some("reading local/go.mod"),
            needs_network: false,
        },
    ]
}

fn version_of(report: &Report, path: &str) -> String {
    let m = find(report, path);
    m.replace
        .as_ref()
        .and_then(|r| r.version.clone())
        .unwrap_or_else(|| m.version.clone())
}

fn assert_fault(f: &Fault, report: &Report) {
    let m = find(report, f.module);
    assert_eq!(m.status, f.status, "{}: {:#?}", f.name, m.problems);
    assert!(
        kinds(m).contains(&f.kind),
        "{}: expected {:?} in {:#?}",
        f.name,
        f.kind,
        m.problems
    );
    assert!(m.fix.is_some(), "{}: every problem carries a fix", f.name);
    assert!(
        m.problems
            .iter()
            .all(|p| !p.message.is_empty() && p.fix.is_some()),
        "{}",
        f.name
    );
}

#[test]
fn each_fault_alone_is_named_and_agrees_with_go() {
    let base = &tidy_sandbox();
    let healthy_modules = check_json(base, &[]).0.modules.len();
    for f in faults() {
        let sb = base.fork();
        (f.inject)(&sb);
        let (report, code) = check_json(&sb, &[]);
        assert_eq!(code, 1, "{}: exit code", f.name);
        assert_eq!(
            report.modules.len(),
            healthy_modules,
            "{}: the other modules are still checked",
            f.name
        );
        assert_fault(&f, &report);
        let others_unhealthy: Vec<_> = report
            .modules
            .iter()
            .filter(|m| m.path != f.module && m.is_unhealthy())
            .map(|m| &m.path)
            .collect();
        // A truncated zip of b or a .mod edit of b does not spill onto other modules.
        assert!(
            others_unhealthy.is_empty(),
            "{}: {others_unhealthy:?}",
            f.name
        );

        let (verified, text) = go_verify(&sb);
        match f.go_verify {
            Some(needle) => assert!(
                !verified && text.contains(needle),
                "{}: go mod verify said:\n{text}",
                f.name
            ),
            None => assert!(
                verified || f.status == Status::ReplacedLocal,
                "{}: go mod verify said:\n{text}",
                f.name
            ),
        }
        if f.status != Status::ReplacedLocal {
            let at = format!("{}@{}", f.module, version_of(&report, f.module));
            let mut cmd = sb.command("go", &["mod", "download", "-json", &at], &sb.project);
            cmd.env("GOPROXY", "off")
                .env("GOFLAGS", "-modcacherw -mod=mod");
            let out = cmd.output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                text.contains("module lookup disabled by GOPROXY=off"),
                f.needs_network,
                "{}: go mod download offline said:\n{text}",
                f.name
            );
        }
    }
}

#[test]
fn quick_mode_sees_presence_and_recorded_hashes_only() {
    let base = &tidy_sandbox();
    let sb = base.fork();
    let f = files(&sb, "example.com/a", "v1.0.0");
    force_write(
        &f.dir.join("a.go"),
        b"package a\n\nfunc A() string { return \"evil\" }\n",
    );
    // Gone: the tree and the zip (a zip alone is no loss: go extracts it again offline).
    let nomod = files(&sb, "example.com/nomod", "v2.0.0+incompatible");
    remove(&nomod.dir);
    remove(&nomod.zip);
    let (quick, code) = check_json(&sb, &["--quick"]);
    assert_eq!(code, 1);
    assert_eq!(
        find(&quick, "example.com/a").status,
        Status::Cached,
        "quick mode does not re-hash trees"
    );
    assert!(find(&quick, "example.com/a").computed.dir_h1.is_none());
    assert_eq!(find(&quick, "example.com/nomod").status, Status::Missing);
    let (full, _) = check_json(&sb, &[]);
    assert_eq!(find(&full, "example.com/a").status, Status::Mismatch);
}

#[test]
fn all_faults_together_are_each_reported() {
    let base = &tidy_sandbox();
    let sb = base.fork();
    // One fault per module, so none hides another.
    let chosen = [
        "extracted file edited",
        "zip rewritten",
        "go.sum line tampered",
        "partial marker, zip gone",
        "cached .mod edited",
        "local replacement directory missing",
    ];
    let all: Vec<Fault> = faults()
        .into_iter()
        .filter(|f| chosen.contains(&f.name))
        .collect();
    assert_eq!(all.len(), chosen.len());
    for f in &all {
        (f.inject)(&sb);
    }
    let (report, code) = check_json(&sb, &[]);
    assert_eq!(code, 1);
    for f in &all {
        assert_fault(f, &report);
    }
    assert_eq!(report.summary.mismatch, 4, "{:#?}", report.summary);
    assert_eq!(report.summary.missing, 1);
    assert_eq!(report.summary.replaced_local, 1);
    let (verified, text) = go_verify(&sb);
    // The edited .mod of b stops go's graph load before it gets to hashing; it still fails.
    assert!(!verified, "{text}");
}
