//! `modscope env`: the settings that decide what go fetches, from where, and what it verifies,
//! resolved like `go env` (environment → env file → $GOROOT/go.env), explained in words, with
//! the modules each private pattern matches and the traps worth a warning.

use super::env::effective_private;
use super::env_traps::{environment_blockers, traps};
use super::goflags::{GoFlags, parse_goflags};
use super::goproxy::{ProxyList, parse_goproxy};
use super::patterns::matching_pattern;
use crate::goenv::env::{GoEnv, ValueSource};
use crate::offline::{Findings, Warning};
use crate::project::Project;
use serde::{Deserialize, Serialize};

/// One go setting as `modscope env` shows it: its value, where it came from, what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// The value go uses (after defaulting); empty when unset.
    pub value: String,
    /// Where it came from; null when unset or defaulted.
    pub source: Option<ValueSource>,
    /// What it means, in words.
    pub meaning: Vec<String>,
}

/// One pattern of a GOPRIVATE-style list and the build-list modules it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternMatches {
    /// The glob pattern, as written in the list.
    pub pattern: String,
    /// The module paths it matches (and no earlier pattern matched).
    pub modules: Vec<String>,
}

/// GOPRIVATE, GONOPROXY, GONOSUMDB or GOINSECURE, with the modules each of its patterns matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateSetting {
    /// The variable's name, e.g. `GONOPROXY`.
    pub name: String,
    /// Its value, source and meaning (flattened into this object in JSON).
    #[serde(flatten)]
    pub setting: Setting,
    /// GONOPROXY/GONOSUMDB taken from GOPRIVATE because they are unset.
    pub from_goprivate: bool,
    /// Each pattern and the build-list modules it matches (first matching pattern wins).
    pub patterns: Vec<PatternMatches>,
}

/// The `modscope env` report: the settings that decide what go fetches, from where and what it
/// verifies, resolved like `go env`, with the traps worth a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvReport {
    /// Version of this JSON shape (1).
    pub schema_version: u32,
    /// The project's root directory, when a project was loaded.
    pub project_dir: Option<String>,
    /// GOPROXY.
    pub goproxy: Setting,
    /// GOPROXY parsed as cmd/go's `proxyList` does.
    pub goproxy_list: ProxyList,
    /// GOSUMDB.
    pub gosumdb: Setting,
    /// GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE, in that order.
    pub private: Vec<PrivateSetting>,
    /// GOFLAGS, with the effect of each flag it sets.
    pub goflags: Setting,
    /// GOWORK.
    pub gowork: Setting,
    /// The go.work file in effect, if any.
    pub gowork_file: Option<String>,
    /// GOTOOLCHAIN, with the go and toolchain lines the project asks for.
    pub gotoolchain: Setting,
    /// GOMODCACHE as `go env GOMODCACHE` reports it (derived from GOPATH when unset).
    pub gomodcache: Setting,
    /// GOPATH (`$HOME/go` when unset).
    pub gopath: Setting,
    /// GO111MODULE.
    pub go111module: Setting,
    /// Settings that break builds or surprise (a go.work masking go.mod, a bad GOFLAGS, ...).
    pub warnings: Vec<Warning>,
}

fn setting(env: &GoEnv, key: &str) -> Setting {
    let (value, source) = env
        .lookup(key)
        .map(|(v, s)| (v.to_string(), Some(s)))
        .unwrap_or_default();
    Setting {
        value,
        source,
        meaning: Vec::new(),
    }
}

fn private(env: &GoEnv, key: &str, modules: &[String]) -> PrivateSetting {
    let mut s = setting(env, key);
    let (value, from_goprivate) = match key {
        "GONOPROXY" | "GONOSUMDB" => effective_private(env, key),
        _ => (s.value.clone(), false),
    };
    if from_goprivate {
        s.source = env.lookup("GOPRIVATE").map(|(_, src)| src);
    }
    s.value = value.clone();
    let mut patterns: Vec<PatternMatches> = value
        .split(',')
        .filter(|p| !p.trim_end_matches('/').is_empty())
        .map(|p| PatternMatches {
            pattern: p.to_string(),
            modules: Vec::new(),
        })
        .collect();
    for m in modules {
        if let Some(p) = matching_pattern(&value, m)
            && let Some(slot) = patterns.iter_mut().find(|x| x.pattern == p)
        {
            slot.modules.push(m.clone());
        }
    }
    let (what, unset) = match key {
        "GOPRIVATE" => (
            "private: GONOPROXY and GONOSUMDB default to this list",
            "unset: no module is treated as private",
        ),
        "GONOPROXY" => (
            "fetched directly from their repositories, never through GOPROXY",
            "unset: every module goes through GOPROXY",
        ),
        "GONOSUMDB" => (
            "not checked against the checksum database (go.sum still applies)",
            "unset: every module missing from go.sum is checked against GOSUMDB",
        ),
        _ => (
            "allowed over insecure http/TLS when fetched directly; checksums are still verified",
            "unset: direct fetches always use secure transports",
        ),
    };
    s.meaning.push(if value.is_empty() {
        unset.to_string()
    } else if from_goprivate {
        format!("unset, so it is GOPRIVATE ({value}): matching modules are {what}")
    } else {
        format!("matching modules are {what}")
    });
    PrivateSetting {
        name: key.into(),
        setting: s,
        from_goprivate,
        patterns,
    }
}

/// The whole doctor report. `modules` are the build-list module paths patterns are matched
/// against.
pub fn env_report(env: &GoEnv, project: Option<&Project>, modules: &[String]) -> EnvReport {
    let gonoproxy = effective_private(env, "GONOPROXY").0;
    let mut goproxy = setting(env, "GOPROXY");
    let list = parse_goproxy(&goproxy.value, &gonoproxy);
    goproxy.meaning = list.describe(&gonoproxy);
    let mut gosumdb = setting(env, "GOSUMDB");
    gosumdb.meaning.push(match gosumdb.value.as_str() {
        "off" => "off: no checksum database; a module missing from go.sum is trusted as downloaded"
            .into(),
        "" => "unset: go fails with \"missing GOSUMDB\" when it needs the checksum database".into(),
        v => format!(
            "modules missing from go.sum are checked against {v} (except GONOSUMDB matches)"
        ),
    });
    let mut goflags = setting(env, "GOFLAGS");
    let parsed = parse_goflags(&goflags.value);
    goflags.meaning = match &parsed {
        Err(e) => vec![format!("every go command fails: {e}")],
        Ok(f) => goflags_effects(f),
    };
    let mut gowork = setting(env, "GOWORK");
    let gowork_file = project
        .and_then(|p| p.workspace.as_ref())
        .map(|w| w.path.display().to_string());
    gowork.meaning.push(match (gowork.value.as_str(), &gowork_file) {
        ("off", _) => "off: workspaces disabled; go uses the go.mod found from the current directory".into(),
        (_, Some(f)) => format!("workspace mode: {f} is in effect, so it decides the main modules, its replace directives win over go.mod's, and go.work.sum is read; the go.mod alone does not describe the build (GOWORK=off to ignore it)"),
        ("", None) => "auto: no go.work found above the project; go uses go.mod".into(),
        (v, None) => format!("{v}: not loaded"),
    });
    let mut gotoolchain = setting(env, "GOTOOLCHAIN");
    gotoolchain
        .meaning
        .push(toolchain_words(&gotoolchain.value));
    let lines = project.and_then(|p| match (&p.workspace, &p.main) {
        (Some(ws), _) => Some(("go.work", ws.work.go.clone(), ws.work.toolchain.clone())),
        (None, Some(m)) => Some(("go.mod", m.go_mod.go.clone(), m.go_mod.toolchain.clone())),
        _ => None,
    });
    if let Some((file, go, tc)) = lines {
        let go = go
            .map(|g| format!("go {g}"))
            .unwrap_or_else(|| "no go line".into());
        let tc = tc.map(|t| format!(", toolchain {t}")).unwrap_or_default();
        gotoolchain.meaning.push(format!(
            "{file} asks for {go}{tc} (`modscope offline` tells whether the installed go satisfies it)"
        ));
    }
    let mut gomodcache = setting(env, "GOMODCACHE");
    match env.gomodcache() {
        Ok((p, src)) => {
            gomodcache.value = p.display().to_string();
            gomodcache.source = Some(src);
        }
        Err(e) => gomodcache.meaning.push(e.to_string()),
    }
    let mut gopath = setting(env, "GOPATH");
    if let Some((p, src)) = env.gopath() {
        gopath.value = p;
        gopath.source = Some(src);
    }
    let mut go111module = setting(env, "GO111MODULE");
    go111module.meaning.push(match go111module.value.as_str() {
        "off" => "off: GOPATH mode, go.mod is ignored".into(),
        "auto" => "auto: module mode when a go.mod is found".into(),
        _ => "module mode".into(),
    });
    let private = ["GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"]
        .iter()
        .map(|k| private(env, k, modules))
        .collect();
    let mut warnings = traps(env, parsed.as_ref().ok());
    let mut f = Findings::default();
    environment_blockers(env, &mut f);
    warnings.extend(f.blockers.into_iter().map(|b| Warning {
        kind: "breaks-builds".into(),
        message: b.message,
        fix: b.fix,
    }));
    if let (Some(file), "") = (&gowork_file, gowork.value.as_str()) {
        warnings.push(Warning { kind: "go-work-masks-go-mod".into(), message: format!("{file} is picked up automatically and masks the module's own go.mod settings (its requirements are merged, its replaces win)"), fix: Some("GOWORK=off go build ./...".into()) });
    }
    EnvReport {
        schema_version: 1,
        project_dir: project.map(|p| p.root_dir().display().to_string()),
        goproxy,
        goproxy_list: list,
        gosumdb,
        private,
        goflags,
        gowork,
        gowork_file,
        gotoolchain,
        gomodcache,
        gopath,
        go111module,
        warnings,
    }
}

fn goflags_effects(f: &GoFlags) -> Vec<String> {
    let mut out = Vec::new();
    match f.explicit_mod() {
        Some("mod") => out.push("-mod=mod: builds may update go.mod and go.sum and download modules".into()),
        Some("vendor") => out.push("-mod=vendor: builds use only vendor/ (no cache, no network)".into()),
        Some("readonly") => out.push("-mod=readonly: builds never change go.mod; missing go.sum lines are errors (the default)".into()),
        Some(v) => out.push(format!("-mod={v}: not supported; build commands fail")),
        None => {}
    }
    if f.modcacherw {
        out.push(
            "-modcacherw: the module cache is left writable (files stay read-only; rm -rf works)"
                .into(),
        );
    }
    if let Some(m) = &f.modfile {
        out.push(format!(
            "-modfile={m}: go reads {m} instead of go.mod (modscope reads go.mod)"
        ));
    }
    if !f.tags.is_empty() {
        out.push(format!("-tags={}: extra build tags", f.tags.join(",")));
    }
    if out.is_empty() {
        out.push(if f.flags.is_empty() {
            "empty: no default flags".into()
        } else {
            "no flag that affects module loading".into()
        });
    }
    out
}

fn toolchain_words(v: &str) -> String {
    match v {
        "" => "unset: go runs itself and fails if go.mod needs a newer Go".into(),
        "local" => "local: always the installed go; a go.mod that needs a newer Go fails".into(),
        "auto" => "auto: the installed go, or the newer toolchain go.mod asks for (found in PATH or downloaded)".into(),
        "path" => "path: like auto, but only toolchains found in PATH (never downloaded)".into(),
        other => match other.split_once('+') {
            Some((min, "auto")) => format!("{min} at least, upgraded to what go.mod asks for (downloaded if needed)"),
            Some((min, "path")) => format!("{min} at least, upgraded only to toolchains found in PATH"),
            _ => format!("always {other} (found in PATH or downloaded)"),
        },
    }
}
