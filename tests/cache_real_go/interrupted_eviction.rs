//! An eviction killed after each of its steps leaves a cache that `go mod download` repairs.

use super::*;

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
