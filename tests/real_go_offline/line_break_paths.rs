//! go refuses a package directory whose path holds a line break ("invalid package
//! directory"): a module cache or a project under such a path builds nothing. The verdict says
//! so where go fails, and its fix, run as printed, makes the build work.

use super::sandbox::sandbox;
use gomodcache::offline::BlockerKind;
use gomodcache::offline::verdict::OfflineReport;
use std::path::Path;
use std::process::Output;

fn offline(
    sb: &super::support::GoSandbox,
    dir: &Path,
    env: &[(&str, &str)],
) -> (OfflineReport, i32) {
    let out = sb
        .command(env!("CARGO_BIN_EXE_modscope"), &["offline", "--json"], dir)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let r = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (r, out.status.code().unwrap())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_module_cache_under_a_line_break_blocks_and_the_fix_moves_off_it() {
    let sb = sandbox().fork();
    let bad_cache = sb.tmp.path().join("mod\ncache");
    let bad = bad_cache.display().to_string();
    let fill = sb
        .command("go", &["mod", "download"], &sb.project)
        .env("GOMODCACHE", &bad)
        .output()
        .unwrap();
    assert!(fill.status.success(), "{}", stderr(&fill));
    let build = sb
        .command("go", &["build", "./..."], &sb.project)
        .env("GOMODCACHE", &bad)
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(
        stderr(&build).contains("invalid package directory"),
        "{}",
        stderr(&build)
    );

    let (r, code) = offline(
        &sb,
        &sb.project,
        &[("GOMODCACHE", &bad), ("GOPROXY", "off")],
    );
    assert_eq!(code, 1, "{r:#?}");
    let b = r
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::InvalidPackageDirectory)
        .unwrap_or_else(|| panic!("{:#?}", r.blockers));
    assert!(
        b.message.contains("invalid package directory"),
        "{}",
        b.message
    );
    assert!(b.message.contains(r#"mod\ncache"#), "{}", b.message);
    let fix = b
        .fix
        .as_deref()
        .expect("the environment can be fixed by a command");
    assert_eq!(fix, "unset GOMODCACHE && go mod download");

    // The fix as printed, in a shell that has the bad GOMODCACHE; then the offline build.
    let script = format!("{fix} && GOPROXY=off go build ./...");
    let run = sb
        .command("sh", &["-c", &script], &sb.project)
        .env("GOMODCACHE", &bad)
        .output()
        .unwrap();
    assert!(run.status.success(), "{script}: {}", stderr(&run));
    let (after, code) = offline(&sb, &sb.project, &[("GOPROXY", "off")]);
    assert_eq!(
        (code, after.blockers.len()),
        (0, 0),
        "{:#?}",
        after.blockers
    );
}

#[test]
fn a_project_under_a_line_break_blocks_with_advice() {
    let sb = sandbox().fork();
    let moved = sb.tmp.path().join("pro\rject");
    std::fs::rename(&sb.project, &moved).unwrap();
    let build = sb
        .command("go", &["build", "./..."], &moved)
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(
        stderr(&build).contains("invalid package directory"),
        "{}",
        stderr(&build)
    );
    let (r, code) = offline(&sb, &moved, &[("GOPROXY", "off")]);
    assert_eq!(code, 1);
    let b = r
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::InvalidPackageDirectory)
        .unwrap_or_else(|| panic!("{:#?}", r.blockers));
    assert_eq!(b.fix, None);
    assert!(
        b.message.contains("To fix: move the project"),
        "{}",
        b.message
    );
}
