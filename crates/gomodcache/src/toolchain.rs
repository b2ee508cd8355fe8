//! The installed `go` and whether the project's `go`/`toolchain` lines can be satisfied
//! without downloading a toolchain: cmd/go's `toolchain.Select` and `Exec` (spec §9.6), then
//! the "go.mod requires go >= X" check of the toolchain that would run.

pub(crate) mod cached;
pub(crate) mod go_line;
mod path_lookup;
mod refusal;
mod select;

pub(crate) use path_lookup::look_path;
pub use refusal::{ToolchainRefusal, toolchain_refusal};
pub use select::select;

use crate::cache::layout::ModuleCache;
use crate::goenv::env::GoEnv;
use crate::offline::{BlockerKind as K, Findings};
use crate::packages::constraints::BuildContext;
use crate::project::Project;
use crate::version::gover;
use cached::{CachedToolchain, find_cached_toolchain};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What `go env` says about the installed go (run with GOTOOLCHAIN=local).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoInstall {
    /// The `go` found on PATH.
    pub exe: Option<PathBuf>,
    /// `GOVERSION`, e.g. `go1.26.8`.
    pub goversion: Option<String>,
    /// `GOOS`: the target operating system.
    pub goos: Option<String>,
    /// `GOARCH`: the target architecture.
    pub goarch: Option<String>,
    /// `GOHOSTOS`/`GOHOSTARCH`: the platform the go command runs on, which names the
    /// toolchain it downloads (`runtime.GOOS`/`runtime.GOARCH`), whatever GOOS says.
    #[serde(default)]
    pub gohostos: Option<String>,
    /// `GOHOSTARCH` (see `gohostos`).
    #[serde(default)]
    pub gohostarch: Option<String>,
    /// `CGO_ENABLED` is `1`.
    pub cgo_enabled: Option<bool>,
    /// `GOROOT`: where the standard library is.
    pub goroot: Option<PathBuf>,
    /// Why go could not be asked.
    pub error: Option<String>,
}

impl GoInstall {
    /// Runs `go env -json GOVERSION GOOS GOARCH CGO_ENABLED` with the given environment, in a
    /// neutral directory, with GOTOOLCHAIN=local and GOFLAGS unset (so nothing is downloaded and
    /// a broken GOFLAGS does not hide the version).
    pub fn probe(vars: &[(String, String)]) -> GoInstall {
        let path_var = vars
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let Some(exe) = look_path(path_var, "go") else {
            return GoInstall {
                error: Some("no `go` on PATH".into()),
                ..Default::default()
            };
        };
        let out = std::process::Command::new(&exe)
            .args([
                "env",
                "-json",
                "GOVERSION",
                "GOOS",
                "GOARCH",
                "GOHOSTOS",
                "GOHOSTARCH",
                "CGO_ENABLED",
                "GOROOT",
            ])
            .current_dir(std::env::temp_dir())
            .env_clear()
            .envs(
                vars.iter()
                    .filter(|(k, _)| k != "GOFLAGS" && k != "GOTOOLCHAIN")
                    .cloned(),
            )
            .env("GOTOOLCHAIN", "local")
            .stdin(std::process::Stdio::null())
            .output();
        let mut g = GoInstall {
            exe: Some(exe.clone()),
            ..Default::default()
        };
        match out {
            Ok(o) if o.status.success() => {
                let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
                let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
                g.goversion = s("GOVERSION");
                g.goos = s("GOOS");
                g.goarch = s("GOARCH");
                g.gohostos = s("GOHOSTOS");
                g.gohostarch = s("GOHOSTARCH");
                g.cgo_enabled = s("CGO_ENABLED").map(|c| c == "1");
                g.goroot = s("GOROOT").filter(|r| !r.is_empty()).map(PathBuf::from);
            }
            Ok(o) => {
                g.error = Some(format!(
                    "{} env failed: {}",
                    exe.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                ))
            }
            Err(e) => g.error = Some(format!("cannot run {}: {e}", exe.display())),
        }
        g
    }

    /// What can be known about the installed go without running it: its GOROOT (from the
    /// environment or the `go` found on PATH, symlinks resolved), the version in
    /// `$GOROOT/VERSION`, GOOS/GOARCH/CGO_ENABLED from the environment or the host. The inspector
    /// uses this: a child it started outside the job layer could outlive it.
    pub fn from_installation(vars: &[(String, String)]) -> GoInstall {
        let get = |k: &str| {
            vars.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        let Some(exe) = look_path(&get("PATH").unwrap_or_default(), "go") else {
            return GoInstall {
                error: Some("no `go` on PATH".into()),
                ..Default::default()
            };
        };
        let goroot = get("GOROOT").map(PathBuf::from).or_else(|| {
            let real = std::fs::canonicalize(&exe).ok()?;
            Some(real.parent()?.parent()?.to_path_buf())
        });
        let goversion = goroot
            .as_ref()
            .and_then(|r| std::fs::read_to_string(r.join("VERSION")).ok())
            .and_then(|t| t.lines().next().map(|l| l.trim().to_string()))
            .filter(|v| v.starts_with("go"));
        let error = goversion
            .is_none()
            .then(|| format!("no VERSION file under GOROOT for {}", exe.display()));
        let host = BuildContext::host();
        GoInstall {
            exe: Some(exe),
            goversion,
            goos: get("GOOS").or_else(|| Some(host.goos.clone())),
            goarch: get("GOARCH").or_else(|| Some(host.goarch.clone())),
            gohostos: Some(host.goos.clone()),
            gohostarch: Some(host.goarch.clone()),
            cgo_enabled: get("CGO_ENABLED").map(|c| c == "1"),
            goroot,
            error,
        }
    }

    /// The Go version (`1.26.8`) of `GOVERSION` (`go1.26.8`, `go1.27rc1 X:…`, `devel go1.27-…`).
    pub(crate) fn version(&self) -> Option<String> {
        let v = self.goversion.as_deref()?;
        let v = v.strip_prefix("devel ").unwrap_or(v);
        gover::from_toolchain(v.split_whitespace().next()?)
    }

    /// The build context for constraints: go's answer, else the environment, else the host.
    pub(crate) fn build_context(&self, env: &GoEnv, tags: &[String]) -> BuildContext {
        let mut c = BuildContext::host();
        if let Some(os) = self
            .goos
            .clone()
            .or_else(|| env.get("GOOS").map(str::to_string))
        {
            c.goos = os;
        }
        if let Some(arch) = self
            .goarch
            .clone()
            .or_else(|| env.get("GOARCH").map(str::to_string))
        {
            c.goarch = arch;
        }
        c.cgo = self
            .cgo_enabled
            .unwrap_or_else(|| env.get("CGO_ENABLED") == Some("1"));
        c.release_minor = self.version().and_then(|v| gover::minor(&v)).unwrap_or(99);
        c.tags = tags.to_vec();
        if c.goarch == "amd64" {
            let level: u32 = env
                .get("GOAMD64")
                .and_then(|l| l.strip_prefix('v')?.parse().ok())
                .unwrap_or(1);
            c.tags.extend((1..=level).map(|l| format!("amd64.v{l}")));
        }
        c
    }
}

/// The toolchain decision, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolchainInfo {
    /// GOTOOLCHAIN as go sees it (`""` when unset everywhere).
    pub gotoolchain: String,
    /// `go` line of go.work, else go.mod.
    pub go_line: Option<String>,
    /// `toolchain` line of go.work, else go.mod.
    pub toolchain_line: Option<String>,
    /// The installed go (`1.26.8`).
    pub local: Option<String>,
    /// The toolchain go would run: `local`, or a name like `go1.99.0`.
    pub selected: String,
    /// Where a switched-to toolchain was found: in PATH, or `bin/go` in the module cache.
    pub selected_exe: Option<PathBuf>,
    /// The `golang.org/toolchain` module version go runs it from, when it is in the cache.
    #[serde(default)]
    pub selected_module: Option<String>,
}

fn bad(f: &mut Findings, msg: String, fix: &str) {
    f.block(K::Environment, None, msg, fix);
}

/// `toolchain.Select` + `Exec` + the TooNew check, offline.
pub(crate) fn check_toolchain(
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
    go: &GoInstall,
    f: &mut Findings,
) -> ToolchainInfo {
    let (file, go_line, tc_line) = refusal::governing_lines(project);
    let short = crate::project::vendor_mode::short_path(&project.start_dir, &file);
    let gotoolchain = env.get("GOTOOLCHAIN").unwrap_or("").to_string();
    let mut info = ToolchainInfo {
        gotoolchain: gotoolchain.clone(),
        go_line: go_line.clone(),
        toolchain_line: tc_line.clone(),
        local: go.version(),
        selected: "local".into(),
        selected_exe: None,
        selected_module: None,
    };
    let Some(local) = go.version() else {
        let need = go_line
            .as_deref()
            .map(|g| format!(" (go.mod asks for go {g})"))
            .unwrap_or_default();
        let why = go
            .error
            .clone()
            .unwrap_or_else(|| "go did not report its version".into());
        f.block(
            K::GoNotInstalled,
            None,
            format!("the go command is not available: {why}{need}"),
            "install Go (https://go.dev/dl/) and put it on PATH",
        );
        return info;
    };
    let local_tc = format!("go{local}");
    let (chosen, path_only) = match select(
        &gotoolchain,
        &local,
        go_line.as_deref(),
        tc_line.as_deref(),
        &short,
    ) {
        Ok(c) => c,
        Err(msg) => {
            bad(
                f,
                msg,
                "set GOTOOLCHAIN to local, auto, path or a toolchain name like go1.22.3+auto, and the toolchain line to go1.X.Y",
            );
            return info;
        }
    };
    if chosen != local_tc {
        info.selected = chosen.clone();
        if let Some(exe) = look_path(env.get("PATH").unwrap_or(""), &chosen) {
            info.selected_exe = Some(exe);
        } else if let Err(blocker) =
            run_from_module_cache(cache, env, go, &chosen, path_only, &short, &mut info)
        {
            let (msg, fix) = *blocker;
            f.block(K::ToolchainUnavailable, None, msg, fix);
            return info;
        }
    }
    let running = gover::from_toolchain(&info.selected).unwrap_or_else(|| local.clone());
    if let Some(g) = &go_line
        && gover::compare(g, &running).is_gt()
    {
        // The local go's refusal is worded in one place (it also explains `toolchain default`).
        let (message, advice) = match refusal::refusal(project, env, &local) {
            Some(r) if info.selected == "local" => (r.message, r.advice),
            _ => {
                let explain = if !gotoolchain.is_empty() && gotoolchain != "auto" {
                    format!("; GOTOOLCHAIN={gotoolchain}")
                } else {
                    String::new()
                };
                (
                    format!("go: {short} requires go >= {g} (running go {running}{explain})"),
                    format!("install Go {g} or newer, or lower the go line of {short}"),
                )
            }
        };
        f.block_with_advice(K::ToolchainUnavailable, None, message, &advice);
    }
    info
}

/// `toolchain.Exec` past the PATH lookup: GOTOOLCHAIN=path stops there; otherwise go runs the
/// toolchain from the module cache or downloads it (impossible offline). The error is the
/// blocker's message and fix.
fn run_from_module_cache(
    cache: &ModuleCache,
    env: &GoEnv,
    go: &GoInstall,
    chosen: &str,
    path_only: bool,
    short: &str,
    info: &mut ToolchainInfo,
) -> Result<(), Box<(String, String)>> {
    let gotoolchain = &info.gotoolchain;
    let local = info.local.clone().unwrap_or_default();
    if path_only {
        return Err(Box::new((
            format!(
                "go: cannot find {chosen:?} in PATH (GOTOOLCHAIN={gotoolchain}; {short} needs it). The fix installs it into PATH (it needs the network); lowering the go/toolchain line is the other way"
            ),
            format!("go install golang.org/dl/{chosen}@latest && {chosen} download"),
        )));
    }
    // The toolchain go downloads is named after the platform go runs on, not GOOS/GOARCH.
    let os = go.gohostos.as_deref().or(go.goos.as_deref()).unwrap_or("?");
    let arch = go
        .gohostarch
        .as_deref()
        .or(go.goarch.as_deref())
        .unwrap_or("?");
    let install = format!("GOTOOLCHAIN={chosen} go version");
    match find_cached_toolchain(cache, env, chosen, os, arch) {
        CachedToolchain::Usable { go, module } => {
            info.selected_exe = Some(go);
            info.selected_module = Some(module);
            Ok(())
        }
        CachedToolchain::Unusable {
            module,
            problem,
            fix,
        } => Err(Box::new((
            format!(
                "{problem} — go selects {chosen} (GOTOOLCHAIN={gotoolchain}, {short}; running go {local}); go would run it from {module} in the module cache"
            ),
            fix,
        ))),
        CachedToolchain::Absent { module, state } => {
            let tv = gover::from_toolchain(chosen).unwrap_or_default();
            if gover::is_lang(&tv) && gover::compare(&tv, "1.21").is_ge() {
                return Err(Box::new((
                    format!(
                        "go: invalid toolchain: {chosen} is a language version but not a toolchain version ({chosen}.x)"
                    ),
                    format!(
                        "name a release such as {chosen}.0 in GOTOOLCHAIN or the toolchain line"
                    ),
                )));
            }
            Err(Box::new((
                format!(
                    "go: download {chosen} for {os}/{arch}: toolchain not available — go selects {chosen} (GOTOOLCHAIN={gotoolchain}, {short}; running go {local}); {module}: {state}, and go would download it, which is not possible offline"
                ),
                install,
            )))
        }
    }
}

#[cfg(test)]
mod tests;
