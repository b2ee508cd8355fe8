//! Each fault alone, all together, and in quick mode: named with the right status and cause,
//! and in agreement with `go mod verify` / `go mod download`.

use super::*;

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
