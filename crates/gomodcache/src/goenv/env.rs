//! Go's configuration variables resolved exactly as `cmd/go` does (`cfg.Getenv`), without running
//! `go`: the process environment (an empty value counts as unset), then the user env file written
//! by `go env -w`, then `$GOROOT/go.env`. GOMODCACHE falls back to `GOPATH[0]/pkg/mod`, and GOPATH
//! to `$HOME/go` (spec §1).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where a resolved value came from, for the UI and `modscope env`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueSource {
    /// The process environment.
    Environment,
    /// The user env file written by `go env -w`.
    EnvFile,
    /// `$GOROOT/go.env`.
    GorootGoEnv,
    /// Computed from other settings (GOMODCACHE from GOPATH, GOPATH from `$HOME`).
    Derived,
    /// A modscope command-line flag.
    CommandLine,
}

/// Why go cannot locate the module cache (cmd/go's GOMODCACHE/GOPATH checks).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CacheLocationError {
    /// Neither GOMODCACHE nor GOPATH (nor `$HOME`) gives a directory.
    #[error("module cache not found: neither GOMODCACHE nor GOPATH is set")]
    NotSet,
    /// GOMODCACHE is a relative path.
    #[error("GOMODCACHE entry is relative; must be absolute path: {0:?}")]
    RelativeGomodcache(String),
    /// GOPATH's first entry is a relative path.
    #[error("GOPATH entry is relative; must be absolute path: {0:?}")]
    RelativeGopath(String),
}

/// A snapshot of the variables `go` would see.
#[derive(Debug, Clone, Default)]
pub struct GoEnv {
    process: HashMap<String, String>,
    env_file: HashMap<String, String>,
    goroot_env: HashMap<String, String>,
    /// The user env file that was read (or would be), if any.
    pub env_file_path: Option<PathBuf>,
    /// GOROOT, from the environment, the env file or the `go` binary found on PATH.
    pub goroot: Option<PathBuf>,
}

impl GoEnv {
    /// The variables of this process, with `go`'s files read from where `go` would read them.
    pub fn from_process() -> Self {
        Self::from_vars(process_vars_with(&[]))
    }

    /// The same resolution over an explicit environment (used by tests).
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        let process: HashMap<String, String> = vars.into_iter().collect();
        let nonempty = |k: &str| process.get(k).filter(|v| !v.is_empty()).cloned();
        let env_file_path = match nonempty("GOENV") {
            Some(v) if v == "off" => None,
            Some(v) => Some(PathBuf::from(v)),
            None => user_config_dir(&process).map(|d| d.join("go").join("env")),
        };
        let env_file = env_file_path
            .as_deref()
            .map(read_env_file)
            .unwrap_or_default();
        // As cmd/go's findGOROOT: the environment, then the env file (`go env -w GOROOT=…`),
        // then the go found on PATH; its go.env is the one read below.
        let goroot = nonempty("GOROOT")
            .or_else(|| env_file.get("GOROOT").filter(|v| !v.is_empty()).cloned())
            .map(PathBuf::from)
            .or_else(|| goroot_from_path(nonempty("PATH")?.as_str()));
        let goroot_env = goroot
            .as_deref()
            .map(|r| read_env_file(&r.join("go.env")))
            .unwrap_or_default();
        GoEnv {
            process,
            env_file,
            goroot_env,
            env_file_path,
            goroot,
        }
    }

    /// `cfg.Getenv(key)` with where the value came from. Empty values count as unset.
    pub fn lookup(&self, key: &str) -> Option<(&str, ValueSource)> {
        fn pick<'a>(m: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
            m.get(key).map(String::as_str).filter(|v| !v.is_empty())
        }
        pick(&self.process, key)
            .map(|v| (v, ValueSource::Environment))
            .or_else(|| pick(&self.env_file, key).map(|v| (v, ValueSource::EnvFile)))
            .or_else(|| pick(&self.goroot_env, key).map(|v| (v, ValueSource::GorootGoEnv)))
    }

    /// `cfg.Getenv(key)`: the value go sees, `None` when unset or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.lookup(key).map(|(v, _)| v)
    }

    /// The value go would see without the layers from `source` up: once a fix removes the
    /// setting there (`unset` for the environment, `go env -u` for the env file).
    pub(crate) fn lookup_below(
        &self,
        key: &str,
        source: ValueSource,
    ) -> Option<(&str, ValueSource)> {
        fn pick<'a>(m: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
            m.get(key).map(String::as_str).filter(|v| !v.is_empty())
        }
        let from_goroot = || pick(&self.goroot_env, key).map(|v| (v, ValueSource::GorootGoEnv));
        match source {
            ValueSource::Environment => pick(&self.env_file, key)
                .map(|v| (v, ValueSource::EnvFile))
                .or_else(from_goroot),
            ValueSource::EnvFile => from_goroot(),
            _ => None,
        }
    }

    /// GOPATH as go computes it, with `$HOME/go` as default (never equal to GOROOT).
    pub fn gopath(&self) -> Option<(String, ValueSource)> {
        if let Some((v, src)) = self.lookup("GOPATH") {
            return Some((v.to_string(), src));
        }
        let home = self.process.get("HOME").filter(|h| !h.is_empty())?;
        let d = Path::new(home).join("go");
        if let Some(root) = &self.goroot
            && clean(&d) == clean(root)
        {
            return None;
        }
        Some((d.to_string_lossy().into_owned(), ValueSource::Derived))
    }

    /// GOMODCACHE exactly as `go env GOMODCACHE` reports it.
    pub fn gomodcache(&self) -> Result<(PathBuf, ValueSource), CacheLocationError> {
        if let Some((v, src)) = self.lookup("GOMODCACHE") {
            if !Path::new(v).is_absolute() {
                return Err(CacheLocationError::RelativeGomodcache(v.to_string()));
            }
            return Ok((PathBuf::from(v), src));
        }
        let (gopath, _) = self.gopath().ok_or(CacheLocationError::NotSet)?;
        let first = std::env::split_paths(&gopath)
            .next()
            .filter(|p| !p.as_os_str().is_empty());
        let first = first.ok_or(CacheLocationError::NotSet)?;
        if !first.is_absolute() {
            return Err(CacheLocationError::RelativeGopath(
                first.to_string_lossy().into_owned(),
            ));
        }
        Ok((first.join("pkg").join("mod"), ValueSource::Derived))
    }
}

/// The process environment (entries that are not UTF-8 skipped, never a panic) with
/// `overrides` replacing variables of the same name: what a `go` child started with those
/// overrides sees.
pub fn process_vars_with(overrides: &[(String, String)]) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k))
        .collect();
    vars.extend(overrides.iter().cloned());
    vars
}

/// `os.UserConfigDir` as Go computes it from the environment.
fn user_config_dir(env: &HashMap<String, String>) -> Option<PathBuf> {
    let get = |k: &str| env.get(k).filter(|v| !v.is_empty());
    if cfg!(target_os = "macos") {
        return get("HOME").map(|h| Path::new(h).join("Library/Application Support"));
    }
    if cfg!(windows) {
        return get("AppData").map(PathBuf::from);
    }
    match get("XDG_CONFIG_HOME") {
        Some(x) if Path::new(x).is_absolute() => Some(PathBuf::from(x)),
        Some(_) => None,
        None => get("HOME").map(|h| Path::new(h).join(".config")),
    }
}

/// `readEnvFile`: `KEY=VALUE` lines, split at the first `=`, keys starting with `A`–`Z`, no
/// quoting or trimming; a repeated key takes the last value. A missing or unreadable file is simply empty, as for go.
fn read_env_file(path: &Path) -> HashMap<String, String> {
    let Ok(data) = crate::fs::read::read_regular_file(path, crate::fs::read::limits::TEXT) else {
        return HashMap::new();
    };
    parse_env_file(&String::from_utf8_lossy(&data))
}

pub(crate) fn parse_env_file(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for line in text.split('\n') {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if !k.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
            continue;
        }
        // Later lines win, as in go's initEnvCache.
        out.insert(k.to_string(), v.to_string());
    }
    out
}

/// GOROOT of the first `go` on PATH: `<root>/bin/go`, symlinks resolved.
pub(crate) fn goroot_from_path(path: &str) -> Option<PathBuf> {
    let exe = std::env::split_paths(path)
        .map(|d| d.join("go"))
        .find(|p| p.is_file())?;
    let real = std::fs::canonicalize(exe).ok()?;
    Some(real.parent()?.parent()?.to_path_buf())
}

fn clean(p: &Path) -> PathBuf {
    p.components().collect()
}

/// GONOPROXY / GONOSUMDB as go computes them: GOPRIVATE only when unset (or empty).
pub fn effective_private(env: &GoEnv, key: &str) -> (String, bool) {
    match env.get(key) {
        Some(v) => (v.to_string(), false),
        None => (
            env.get("GOPRIVATE").unwrap_or("").to_string(),
            env.get("GOPRIVATE").is_some(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> GoEnv {
        GoEnv::from_vars(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn gomodcache_from_environment_wins() {
        let e = env(&[
            ("GOMODCACHE", "/c"),
            ("GOPATH", "/p"),
            ("HOME", "/h"),
            ("GOENV", "off"),
        ]);
        assert_eq!(
            e.gomodcache().unwrap(),
            (PathBuf::from("/c"), ValueSource::Environment)
        );
    }

    #[test]
    fn only_first_gopath_entry_counts_and_empty_first_entry_is_unset() {
        let e = env(&[("GOPATH", "/p1:/p2"), ("GOENV", "off")]);
        assert_eq!(e.gomodcache().unwrap().0, PathBuf::from("/p1/pkg/mod"));
        let e = env(&[("GOPATH", ":/p2"), ("GOENV", "off")]);
        assert_eq!(e.gomodcache(), Err(CacheLocationError::NotSet));
    }

    #[test]
    fn home_default_and_relative_paths() {
        let e = env(&[("HOME", "/home/u"), ("GOENV", "off")]);
        assert_eq!(
            e.gomodcache().unwrap(),
            (PathBuf::from("/home/u/go/pkg/mod"), ValueSource::Derived)
        );
        let e = env(&[("GOMODCACHE", "rel"), ("GOENV", "off")]);
        assert_eq!(
            e.gomodcache(),
            Err(CacheLocationError::RelativeGomodcache("rel".into()))
        );
        let e = env(&[("GOPATH", "rel"), ("GOENV", "off")]);
        assert_eq!(
            e.gomodcache(),
            Err(CacheLocationError::RelativeGopath("rel".into()))
        );
        let e = env(&[("GOENV", "off")]);
        assert_eq!(e.gomodcache(), Err(CacheLocationError::NotSet));
    }

    #[test]
    fn empty_value_falls_through_to_env_file() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("env");
        std::fs::write(
            &file,
            "# comment\nGOMODCACHE=/from/file\nlower=x\nGOPROXY=off\n",
        )
        .unwrap();
        let e = env(&[
            ("GOMODCACHE", ""),
            ("GOENV", file.to_str().unwrap()),
            ("HOME", "/h"),
        ]);
        assert_eq!(
            e.gomodcache().unwrap(),
            (PathBuf::from("/from/file"), ValueSource::EnvFile)
        );
        assert_eq!(e.lookup("GOPROXY"), Some(("off", ValueSource::EnvFile)));
        assert_eq!(e.get("lower"), None);
    }

    #[test]
    fn env_file_found_under_xdg_config_home() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("go")).unwrap();
        std::fs::write(tmp.path().join("go/env"), "GOPATH=/xdg/gopath\n").unwrap();
        let e = env(&[
            ("XDG_CONFIG_HOME", tmp.path().to_str().unwrap()),
            ("HOME", "/h"),
        ]);
        assert_eq!(
            e.gomodcache().unwrap().0,
            PathBuf::from("/xdg/gopath/pkg/mod")
        );
    }

    #[test]
    fn env_file_parsing_keeps_raw_values() {
        let m = parse_env_file("C=b=c\nA=first\nB= spaced \r\nnoequals\n=x\nA=second\n");
        assert_eq!(m["A"], "second");
        assert_eq!(m["B"], " spaced \r");
        assert_eq!(m["C"], "b=c");
        assert_eq!(m.len(), 3);
    }
}
