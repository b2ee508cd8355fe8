//! Directive-level helpers shared by go.mod and go.work: ports of x/mod `parseString`,
//! `parseVersion` (with `fix == nil`), `parseReplace`, `parseVersionInterval`,
//! `parseDirectiveComment`, `parseDeprecation`, the version regexps and `IsDirectoryPath`.

use super::ParseError;
use super::lexer::Position;
use super::module_path;
use super::quote::{go_quote, unquote};
use super::syntax::{Comments, Line};
use crate::version::semver;
use serde::{Deserialize, Serialize};

/// A `godebug key=value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoDebug {
    /// The setting's name, e.g. `panicnil`.
    pub key: String,
    /// The setting's value, e.g. `1`.
    pub value: String,
}

/// A `replace` directive of go.mod or go.work: x/mod `modfile.Replace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replace {
    /// The module path being replaced.
    pub old_path: String,
    /// `None` for a wildcard replacement (`old => new` applies to every version).
    pub old_version: Option<String>,
    /// What the module is replaced with.
    pub new: ReplaceTarget,
    /// 1-based line number of the directive.
    pub line: usize,
}

/// The right-hand side of a `replace`: a local directory or another module version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReplaceTarget {
    /// A directory (see [`is_directory_path`]), relative to the file that holds the replace.
    Dir(String),
    /// A module version (`=> path vX.Y.Z`), fetched like any other.
    Module {
        /// The replacement's module path.
        path: String,
        /// The replacement's version, canonical.
        version: String,
    },
}

pub(crate) fn error_at(file: &str, pos: Position, message: impl Into<String>) -> ParseError {
    ParseError {
        file: file.to_string(),
        line: pos.line,
        column: pos.line_rune,
        message: message.into(),
    }
}

/// x/mod `Error` prefix: `verb path: `, or `verb: ` when the path is empty.
fn directive(verb: &str, path: &str) -> String {
    match (verb, path) {
        (_, p) if !p.is_empty() => format!("{verb} {p}: "),
        ("", _) => String::new(),
        (v, _) => format!("{v}: "),
    }
}

/// x/mod `parseString`: unquotes `"..."`, rejects other quotes; the error has no prefix.
pub(crate) fn parse_string(tok: &str) -> Result<String, String> {
    if tok.starts_with('"') {
        return unquote(tok).map_err(|e| e.to_string());
    }
    if tok.contains(['"', '\'', '`']) {
        return Err("unquoted string cannot contain quote".into());
    }
    Ok(tok.to_string())
}

/// `parseString` with the `invalid quoted string: ` prefix that the directive code adds.
pub(crate) fn parse_arg(tok: &str) -> Result<String, String> {
    parse_string(tok).map_err(|e| format!("invalid quoted string: {e}"))
}

/// x/mod `parseVersion` with `fix == nil`: the canonical version, or an error message such as
/// `require example.com/m: version "master" invalid: must be of the form v1.2.3`. Branch names,
/// tags and commit hashes land here: `go` would resolve them over the network, and we are offline.
pub(crate) fn parse_version(verb: &str, path: &str, tok: &str) -> Result<String, String> {
    let invalid = |v: &str, e: &str| {
        format!(
            "{}version {} invalid: {e}",
            directive(verb, path),
            go_quote(v)
        )
    };
    let t = parse_string(tok).map_err(|e| invalid(tok, &e))?;
    let cv = semver::canonical_version(&t);
    if cv.is_empty() {
        return Err(invalid(&t, "must be of the form v1.2.3"));
    }
    Ok(cv)
}

/// `parseVersion` with x/mod's `dontFixRetract` fixer: only unquoting, no canonicalization.
fn parse_retract_version(tok: &str) -> Result<String, String> {
    parse_string(tok).map_err(|e| format!("retract: version {} invalid: {e}", go_quote(tok)))
}

/// x/mod `modulePathMajor`.
pub(crate) fn module_path_major(path: &str) -> Result<&str, String> {
    module_path::split_path_version(path)
        .map(|(_, m)| m)
        .ok_or_else(|| "invalid module path".to_string())
}

/// `require`/`exclude` arguments: `(path, canonical version)`.
pub(crate) fn parse_path_version(verb: &str, args: &[String]) -> Result<(String, String), String> {
    if args.len() != 2 {
        return Err(format!("usage: {verb} module/path v1.2.3"));
    }
    let path = parse_arg(&args[0])?;
    let v = parse_version(verb, &path, &args[1])?;
    let major = module_path_major(&path)?;
    module_path::check_path_major(&v, major)
        .map_err(|e| format!("{}{e}", directive(verb, &path)))?;
    Ok((path, v))
}

/// x/mod `IsDirectoryPath`: `.`, `..`, `./x`, `../x`, `.\x`, `..\x`, rooted (`/`, `\`) or
/// a drive letter (`C:`), whatever the host OS.
pub fn is_directory_path(p: &str) -> bool {
    let b = p.as_bytes();
    p == "."
        || p == ".."
        || ["./", ".\\", "../", "..\\", "/", "\\"]
            .iter()
            .any(|pre| p.starts_with(pre))
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// x/mod `parseReplace` (with `fix == nil`); `line` is filled in by the caller.
pub(crate) fn parse_replace(verb: &str, args: &[String], line: usize) -> Result<Replace, String> {
    let arrow = if args.len() >= 2 && args[1] == "=>" {
        1
    } else {
        2
    };
    if args.len() < arrow + 2 || args.len() > arrow + 3 || args[arrow] != "=>" {
        return Err(format!(
            "usage: {verb} module/path [v1.2.3] => other/module v1.4\n\t or {verb} module/path [v1.2.3] => ../local/directory"
        ));
    }
    let old_path = parse_arg(&args[0])?;
    let major =
        module_path_major(&old_path).map_err(|e| format!("{}{e}", directive(verb, &old_path)))?;
    let mut old_version = None;
    if arrow == 2 {
        let v = parse_version(verb, &old_path, &args[1])?;
        module_path::check_path_major(&v, major)
            .map_err(|e| format!("{}{e}", directive(verb, &old_path)))?;
        old_version = Some(v);
    }
    let new_path = parse_arg(&args[arrow + 1])?;
    let new = if args.len() == arrow + 2 {
        if !is_directory_path(&new_path) {
            if new_path.contains('@') {
                return Err(
                    "replacement module must match format 'path version', not 'path@version'"
                        .into(),
                );
            }
            return Err(
                "replacement module without version must be directory path (rooted or starting with . or ..)".into(),
            );
        }
        if new_path.contains('\\') {
            return Err(
                "replacement directory appears to be Windows path (on a non-windows system)".into(),
            );
        }
        ReplaceTarget::Dir(new_path)
    } else {
        let nv = parse_version(verb, &new_path, &args[arrow + 2])?;
        if is_directory_path(&new_path) {
            return Err(format!(
                "replacement module directory path {} cannot have version",
                go_quote(&new_path)
            ));
        }
        ReplaceTarget::Module {
            path: new_path,
            version: nv,
        }
    };
    Ok(Replace {
        old_path,
        old_version,
        new,
        line,
    })
}

/// x/mod `parseVersionInterval` for `retract` (versions only unquoted). Returns `(low, high)`
/// and the number of argument tokens consumed.
pub(crate) fn parse_retract_interval(args: &[String]) -> Result<((String, String), usize), String> {
    let tok = |i: usize| args.get(i).map(String::as_str);
    match tok(0) {
        None | Some("(") => return Err("expected '[' or version".into()),
        Some("[") => {}
        Some(v) => {
            let v = parse_retract_version(v)?;
            return Ok(((v.clone(), v), 1));
        }
    }
    let low = parse_retract_version(tok(1).ok_or("expected version after '['")?)?;
    if tok(2) != Some(",") {
        return Err("expected ',' after version".into());
    }
    let high = parse_retract_version(tok(3).ok_or("expected version after ','")?)?;
    if tok(4) != Some("]") {
        return Err("expected ']' after version".into());
    }
    Ok(((low, high), 5))
}

/// x/mod `GoVersionRE`: `^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`.
pub(crate) fn is_go_version(s: &str) -> bool {
    fn num(s: &str) -> Option<&str> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (n > 0 && (n == 1 || !s.starts_with('0'))).then(|| &s[n..])
    }
    fn major(s: &str) -> Option<&str> {
        (!s.starts_with('0')).then_some(s).and_then(num)
    }
    let Some(rest) = major(s).and_then(|r| r.strip_prefix('.')).and_then(num) else {
        return false;
    };
    let rest = match rest.strip_prefix('.') {
        Some(r) => match num(r) {
            Some(r) => r,
            None => return false,
        },
        None => rest,
    };
    let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    let digits = rest[letters..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    rest.is_empty() || (letters > 0 && digits > 0 && letters + digits == rest.len())
}

/// x/mod `laxGoVersionRE` `^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$`: the `N.N` prefix.
pub(crate) fn lax_go_version(s: &str) -> Option<&str> {
    let t = s.strip_prefix('v').unwrap_or(s);
    let b = t.as_bytes();
    let maj = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if maj == 0 || b[0] == b'0' || b.get(maj) != Some(&b'.') {
        return None;
    }
    let digits = b[maj + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let min = if b.get(maj + 1) == Some(&b'0') {
        1
    } else {
        digits
    };
    let end = maj + 1 + min;
    if min == 0
        || b.get(end).is_none_or(u8::is_ascii_digit)
        || t[end..].chars().skip(1).any(|c| c == '\n')
    {
        return None;
    }
    Some(&t[..end])
}

/// x/mod `ToolchainRE`: `^default$|^go1($|\.)`.
pub(crate) fn is_toolchain(s: &str) -> bool {
    s == "default" || s == "go1" || s.starts_with("go1.")
}

/// The `godebug key=value` directive.
pub(crate) fn parse_godebug(args: &[String]) -> Result<GoDebug, String> {
    let usage = || "usage: godebug key=value".to_string();
    if args.len() != 1 || args[0].contains(['"', '`', '\'', ',']) {
        return Err(usage());
    }
    let (key, value) = args[0].split_once('=').ok_or_else(usage)?;
    Ok(GoDebug {
        key: key.to_string(),
        value: value.to_string(),
    })
}

/// x/mod `parseDirectiveComment`: the line's comments, or the block's when the line has none;
/// `//` stripped, each trimmed, joined with `\n`.
pub(crate) fn directive_comment(block: Option<&Comments>, line: &Line) -> String {
    let mut c = &line.comments;
    if let Some(b) = block.filter(|_| c.before.is_empty() && c.suffix.is_empty()) {
        c = b;
    }
    let lines: Vec<&str> = c
        .before
        .iter()
        .chain(&c.suffix)
        .filter_map(|com| com.token.strip_prefix("//"))
        .map(str::trim)
        .collect();
    lines.join("\n")
}

/// x/mod `parseDeprecation`: `(?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)` over the comment text.
pub(crate) fn deprecation(text: &str) -> Option<String> {
    const KEY: &str = "Deprecated:";
    let at = text
        .match_indices(KEY)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text[..i].ends_with("\n\n"))?;
    let msg = text[at + KEY.len()..].trim_start_matches(' ');
    let msg = msg.find("\n\n").map_or(msg, |end| &msg[..end]);
    Some(msg.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_version_regexps() {
        for ok in ["1.21", "1.21.0", "1.21rc1", "1.21.0rc1", "10.0", "1.0"] {
            assert!(is_go_version(ok), "{ok}");
        }
        for bad in [
            "1", "1.x", "01.2", "1.02", "1.2.", "1.2rc", "1.2-rc1", "v1.2", "1.2.3.4", "",
        ] {
            assert!(!is_go_version(bad), "{bad}");
        }
        assert_eq!(lax_go_version("1.21-custom"), Some("1.21"));
        assert_eq!(lax_go_version("v1.5.x"), Some("1.5"));
        assert_eq!(lax_go_version("1.0x"), Some("1.0"));
        assert_eq!(lax_go_version("1.05x"), None);
        assert_eq!(lax_go_version("1.21"), None);
        assert!(is_toolchain("go1.22.6") && is_toolchain("default") && is_toolchain("go1"));
        assert!(!is_toolchain("go12") && !is_toolchain("1.22"));
    }

    #[test]
    fn deprecation_regex() {
        assert_eq!(deprecation("Deprecated: use v2"), Some("use v2".into()));
        assert_eq!(
            deprecation("intro\n\nDeprecated:   gone\nmore\n\nother"),
            Some("gone\nmore".into())
        );
        assert_eq!(deprecation("intro\nDeprecated: no"), None);
        assert_eq!(deprecation("x Deprecated: no"), None);
        assert_eq!(deprecation("Deprecated:"), Some(String::new()));
    }

    #[test]
    fn directory_paths() {
        for d in [
            ".", "..", "./x", "../x", ".\\x", "..\\x", "/abs", "\\abs", "C:\\x", "c:",
        ] {
            assert!(is_directory_path(d), "{d}");
        }
        for m in ["example.com/x", ".x", "...", "x/..", "1:"] {
            assert!(!is_directory_path(m), "{m}");
        }
    }
}
