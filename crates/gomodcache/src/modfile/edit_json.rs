//! The `go mod edit -json` / `go work edit -json` views of parsed files: same field names and
//! order, the same omitempty and `null` rules, and the de-duplication and clean-up that
//! `go mod edit` applies before printing (x/mod `SortBlocks`/`removeDups` and `Cleanup`).

use serde::Serialize;

use super::go_mod::{GoMod, Replace, ReplaceTarget};
use super::go_work::GoWork;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EditJson<'a> {
    module: ModuleJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    go: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    toolchain: Option<&'a str>,
    #[serde(rename = "GoDebug", skip_serializing_if = "Vec::is_empty")]
    godebug: Vec<KeyValueJson<'a>>,
    require: Option<Vec<RequireJson<'a>>>,
    exclude: Option<Vec<VersionJson<'a>>>,
    replace: Option<Vec<ReplaceJson<'a>>>,
    retract: Option<Vec<RetractJson<'a>>>,
    tool: Option<Vec<PathJson<'a>>>,
    ignore: Option<Vec<PathJson<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ModuleJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deprecated: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct KeyValueJson<'a> {
    key: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RequireJson<'a> {
    path: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    indirect: bool,
}

/// x/mod `module.Version` (`Version` is omitempty).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct VersionJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    version: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ReplaceJson<'a> {
    old: VersionJson<'a>,
    new: VersionJson<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RetractJson<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    low: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    high: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    rationale: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PathJson<'a> {
    path: &'a str,
}

fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

/// Keeps the first of each key (x/mod `removeDups` for exclude, tool and ignore).
fn first_of_each<T, K: std::hash::Hash + Eq>(items: &[T], key: impl Fn(&T) -> K) -> Vec<&T> {
    let mut seen = std::collections::HashSet::new();
    items.iter().filter(|x| seen.insert(key(x))).collect()
}

/// `go mod edit`'s replace list: the last replace of each old path@version wins, in file
/// order, and entries with an empty old path are dropped (`removeDups` + `Cleanup`).
fn replace_json(replace: &[Replace]) -> Option<Vec<ReplaceJson<'_>>> {
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<&Replace> = replace
        .iter()
        .rev()
        .filter(|r| seen.insert((r.old_path.as_str(), r.old_version.as_deref().unwrap_or(""))))
        .collect();
    keep.reverse();
    let out = keep
        .into_iter()
        .filter(|r| !r.old_path.is_empty())
        .map(|r| {
            let old = VersionJson {
                path: &r.old_path,
                version: r.old_version.as_deref().unwrap_or(""),
            };
            let new = match &r.new {
                ReplaceTarget::Dir(p) => VersionJson {
                    path: p,
                    version: "",
                },
                ReplaceTarget::Module { path, version } => VersionJson { path, version },
            };
            ReplaceJson { old, new }
        })
        .collect();
    non_empty(out)
}

fn edit_json(f: &GoMod) -> EditJson<'_> {
    let module = f.module.as_ref();
    EditJson {
        module: ModuleJson {
            path: module.map_or("", |m| m.path.as_str()),
            deprecated: module
                .and_then(|m| m.deprecated.as_deref())
                .filter(|s| !s.is_empty()),
        },
        go: f.go.as_deref(),
        toolchain: f.toolchain.as_deref(),
        godebug: (f.godebug.iter())
            .filter(|g| !g.key.is_empty())
            .map(|g| KeyValueJson {
                key: &g.key,
                value: &g.value,
            })
            .collect(),
        require: non_empty(
            (f.require.iter())
                .filter(|r| !r.path.is_empty())
                .map(|r| RequireJson {
                    path: &r.path,
                    version: &r.version,
                    indirect: r.indirect,
                })
                .collect(),
        ),
        exclude: non_empty(
            first_of_each(&f.exclude, |x| (x.path.clone(), x.version.clone()))
                .into_iter()
                .filter(|x| !x.path.is_empty())
                .map(|x| VersionJson {
                    path: &x.path,
                    version: &x.version,
                })
                .collect(),
        ),
        replace: replace_json(&f.replace),
        retract: non_empty(
            (f.retract.iter())
                .filter(|r| !r.low.is_empty() || !r.high.is_empty())
                .map(|r| RetractJson {
                    low: &r.low,
                    high: &r.high,
                    rationale: &r.rationale,
                })
                .collect(),
        ),
        tool: non_empty(
            first_of_each(&f.tool, String::clone)
                .into_iter()
                .map(|p| PathJson { path: p })
                .collect(),
        ),
        ignore: non_empty(
            first_of_each(&f.ignore, String::clone)
                .into_iter()
                .map(|p| PathJson { path: p })
                .collect(),
        ),
    }
}

/// The JSON that `go mod edit -json` prints for this file (same fields, omitempty rules,
/// `null` lists and de-duplication). Object keys are unordered in a `Value`; use
/// [`go_mod_edit_json_string`] for Go's field order.
pub fn to_go_mod_edit_json(f: &GoMod) -> serde_json::Value {
    serde_json::to_value(edit_json(f)).unwrap_or(serde_json::Value::Null)
}

/// [`to_go_mod_edit_json`] rendered like Go's `json.MarshalIndent(v, "", "\t")`, in Go's field order.
pub fn go_mod_edit_json_string(f: &GoMod) -> String {
    super::to_tab_indented_json(&edit_json(f))
}

// ---- `go work edit -json` ----

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct WorkJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    go: Option<&'a str>,
    #[serde(rename = "Use")]
    use_: Option<Vec<UseJson<'a>>>,
    replace: Option<Vec<ReplaceJson<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UseJson<'a> {
    disk_path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mod_path: Option<&'a str>,
}

fn work_json(w: &GoWork) -> WorkJson<'_> {
    let uses: Vec<UseJson<'_>> = (w.use_dirs.iter())
        .filter(|u| !u.path.is_empty())
        .map(|u| UseJson {
            disk_path: &u.path,
            mod_path: u.module_path.as_deref().filter(|m| !m.is_empty()),
        })
        .collect();
    WorkJson {
        go: w.go.as_deref(),
        use_: (!uses.is_empty()).then_some(uses),
        replace: replace_json(&w.replace),
    }
}

/// The JSON that `go work edit -json` prints (`Go`, `Use[{DiskPath, ModPath}]`, `Replace`;
/// `go work edit` does not print toolchain or godebug).
pub fn to_go_work_edit_json(w: &GoWork) -> serde_json::Value {
    serde_json::to_value(work_json(w)).unwrap_or(serde_json::Value::Null)
}

/// [`to_go_work_edit_json`] rendered like Go's `json.MarshalIndent`, in Go's field order.
pub fn go_work_edit_json_string(w: &GoWork) -> String {
    super::to_tab_indented_json(&work_json(w))
}
