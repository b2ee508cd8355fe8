//! Module paths against their versions, as golang.org/x/mod's `module` package checks them:
//! `SplitPathVersion`, `CheckPathMajor` and `CheckImportPath`.

use super::quote::go_quote;
use crate::version::semver::{build, major};

/// `module.SplitPathVersion`: `(prefix, pathMajor)`, or `None` when the path is malformed
/// (e.g. ends in `/v1`, `/v0`, `/v1.2`, or is a `gopkg.in` path without `.vN`).
pub fn split_path_version(path: &str) -> Option<(&str, &str)> {
    let b = path.as_bytes();
    if path.starts_with("gopkg.in/") {
        let mut i = path.len();
        if path.ends_with("-unstable") {
            i -= "-unstable".len();
        }
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        if i <= 1 || b[i - 1] != b'v' || b[i - 2] != b'.' {
            return None;
        }
        let (prefix, pm) = path.split_at(i - 2);
        if pm.len() <= 2 || (pm.as_bytes()[2] == b'0' && pm != ".v0") {
            return None;
        }
        return Some((prefix, pm));
    }
    let mut i = path.len();
    let mut dot = false;
    while i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.') {
        dot |= b[i - 1] == b'.';
        i -= 1;
    }
    if i <= 1 || i == path.len() || b[i - 1] != b'v' || b[i - 2] != b'/' {
        return Some((path, ""));
    }
    let (prefix, pm) = path.split_at(i - 2);
    if dot || pm.len() <= 2 || pm.as_bytes()[2] == b'0' || pm == "/v1" {
        return None;
    }
    Some((prefix, pm))
}

/// `module.CheckPathMajor`; the error is the `InvalidVersionError` text
/// (`version "v2.0.0" invalid: should be v0 or v1, not v2`).
pub fn check_path_major(v: &str, path_major: &str) -> Result<(), String> {
    let mut pm = path_major;
    if pm.starts_with(".v") && pm.ends_with("-unstable") {
        pm = &pm[..pm.len() - "-unstable".len()];
    }
    if v.starts_with("v0.0.0-") && pm == ".v1" {
        return Ok(());
    }
    let m = major(v);
    let want = if pm.is_empty() {
        if m == "v0" || m == "v1" || build(v) == "+incompatible" {
            return Ok(());
        }
        "v0 or v1"
    } else if pm.starts_with('/') || pm.starts_with('.') {
        if m == &pm[1..] {
            return Ok(());
        }
        &pm[1..]
    } else {
        pm
    };
    Err(format!(
        "version {} invalid: should be {want}, not {m}",
        go_quote(v)
    ))
}

const BAD_WINDOWS_NAMES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// `module.CheckImportPath` (without the `malformed import path` wrapper).
pub fn check_import_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty string".into());
    }
    if path.starts_with('-') {
        return Err("leading dash".into());
    }
    if path.contains("//") {
        return Err("double slash".into());
    }
    if path.ends_with('/') {
        return Err("trailing slash".into());
    }
    path.split('/').try_for_each(check_import_elem)
}

fn check_import_elem(elem: &str) -> Result<(), String> {
    if elem.is_empty() {
        return Err("empty path element".into());
    }
    if elem.bytes().all(|c| c == b'.') {
        return Err(format!("invalid path element {}", go_quote(elem)));
    }
    if elem.ends_with('.') {
        return Err("trailing dot in path element".into());
    }
    if let Some(c) = elem
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "-._~+".contains(c)))
    {
        return Err(format!("invalid char {}", super::quote::go_quote_rune(c)));
    }
    let short = elem.split('.').next().unwrap_or(elem);
    if BAD_WINDOWS_NAMES
        .iter()
        .any(|b| b.eq_ignore_ascii_case(short))
    {
        return Err(format!(
            "{} disallowed as path element component on Windows",
            go_quote(short)
        ));
    }
    if let Some(t) = short.rfind('~') {
        let suffix = &short[t + 1..];
        if !suffix.is_empty() && suffix.bytes().all(|c| c.is_ascii_digit()) {
            return Err("trailing tilde and digits in path element".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_major() {
        assert_eq!(
            split_path_version("example.com/m/v2"),
            Some(("example.com/m", "/v2"))
        );
        assert_eq!(
            split_path_version("example.com/m"),
            Some(("example.com/m", ""))
        );
        assert_eq!(split_path_version("example.com/m/v1"), None);
        assert_eq!(split_path_version("example.com/m/v1.2"), None);
        assert_eq!(
            split_path_version("gopkg.in/yaml.v2"),
            Some(("gopkg.in/yaml", ".v2"))
        );
        assert_eq!(split_path_version("gopkg.in/yaml"), None);
        assert!(check_path_major("v2.0.0", "/v2").is_ok());
        assert!(check_path_major("v2.0.0+incompatible", "").is_ok());
        assert!(check_path_major("v0.0.0-2016-abc", ".v1").is_ok());
        assert_eq!(
            check_path_major("v2.0.0", "").unwrap_err(),
            r#"version "v2.0.0" invalid: should be v0 or v1, not v2"#
        );
        assert_eq!(
            check_path_major("v1.0.0", "/v2").unwrap_err(),
            r#"version "v1.0.0" invalid: should be v2, not v1"#
        );
    }

    #[test]
    fn import_paths() {
        assert!(check_import_path("github.com/a/b-c_d~e+f").is_ok());
        assert!(check_import_path("git.sr.ht/~mariusor/x").is_ok());
        assert!(check_import_path("a//b").is_err());
        assert!(check_import_path("a/./b").is_err());
        assert!(check_import_path("a/b c").is_err());
        assert!(check_import_path("a/con.go").is_err());
        assert!(check_import_path("a/x~1").is_err());
    }
}
