use super::strategies::{self as strat, without_lines, work_without_lines};
use super::*;
use crate::modfile::go_mod::{ModuleDecl, Require, Retract, Strictness, parse_go_mod};
use crate::modfile::go_sum::parse_go_sum;
use crate::modfile::go_work::parse_go_work;
use crate::modfile::vendor::parse_modules_txt;
use proptest::prelude::*;

fn strict(src: &str) -> GoMod {
    parse_go_mod("go.mod", src.as_bytes(), Strictness::Strict)
        .unwrap_or_else(|e| panic!("{e}\n{src}"))
}

#[test]
fn go_mod_layout() {
    let m = GoMod {
        module: Some(ModuleDecl {
            path: "example.com/m".into(),
            deprecated: Some("use v2".into()),
            line: 0,
        }),
        go: Some("1.22.0".into()),
        require: vec![
            Require {
                path: "example.com/a".into(),
                version: "v1.0.0".into(),
                indirect: false,
                line: 0,
            },
            Require {
                path: "example.com/b".into(),
                version: "v1.1.0".into(),
                indirect: true,
                line: 0,
            },
        ],
        replace: vec![Replace {
            old_path: "example.com/a".into(),
            old_version: None,
            new: ReplaceTarget::Dir("./a b".into()),
            line: 0,
        }],
        retract: vec![
            Retract {
                low: "v1.0.0".into(),
                high: "v1.0.5".into(),
                rationale: "broken\nsee issue".into(),
            },
            Retract {
                low: "v0.9.0".into(),
                high: "v0.9.0".into(),
                rationale: String::new(),
            },
        ],
        ..GoMod::default()
    };
    let want = "// Deprecated: use v2\nmodule example.com/m\n\ngo 1.22.0\n\nrequire (\n\texample.com/a v1.0.0\n\
                \texample.com/b v1.1.0 // indirect\n)\n\nreplace example.com/a => \"./a b\"\n\nretract (\n\
                \t// broken\n\t// see issue\n\t[v1.0.0, v1.0.5]\n\tv0.9.0\n)\n";
    assert_eq!(print_go_mod(&m), want);
    assert_eq!(without_lines(strict(want)), m);
    assert_eq!(print_go_mod(&GoMod::default()), "");
}

#[test]
fn lone_punctuation_is_quoted() {
    let m = GoMod {
        tool: vec![")".into(), "(".into()],
        ignore: vec!["(".into()],
        retract: vec![Retract {
            low: "[".into(),
            high: "[".into(),
            rationale: String::new(),
        }],
        ..GoMod::default()
    };
    let text = print_go_mod(&m);
    assert_eq!(
        text,
        "retract \"[\"\n\ntool (\n\t\")\"\n\t\"(\"\n)\n\nignore \"(\"\n"
    );
    assert_eq!(strict(&text), m);
}

/// Found by the go_mod fuzz target: the deprecation message ends in an empty comment line,
/// which `str::lines` dropped when printing.
#[test]
fn deprecation_ending_in_an_empty_comment_line() {
    let m = strict("//\0\n//\n//Deprecated: //\nmodule g//");
    assert_eq!(
        m.module.as_ref().unwrap().deprecated.as_deref(),
        Some("//\n")
    );
    let text = print_go_mod(&m);
    assert_eq!(text, "// Deprecated: //\n//\nmodule g\n");
    assert_eq!(without_lines(strict(&text)), without_lines(m));
}

#[test]
fn go_sum_and_modules_txt_layout() {
    let s = parse_go_sum("go.sum", b"a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\n");
    assert_eq!(
        print_go_sum(&s.lines),
        "a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\n"
    );
    let txt = "## workspace\n# x.com/a v1.0.0 => ../a\n## explicit; go 1.21\nx.com/a\n# x.com/b => x.com/c v1.2.3\n";
    assert_eq!(
        print_modules_txt(&parse_modules_txt("modules.txt", txt.as_bytes())),
        txt
    );
}

/// The printed line at 1-based `n`.
fn line_at(text: &str, n: usize) -> &str {
    text.lines().nth(n - 1).unwrap_or("")
}

fn vendor_without_lines(mut t: ModulesTxt) -> ModulesTxt {
    t.modules.iter_mut().for_each(|m| m.line = 0);
    t
}

proptest! {
    /// parse(print(m)) == m, in both parser modes; print ∘ parse ∘ print == print; every `line`
    /// field points at the printed line of its entry.
    #[test]
    fn go_mod_round_trips(m in strat::go_mod()) {
        let text = print_go_mod(&m);
        let parsed = parse_go_mod("go.mod", text.as_bytes(), Strictness::Strict);
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        prop_assert_eq!(without_lines(parsed.clone()), m.clone(), "{}", text);
        prop_assert_eq!(print_go_mod(&parsed), text.clone());
        if let Some(d) = &parsed.module {
            prop_assert!(line_at(&text, d.line).starts_with("module "));
        }
        for r in &parsed.require {
            let l = line_at(&text, r.line);
            let path = q(&r.path);
            prop_assert!(l.contains(&r.version) && l.contains(&path), "{}", l);
        }
        for r in &parsed.replace {
            prop_assert!(line_at(&text, r.line).contains(&q(&r.old_path)));
        }
        let lax = parse_go_mod("go.mod", text.as_bytes(), Strictness::Lax).unwrap();
        // The lax parser reads only module, go, require, retract and ignore.
        let want_lax = GoMod {
            toolchain: None,
            godebug: vec![],
            exclude: vec![],
            replace: vec![],
            tool: vec![],
            ..m
        };
        prop_assert_eq!(without_lines(lax), want_lax);
    }

    #[test]
    fn go_work_round_trips(w in strat::go_work()) {
        let text = print_go_work(&w);
        let parsed = match parse_go_work("go.work", text.as_bytes()) {
            Ok(p) => p,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        prop_assert_eq!(work_without_lines(parsed.clone()), w, "{}", text);
        prop_assert_eq!(print_go_work(&parsed), text.clone());
        for u in &parsed.use_dirs {
            prop_assert!(line_at(&text, u.line).contains(&q(&u.path)));
        }
    }

    /// parse(print(lines)) == lines, with no problems and the line numbers kept.
    #[test]
    fn go_sum_round_trips(lines in strat::go_sum_lines()) {
        let text = print_go_sum(&lines);
        let parsed = parse_go_sum("go.sum", text.as_bytes());
        prop_assert!(parsed.problems.is_empty() && parsed.dropped_empty_go_mod.is_empty());
        prop_assert_eq!(&parsed.lines, &lines);
        prop_assert_eq!(print_go_sum(&parsed.lines), text);
    }

    #[test]
    fn modules_txt_round_trips(txt in strat::modules_txt()) {
        let text = print_modules_txt(&txt);
        let parsed = parse_modules_txt("modules.txt", text.as_bytes());
        prop_assert!(parsed.problems.is_empty(), "{:?}\n{}", parsed.problems, text);
        for m in &parsed.modules {
            let header = format!("# {} ", m.path);
            prop_assert!(line_at(&text, m.line).starts_with(&header));
        }
        prop_assert_eq!(print_modules_txt(&parsed), text.clone());
        prop_assert_eq!(vendor_without_lines(parsed), txt);
    }
}
