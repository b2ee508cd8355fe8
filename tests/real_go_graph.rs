//! The offline module graph against the real `go`: our build list equals `go list -m all` and
//! our edges equal `go mod graph` (without go@/toolchain@ nodes), on projects that exercise graph
//! pruning, a go 1.16 dependency pulling its whole tree, an exclude, a module replaced by another
//! version, and a diamond with different versions.

mod support;

use gomodcache::cache::layout::ModuleCache;
use gomodcache::graph::load_graph;
use gomodcache::project::load_project;
use std::collections::BTreeSet;
use support::{GoSandbox, module};

fn world() -> Vec<gomodcache::synth::SynthModule> {
    vec![
        module(
            "example.com/d",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func D() int { return 10 }",
        ),
        module(
            "example.com/d",
            "v1.1.0",
            Some("1.17"),
            &[],
            "func D() int { return 11 }",
        ),
        module(
            "example.com/d",
            "v1.2.0",
            Some("1.17"),
            &[],
            "func D() int { return 12 }",
        ),
        module(
            "example.com/c",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/d", "v1.1.0")],
            "import \"example.com/d\"\n\nfunc C() int { return d.D() }",
        ),
        // A go 1.16 module: its whole requirement closure is loaded, even below go 1.17 modules.
        module(
            "example.com/old",
            "v1.0.0",
            Some("1.16"),
            &[("example.com/c", "v1.0.0")],
            "import \"example.com/c\"\n\nfunc O() int { return c.C() }",
        ),
        // A go 1.17 module requiring a module no package imports: in the graph, its go.mod unread.
        module(
            "example.com/new",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/e", "v1.0.0"), ("example.com/zz", "v1.0.0")],
            "import \"example.com/e\"\n\nfunc N() int { return e.E() }",
        ),
        module(
            "example.com/zz",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/d", "v1.0.0")],
            "func Z() int { return 0 }",
        ),
        module(
            "example.com/e",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/d", "v1.2.0"), ("example.com/x", "v1.1.0")],
            "import \"example.com/d\"\n\nfunc E() int { return d.D() }",
        ),
        module(
            "example.com/x",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func X() int { return 1 }",
        ),
        module(
            "example.com/x",
            "v1.1.0",
            Some("1.17"),
            &[],
            "func X() int { return 2 }",
        ),
        module(
            "example.com/x",
            "v1.2.0",
            Some("1.17"),
            &[],
            "func X() int { return 3 }",
        ),
        module(
            "example.com/r",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func R() int { return 1 }",
        ),
        module(
            "example.com/r",
            "v1.1.0",
            Some("1.17"),
            &[("example.com/d", "v1.0.0")],
            "func R() int { return 2 }",
        ),
    ]
}

const MAIN_GO: &str = "package main\n\nimport (\n\t\"example.com/new\"\n\t\"example.com/old\"\n\t\"example.com/r\"\n\t\"example.com/x\"\n)\n\nfunc main() { println(old.O(), new.N(), x.X(), r.R()) }\n";

fn project(go_version: &str) -> GoSandbox {
    let sb = GoSandbox::new(&world());
    let go_mod = format!(
        "module example.com/main\n\ngo {go_version}\n\nrequire (\n\texample.com/new v1.0.0\n\texample.com/old v1.0.0\n\texample.com/r v1.0.0\n\texample.com/x v1.0.0\n)\n\nexclude example.com/x v1.1.0\n\nreplace example.com/r v1.0.0 => example.com/r v1.1.0\n"
    );
    sb.write_project(&go_mod, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    // `go list -m` needs each module's .info (go's Stat): fetch them once from the local proxy,
    // so the comparisons below can run with GOPROXY=off.
    sb.go_ok(&["list", "-m", "all"]);
    sb
}

fn offline_go(sb: &GoSandbox, args: &[&str]) -> String {
    let mut cmd = sb.command("go", args, &sb.project);
    cmd.env("GOPROXY", "off")
        .env("GOFLAGS", "-modcacherw -mod=mod");
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "go {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn compare_with_go(sb: &GoSandbox) -> (usize, usize) {
    let project = load_project(&sb.project, Some("off")).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    assert!(graph.missing().is_empty(), "{:?}", graph.missing());

    // go list -m all: `path version[ => repl]`; compare path and version.
    let go_list: Vec<String> = offline_go(sb, &["list", "-m", "all"])
        .lines()
        .map(|l| l.split(" => ").next().unwrap().trim().to_string())
        .collect();
    let ours: Vec<String> = graph
        .build_list()
        .iter()
        .map(|n| {
            if n.is_main() {
                n.path.clone()
            } else {
                format!("{} {}", n.path, n.version)
            }
        })
        .collect();
    assert_eq!(ours, go_list, "build list");

    let go_edges: BTreeSet<(String, String)> = offline_go(sb, &["mod", "graph"])
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(a, b)| {
            ![a, b]
                .iter()
                .any(|s| s.starts_with("go@") || s.starts_with("toolchain@"))
        })
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let our_edges: BTreeSet<(String, String)> = graph
        .edge_list()
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(our_edges, go_edges, "edges");
    (ours.len(), our_edges.len())
}

#[test]
fn pruned_main_module_graph_equals_go() {
    let sb = project("1.21");
    let (modules, edges) = compare_with_go(&sb);
    assert!(
        modules >= 8 && edges >= 10,
        "{modules} modules, {edges} edges"
    );
    let project = load_project(&sb.project, Some("off")).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    // The diamond: c wants d v1.1.0, e wants d v1.2.0: MVS takes v1.2.0.
    assert_eq!(graph.selected["example.com/d"], "v1.2.0");
    // The exclude drops e's requirement on x v1.1.0; main's v1.0.0 stays.
    assert_eq!(graph.selected["example.com/x"], "v1.0.0");
    // zz is in the graph through new's go.mod, but its go.mod was never read (pruning).
    assert_eq!(graph.selected["example.com/zz"], "v1.0.0");
    assert!(!graph.sources.keys().any(|n| n.path == "example.com/zz"));
    let why = graph.why("example.com/d");
    assert_eq!(why.selected.as_deref(), Some("v1.2.0"));
    assert!(
        why.winners.iter().any(|w| w.by == "example.com/e@v1.0.0"),
        "{why:#?}"
    );
    assert!(
        why.required_by
            .iter()
            .any(|r| r.version == "v1.1.0" && r.by == "example.com/c@v1.0.0")
    );
    assert!(
        why.paths.windows(2).all(|w| w[0].len() <= w[1].len()),
        "shortest first"
    );
}

#[test]
fn unpruned_go_1_16_main_module_graph_equals_go() {
    let sb = project("1.16");
    compare_with_go(&sb);
}

#[test]
fn graph_and_why_subcommands_print_json() {
    let sb = project("1.21");
    let out = sb.modscope(&["graph", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g: gomodcache::graph::export::GraphJson = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(g.modules[0].path, "example.com/main");
    assert!(g.modules[0].version.is_none() && g.modules[0].main);
    assert!(
        g.edges
            .iter()
            .any(|e| e.from == "example.com/main" && e.to == "example.com/new@v1.0.0")
    );
    let out = sb.modscope(&["why", "example.com/d", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let w: gomodcache::graph::why::WhyAnswer = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w.selected.as_deref(), Some("v1.2.0"));
    assert!(!w.paths.is_empty());
    let out = sb.modscope(&["why", "example.com/nothere"]);
    assert_eq!(out.status.code(), Some(1));
    let dot = sb.modscope(&["graph", "--dot"]);
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph modules {"));
}
