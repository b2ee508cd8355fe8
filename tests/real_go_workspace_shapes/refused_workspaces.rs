//! Workspaces go refuses (missing `use` directories, every `use` line and workspace go rejects):
//! each is an offline blocker whose printed fix, run as printed, makes go build.

use super::*;

#[test]
fn go_work_use_directories_that_are_missing_are_blockers_with_a_working_fix() {
    let sb = nested_workspace();
    write(
        &sb.project,
        "go.work",
        "go 1.22\n\nuse (\n\t.\n\t./a\n\t./b\n\t./gone\n)\n",
    );
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("a"), true);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot load module ../gone listed in go.work file"),
        "{}",
        stderr(&out)
    );
    let report = offline(&sb, &sb.project.join("a"));
    assert_eq!(blocker_kinds(&report), [BlockerKind::InvalidWorkspace]);
    let blocker = &report.blockers[0];
    assert!(
        blocker.message.starts_with(
            "go: cannot load module ../gone listed in go.work file: open ../gone/go.mod"
        ),
        "{}",
        blocker.message
    );
    // check lists it too (as a go.work problem), and exits 1.
    let check = modscope(&sb, &["check", "--json"], &sb.project.join("a"));
    assert_eq!(check.status.code(), Some(1));
    // The fix, run from the module directory as printed, drops the line; go builds again.
    run_fix(
        &sb,
        blocker.fix.as_deref().expect("a fix"),
        &sb.project.join("a"),
    );
    let out = ws_go(&sb, &["build", "./..."], &sb.project.join("a"), true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(offline(&sb, &sb.project.join("a")).ready);
}

#[test]
fn every_use_line_go_refuses_is_a_blocker_whose_fix_works() {
    let base = nested_workspace();
    std::fs::write(base.project.join("afile"), "not a directory\n").unwrap();
    std::os::unix::fs::symlink("loop1", base.project.join("loop2")).unwrap();
    std::os::unix::fs::symlink("loop2", base.project.join("loop1")).unwrap();
    let far = "../".repeat(40) + "nowhere-at-all";
    let cases = [
        ("a file", "./afile".to_string()),
        ("a link loop", "./loop1".to_string()),
        ("far above the workspace", far),
        ("the same directory twice", "./a".to_string()),
        ("the same directory spelled differently", "a".to_string()),
        (
            "a missing directory not written as ./path",
            "gone".to_string(),
        ),
    ];
    for (what, extra) in cases {
        let sb = base.fork();
        write(
            &sb.project,
            "go.work",
            &format!("go 1.22\n\nuse (\n\t.\n\t./a\n\t./b\n\t{extra}\n)\n"),
        );
        assert_refused_then_fixed(&sb, what, "");
    }
}

/// go refuses the workspace (from module a), we say why (offline blockers, all
/// invalid-workspace, the first mentioning `needle`; check and graph exit 1), and the first
/// blocker's fix, run as printed, makes go build and us say ready.
fn assert_refused_then_fixed(sb: &GoSandbox, what: &str, needle: &str) {
    let a = sb.project.join("a");
    let out = ws_go(sb, &["build", "./..."], &a, true);
    assert!(!out.status.success(), "{what}: go builds");
    assert!(
        stderr(&out).contains(needle),
        "{what}: go says {}",
        stderr(&out)
    );
    let report = offline(sb, &a);
    // One blocker per offending module (go lists each too).
    let kinds = blocker_kinds(&report);
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == BlockerKind::InvalidWorkspace),
        "{what}: {:#?}",
        report.blockers
    );
    assert!(report.blockers[0].message.contains(needle), "{what}");
    let check = modscope(sb, &["check", "--json"], &a);
    assert_eq!(check.status.code(), Some(1), "{what}: check exit");
    let graph = modscope(sb, &["graph"], &a);
    assert_eq!(graph.status.code(), Some(1), "{what}: graph exit");
    let fix = report.blockers[0].fix.as_deref().expect("a fix");
    run_fix(sb, fix, &a);
    let out = ws_go(sb, &["build", "./..."], &a, true);
    assert!(
        out.status.success(),
        "{what}: after {fix:?}: {}",
        stderr(&out)
    );
    let after = offline(sb, &a);
    assert!(after.ready, "{what}: {:#?}", after.blockers);
}

#[test]
fn every_workspace_go_refuses_is_a_blocker_whose_fix_works() {
    let base = nested_workspace();
    let copy_dir = |from: &Path, to: &Path| {
        let ok = std::process::Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(to)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    let uses = "use (\n\t.\n\t./a\n\t./b\n)\n";
    type Plant = Box<dyn Fn(&GoSandbox)>;
    let cases: Vec<(&str, Plant, &str)> = vec![
        (
            "one module path from two directories",
            Box::new(move |sb: &GoSandbox| {
                copy_dir(&sb.project.join("a"), &sb.project.join("a2"));
                write(
                    &sb.project,
                    "go.work",
                    "go 1.22\n\nuse (\n\t.\n\t./a\n\t./a2\n\t./b\n)\n",
                );
            }),
            "appears multiple times in workspace",
        ),
        (
            "a workspace module replaced at all versions",
            Box::new(move |sb: &GoSandbox| {
                write(
                    &sb.project,
                    "go.work",
                    &format!("go 1.22\n\n{uses}\nreplace example.com/b => ./b\n"),
                );
            }),
            "is replaced at all versions",
        ),
        (
            "two go.mod files replacing one module differently",
            Box::new(move |sb: &GoSandbox| {
                for (dir, v) in [("a", "v1.1.0"), ("b", "v1.0.0")] {
                    let p = sb.project.join(dir).join("go.mod");
                    let mut text = std::fs::read_to_string(&p).unwrap();
                    text.push_str(&format!("\nreplace example.com/d => example.com/d {v}\n"));
                    std::fs::write(p, text).unwrap();
                }
            }),
            "conflicting replacements for example.com/d",
        ),
        (
            "a go.work go line below a module's",
            Box::new(move |sb: &GoSandbox| {
                write(&sb.project, "go.work", &format!("go 1.18\n\n{uses}"));
            }),
            "but go.work lists go 1.18",
        ),
    ];
    for (what, plant, needle) in cases {
        let sb = base.fork();
        plant(&sb);
        assert_refused_then_fixed(&sb, what, needle);
    }
}
