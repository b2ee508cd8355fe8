//! go refuses to load a package from a directory whose path holds a newline or a carriage
//! return (`invalid package directory`, cmd/go/internal/load): a module cache, a project or a
//! replacement under such a path builds nothing, whatever the cache holds.

use crate::goenv::env::{GoEnv, ValueSource};
use crate::modfile::quote::go_quote;
use crate::offline::{BlockerKind as K, Findings};
use crate::packages::imports::{Analysis, has_line_break};
use std::path::Path;

/// One blocker per place the bad directories come from: the module cache (whose fix is to
/// stop setting the variable that put it there, when what go falls back to is clean), or each
/// project or replacement directory (moved by hand).
pub fn invalid_package_dirs(analysis: &Analysis, cache_root: &Path, env: &GoEnv, f: &mut Findings) {
    let mut in_cache = Vec::new();
    for entry in &analysis.invalid_dirs {
        if entry.2.starts_with(cache_root) {
            in_cache.push(entry);
        } else {
            let (package, importer, dir) = entry;
            f.block_with_advice(
                K::InvalidPackageDirectory,
                None,
                go_error(package, importer.as_deref(), dir),
                "move the project or the replaced module to a directory whose path has no line break, and point go.mod's replace at it",
            );
        }
    }
    let Some((package, importer, dir)) = in_cache.first() else {
        return;
    };
    let more = match in_cache.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more package in the module cache)".to_string(),
        n => format!(" (and {n} more packages in the module cache)"),
    };
    let message = format!(
        "{}{more}: the module cache's path ({}) has a line break",
        go_error(package, importer.as_deref(), dir),
        go_quote(&cache_root.display().to_string())
    );
    match cache_fix(env, cache_root) {
        Ok(fix) => f.block(K::InvalidPackageDirectory, None, message, fix),
        Err(advice) => f.block_with_advice(K::InvalidPackageDirectory, None, message, advice),
    }
}

/// go's own words (`package P` then `imports Q: invalid package directory "DIR"`).
fn go_error(package: &str, importer: Option<&str>, dir: &Path) -> String {
    let quoted = go_quote(&dir.display().to_string());
    match importer {
        Some(i) => format!("package {i}\n\timports {package}: invalid package directory {quoted}"),
        None => format!("package {package}: invalid package directory {quoted}"),
    }
}

/// The command that takes the line break out of GOMODCACHE: unset the layer that sets it
/// (the environment, or go's env file), when the value go falls back to is clean, then fill
/// that cache.
fn cache_fix(env: &GoEnv, cache_root: &Path) -> Result<String, &'static str> {
    const ADVICE: &str =
        "set GOMODCACHE to a directory whose path has no line break, then run go mod download";
    let Ok((root, source)) = env.gomodcache() else {
        return Err(ADVICE);
    };
    if root != cache_root {
        return Err("pass --modcache a directory whose path has no line break");
    }
    let key = if source == ValueSource::Derived {
        "GOPATH"
    } else {
        "GOMODCACHE"
    };
    let (value_source, unset) = match env.lookup(key) {
        Some((_, s @ ValueSource::Environment)) => (s, format!("unset {key}")),
        Some((_, s @ ValueSource::EnvFile)) => (s, format!("go env -u {key}")),
        _ => return Err(ADVICE),
    };
    let below = env
        .lookup_below(key, value_source)
        .map(|(v, _)| v.to_string());
    let fallback = match (key, below) {
        (_, Some(v)) => v,
        // No GOMODCACHE left: go derives it from GOPATH.
        ("GOMODCACHE", None) => env.gopath().map(|(g, _)| g).ok_or(ADVICE)?,
        // No GOPATH left: go uses $HOME/go.
        (_, None) => env.get("HOME").map(|h| format!("{h}/go")).ok_or(ADVICE)?,
    };
    if has_line_break(&fallback) {
        return Err(ADVICE);
    }
    Ok(format!("{unset} && go mod download"))
}
