//! One module version serving two module paths through a replacement (cmd/go's
//! `checkMultiplePaths`), with the real `go` as the oracle.

mod support;

use gomodcache::offline::BlockerKind;
use gomodcache::offline::verdict::OfflineReport;
use support::{GoSandbox, module};

fn offline(sb: &GoSandbox) -> OfflineReport {
    let out = sb.modscope(&["offline", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    })
}

#[test]
fn a_version_used_for_two_module_paths_is_a_blocker_whose_fix_works() {
    let sb = GoSandbox::new(&[
        module(
            "example.com/a",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func A() int { return 1 }",
        ),
        module(
            "example.com/c",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func C() int { return 3 }",
        ),
    ]);
    sb.write_project(
        "module example.com/main\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/c v1.0.0\n)\n",
        &[(
            "main.go",
            "package main\n\nimport (\n\t\"example.com/a\"\n\t\"example.com/c\"\n)\n\nfunc main() { println(a.A(), c.C()) }\n",
        )],
    );
    sb.go_ok(&["mod", "tidy"]);
    let good = sb.go(&["build", "./..."]);
    assert!(good.status.success());
    // Now a is replaced by c v1.0.0, which the build list also holds as itself.
    let go_mod = sb.project.join("go.mod");
    let mut text = std::fs::read_to_string(&go_mod).unwrap();
    text.push_str("\nreplace example.com/a => example.com/c v1.0.0\n");
    std::fs::write(&go_mod, text).unwrap();
    let out = sb
        .command("go", &["build", "./..."], &sb.project)
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("example.com/c@v1.0.0 used for two different module paths (example.com/a and example.com/c)"),
        "{stderr}"
    );
    let report = offline(&sb);
    assert!(!report.ready);
    let blocker = report
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::ReplacementConflict)
        .unwrap_or_else(|| panic!("{:#?}", report.blockers));
    assert_eq!(
        blocker.message,
        "go: example.com/c@v1.0.0 used for two different module paths (example.com/a and example.com/c)"
    );
    let fix = sb
        .command(
            "sh",
            &["-c", blocker.fix.as_deref().expect("a fix")],
            &sb.project,
        )
        .output()
        .unwrap();
    assert!(
        fix.status.success(),
        "{}",
        blocker.fix.as_deref().unwrap_or_default()
    );
    let out = sb
        .command("go", &["build", "./..."], &sb.project)
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "after {}: {}",
        blocker.fix.as_deref().unwrap_or_default(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(offline(&sb).ready);
}
