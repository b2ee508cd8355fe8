use super::select;
use crate::goenv::env::GoEnv;

fn sel(t: &str, go: Option<&str>, tc: Option<&str>) -> Result<(String, bool), String> {
    select(t, "1.22.3", go, tc, "go.mod")
}

#[test]
fn select_follows_gotoolchain_semantics() {
    let ok = |s: &str, p: bool| Ok((s.to_string(), p));
    assert_eq!(sel("local", Some("1.99"), None), ok("go1.22.3", false));
    assert_eq!(sel("", Some("1.99"), None), ok("go1.22.3", false));
    assert_eq!(sel("auto", Some("1.99"), None), ok("go1.99.0", false));
    assert_eq!(sel("auto", Some("1.20"), None), ok("go1.22.3", false));
    assert_eq!(sel("path", Some("1.23.1"), None), ok("go1.23.1", true));
    assert_eq!(
        sel("auto", Some("1.21"), Some("go1.24.2")),
        ok("go1.24.2", false)
    );
    assert_eq!(
        sel("auto", Some("1.25.0"), Some("go1.24.2")),
        ok("go1.25.0", false)
    );
    assert_eq!(
        sel("auto", Some("1.99"), Some("default")),
        ok("go1.22.3", false)
    );
    assert_eq!(sel("go1.21.0", Some("1.99"), None), ok("go1.21.0", false));
    assert_eq!(
        sel("go1.30.0+auto", Some("1.22"), None),
        ok("go1.30.0", false)
    );
    assert_eq!(
        sel("local+path", Some("1.23rc1"), None),
        ok("go1.23rc1", true)
    );
    assert!(
        sel("bash", None, None)
            .unwrap_err()
            .contains("invalid GOTOOLCHAIN")
    );
    assert!(sel("go1.2x+fast", None, None).is_err());
    assert!(
        sel("auto", None, Some("gcc"))
            .unwrap_err()
            .contains("invalid toolchain")
    );
}

/// A project directory holding `go_mod`, loaded as go would from there.
fn project_with(go_mod: &str) -> (tempfile::TempDir, crate::project::Project) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), go_mod).unwrap();
    let project = crate::project::load_project(tmp.path(), Some("off")).unwrap();
    (tmp, project)
}

#[test]
fn without_gotoolchain_anywhere_go_keeps_the_local_toolchain_and_explains_nothing() {
    // cmd/go skips toolchain.Select when GOTOOLCHAIN is unset even in $GOROOT/go.env.
    let (_tmp, project) = project_with("module example.com/m\n\ngo 1.99\n");
    let env = GoEnv::from_vars([("PATH".to_string(), String::new())]);
    let r = super::refusal::refusal(&project, &env, "1.26.8").expect("a refusal");
    assert_eq!(
        r.message,
        "go: go.mod requires go >= 1.99 (running go 1.26.8)"
    );
    assert!(r.file.ends_with("go.mod"), "{}", r.file);
    let (_tmp, fine) = project_with("module example.com/m\n\ngo 1.26.8\n");
    assert_eq!(super::refusal::refusal(&fine, &env, "1.26.8"), None);
}

#[test]
fn no_go_installed_is_no_refusal() {
    let (_tmp, project) = project_with("module example.com/m\n\ngo 1.99\n");
    let empty = tempfile::tempdir().unwrap();
    let vars = [
        ("PATH".to_string(), empty.path().display().to_string()),
        ("GOTOOLCHAIN".to_string(), "local".to_string()),
    ];
    assert_eq!(super::toolchain_refusal(&project, &vars), None);
}

/// A Go tree at `root` as an install lays it out: `bin/go` (never run), `VERSION` and `go.env`.
#[cfg(unix)]
fn fake_go_tree(root: &std::path::Path, version: &str, go_env: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(root.join("bin")).unwrap();
    let go = root.join("bin/go");
    std::fs::write(&go, "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        root.join("VERSION"),
        format!("{version}\ntime 2026-01-01\n"),
    )
    .unwrap();
    std::fs::write(root.join("go.env"), go_env).unwrap();
}

/// The environment go would run with: the fake tree's `bin` on PATH, no env file, and `more`.
fn vars_with(tree: &std::path::Path, more: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut vars = vec![
        ("PATH".to_string(), tree.join("bin").display().to_string()),
        ("GOENV".to_string(), "off".to_string()),
    ];
    vars.extend(more.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    vars
}

/// go's version is built into the binary: a GOROOT left pointing at an older install (after
/// an upgrade) changes nothing, so its VERSION must not make a refusal of a go line the go on
/// PATH satisfies (go runs there).
#[cfg(unix)]
#[test]
fn the_version_is_the_go_on_path_s_not_a_stale_goroot_s() {
    let tmp = tempfile::tempdir().unwrap();
    let (tree, stale) = (tmp.path().join("go"), tmp.path().join("old-go"));
    fake_go_tree(&tree, "go1.26.8", "GOTOOLCHAIN=local\n");
    fake_go_tree(&stale, "go1.20.5", "GOTOOLCHAIN=local\n");
    let stale_root = stale.display().to_string();
    let vars = vars_with(&tree, &[("GOROOT", &stale_root)]);
    let (_p, fine) = project_with("module example.com/m\n\ngo 1.22\n");
    assert_eq!(super::toolchain_refusal(&fine, &vars), None);
    let (_p, too_new) = project_with("module example.com/m\n\ngo 1.99\n");
    let r = super::toolchain_refusal(&too_new, &vars).expect("a refusal");
    assert!(r.message.contains("(running go 1.26.8"), "{}", r.message);
}

/// `go env -w GOROOT=…` puts GOROOT in the env file; go reads that root's go.env, whose
/// GOTOOLCHAIN=auto switches toolchains instead of refusing.
#[cfg(unix)]
#[test]
fn goroot_from_the_env_file_chooses_the_go_env_go_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let (tree, other) = (tmp.path().join("go"), tmp.path().join("other-root"));
    fake_go_tree(&tree, "go1.26.8", "GOTOOLCHAIN=local\n");
    fake_go_tree(&other, "go1.26.8", "GOTOOLCHAIN=auto\n");
    let env_file = tmp.path().join("env");
    std::fs::write(&env_file, format!("GOROOT={}\n", other.display())).unwrap();
    let (_p, too_new) = project_with("module example.com/m\n\ngo 1.99\n");
    let mut vars = vars_with(&tree, &[]);
    assert!(super::toolchain_refusal(&too_new, &vars).is_some());
    vars.retain(|(k, _)| k != "GOENV");
    vars.push(("GOENV".into(), env_file.display().to_string()));
    assert_eq!(super::toolchain_refusal(&too_new, &vars), None);
}

/// Where go would not refuse for this reason, nothing is claimed: with modules off go selects
/// no toolchain, and with `-modfile` it reads another file's go line.
#[cfg(unix)]
#[test]
fn modules_off_or_another_modfile_claim_no_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("go");
    fake_go_tree(&tree, "go1.26.8", "GOTOOLCHAIN=local\n");
    let (_p, too_new) = project_with("module example.com/m\n\ngo 1.99\n");
    assert!(super::toolchain_refusal(&too_new, &vars_with(&tree, &[])).is_some());
    for more in [
        ("GO111MODULE", "off"),
        ("GOFLAGS", "-mod=mod -modfile=alt.mod"),
    ] {
        let vars = vars_with(&tree, &[more]);
        assert_eq!(super::toolchain_refusal(&too_new, &vars), None, "{more:?}");
    }
}
