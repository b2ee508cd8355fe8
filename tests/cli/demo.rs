//! The demo project through the CLI: every status and fault in JSON, the human output and quick
//! mode, and that checking changes neither the cache nor the project.

use super::*;

#[test]
fn demo_json_shows_every_status_and_fault_the_demo_promises() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["check", "--demo", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let r = report(&out);
    assert_eq!(r.schema_version, SCHEMA_VERSION);
    assert_eq!(r.mode, CheckMode::Full);
    assert!(r.modules.len() >= 12, "a dozen modules or more");
    for status in Status::ALL {
        assert!(r.summary.count(status) > 0, "the demo shows {status:?}");
    }
    // The expectations come from a separate materialisation of the same deterministic demo.
    let layout = materialize_demo(&tmp.path().join("again")).unwrap();
    assert_eq!(layout.expectations.len(), r.modules.len());
    for e in &layout.expectations {
        let m = r
            .modules
            .iter()
            .find(|m| m.path == e.path)
            .unwrap_or_else(|| panic!("{} missing", e.path));
        assert_eq!(
            (m.version.as_str(), m.status.as_str()),
            (e.version.as_str(), e.status),
            "{}: {:#?}",
            e.path,
            m.problems
        );
        if e.fault.is_empty() {
            assert!(m.problems.is_empty(), "{}: {:#?}", e.path, m.problems);
        } else {
            assert!(
                m.problems.iter().any(|p| p.kind == fault_kind(e.fault)),
                "{} ({}): {:#?}",
                e.path,
                e.fault,
                m.problems
            );
            assert!(m.fix.is_some());
        }
    }
    assert!(
        r.modules
            .iter()
            .any(|m| m.path.chars().any(|c| c.is_ascii_uppercase()))
    );
    assert!(
        r.modules
            .iter()
            .any(|m| m.version.ends_with("+incompatible"))
    );
    assert!(
        r.modules.windows(2).all(|w| w[0].path < w[1].path),
        "sorted by path"
    );
}

#[test]
fn demo_human_output_groups_by_status_and_quick_mode_skips_rehashing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["check", "--demo", "-v"], tmp.path());
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    for header in ["MISMATCH (", "MISSING (", "REPLACED-LOCAL (", "CACHED ("] {
        assert!(stdout.contains(header), "{header} in\n{stdout}");
    }
    // Without -v only the problems are listed; the summary still counts every status.
    let brief = modscope(&["check", "--demo"], tmp.path());
    let (brief, _) = text(&brief);
    // A healthy module is listed with -v only (a cached one with a note is listed either way).
    assert!(stdout.contains("github.com/BurntSushi/toml"), "{stdout}");
    assert!(!brief.contains("github.com/BurntSushi/toml"), "{brief}");
    assert!(brief.contains("MISMATCH ("), "{brief}");
    assert!(brief.contains(" cached, 2 missing, 6 mismatch"), "{brief}");
    assert!(
        stdout.contains("fix: go mod download github.com/sirupsen/logrus@v1.9.3"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("\x1b["),
        "NO_COLOR and a pipe mean no escape codes"
    );

    let quick = report(&modscope(
        &["check", "--demo", "--json", "--quick"],
        tmp.path(),
    ));
    assert_eq!(quick.mode, CheckMode::Quick);
    let uuid = quick
        .modules
        .iter()
        .find(|m| m.path == "github.com/google/uuid")
        .unwrap();
    assert_eq!(
        uuid.status,
        Status::Cached,
        "an edited tree is only seen by re-hashing"
    );
    assert!(uuid.computed.dir_h1.is_none() && uuid.computed.zip_h1.is_none());
    let yaml = quick
        .modules
        .iter()
        .find(|m| m.path == "gopkg.in/yaml.v3")
        .unwrap();
    assert_eq!(
        yaml.status,
        Status::Mismatch,
        "go.sum vs .ziphash is a recorded-hash check"
    );
}

/// Every file under `root` with its size, permissions and content, to prove nothing changed.
fn snapshot(root: &Path) -> Vec<(String, u64, u32, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let content = if m.is_file() {
                std::fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            out.push((
                p.display().to_string(),
                m.len(),
                m.permissions().mode(),
                content,
            ));
            if m.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn checking_never_changes_the_cache_or_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(tmp.path()).unwrap();
    let before = snapshot(tmp.path());
    for extra in [&[][..], &["--quick"][..], &["--json"][..]] {
        let mut args = vec![
            "check",
            "-C",
            layout.project_dir.to_str().unwrap(),
            "--modcache",
            layout.gomodcache.to_str().unwrap(),
        ];
        args.extend(extra);
        let out = modscope(&args, tmp.path());
        assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    }
    assert!(before.len() > 100);
    assert!(
        before == snapshot(tmp.path()),
        "check wrote to the cache or the project"
    );
}
