//! What the parser refuses, and where it says the error is: versions, strict-mode positions and
//! replace directives.

use super::*;

#[test]
fn versions_are_canonicalized_or_rejected() {
    let f = strict(
        "module m\nrequire (\n\ta.com/x v1\n\ta.com/y v1.2.3+meta\n\ta.com/z v2.0.0+incompatible\n)\n",
    );
    let v: Vec<&str> = f.require.iter().map(|r| r.version.as_str()).collect();
    assert_eq!(v, ["v1.0.0", "v1.2.3", "v2.0.0+incompatible"]);
    assert_eq!(
        err("module m\nrequire a.com/x master\n"),
        (
            2,
            1,
            "require a.com/x: version \"master\" invalid: must be of the form v1.2.3".into()
        )
    );
    assert_eq!(
        err("module m\nrequire example.com/nomod v2.0.0\n"),
        (
            2,
            1,
            "require example.com/nomod: version \"v2.0.0\" invalid: should be v0 or v1, not v2"
                .into()
        )
    );
    assert_eq!(
        err("module m\nrequire (\n\tx.com/y/v2 v1.0.0\n)\n"),
        (
            3,
            2,
            "require x.com/y/v2: version \"v1.0.0\" invalid: should be v2, not v1".into()
        )
    );
    assert_eq!(
        err("module m\nexclude x.com/y/v1 v1.0.0\n"),
        (2, 1, "invalid module path".into())
    );
    assert_eq!(
        strict("require gopkg.in/yaml.v2 v2.4.0\n").require[0].path,
        "gopkg.in/yaml.v2"
    );
}

#[test]
fn strict_error_positions() {
    let cases: [(&str, (usize, usize, &str)); 14] = [
        ("module m\nfoo bar\n", (2, 1, "unknown directive: foo")),
        (
            "module m\n  require x.com/a\n",
            (2, 3, "usage: require module/path v1.2.3"),
        ),
        (
            "module m\ngo 1.x\n",
            (2, 1, "invalid go version '1.x': must match format 1.23.0"),
        ),
        (
            "go 1.21\nmodule m\ngo 1.22\n",
            (3, 1, "repeated go statement"),
        ),
        ("module m\nmodule n\n", (2, 1, "repeated module statement")),
        (
            "module m\nrequire \"x.com\ny\"\n",
            (2, 15, "unexpected newline in string"),
        ),
        (
            "module m\nrequire (\n\tx.com/a v1.0.0\n",
            (
                4,
                1,
                "syntax error (unterminated block started at go.mod:2:1)",
            ),
        ),
        ("module m\nfoo (\n)\n", (2, 1, "unknown block type: foo")),
        (
            "module m\ntoolchain 1.22\n",
            (
                1 + 1,
                1,
                "invalid toolchain version '1.22': must match format go1.23.0 or default",
            ),
        ),
        ("module m\ngodebug x\n", (2, 1, "usage: godebug key=value")),
        (
            "module m\nretract [v1.0.0 v1.1.0]\n",
            (2, 1, "expected ',' after version"),
        ),
        (
            "module m\nretract v1.0.0 v1.1.0\n",
            (2, 1, "unexpected token after version: \"v1.1.0\""),
        ),
        (
            "module m\ntool a b\n",
            (2, 1, "tool directive expects exactly one argument"),
        ),
        (
            "module m /* c */\n",
            (1, 10, "mod files must use // comments (not /* */ comments)"),
        ),
    ];
    for (src, (line, col, msg)) in cases {
        assert_eq!(err(src), (line, col, msg.to_string()), "{src:?}");
    }
}

#[test]
fn replace_errors() {
    let usage = "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory";
    assert_eq!(err("module m\nreplace a.com/x\n"), (2, 1, usage.into()));
    assert_eq!(
        err("module m\nreplace a.com/x v1.0.0 -> b\n"),
        (2, 1, usage.into())
    );
    let nodir = "replacement module without version must be directory path (rooted or starting with . or ..)";
    assert_eq!(
        err("module m\nreplace a.com/x => b.com/y\n"),
        (2, 1, nodir.into())
    );
    assert_eq!(
        err("module m\nreplace a.com/x => b.com/y@v1.0.0\n").2,
        "replacement module must match format 'path version', not 'path@version'"
    );
    assert_eq!(
        err("module m\nreplace a.com/x => ./y v1.0.0\n").2,
        "replacement module directory path \"./y\" cannot have version"
    );
    assert_eq!(
        err("module m\nreplace a.com/x => .\\y\n").2,
        "replacement directory appears to be Windows path (on a non-windows system)"
    );
    assert_eq!(
        err("module m\nreplace a.com/x/v1 => ./y\n").2,
        "replace a.com/x/v1: invalid module path"
    );
    let f = strict("module m\nreplace a.com/x => C:/x\nreplace a.com/y => ..\n");
    assert_eq!(f.replace[1].new, ReplaceTarget::Dir("..".into()));
}
