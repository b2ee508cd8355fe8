//! Environment settings that break builds (blockers for the offline verdict) and traps worth
//! a warning: GOSUMDB=off, a global -mod=mod, variables go does not know, GOPATH lists,
//! relative paths, an unusable GOPROXY.

use super::goflags::GoFlags;
use super::goproxy::parse_goproxy;
use crate::goenv::env::effective_private;
use crate::goenv::env::{GoEnv, ValueSource};
use crate::offline::{BlockerKind as K, Findings, Warning};
use std::path::Path;

/// Names people write that go does not read, with what they probably meant.
const LOOKALIKES: &[(&str, &str)] = &[
    ("GONOSUMCHECK", "GONOSUMDB"),
    ("GONOVERIFY", "GONOSUMDB"),
    ("GONOSUM", "GONOSUMDB"),
    ("GOSUMCHECK", "GOSUMDB"),
    ("GONOSUMDBS", "GONOSUMDB"),
    ("GOPROXIES", "GOPROXY"),
    ("GONOPROXIES", "GONOPROXY"),
    ("GOPRIVATES", "GOPRIVATE"),
    ("GOFLAG", "GOFLAGS"),
    ("GOINSECURES", "GOINSECURE"),
    ("GOMODCACHEDIR", "GOMODCACHE"),
];

/// Settings that make every build fail, as blockers (used by the offline verdict).
pub fn environment_blockers(env: &GoEnv, f: &mut Findings) {
    if env.get("GO111MODULE") == Some("off") {
        f.block_with_advice(
            K::Environment,
            None,
            "GO111MODULE=off: go builds in GOPATH mode and ignores go.mod",
            "unset GO111MODULE (or set it to on)",
        );
    }
    if let Some((gopath, _)) = env.lookup("GOPATH") {
        for p in std::env::split_paths(gopath).filter(|p| !p.as_os_str().is_empty()) {
            let s = p.display().to_string();
            if s.starts_with('~') {
                f.block_with_advice(
                    K::Environment,
                    None,
                    format!("go: GOPATH entry cannot start with shell metacharacter '~': {s:?}"),
                    "write the home directory out in GOPATH",
                );
            } else if !p.is_absolute() {
                f.block_with_advice(
                    K::Environment,
                    None,
                    format!("go: GOPATH entry is relative; must be absolute path: {s:?}"),
                    "make every GOPATH entry absolute",
                );
            }
        }
    }
    if let Some(c) = env
        .get("GOCACHE")
        .filter(|c| *c != "off" && !Path::new(c).is_absolute())
    {
        f.block_with_advice(
            K::Environment,
            None,
            format!(
                "GOCACHE is not an absolute path ({c:?}): go cannot initialize the build cache"
            ),
            "make GOCACHE absolute",
        );
    }
}

/// The traps worth a warning; `vars` are the variable names set in the environment or the
/// env file.
pub fn traps(env: &GoEnv, flags: Option<&GoFlags>) -> Vec<Warning> {
    let mut out = Vec::new();
    // What to do is advice in words (no command changes the user's environment for them), so
    // it ends the message and the fix stays empty.
    let mut warn = |kind: &str, message: String, advice: Option<&str>| {
        out.push(Warning {
            kind: kind.into(),
            message: match advice {
                Some(a) => format!("{message}. To fix: {a}"),
                None => message,
            },
            fix: None,
        })
    };
    if let Some(("off", src)) = env.lookup("GOSUMDB") {
        warn(
            "gosumdb-off",
            format!(
                "GOSUMDB=off ({}): go never checks modules it adds to go.sum against the checksum database",
                source_words(src)
            ),
            Some("unset GOSUMDB; list private modules in GOPRIVATE or GONOSUMDB instead"),
        );
    }
    if let (Some(fl), Some((_, src))) = (flags, env.lookup("GOFLAGS"))
        && fl.explicit_mod() == Some("mod")
    {
        warn(
            "goflags-mod-mod",
            format!(
                "GOFLAGS=-mod=mod is set ({}): every build may rewrite go.mod and go.sum and go to the network, instead of failing on a missing requirement or go.sum line",
                source_words(src)
            ),
            Some("remove -mod=mod from GOFLAGS; run go mod tidy when you mean to update go.mod"),
        );
    }
    for (name, meant) in LOOKALIKES {
        if env.get(name).is_some() {
            warn(
                "unknown-variable",
                format!("{name} is set but has no effect; did you mean {meant}?"),
                Some(&format!("set {meant} instead")),
            );
        }
    }
    if let Some((gopath, _)) = env.lookup("GOPATH") {
        let parts: Vec<_> = std::env::split_paths(gopath).collect();
        if parts.len() > 1 {
            warn(
                "gopath-list",
                format!(
                    "GOPATH is a list ({gopath}): only the first entry ({}) holds the module cache and go install's binaries",
                    parts[0].display()
                ),
                None,
            );
        }
    }
    for key in ["GOMODCACHE", "GOENV", "GOTMPDIR", "GOBIN"] {
        if let Some(v) = env
            .get(key)
            .filter(|v| *v != "off" && !Path::new(v).is_absolute())
        {
            warn(
                "relative-path",
                format!("{key}={v} is a relative path; go rejects or misinterprets it"),
                Some("use an absolute path"),
            );
        }
    }
    if let Some(v) = env.get("GOINSECURE") {
        warn(
            "goinsecure",
            format!(
                "GOINSECURE={v}: matching modules may be fetched over plain http when fetched directly; checksums are still verified"
            ),
            None,
        );
    }
    if let Some(e) = parse_goproxy(
        env.get("GOPROXY").unwrap_or(""),
        &effective_private(env, "GONOPROXY").0,
    )
    .error
    {
        warn(
            "goproxy-invalid",
            format!("GOPROXY cannot be used: {e}"),
            Some("fix GOPROXY (e.g. https://proxy.golang.org,direct)"),
        );
    }
    out
}

fn source_words(s: ValueSource) -> &'static str {
    match s {
        ValueSource::Environment => "from the environment",
        ValueSource::EnvFile => "in the go env file (go env -w)",
        ValueSource::GorootGoEnv => "in $GOROOT/go.env",
        ValueSource::Derived => "derived",
        ValueSource::CommandLine => "on the command line",
    }
}
