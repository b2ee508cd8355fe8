//! proptest strategies for valid parsed models: module paths that pass x/mod's import-path check,
//! semver and pseudo-versions that agree with the path's major version, and the directives built
//! from them. Shared by the printer, formatter and escaping property tests.

use proptest::prelude::*;

use crate::modfile::ReplaceTarget;
use crate::modfile::go_mod::{
    GoDebug, GoMod, ModuleDecl, ModuleVersion, Replace, Require, Retract,
};
use crate::modfile::go_sum::SumLine;
use crate::modfile::go_work::{GoWork, UseDir};
use crate::modfile::module_path;
use crate::modfile::vendor::{ModulesTxt, VendorModule};

/// One path element after the host: letters (both cases), digits and `-._~+`.
fn path_elem() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9_~+.-]{0,7}[A-Za-z0-9]?"
}

/// A module path without a major-version suffix, e.g. `github.com/Foo/bar.v`. Passes
/// `check_import_path`, and `split_path_version` finds no major suffix.
pub fn base_path() -> BoxedStrategy<String> {
    let host = (
        "[a-z][a-z0-9-]{0,8}",
        prop::sample::select(vec!["com", "org", "io", "dev", "in"]),
    )
        .prop_map(|(h, tld)| format!("{h}.{tld}"));
    (host, prop::collection::vec(path_elem(), 0..4))
        .prop_map(|(h, elems)| {
            std::iter::once(h)
                .chain(elems)
                .collect::<Vec<_>>()
                .join("/")
        })
        .prop_filter("valid import path", |p| {
            module_path::check_import_path(p).is_ok()
                && module_path::split_path_version(p) == Some((p, ""))
        })
        .boxed()
}

/// A prerelease identifier list such as `rc.1`, `RC3` or `alpha.0.beta`.
fn prerelease() -> impl Strategy<Value = String> {
    let ident = prop_oneof!["[a-zA-Z][a-zA-Z0-9-]{0,5}", "0|[1-9][0-9]{0,3}"];
    prop::collection::vec(ident, 1..4).prop_map(|ids| ids.join("."))
}

/// A canonical version with major `major`: a release, a prerelease, or one of the three
/// pseudo-version forms (`vX.0.0-yyyymmddhhmmss-hash`, `vX.Y.Z-pre.0.ts-hash`,
/// `vX.Y.Z-0.ts-hash`).
pub fn version_with_major(major: u64) -> BoxedStrategy<String> {
    let ts = "20[0-9]{2}(0[1-9]|1[0-2])[0-2][0-9][0-5][0-9]{3}[0-9]";
    let hash = "[0-9a-f]{12}";
    prop_oneof![
        (0u64..40, 0u64..40).prop_map(move |(mi, pa)| format!("v{major}.{mi}.{pa}")),
        (0u64..40, 0u64..40, prerelease())
            .prop_map(move |(mi, pa, pre)| format!("v{major}.{mi}.{pa}-{pre}")),
        (ts, hash).prop_map(move |(t, h)| format!("v{major}.0.0-{t}-{h}")),
        (0u64..40, 0u64..40, prerelease(), ts, hash)
            .prop_map(move |(mi, pa, pre, t, h)| format!("v{major}.{mi}.{pa}-{pre}.0.{t}-{h}")),
        (0u64..40, 1u64..40, ts, hash)
            .prop_map(move |(mi, pa, t, h)| format!("v{major}.{mi}.{pa}-0.{t}-{h}")),
    ]
    .boxed()
}

/// Any canonical version: `v0`/`v1` ones, and `vN` ones with `+incompatible`.
pub fn any_version() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (0u64..2).prop_flat_map(version_with_major),
        1 => (2u64..30).prop_flat_map(version_with_major).prop_map(|v| format!("{v}+incompatible")),
    ]
    .boxed()
}

/// A module path and a version that `check_path_major` accepts for it: `example.com/m` with
/// v0/v1 or `+incompatible`, `example.com/m/vN` with vN, `gopkg.in/x.vN` with vN.
pub fn module_version() -> BoxedStrategy<(String, String)> {
    let major_suffix = (base_path(), 2u64..30)
        .prop_flat_map(|(p, n)| (Just(format!("{p}/v{n}")), version_with_major(n)));
    let gopkg = ("[a-z][a-z0-9-]{0,6}", 1u64..5)
        .prop_flat_map(|(p, n)| (Just(format!("gopkg.in/{p}.v{n}")), version_with_major(n)));
    prop_oneof![3 => (base_path(), any_version()), 1 => major_suffix, 1 => gopkg]
        .prop_filter("path and version agree", |(p, v)| {
            let major = module_path::split_path_version(p).map(|(_, m)| m);
            major.is_some_and(|m| module_path::check_path_major(v, m).is_ok())
        })
        .boxed()
}

/// A module path alone (any major-version form).
pub fn module_path() -> BoxedStrategy<String> {
    module_version().prop_map(|(p, _)| p).boxed()
}

/// A directory path for a replacement or `use`: rooted or starting with `.`/`..`, no
/// backslash; some have spaces or other characters that force quoting.
pub fn dir_path() -> BoxedStrategy<String> {
    let elem = prop_oneof![
        4 => "[a-z0-9_.-]{1,8}",
        1 => "[a-z]{1,4} [a-z(),]{1,4}",
        1 => "[^\\\\/\\pC]{1,6}",
    ];
    let prefix = prop::sample::select(vec!["./", "../", "/", "../../"]);
    prop_oneof![
        1 => prop::sample::select(vec![".".to_string(), "..".to_string()]),
        6 => (prefix, prop::collection::vec(elem, 1..4))
            .prop_map(|(p, e)| format!("{p}{}", e.join("/"))),
    ]
    .prop_filter("a directory path", |d| {
        crate::modfile::is_directory_path(d) && !d.contains('\\')
    })
    .boxed()
}

/// One or more lines of comment text, each trimmed and non-empty (a blank line would end the
/// paragraph a deprecation notice lives in).
fn comment_text() -> BoxedStrategy<String> {
    prop::collection::vec("[A-Za-z0-9][A-Za-z0-9 .,:;!?'()/-]{0,30}", 1..4)
        .prop_map(|ls| ls.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n"))
        .boxed()
}

pub fn go_version() -> BoxedStrategy<String> {
    prop_oneof![
        (1u64..30).prop_map(|m| format!("1.{m}")),
        (1u64..30, 0u64..12).prop_map(|(m, p)| format!("1.{m}.{p}")),
        (1u64..30, 1u64..4).prop_map(|(m, r)| format!("1.{m}rc{r}")),
    ]
    .boxed()
}

fn toolchain() -> BoxedStrategy<String> {
    prop_oneof![
        Just("default".to_string()),
        go_version().prop_map(|v| format!("go{v}"))
    ]
    .boxed()
}

fn godebug() -> BoxedStrategy<GoDebug> {
    ("[a-z][a-z0-9]{0,9}", "[a-z0-9.]{0,8}")
        .prop_map(|(key, value)| GoDebug { key, value })
        .boxed()
}

fn replace() -> BoxedStrategy<Replace> {
    let target = prop_oneof![
        dir_path().prop_map(ReplaceTarget::Dir),
        (module_path(), any_version())
            .prop_map(|(path, version)| ReplaceTarget::Module { path, version }),
    ];
    let old = prop_oneof![
        module_path().prop_map(|p| (p, None)),
        module_version().prop_map(|(p, v)| (p, Some(v))),
    ];
    (old, target)
        .prop_map(|((old_path, old_version), new)| Replace {
            old_path,
            old_version,
            new,
            line: 0,
        })
        .boxed()
}

fn retract() -> BoxedStrategy<Retract> {
    let short = (0u64..3, 0u64..9).prop_map(|(a, b)| format!("v{a}.{b}"));
    let v = move || prop_oneof![3 => any_version(), 1 => short.clone()];
    let rationale = prop_oneof![1 => Just(String::new()), 2 => comment_text()];
    (v(), prop::option::of(v()), rationale)
        .prop_map(|(low, high, rationale)| Retract {
            high: high.unwrap_or_else(|| low.clone()),
            low,
            rationale,
        })
        .boxed()
}

/// Any string that `module`, `ignore` and `retract` accept once quoted (the parser does not
/// check them), except a lone `( ) [ ] { } ,`, which x/mod's `AutoQuote` leaves bare.
pub fn odd_string() -> BoxedStrategy<String> {
    any::<String>()
        .prop_filter("not empty or lone punctuation", |s| {
            !s.is_empty() && (s.len() != 1 || !"()[]{},".contains(s.as_str()))
        })
        .boxed()
}

fn list<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(s, 0..4)
}

/// A go.mod model as the strict parser would return it (line numbers 0: compare with
/// [`without_lines`]).
pub fn go_mod() -> impl Strategy<Value = GoMod> {
    let module = prop::option::of((
        prop_oneof![6 => module_path(), 1 => odd_string()],
        prop::option::of(comment_text()),
    ))
    .prop_map(|m| {
        m.map(|(path, deprecated)| ModuleDecl {
            path,
            deprecated,
            line: 0,
        })
    });
    let require = list((module_version(), any::<bool>())).prop_map(|rs| {
        rs.into_iter()
            .map(|((path, version), indirect)| Require {
                path,
                version,
                indirect,
                line: 0,
            })
            .collect()
    });
    let exclude =
        list(module_version().prop_map(|(path, version)| ModuleVersion { path, version }));
    let tool = list(module_path().prop_map(|p| p + "/cmd/tool"));
    let ignore =
        list(prop_oneof![3 => dir_path(), 2 => "[a-z]{1,6}(/[a-z]{1,6})?", 1 => odd_string()]);
    let head = (
        module,
        prop::option::of(go_version()),
        prop::option::of(toolchain()),
        list(godebug()),
    );
    let body = (
        require,
        exclude,
        list(replace()),
        list(retract()),
        tool,
        ignore,
    );
    (head, body).prop_map(
        |((module, go, toolchain, godebug), (require, exclude, replace, retract, tool, ignore))| {
            GoMod {
                module,
                go,
                toolchain,
                godebug,
                require,
                exclude,
                replace,
                retract,
                tool,
                ignore,
            }
        },
    )
}

/// A go.work model as the parser would return it (line numbers 0).
pub fn go_work() -> impl Strategy<Value = GoWork> {
    let uses = list(dir_path().prop_map(|path| UseDir {
        path,
        module_path: None,
        line: 0,
    }));
    (
        prop::option::of(go_version()),
        prop::option::of(toolchain()),
        list(godebug()),
        uses,
        list(replace()),
    )
        .prop_map(|(go, toolchain, godebug, use_dirs, replace)| GoWork {
            go,
            toolchain,
            godebug,
            use_dirs,
            replace,
        })
}

/// go.sum lines (with their 1-based line numbers): `h1:` hashes, other algorithms, repeats.
pub fn go_sum_lines() -> impl Strategy<Value = Vec<SumLine>> {
    let hash = prop_oneof![
        4 => "[A-Za-z0-9+/]{43}=".prop_map(|h| format!("h1:{h}")),
        1 => "h[2-9]:[A-Za-z0-9+/=]{1,20}",
    ];
    let line = (module_version(), any::<bool>(), hash)
        .prop_filter("not the dropped empty go.mod hash", |(_, _, h)| {
            h != crate::modfile::EMPTY_GO_MOD_HASH
        })
        .prop_map(|((path, version), go_mod, hash)| SumLine {
            path,
            version,
            go_mod,
            hash,
            line: 0,
        });
    prop::collection::vec(line, 0..12).prop_map(|mut ls| {
        for (i, l) in ls.iter_mut().enumerate() {
            l.line = i + 1;
        }
        ls
    })
}

/// A vendor/modules.txt model: distinct modules, wildcard headers only with a replacement.
pub fn modules_txt() -> impl Strategy<Value = ModulesTxt> {
    let target = prop_oneof![
        "(\\.\\./|\\./|/)[a-z0-9_.-]{1,8}".prop_map(ReplaceTarget::Dir),
        (module_path(), any_version())
            .prop_map(|(path, version)| ReplaceTarget::Module { path, version }),
    ];
    let module = (
        module_version(),
        any::<bool>(),
        prop::option::of(target),
        any::<bool>(),
        prop::option::of(go_version()),
        prop::collection::vec("(/x[a-z0-9]{0,5}){0,2}", 0..4),
    )
        .prop_map(
            |((path, version), wildcard, replacement, explicit, go_version, subdirs)| {
                VendorModule {
                    packages: subdirs.iter().map(|s| format!("{path}{s}")).collect(),
                    version: (!wildcard || replacement.is_none()).then_some(version),
                    path,
                    replacement,
                    explicit,
                    go_version,
                    line: 0,
                }
            },
        );
    (any::<bool>(), prop::collection::vec(module, 0..6)).prop_map(|(workspace, mut modules)| {
        let mut seen = std::collections::HashSet::new();
        modules.retain(|m| seen.insert((m.path.clone(), m.version.clone())));
        ModulesTxt {
            workspace,
            modules,
            problems: Vec::new(),
        }
    })
}

/// The model with every `line` field set to 0, for comparisons that ignore positions.
pub fn without_lines(mut m: GoMod) -> GoMod {
    if let Some(d) = &mut m.module {
        d.line = 0;
    }
    m.require.iter_mut().for_each(|r| r.line = 0);
    m.replace.iter_mut().for_each(|r| r.line = 0);
    m
}

/// [`without_lines`] for go.work.
pub fn work_without_lines(mut w: GoWork) -> GoWork {
    w.use_dirs.iter_mut().for_each(|u| u.line = 0);
    w.replace.iter_mut().for_each(|r| r.line = 0);
    w
}
