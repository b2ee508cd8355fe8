//! Workspace modules that require each other by version (with and without a `../` replace):
//! the graph go loads, no cached go.mod for a replaced sibling, and the export bundle.

use super::*;

/// Our build list and edges against `go list -m all` and `go mod graph` in workspace mode.
fn assert_graph_equals_go(sb: &GoSandbox) -> usize {
    let gowork = sb.project.join("go.work").display().to_string();
    let project = load_project(&sb.project.join("a"), Some(&gowork)).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    assert!(graph.missing().is_empty(), "{:?}", graph.missing());
    let go_lines = |args: &[&str]| -> Vec<String> {
        let out = ws_go(sb, args, &sb.project.join("a"), true);
        assert!(out.status.success(), "go {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let go_list: Vec<String> = go_lines(&["list", "-m", "all"])
        .iter()
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
    let go_edges: BTreeSet<(String, String)> = go_lines(&["mod", "graph"])
        .iter()
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
    our_edges.len()
}

#[test]
fn workspace_modules_requiring_each_other_by_version_load_the_graph_go_loads() {
    let sb = workspace(false);
    let edges = assert_graph_equals_go(&sb);
    assert!(edges >= 6, "{edges} edges");
    let gowork = sb.project.join("go.work").display().to_string();
    let project = load_project(&sb.project.join("a"), Some(&gowork)).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    // a → b@v1.0.0 and b@v1.0.0's own requirement, read from the cached .mod.
    let b_v1 = gomodcache::graph::Node::new("example.com/b", "v1.0.0");
    assert_eq!(
        graph.edges[&b_v1],
        [gomodcache::graph::Node::new("example.com/f", "v1.0.0")]
    );
    // a requires c v1.0.0, e raises it to v1.1.0: workspace loading then reads the go.mod of
    // every requirement of c v1.1.0, so g's requirement h is in the build list.
    assert_eq!(graph.selected["example.com/d"], "v1.1.0");
    assert_eq!(graph.selected["example.com/h"], "v1.0.0");
    assert!(!graph.selected.contains_key("example.com/b"));

    // Without b@v1.0.0's .mod in the cache, go cannot load the workspace, and we say so.
    let broken = sb.fork();
    let b_mod = broken
        .cache
        .join("cache/download/example.com/b/@v/v1.0.0.mod");
    support::remove(&b_mod);
    let out = ws_go(
        &broken,
        &["build", "./..."],
        &broken.project.join("a"),
        true,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("example.com/b@v1.0.0"),
        "{}",
        stderr(&out)
    );
    let check = modscope(&broken, &["check", "--json"], &broken.project.join("a"));
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("example.com/b"), "{text}");
    let verify = ws_go(&broken, &["mod", "verify"], &broken.project.join("a"), true);
    assert!(!verify.status.success());
    let report = offline(&broken, &broken.project.join("a"));
    assert!(!report.ready);
    assert!(
        report
            .blockers
            .iter()
            .any(|b| b.kind == BlockerKind::MissingGoMod
                && b.module.as_deref() == Some("example.com/b@v1.0.0")),
        "{:#?}",
        report.blockers
    );
    // The printed fix, run as printed, makes the offline build work again.
    let fix = report
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::MissingGoMod)
        .and_then(|b| b.fix.as_deref())
        .expect("a fix");
    let mut run = broken.command("sh", &["-c", fix], &broken.project.join("a"));
    run.env("GOWORK", broken.project.join("go.work"));
    let out = run.output().unwrap();
    assert!(out.status.success(), "{fix}: {}", stderr(&out));
    let out = ws_go(
        &broken,
        &["build", "./..."],
        &broken.project.join("a"),
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(offline(&broken, &broken.project.join("a")).ready);
}

#[test]
fn a_sibling_replaced_by_its_directory_needs_no_cached_mod() {
    let sb = workspace(true);
    assert_graph_equals_go(&sb);
    let gowork = sb.project.join("go.work").display().to_string();
    let project = load_project(&sb.project.join("a"), Some(&gowork)).unwrap();
    let graph = load_graph(&project, &ModuleCache::new(&sb.cache));
    // b@v1.0.0's requirements come from ../b/go.mod, not from the published v1.0.0.
    let b_v1 = gomodcache::graph::Node::new("example.com/b", "v1.0.0");
    let b_reqs = &graph.edges[&b_v1];
    assert!(
        b_reqs.contains(&gomodcache::graph::Node::new("example.com/e", "v1.0.0"))
            && !b_reqs.iter().any(|n| n.path == "example.com/f"),
        "{b_reqs:?}"
    );
    // Go reads nothing of the published b v1.0.0: it never even fetched it. We agree that the
    // offline build is ready without it, and check is healthy.
    assert!(!sb.cache.join("cache/download/example.com/b").exists());
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("a"), true);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = offline(&sb, &sb.project.join("a"));
    assert!(report.ready, "{:#?}", report.blockers);
    let check = modscope(&sb, &["check", "--json"], &sb.project.join("a"));
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn the_export_bundle_of_a_workspace_holds_the_go_mod_of_a_module_required_by_version() {
    let sb = workspace(false);
    let bundle = sb.tmp.path().join("bundle");
    let out = modscope(
        &sb,
        &["export", "--out", bundle.to_str().unwrap()],
        &sb.project.join("a"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        bundle.join("example.com/b/@v/v1.0.0.mod").is_file(),
        "the workspace graph reads b v1.0.0's go.mod"
    );
    // The bundle as the only proxy, an empty cache: go builds the workspace module.
    let empty = sb.tmp.path().join("empty-cache");
    let out = sb
        .command("go", &["build", "./..."], &sb.project.join("a"))
        .env("GOWORK", sb.project.join("go.work"))
        .env("GOMODCACHE", &empty)
        .env("GOPROXY", format!("file://{}", bundle.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}
