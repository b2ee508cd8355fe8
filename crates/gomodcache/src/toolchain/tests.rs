use super::select;

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
