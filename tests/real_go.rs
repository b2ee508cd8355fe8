//! The real `go` is the oracle: after `go mod tidy` against a local `file://` proxy, every hash
//! modscope computes equals go.sum; each injected fault is classified with the right status and
//! cause, and agrees with `go mod verify` / `go mod download` wherever those give a verdict.

mod support;

use fault_catalogue::faults;
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

#[path = "real_go/fault_catalogue.rs"]
mod fault_catalogue;
#[path = "real_go/faults.rs"]
mod faults;
