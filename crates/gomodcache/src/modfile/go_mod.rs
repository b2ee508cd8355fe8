//! go.mod parser: a port of x/mod `modfile.Parse` / `modfile.ParseLax` with a nil version fixer
//! (`modfile/rule.go`), plus the `go mod edit -json` view of the result.

use serde::{Deserialize, Serialize};

use super::ParseError;
use super::directives::{self as d, error_at};
pub use super::directives::{GoDebug, Replace, ReplaceTarget, is_directory_path};
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
/// [`to_go_mod_edit_json`](super::to_go_mod_edit_json) applies the de-duplication that `go mod edit` performs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoMod {
    /// The `module` line; `None` when the file has none.
    pub module: Option<ModuleDecl>,
    /// The `go` line's version, e.g. `1.22` or `1.21.0`.
    pub go: Option<String>,
    /// The `toolchain` line's name, e.g. `go1.22.3`.
    pub toolchain: Option<String>,
    /// The `godebug` settings.
    pub godebug: Vec<GoDebug>,
    /// The `require` directives.
    pub require: Vec<Require>,
    /// The `exclude` directives.
    pub exclude: Vec<ModuleVersion>,
    /// The `replace` directives.
    pub replace: Vec<Replace>,
    /// The `retract` directives.
    pub retract: Vec<Retract>,
    /// The package paths of the `tool` directives.
    pub tool: Vec<String>,
    /// The paths of the `ignore` directives.
    pub ignore: Vec<String>,
}

/// The `module` line: x/mod `modfile.Module`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleDecl {
    /// The main module's path.
    pub path: String,
    /// The `Deprecated:` paragraph of the module line's comments (`None` when absent or empty).
    pub deprecated: Option<String>,
    /// 1-based line number.
    pub line: usize,
}

/// A `require` directive: x/mod `modfile.Require`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Require {
    /// The required module's path.
    pub path: String,
    /// Canonical (`v1.2` is stored as `v1.2.0`).
    pub version: String,
    /// The first suffix comment is `// indirect` or starts with `// indirect;`.
    pub indirect: bool,
    /// 1-based line number.
    pub line: usize,
}

/// A module path and version: x/mod `module.Version` (an `exclude` entry).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModuleVersion {
    /// The module path.
    pub path: String,
    /// The version.
    pub version: String,
}

/// A `retract` directive: a single version has `low == high`. Versions are only unquoted, not
/// canonicalized (x/mod's `Parse` with a nil fixer keeps them as written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retract {
    /// The lowest retracted version.
    pub low: String,
    /// The highest retracted version.
    pub high: String,
    /// The comment above or beside the directive, as x/mod `parseDirectiveComment` reads it.
    pub rationale: String,
}

const BLOCK_VERBS: [&str; 8] = [
    "module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore",
];

/// Parses a go.mod. `file_label` is used in error positions. Returns the first error, in file
/// order, with x/mod's wording; a file without a `module` line parses fine (as in x/mod).
pub fn parse_go_mod(
    file_label: &str,
    data: &[u8],
    strictness: Strictness,
) -> Result<GoMod, ParseError> {
    let stmts = syntax::parse(file_label, data)?;
    let strict = strictness == Strictness::Strict;
    let mut f = GoMod::default();
    for stmt in &stmts {
        match stmt {
            Stmt::Line(line) => add(
                &mut f,
                file_label,
                None,
                line,
                &line.tokens[0],
                &line.tokens[1..],
                strict,
            )?,
            Stmt::Block(b) => {
                if b.tokens.len() > 1 || !BLOCK_VERBS.contains(&b.tokens[0].as_str()) {
                    if strict {
                        return Err(error_at(
                            file_label,
                            b.start,
                            format!("unknown block type: {}", b.tokens.join(" ")),
                        ));
                    }
                    continue;
                }
                for line in &b.lines {
                    add(
                        &mut f,
                        file_label,
                        Some(&b.comments),
                        line,
                        &b.tokens[0],
                        &line.tokens,
                        strict,
                    )?;
                }
            }
            Stmt::Comments { .. } => {}
        }
    }
    Ok(f)
}

/// x/mod `isIndirect`.
fn is_indirect(line: &Line) -> bool {
    let Some(c) = line.comments.suffix.first() else {
        return false;
    };
    let text = c.token.strip_prefix("//").unwrap_or(&c.token);
    let mut fields = text.split_whitespace();
    matches!(
        (fields.next(), fields.next()),
        (Some("indirect"), None) | (Some("indirect;"), Some(_))
    )
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
            return Err(err(format!(
                "{what} directive expects exactly one argument"
            )));
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
                    None => {
                        return Err(err(format!(
                            "invalid go version '{v}': must match format 1.23.0"
                        )));
                    }
                }
            }
            f.go = Some(v.to_string());
        }
        "toolchain" => {
            if f.toolchain.is_some() {
                return Err(err("repeated toolchain statement".into()));
            }
            if args.len() != 1 {
                return Err(err(
                    "toolchain directive expects exactly one argument".into()
                ));
            }
            if !d::is_toolchain(&args[0]) {
                let msg = format!(
                    "invalid toolchain version '{}': must match format go1.23.0 or default",
                    args[0]
                );
                return Err(err(msg));
            }
            f.toolchain = Some(args[0].clone());
        }
        "module" => {
            if f.module.is_some() {
                return Err(err("repeated module statement".into()));
            }
            let deprecated =
                d::deprecation(&d::directive_comment(block, line)).filter(|m| !m.is_empty());
            if args.len() != 1 {
                return Err(err("usage: module module/path".into()));
            }
            let path = d::parse_arg(&args[0]).map_err(err)?;
            f.module = Some(ModuleDecl {
                path,
                deprecated,
                line: line.start.line,
            });
        }
        "godebug" => f.godebug.push(d::parse_godebug(args).map_err(err)?),
        "require" => {
            let (path, version) = d::parse_path_version(verb, args).map_err(err)?;
            f.require.push(Require {
                path,
                version,
                indirect: is_indirect(line),
                line: line.start.line,
            });
        }
        "exclude" => {
            let (path, version) = d::parse_path_version(verb, args).map_err(err)?;
            f.exclude.push(ModuleVersion { path, version });
        }
        "replace" => f
            .replace
            .push(d::parse_replace(verb, args, line.start.line).map_err(err)?),
        "retract" => {
            let rationale = d::directive_comment(block, line);
            let ((low, high), used) = match d::parse_retract_interval(args) {
                Ok(r) => r,
                Err(e) if strict => return Err(err(e)),
                Err(_) => return Ok(()),
            };
            if let Some(extra) = args.get(used).filter(|_| strict) {
                return Err(err(format!(
                    "unexpected token after version: {}",
                    super::quote::go_quote(extra)
                )));
            }
            f.retract.push(Retract {
                low,
                high,
                rationale,
            });
        }
        "tool" => f.tool.push(one_arg("tool")?),
        "ignore" => f.ignore.push(one_arg("ignore")?),
        _ => return Err(err(format!("unknown directive: {verb}"))),
    }
    Ok(())
}

#[cfg(test)]
mod tests;
