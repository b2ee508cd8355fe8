//! A go.sum line go lacks, where the checksum database's answer is already in the module cache:
//! go verifies against that answer offline and adds the line, so the build needs no network.
//! The real go and a checksum database served from the file:// proxy are the oracle.

use super::sandbox::{go_build, verdict};
use super::support::fake_sumdb;
use super::support::{GoSandbox, module, remove};
use gomodcache::offline::BlockerKind;

#[test]
fn a_missing_go_sum_line_with_the_checksum_database_answer_cached_needs_no_network() {
    let sb = GoSandbox::new(&[module(
        "example.com/Signed",
        "v1.0.0",
        Some("1.17"),
        &[],
        "func S() int { return 1 }",
    )]);
    let key = fake_sumdb(&sb, &["example.com/Signed@v1.0.0"]);
    sb.write_project(
        "module example.com/main\n\ngo 1.22\n\nrequire example.com/Signed v1.0.0\n",
        &[(
            "main.go",
            "package main\n\nimport \"example.com/Signed\"\n\nfunc main() { println(signed.S()) }\n",
        )],
    );
    // Online once, through the proxy and its checksum database: the answer is cached.
    let out = sb
        .command("go", &["mod", "tidy"], &sb.project)
        .env("GOSUMDB", &key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let lookup = sb
        .cache
        .join("cache/download/sumdb/sum.example.test/lookup/example.com/!signed@v1.0.0");
    assert!(
        lookup.is_file(),
        "go cached the answer at {}",
        lookup.display()
    );
    // go.sum loses its lines; -mod=mod lets go add them back (readonly would refuse).
    std::fs::write(sb.project.join("go.sum"), "").unwrap();
    let env = [
        ("GOFLAGS", "-modcacherw -mod=mod"),
        ("GOPROXY", "off"),
        ("GOSUMDB", key.as_str()),
    ];
    let (report, code) = verdict(&sb, &env);
    assert_eq!(code, 0, "{:#?}", report.blockers);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.kind == "go-sum-line-from-cached-checksum-db"),
        "{:#?}",
        report.warnings
    );
    let (ok, err) = go_build(&sb, &env);
    assert!(ok, "{err}");

    // Without the cached answer, go needs the network, and we say so.
    std::fs::write(sb.project.join("go.sum"), "").unwrap();
    remove(&sb.cache.join("cache/download/sumdb"));
    let (report, code) = verdict(&sb, &env);
    assert_eq!(code, 1);
    assert!(
        report
            .blockers
            .iter()
            .any(|b| b.kind == BlockerKind::NeedsChecksumDb),
        "{:#?}",
        report.blockers
    );
    let (ok, _) = go_build(&sb, &env);
    assert!(!ok, "go built without the checksum database");
}
