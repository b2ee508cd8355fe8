//! The real `go` as the oracle for the demo: hashes, tidiness, builds and `go mod verify`.

use super::*;

/// Real `go` agrees with the demo: the proxy's modules hash to the demo's go.sum lines (except
/// the two tampered ones); once `../legacy-auth` exists and go.sum is correct, the project is
/// tidy and builds from the proxy; `go mod verify` sees the zip and dir edits but not the
/// dir edit whose zip and ziphash are gone. `cargo test -p gomodcache --lib demo -- --ignored`
#[test]
fn real_go_agrees_with_the_demo() {
    use crate::synth::tests::run_go;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let layout = materialize_demo(&t.join("demo")).unwrap();
    let proxy = format!("file://{}", layout.proxy_dir.display());
    let mut modules: Vec<SynthModule> = Vec::new();
    for spec in CATALOGUE {
        let m = catalog::build(spec, &modules);
        modules.push(m);
    }
    // Graph-only modules have only their go.mod line (what tidy keeps for a pruned project).
    let mut want_sum: Vec<String> = modules
        .iter()
        .zip(CATALOGUE)
        .flat_map(|(m, spec)| {
            m.go_sum_lines()
                .lines()
                .filter(|l| !spec.graph_only || l.contains("/go.mod "))
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    want_sum.sort();

    // 1. Every module from the proxy, into a fresh cache, outside any module.
    let empty = t.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let demo_sum = std::fs::read_to_string(layout.project_dir.join("go.sum")).unwrap();
    for m in &modules {
        let (ok, out) = run_go(
            t,
            &empty,
            &t.join("fresh"),
            &proxy,
            &[
                "mod",
                "download",
                "-json",
                &format!("{}@{}", m.path, m.version),
            ],
        );
        assert!(ok, "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let zip_line = format!("{} {} {}\n", m.path, m.version, v["Sum"].as_str().unwrap());
        let mod_line = format!(
            "{} {}/go.mod {}\n",
            m.path,
            m.version,
            v["GoModSum"].as_str().unwrap()
        );
        assert!(demo_sum.contains(&mod_line), "{mod_line}");
        let tampered = ["gopkg.in/yaml.v3", "go.uber.org/zap"].contains(&m.path.as_str());
        let graph_only = CATALOGUE.iter().any(|s| s.path == m.path && s.graph_only);
        assert_eq!(
            demo_sum.contains(&zip_line),
            !tampered && !graph_only,
            "{zip_line}"
        );
    }

    // 2. A repaired copy of the project is tidy and builds.
    let project = t.join("work/project");
    std::fs::create_dir_all(project.join("internal/utils")).unwrap();
    for f in [
        "go.mod",
        "main.go",
        "internal/utils/go.mod",
        "internal/utils/inventoryutils.go",
    ] {
        std::fs::copy(layout.project_dir.join(f), project.join(f)).unwrap();
    }
    std::fs::write(
        project.join("go.sum"),
        want_sum
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let legacy = t.join("work/legacy-auth");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(
        legacy.join("go.mod"),
        "module github.com/acme/legacy-auth\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::write(
        legacy.join("auth.go"),
        "package legacyauth\n\nconst Version = \"local\"\n",
    )
    .unwrap();
    let fresh = t.join("fresh2");
    for args in [&["mod", "tidy", "-diff"][..], &["build", "./..."][..]] {
        let (ok, out) = run_go(t, &project, &fresh, &proxy, args);
        assert!(ok, "go {args:?}:\n{out}");
    }

    // 3. go mod verify on the demo cache (its mod-edited .mod restored, or go stops there).
    let cache = ModuleCache::new(&layout.gomodcache);
    let color = modules
        .iter()
        .find(|m| m.path == "github.com/fatih/color")
        .unwrap();
    std::fs::write(
        cache.files(&color.path, &color.version).unwrap().go_mod,
        color.mod_bytes(),
    )
    .unwrap();
    let (ok, out) = run_go(t, &project, &layout.gomodcache, &proxy, &["mod", "verify"]);
    assert!(!ok);
    assert!(
        out.contains("github.com/Masterminds/semver/v3 v3.2.1: zip has been modified"),
        "{out}"
    );
    assert!(
        out.contains("github.com/google/uuid v1.6.0: dir has been modified"),
        "{out}"
    );
    assert!(!out.contains("multierr"), "go's blind spot: {out}");
}
