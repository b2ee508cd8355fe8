//! Whether the go command refuses to run at all in the project because of its `go` or
//! `toolchain` line, before it reads anything else: cmd/go's `toolchain.Select` keeps the local
//! toolchain (GOTOOLCHAIN=local, a pinned `goX.Y.Z` equal to it, or `toolchain default`) and
//! the go line is newer (`gover.TooNewError`), or GOTOOLCHAIN=path (or `+path`) selects a
//! toolchain that is not on PATH. Every go command fails then: `go mod verify`, `go mod graph`,
//! `go build`. A switch that needs a download (GOTOOLCHAIN=auto) is not a refusal: go would
//! fetch the toolchain; whether that works offline is the `offline` command's business.

use super::path_lookup::look_path;
use super::select::select;
use crate::goenv::env::GoEnv;
use crate::project::Project;
use crate::project::vendor_mode::short_path;
use crate::version::gover;
use std::path::PathBuf;

/// Why go refuses to run in the project, in its own words, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolchainRefusal {
    /// go's message, prefixed `go: `, exactly as it prints it.
    pub message: String,
    /// What to do, in words: there is no single command that fixes it.
    pub advice: String,
    /// The go.work or go.mod whose line go refuses.
    pub file: String,
}

/// The file whose `go`/`toolchain` lines decide the toolchain (go.work in workspace mode, else
/// the main go.mod), and those lines.
pub(crate) fn governing_lines(project: &Project) -> (PathBuf, Option<String>, Option<String>) {
    match (&project.workspace, &project.main) {
        (Some(ws), _) => (
            ws.path.clone(),
            ws.work.go.clone(),
            ws.work.toolchain.clone(),
        ),
        (None, Some(m)) => (
            m.go_mod_path.clone(),
            m.go_mod.go.clone(),
            m.go_mod.toolchain.clone(),
        ),
        _ => (PathBuf::from("go.mod"), None, None),
    }
}

/// Why an installed go of version `local` (`1.26.8`) refuses to run in `project` with `env`.
pub(crate) fn refusal(project: &Project, env: &GoEnv, local: &str) -> Option<ToolchainRefusal> {
    let (file, go_line, tc_line) = governing_lines(project);
    let short = short_path(&project.start_dir, &file);
    let gotoolchain = env.get("GOTOOLCHAIN").unwrap_or("");
    // An invalid GOTOOLCHAIN is go's refusal too, but of the environment, not of a project
    // file; `modscope env` and `offline` say it.
    let (chosen, path_only) = select(
        gotoolchain,
        local,
        go_line.as_deref(),
        tc_line.as_deref(),
        &short,
    )
    .ok()?;
    let file_name = file.display().to_string();
    if chosen == format!("go{local}") {
        let g = go_line.filter(|g| gover::compare(g, local).is_gt())?;
        let switching = matches!(switch_mode(gotoolchain), "auto" | "path");
        // `toolchain default` is the only way auto/path mode keeps an older local go.
        let pinned_by_file = switching && tc_line.as_deref() == Some("default");
        let mut explain = String::new();
        if !gotoolchain.is_empty() && gotoolchain != "auto" {
            explain = format!("; GOTOOLCHAIN={gotoolchain}");
        }
        if pinned_by_file {
            explain.push_str(&format!("; {short} sets toolchain default"));
        }
        let target = first_release(&g);
        let advice = if pinned_by_file {
            let from = if switch_mode(gotoolchain) == "path" {
                "it looks for it on PATH"
            } else {
                "it downloads it"
            };
            format!(
                "install Go {g} or newer, or remove the `toolchain default` line of {short} so that go switches to {target} ({from}), or lower the go line of {short} to {local} or older"
            )
        } else {
            format!(
                "install Go {g} or newer, or set GOTOOLCHAIN=auto so that go switches to {target} (it downloads it), or lower the go line of {short} to {local} or older"
            )
        };
        return Some(ToolchainRefusal {
            message: format!("go: {short} requires go >= {g} (running go {local}{explain})"),
            advice,
            file: file_name,
        });
    }
    if path_only && look_path(env.get("PATH").unwrap_or(""), &chosen).is_none() {
        let lower = if tc_line.as_deref() == Some(chosen.as_str()) {
            format!("remove the toolchain line of {short}")
        } else {
            format!("lower the go line of {short} to {local} or older")
        };
        return Some(ToolchainRefusal {
            message: format!("go: cannot find {chosen:?} in PATH"),
            advice: format!(
                "put a {chosen} command on PATH (golang.org/dl has one for each release), or set GOTOOLCHAIN=auto so that go downloads {chosen}, or {lower}"
            ),
            file: file_name,
        });
    }
    None
}

/// The `+auto`/`+path` part of GOTOOLCHAIN (`auto` and `path` stand for `local+auto`/`local+path`).
fn switch_mode(gotoolchain: &str) -> &str {
    match gotoolchain {
        "auto" | "path" => gotoolchain,
        _ => gotoolchain.split_once('+').map_or("", |(_, s)| s),
    }
}

/// The toolchain go switches to for a go line: `go1.22.0` for the language version `1.22`
/// (issue 62278), else `go` and the line.
fn first_release(go_line: &str) -> String {
    if gover::is_lang(go_line) && gover::compare(go_line, "1.21").is_ge() {
        format!("go{go_line}.0")
    } else {
        format!("go{go_line}")
    }
}

/// Why the go that `go_env` (the environment go would run with: PATH, GOROOT, GOTOOLCHAIN and
/// the env files it points to) finds refuses to run at all in the project because of its go or
/// toolchain line, or `None` when it runs, switches toolchains, or is not installed (nothing
/// refuses then). go is not run: its version is read from the VERSION file beside it.
pub fn toolchain_refusal(
    project: &Project,
    go_env: &[(String, String)],
) -> Option<ToolchainRefusal> {
    let env = GoEnv::from_vars(go_env.iter().cloned());
    // Only what is certain is claimed: a refusal breaks the user's CI. With modules off go
    // selects no toolchain; with -modfile it reads another file's go line.
    let flags = env.get("GOFLAGS").unwrap_or("");
    if env.get("GO111MODULE") == Some("off") || flags.contains("-modfile") {
        return None;
    }
    refusal(project, &env, &local_go_version(go_env)?)
}

/// The version of the `go` found on PATH, from the VERSION file of the tree it is in (symlinks
/// resolved). Not `$GOROOT/VERSION`: go's version is built into the binary, and a GOROOT left
/// pointing at another install (after an upgrade) must not make an old version of it. `None`
/// when the `go` on PATH is not in a Go tree (a shim script): nothing is claimed then.
fn local_go_version(go_env: &[(String, String)]) -> Option<String> {
    let path = go_env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())?;
    let root = crate::goenv::env::goroot_from_path(path)?;
    let text = std::fs::read_to_string(root.join("VERSION")).ok()?;
    // `go1.26.8`, `go1.27rc1 X:…`, `devel go1.27-…`, as `GoInstall::version` reads GOVERSION.
    let first = text.lines().next()?.trim();
    let v = first.strip_prefix("devel ").unwrap_or(first);
    gover::from_toolchain(v.split_whitespace().next()?)
}
