//! Parsing go.mod: one-line and block directives, comments, quoting, versions, lax mode and
//! the `go mod edit -json` shape.

use super::*;
use crate::modfile::edit_json::{go_mod_edit_json_string, to_go_mod_edit_json};

fn strict(src: &str) -> GoMod {
    parse_go_mod("go.mod", src.as_bytes(), Strictness::Strict).unwrap_or_else(|e| panic!("{e}"))
}

fn err(src: &str) -> (usize, usize, String) {
    let e = parse_go_mod("go.mod", src.as_bytes(), Strictness::Strict).unwrap_err();
    assert_eq!(e.file, "go.mod");
    (e.line, e.column, e.message)
}

fn req(path: &str, version: &str, indirect: bool, line: usize) -> Require {
    Require {
        path: path.into(),
        version: version.into(),
        indirect,
        line,
    }
}

#[test]
fn single_line_directives() {
    let f = strict(
        "module example.com/m\ngo 1.22.0\ntoolchain go1.22.6\ngodebug default=go1.21\n\
         require example.com/a v1.2\nexclude example.com/b v1.0.0\nreplace example.com/c => ../c\n\
         retract v1.0.1 // oops\ntool example.com/a/cmd/x\nignore ./testdata\n",
    );
    let m = f.module.as_ref().unwrap();
    assert_eq!(
        (m.path.as_str(), m.deprecated.as_deref(), m.line),
        ("example.com/m", None, 1)
    );
    assert_eq!(f.go.as_deref(), Some("1.22.0"));
    assert_eq!(f.toolchain.as_deref(), Some("go1.22.6"));
    assert_eq!(
        f.godebug,
        vec![GoDebug {
            key: "default".into(),
            value: "go1.21".into()
        }]
    );
    assert_eq!(f.require, vec![req("example.com/a", "v1.2.0", false, 5)]);
    assert_eq!(
        f.exclude,
        vec![ModuleVersion {
            path: "example.com/b".into(),
            version: "v1.0.0".into()
        }]
    );
    let r = &f.replace[0];
    assert_eq!(
        (r.old_path.as_str(), r.old_version.as_deref(), r.line),
        ("example.com/c", None, 7)
    );
    assert_eq!(r.new, ReplaceTarget::Dir("../c".into()));
    assert_eq!(
        f.retract,
        vec![Retract {
            low: "v1.0.1".into(),
            high: "v1.0.1".into(),
            rationale: "oops".into()
        }]
    );
    assert_eq!(f.tool, ["example.com/a/cmd/x"]);
    assert_eq!(f.ignore, ["./testdata"]);
}

#[test]
fn block_directives() {
    let f = strict(
        "module (\n\texample.com/m\n)\ngodebug (\n\ta=1\n\tb=2\n)\nrequire (\n\texample.com/a v1.0.0\n\n\t// c\n\
         \texample.com/b/v2 v2.1.0+incompatible // indirect\n)\nexclude (\n\texample.com/x v0.1.0\n)\n\
         replace (\n\texample.com/y v1.0.0 => example.com/z v1.1.0\n\t\"example.com/q\" => \"./q dir\"\n)\n\
         retract (\n\t// Broken.\n\t[v1.0.0, v1.1.0]\n\tv0.9.0\n)\ntool (\n\tx.com/t1\n\tx.com/t2\n)\nignore (\n\tdocs\n)\n\
         require ()\n",
    );
    assert_eq!(f.module.as_ref().unwrap().path, "example.com/m");
    assert_eq!(f.godebug.len(), 2);
    assert_eq!(
        f.require,
        vec![
            req("example.com/a", "v1.0.0", false, 9),
            req("example.com/b/v2", "v2.1.0+incompatible", true, 12)
        ]
    );
    assert_eq!(f.exclude.len(), 1);
    let y = ReplaceTarget::Module {
        path: "example.com/z".into(),
        version: "v1.1.0".into(),
    };
    assert_eq!(
        (f.replace[0].old_version.as_deref(), &f.replace[0].new),
        (Some("v1.0.0"), &y)
    );
    assert_eq!(f.replace[1].new, ReplaceTarget::Dir("./q dir".into()));
    assert_eq!(
        f.retract,
        vec![
            Retract {
                low: "v1.0.0".into(),
                high: "v1.1.0".into(),
                rationale: "Broken.".into()
            },
            Retract {
                low: "v0.9.0".into(),
                high: "v0.9.0".into(),
                rationale: String::new()
            },
        ]
    );
    assert_eq!(f.tool, ["x.com/t1", "x.com/t2"]);
    assert_eq!(f.ignore, ["docs"]);
}

#[test]
fn indirect_variants() {
    let src = "module m\nrequire (\n\ta.com/a v1.0.0 // indirect\n\ta.com/b v1.0.0 //indirect\n\
               \ta.com/c v1.0.0 // indirect; keep\n\ta.com/d v1.0.0 // indirect comment\n\
               \ta.com/e v1.0.0 // Indirect\n\ta.com/f v1.0.0 // indirect;\n\ta.com/g v1.0.0\n\
               \t// indirect\n\ta.com/h v1.0.0\n)\nrequire a.com/i v1.0.0 // indirect\n";
    let got: Vec<bool> = strict(src).require.iter().map(|r| r.indirect).collect();
    assert_eq!(
        got,
        [true, true, true, false, false, false, false, false, true]
    );
}

#[test]
fn deprecation_comments() {
    let dep = |src: &str| strict(src).module.unwrap().deprecated;
    assert_eq!(
        dep("// Deprecated: use example.com/m/v2.\nmodule example.com/m\n"),
        Some("use example.com/m/v2.".into())
    );
    assert_eq!(
        dep("module example.com/m // Deprecated: gone\n"),
        Some("gone".into())
    );
    assert_eq!(
        dep("// Package m.\n//\n// Deprecated: a\n// b\nmodule m\n"),
        Some("a\nb".into())
    );
    assert_eq!(dep("// Deprecated: detached\n\nmodule m\n"), None);
    assert_eq!(dep("// Not Deprecated: x\nmodule m\n"), None);
    assert_eq!(dep("// Deprecated:\nmodule m\n"), None);
    assert_eq!(
        dep("// Deprecated: blk\nmodule (\n\tm\n)\n"),
        Some("blk".into())
    );
}

#[test]
fn quoted_strings() {
    let f = strict(
        "module \"example.com/m\"\nrequire \"example.com/a\" \"v1.0.0\"\nreplace \"example.com/\\x61\" => \"/abs/dir\"\n",
    );
    assert_eq!(f.module.unwrap().path, "example.com/m");
    assert_eq!(f.require[0].version, "v1.0.0");
    assert_eq!(f.replace[0].old_path, "example.com/a");
    assert_eq!(
        err("module `raw`\n"),
        (
            1,
            1,
            "invalid quoted string: unquoted string cannot contain quote".into()
        )
    );
    assert_eq!(
        err("module \"a\\qb\"\n"),
        (1, 1, "invalid quoted string: invalid syntax".into())
    );
}

#[test]
fn lax_keeps_only_dependency_directives() {
    let src = "module m\ngo 1.21-custom\ntoolchain nonsense\nfrobnicate x y\nfoo (\n\tbar\n)\n\
               replace a.com/x => b.com/y\nexclude a.com/x master\nrequire a.com/a v1.0.0\n\
               retract (\n\tbogus [\n\tv1.0.0 extra\n)\nignore ./x\ntool whatever\n";
    let f = parse_go_mod("dep.mod", src.as_bytes(), Strictness::Lax).unwrap();
    assert_eq!(f.go.as_deref(), Some("1.21"));
    assert!(
        f.toolchain.is_none() && f.replace.is_empty() && f.exclude.is_empty() && f.tool.is_empty()
    );
    assert_eq!(f.require.len(), 1);
    assert_eq!(f.retract.len(), 2);
    assert_eq!(f.ignore, ["./x"]);
    assert!(parse_go_mod("dep.mod", src.as_bytes(), Strictness::Strict).is_err());
    // Lax still rejects bad requirements and syntax.
    assert!(parse_go_mod("d", b"require a.com/x master\n", Strictness::Lax).is_err());
    assert!(parse_go_mod("d", b"require (\n", Strictness::Lax).is_err());
}

#[test]
fn empty_and_odd_files() {
    assert_eq!(strict(""), GoMod::default());
    assert_eq!(strict("\n\n// only a comment\n"), GoMod::default());
    let f = strict("module m"); // no trailing newline
    assert_eq!(f.module.unwrap().path, "m");
    assert!(strict("module m\r\nrequire a.com/x v1.0.0 // indirect\r\n").require[0].indirect);
    let e = parse_go_mod(
        "go.mod",
        b"module m\nrequire x.com/\xff v1.0.0\n",
        Strictness::Strict,
    )
    .unwrap_err();
    assert_eq!(
        (e.line, e.column, e.message.as_str()),
        (2, 15, "invalid UTF-8 encoding")
    );
}

#[test]
fn edit_json_matches_go_shape() {
    let f = strict(
        "// Deprecated: no\nmodule m\ngo 1.21\ngodebug =x\nrequire a.com/a v1.0.0 // indirect\n\
         exclude a.com/b v1.0.0\nexclude a.com/b v1.0.0\nreplace a.com/c => ./c1\nreplace a.com/c => ./c2\n\
         replace a.com/c v1.0.0 => b.com/c v1.0.1\nretract [v1.0.0, v1.0.1] // r\ntool t.com/x\ntool t.com/x\n",
    );
    let j = to_go_mod_edit_json(&f);
    let want = serde_json::json!({
        "Module": {"Path": "m", "Deprecated": "no"},
        "Go": "1.21",
        "Require": [{"Path": "a.com/a", "Version": "v1.0.0", "Indirect": true}],
        "Exclude": [{"Path": "a.com/b", "Version": "v1.0.0"}],
        "Replace": [
            {"Old": {"Path": "a.com/c"}, "New": {"Path": "./c2"}},
            {"Old": {"Path": "a.com/c", "Version": "v1.0.0"}, "New": {"Path": "b.com/c", "Version": "v1.0.1"}}
        ],
        "Retract": [{"Low": "v1.0.0", "High": "v1.0.1", "Rationale": "r"}],
        "Tool": [{"Path": "t.com/x"}],
        "Ignore": null
    });
    assert_eq!(j, want);
    let empty = to_go_mod_edit_json(&GoMod::default());
    let want_empty = serde_json::json!({"Module": {"Path": ""}, "Require": null, "Exclude": null,
        "Replace": null, "Retract": null, "Tool": null, "Ignore": null});
    assert_eq!(empty, want_empty);
    let s = go_mod_edit_json_string(&f);
    assert!(s.starts_with("{\n\t\"Module\": {\n\t\t\"Path\": \"m\",\n\t\t\"Deprecated\": \"no\"\n\t},\n\t\"Go\": \"1.21\","));
}

mod errors;
mod properties;
