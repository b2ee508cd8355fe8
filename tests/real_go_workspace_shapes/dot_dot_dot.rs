//! What `./...` matches at a go.work root that is no module, and that it never descends into a
//! nested module.

use super::*;

#[test]
fn at_a_go_work_root_that_is_no_module_dot_dot_dot_matches_nothing() {
    let sb = workspace(false);
    let out = ws_go(&sb, &["build", "./..."], &sb.project, true);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("directory prefix . does not contain modules listed in go.work"),
        "{}",
        stderr(&out)
    );
    let report = offline(&sb, &sb.project);
    assert!(!report.ready);
    assert_eq!(blocker_kinds(&report), [BlockerKind::PatternOutsideModules]);
    // What `go build work` loads is analysed instead: both modules' packages.
    let packages: Vec<&str> = report.packages.iter().map(|p| p.path.as_str()).collect();
    assert!(
        packages.contains(&"example.com/a") && packages.contains(&"example.com/b"),
        "{packages:?}"
    );
    run_fix(
        &sb,
        report.blockers[0].fix.as_deref().expect("a fix"),
        &sb.project,
    );
}

#[test]
fn dot_dot_dot_never_descends_into_a_nested_module() {
    let sb = nested_workspace();
    // b's dependency e is gone from the cache (its .mod stays: the graph reads it). Nothing of
    // the root module imports it, so go still builds ./... at the root; from b it cannot.
    let e_zip = sb.cache.join("cache/download/example.com/e/@v/v1.0.0.zip");
    support::remove(&e_zip);
    support::remove(
        &sb.cache
            .join("cache/download/example.com/e/@v/v1.0.0.ziphash"),
    );
    support::remove(&sb.cache.join("example.com/e@v1.0.0"));
    let out = ws_go(&sb, &["build", "./..."], &sb.project, true);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = offline(&sb, &sb.project);
    assert!(report.ready, "{:#?}", report.blockers);
    let packages: Vec<&str> = report.packages.iter().map(|p| p.path.as_str()).collect();
    assert!(packages.contains(&"example.com/top"), "{packages:?}");
    assert!(
        !packages
            .iter()
            .any(|p| ["example.com/a", "example.com/b", "example.com/tools"].contains(p)),
        "{packages:?}"
    );

    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("b"), true);
    assert!(!out.status.success());
    let report = offline(&sb, &sb.project.join("b"));
    assert_eq!(
        blocker_kinds(&report),
        [BlockerKind::ModuleNotDownloaded],
        "{:#?}",
        report.blockers
    );

    // Inside the nested module the workspace does not use, go matches nothing.
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("tools"), true);
    assert!(!out.status.success());
    let report = offline(&sb, &sb.project.join("tools"));
    assert!(blocker_kinds(&report).contains(&BlockerKind::PatternOutsideModules));
}
