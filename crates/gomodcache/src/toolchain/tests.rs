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
