//! go.mod parser: a port of x/mod `modfile.Parse` / `modfile.ParseLax` with a nil version fixer
//! (`modfile/rule.go`), plus the `go mod edit -json` view of the result.

use serde::{Deserialize, Serialize};

use super::ParseError;
use super::directives::{self as d, error_at};
pub use super::directives::is_directory_path;
use super::syntax::{self, Comments, Line, Stmt};

/// Which x/mod entry point to mimic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strictness {
    /// The main module (`modfile.Parse`): every directive is checked, unknown ones are errors.
    Strict,
    /// A dependency's go.mod (`modfile.ParseLax`): only `module`, `go`, `retract`, `require` and
    /// `ignore` are read; every other verb (known or not) is ignored.
    Lax,
}

/// A parsed go.mod. Lists keep file order and duplicates, as x/mod's `File` does;
/// [`to_go_mod_edit_json`] applies the de-duplication that `go mod edit` performs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoMod {
    pub module: Option<ModuleDecl>,
    pub go: Option<String>,
    pub toolchain: Option<String>,
    pub godebug: Vec<GoDebug>,
    pub require: Vec<Require>,
    pub exclude: Vec<ModuleVersion>,
    pub replace: Vec<Replace>,
    pub retract: Vec<Retract>,
    pub tool: Vec<String>,
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleDecl {
    pub path: String,
    /// The `Deprecated:` paragraph of the module line's comments (`None` when absent or empty).
    pub deprecated: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoDebug {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Require {
    pub path: String,
    /// Canonical (`v1.2` is stored as `v1.2.0`).
    pub version: String,
    /// The first suffix comment is `// indirect` or starts with `// indirect;`.
    pub indirect: bool,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModuleVersion {
    pub path: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replace {
    pub old_path: String,
    /// `None` for a wildcard replacement (`old => new` applies to every version).
    pub old_version: Option<String>,
    pub new: ReplaceTarget,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReplaceTarget {
    /// A directory (see [`is_directory_path`]), relative to the file that holds the replace.
    Dir(String),
    Module { path: String, version: String },
}

/// A `retract` directive: a single version has `low == high`. Versions are only unquoted, not
/// canonicalized (x/mod's `Parse` with a nil fixer keeps them as written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retract {
    pub low: String,
    pub high: String,
    pub rationale: String,
}

const BLOCK_VERBS: [&str; 8] = ["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"];

/// Parses a go.mod. `file_label` is used in error positions. Returns the first error, in file
/// order, with x/mod's wording; a file without a `module` line parses fine (as in x/mod).
pub fn parse_go_mod(file_label: &str, data: &[u8], strictness: Strictness) -> Result<GoMod, ParseError> {
    let stmts = syntax::parse(file_label, data)?;
    let strict = strictness == Strictness::Strict;
    let mut f = GoMod::default();
    for stmt in &stmts {
        match stmt {
            Stmt::Line(line) => add(&mut f, file_label, None, line, &line.tokens[0], &line.tokens[1..], strict)?,
            Stmt::Block(b) => {
                if b.tokens.len() > 1 || !BLOCK_VERBS.contains(&b.tokens[0].as_str()) {
                    if strict {
                        return Err(error_at(file_label, b.start, format!("unknown block type: {}", b.tokens.join(" "))));
                    }
                    continue;
                }
                for line in &b.lines {
                    add(&mut f, file_label, Some(&b.comments), line, &b.tokens[0], &line.tokens, strict)?;
                }
            }
            Stmt::Comments { .. } => {}
        }
    }
    Ok(f)
}

/// x/mod `isIndirect`.
fn is_indirect(line: &Line) -> bool {
    let Some(c) = line.comments.suffix.first() else { return false };
    let text = c.token.strip_prefix("//").unwrap_or(&c.token);
    let mut fields = text.split_whitespace();
    match (fields.next(), fields.next()) {
        (Some("indirect"), None) => true,
        (Some("indirect;"), Some(_)) => true,
        _ => false,
    }
}

/// x/mod `File.add`.
fn add(
    f: &mut GoMod,
    file: &str,
    block: Option<&Comments>,
    line: &Line,
    verb: &str,
    args: &[String],
    strict: bool,
) -> Result<(), ParseError> {
    if !strict && !matches!(verb, "go" | "module" | "retract" | "require" | "ignore") {
        return Ok(());
    }
    let err = |msg: String| error_at(file, line.start, msg);
    let one_arg = |what: &str| {
        if args.len() != 1 {
            return Err(err(format!("{what} directive expects exactly one argument")));
        }
        d::parse_arg(&args[0]).map_err(err)
    };
    match verb {
        "go" => {
            if f.go.is_some() {
                return Err(err("repeated go statement".into()));
            }
            if args.len() != 1 {
                return Err(err("go directive expects exactly one argument".into()));
            }
            let mut v = args[0].as_str();
            if !d::is_go_version(v) {
                match d::lax_go_version(v).filter(|_| !strict) {
                    Some(fixed) => v = fixed,
                    None => return Err(err(format!("invalid go version '{v}': must match format 1.23.0"))),
                }
            }
            f.go = Some(v.to_string());
        }
        "toolchain" => {
            if f.toolchain.is_some() {
                return Err(err("repeated toolchain statement".into()));
            }
            if args.len() != 1 {
                return Err(err("toolchain directive expects exactly one argument".into()));
            }
            if !d::is_toolchain(&args[0]) {
                let msg = format!("invalid toolchain version '{}': must match format go1.23.0 or default", args[0]);
                return Err(err(msg));
            }
            f.toolchain = Some(args[0].clone());
        }
        "module" => {
            if f.module.is_some() {
                return Err(err("repeated module statement".into()));
            }
            let deprecated = d::deprecation(&d::directive_comment(block, line)).filter(|m| !m.is_empty());
            if args.len() != 1 {
                return Err(err("usage: module module/path".into()));
            }
            let path = d::parse_arg(&args[0]).map_err(err)?;
            f.module = Some(ModuleDecl { path, deprecated, line: line.start.line });
        }
        "godebug" => f.godebug.push(d::parse_godebug(args).map_err(err)?),
        "require" => {
            let (path, version) = d::parse_path_version(verb, args).map_err(err)?;
            f.require.push(Require { path, version, indirect: is_indirect(line), line: line.start.line });
        }
        "exclude" => {
            let (path, version) = d::parse_path_version(verb, args).map_err(err)?;
            f.exclude.push(ModuleVersion { path, version });
        }
        "replace" => f.replace.push(d::parse_replace(verb, args, line.start.line).map_err(err)?),
        "retract" => {
            let rationale = d::directive_comment(block, line);
            let ((low, high), used) = match d::parse_retract_interval(args) {
                Ok(r) => r,
                Err(e) if strict => return Err(err(e)),
                Err(_) => return Ok(()),
            };
            if let Some(extra) = args.get(used).filter(|_| strict) {
                return Err(err(format!("unexpected token after version: {}", super::quote::go_quote(extra))));
            }
            f.retract.push(Retract { low, high, rationale });
        }
        "tool" => f.tool.push(one_arg("tool")?),
        "ignore" => f.ignore.push(one_arg("ignore")?),
        _ => return Err(err(format!("unknown directive: {verb}"))),
    }
    Ok(())
}

// ---- `go mod edit -json` ----------------------------------------------------------------

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
pub(crate) struct VersionJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    version: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ReplaceJson<'a> {
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
pub(crate) fn replace_json(replace: &[Replace]) -> Option<Vec<ReplaceJson<'_>>> {
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
            let old = VersionJson { path: &r.old_path, version: r.old_version.as_deref().unwrap_or("") };
            let new = match &r.new {
                ReplaceTarget::Dir(p) => VersionJson { path: p, version: "" },
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
            deprecated: module.and_then(|m| m.deprecated.as_deref()).filter(|s| !s.is_empty()),
        },
        go: f.go.as_deref(),
        toolchain: f.toolchain.as_deref(),
        godebug: (f.godebug.iter())
            .filter(|g| !g.key.is_empty())
            .map(|g| KeyValueJson { key: &g.key, value: &g.value })
            .collect(),
        require: non_empty(
            (f.require.iter())
                .filter(|r| !r.path.is_empty())
                .map(|r| RequireJson { path: &r.path, version: &r.version, indirect: r.indirect })
                .collect(),
        ),
        exclude: non_empty(
            first_of_each(&f.exclude, |x| (x.path.clone(), x.version.clone()))
                .into_iter()
                .filter(|x| !x.path.is_empty())
                .map(|x| VersionJson { path: &x.path, version: &x.version })
                .collect(),
        ),
        replace: replace_json(&f.replace),
        retract: non_empty(
            (f.retract.iter())
                .filter(|r| !r.low.is_empty() || !r.high.is_empty())
                .map(|r| RetractJson { low: &r.low, high: &r.high, rationale: &r.rationale })
                .collect(),
        ),
        tool: non_empty(first_of_each(&f.tool, String::clone).into_iter().map(|p| PathJson { path: p }).collect()),
        ignore: non_empty(first_of_each(&f.ignore, String::clone).into_iter().map(|p| PathJson { path: p }).collect()),
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

#[cfg(test)]
mod tests;
