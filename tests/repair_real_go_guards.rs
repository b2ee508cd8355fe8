//! What `modscope repair` must leave alone, against the real `go`: a sibling version, a module
//! the project does not require, everything when it cannot ask or only shows its plan, and a
//! go.sum line that disagrees with a consistent cache. Also its JSON and the quarantine purge.

mod support;

#[path = "support/repair_sandbox.rs"]
mod repair_sandbox;

use gomodcache::cache::layout::ModuleFiles;
use repair_sandbox::*;
use support::force_write;

#[test]
fn repair_never_touches_a_sibling_version() {
    let sb = sandbox();
    let beta = files(&sb, BETA);
    force_write(&beta.dir.join("beta.go"), b"package beta // evil\n");
    let sibling = files(&sb, BETA_SIBLING);
    let sibling_files = |f: &ModuleFiles| {
        let mut s = snapshot(&f.dir);
        for p in [&f.zip, &f.ziphash, &f.go_mod, &f.info] {
            s.insert(p.clone(), (false, std::fs::read(p).unwrap()));
        }
        s
    };
    let before = sibling_files(&sibling);
    assert!(before.len() > 5, "{before:?}");
    let out = modscope(&sb, &["repair", "--yes", BETA.0]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        sibling_files(&sibling),
        before,
        "the sibling version is byte-identical"
    );
    assert_go_verifies(&sb, "beta repaired");
}

#[test]
fn repair_refuses_what_the_project_does_not_require_and_changes_nothing() {
    let sb = sandbox();
    force_write(
        &files(&sb, ALPHA).dir.join("alpha.go"),
        b"package alpha // evil\n",
    );
    let before = snapshot(&sb.cache);
    for name in [
        "example.com/nothere@v1.0.0",
        "example.com/alpha@v9.9.9",
        "example.com/beta@v1.1.0",
    ] {
        let out = modscope(&sb, &["repair", "--yes", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out));
        assert!(
            text(&out).contains("not in this project's build list"),
            "{name}: {}",
            text(&out)
        );
    }
    // Nothing named and no --all; names with --all.
    for (args, needle) in [
        (&["repair", "--yes"][..], "pass --all"),
        (
            &["repair", "--all", "example.com/alpha"],
            "cannot be used with",
        ),
    ] {
        let out = modscope(&sb, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(needle), "{args:?}: {}", text(&out));
    }
    // Without a terminal and without --yes it asks nobody and changes nothing.
    let out = modscope(&sb, &["repair", "example.com/alpha"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("pass --yes"), "{}", text(&out));
    // A dry run shows the plan and changes nothing.
    let out = modscope(&sb, &["repair", "--all", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("example.com/alpha@v1.0.0")
            && text(&out).contains("go mod download -json example.com/alpha@v1.0.0"),
        "{}",
        text(&out)
    );
    assert_eq!(snapshot(&sb.cache), before, "the cache is unchanged");
    assert!(manifests(&sb).is_empty());
}

#[test]
fn a_go_sum_line_that_disagrees_with_a_consistent_cache_is_not_repaired() {
    let sb = sandbox();
    let go_sum = sb.project.join("go.sum");
    let text_before = std::fs::read_to_string(&go_sum).unwrap();
    let tampered: String = text_before
        .lines()
        .map(|l| match l.strip_prefix("example.com/gamma v0.3.1 h1:") {
            Some(h) => format!(
                "example.com/gamma v0.3.1 h1:{}{}\n",
                if h.starts_with('A') { "B" } else { "A" },
                &h[1..]
            ),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&go_sum, &tampered).unwrap();
    let before = snapshot(&sb.cache);
    let out = modscope(&sb, &["repair", "--all", "--yes", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["modules"].as_array().unwrap().len(), 0, "{json:#}");
    let left = &json["go_sum_side"][0];
    assert_eq!(left["module"], GAMMA.0);
    assert_eq!(left["kind"], "go-sum-mismatch");
    assert!(
        left["message"].as_str().unwrap().contains("go.sum:"),
        "{left:#}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("go.sum must be fixed"));
    assert_eq!(snapshot(&sb.cache), before, "the cache is unchanged");
}

#[test]
fn repair_json_reports_each_module_and_purge_empties_the_quarantine() {
    let sb = sandbox();
    force_write(
        &files(&sb, GAMMA).dir.join("gamma.go"),
        b"package gamma // evil\n",
    );
    let out = modscope(&sb, &["repair", "--all", "--yes", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    let m = &json["modules"][0];
    assert_eq!(
        (m["module"].as_str(), m["outcome"].as_str()),
        (Some(GAMMA.0), Some("repaired")),
        "{json:#}"
    );
    assert_eq!(m["problems"][0], "extracted-files-modified");
    assert_eq!(
        json["command"],
        "go mod download -json example.com/gamma@v0.3.1"
    );
    assert_eq!(manifests(&sb).len(), 1);
    let out = modscope(&sb, &["repair", "--purge-quarantine"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "asks, and there is no terminal: {}",
        text(&out)
    );
    assert_eq!(manifests(&sb).len(), 1);
    let out = modscope(&sb, &["repair", "--purge-quarantine", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("example.com/gamma@v0.3.1"),
        "{}",
        text(&out)
    );
    assert!(manifests(&sb).is_empty());
}
