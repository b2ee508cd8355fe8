//! What makes go refuse a workspace before it loads anything (cmd/go's `loadWorkFile`,
//! `loadModFile` and `MainModules` setup): `use` lines it cannot load or that name one directory
//! twice, one module path used twice, a go.work `replace` of a workspace module at all
//! versions, workspace modules whose go.mod files replace one module differently, and a go.work
//! go line below a module's. Each comes with go's message and a command that fixes it.

use super::{Project, UseError, UseProblem};
use crate::fix::commands::shell_quote;
use crate::fs::clean::clean_path;
use crate::modfile::go_mod::ReplaceTarget;
use crate::modfile::is_directory_path;
use crate::project::vendor_mode::short_path;
use crate::version::gover;
use std::collections::HashMap;
use std::path::Path;

/// One reason go refuses the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceError {
    /// go's own words (prefixed `go: `), with where it comes from.
    pub message: String,
    /// A command that removes the cause when pasted; when none can, `advice` says what to do.
    pub fix: Option<String>,
    /// What to do, in words, when no command can fix it.
    pub advice: Option<String>,
    /// The file it is about (go.work or a go.mod).
    pub file: String,
    /// The line it is about, when it is about one.
    pub line: Option<usize>,
}

/// Every reason go refuses the workspace of `project` (none outside workspace mode): the
/// `use` lines first, then the refusals of the set of workspace modules itself (one path from
/// two directories, conflicting replacements, ...).
pub fn workspace_errors(project: &Project) -> Vec<WorkspaceError> {
    let Some(ws) = &project.workspace else {
        return Vec::new();
    };
    let work = shell_quote(&ws.path.display().to_string());
    let at = |line: usize| format!("{}:{line}", ws.path.display());
    let mut out: Vec<WorkspaceError> = ws
        .use_problems
        .iter()
        .map(|u| use_error(project, u, &work, &at(u.line)))
        .collect();
    out.extend(module_set_errors(project));
    out
}

/// The reasons go refuses the set of workspace modules itself (beyond its `use` lines).
fn module_set_errors(project: &Project) -> Vec<WorkspaceError> {
    let Some(ws) = &project.workspace else {
        return Vec::new();
    };
    let work = shell_quote(&ws.path.display().to_string());
    let work_file = ws.path.display().to_string();
    let at = |line: usize| format!("{work_file}:{line}");
    let mut out = Vec::new();
    let error = |message: String, fix: String, line: Option<usize>| WorkspaceError {
        message,
        fix: Some(fix),
        advice: None,
        file: work_file.clone(),
        line,
    };

    // One module path from two directories.
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for m in &project.main_modules {
        let Some(path) = m.module_path() else {
            continue;
        };
        if seen.insert(path, &m.dir).is_some() {
            let line = use_line_of(project, &m.dir);
            let message = format!("go: module {path} appears multiple times in workspace");
            out.push(match line {
                Some((written, n)) => error(message, drop_use_line(written, n, &work), Some(n)),
                None => WorkspaceError {
                    message,
                    fix: None,
                    advice: Some(format!("remove one of its two use lines from {work_file}")),
                    file: work_file.clone(),
                    line: None,
                },
            });
        }
    }

    // A go.work replacement of a workspace module at every version.
    for r in &ws.work.replace {
        if r.old_version.is_none() && seen.contains_key(r.old_path.as_str()) {
            out.push(error(
                format!(
                    "go: workspace module {} is replaced at all versions in the go.work file ({}). To fix, remove the replacement from the go.work file or specify the version at which to replace the module.",
                    r.old_path,
                    at(r.line)
                ),
                format!("go work edit -dropreplace={} {work}", shell_quote(&r.old_path)),
                Some(r.line),
            ));
        }
    }

    // Two workspace modules' go.mod files replacing one module differently (go.work's own
    // replacements of that path take precedence and settle it).
    let by_work: Vec<&str> = ws
        .work
        .replace
        .iter()
        .map(|r| r.old_path.as_str())
        .collect();
    let mut targets: HashMap<(String, Option<String>), String> = HashMap::new();
    for m in &project.main_modules {
        for r in &m.go_mod.replace {
            if by_work.contains(&r.old_path.as_str()) {
                continue;
            }
            let target = match &r.new {
                ReplaceTarget::Module { path, version } => format!("{path}@{version}"),
                ReplaceTarget::Dir(d) if Path::new(d).is_absolute() => d.clone(),
                ReplaceTarget::Dir(d) => clean_path(&m.dir.join(d)).display().to_string(),
            };
            let old = (r.old_path.clone(), r.old_version.clone());
            match targets.get(&old) {
                Some(prev) if *prev != target => {
                    let old_text = match &r.old_version {
                        Some(v) => format!("{}@{v}", r.old_path),
                        None => r.old_path.clone(),
                    };
                    out.push(WorkspaceError {
                        message: format!(
                            "go: conflicting replacements for {old_text}: {prev} / {target} use \"go work edit -replace {old_text}=[override]\" to resolve ({}:{})",
                            m.go_mod_path.display(),
                            r.line
                        ),
                        // The first workspace module's choice, stated once in go.work.
                        fix: Some(format!(
                            "go work edit -replace={}={} {work}",
                            shell_quote(&old_text),
                            shell_quote(prev)
                        )),
                        advice: None,
                        file: m.go_mod_path.display().to_string(),
                        line: Some(r.line),
                    });
                }
                Some(_) => {}
                None => {
                    targets.insert(old, target);
                }
            }
        }
    }

    // The go.work go line below a workspace module's (go 1.21 and later lines only).
    let work_go = ws.work.go.clone().unwrap_or_else(|| "1.18".into());
    for m in &project.main_modules {
        let module_go = m.go_mod.go.clone().unwrap_or_else(|| "1.16".into());
        if gover::compare(&module_go, &work_go).is_gt()
            && gover::compare(&module_go, "1.21").is_ge()
        {
            let verb = if ws.work.go.is_some() {
                "lists"
            } else {
                "implicitly requires"
            };
            let dir = ws.path.parent().unwrap_or(Path::new("/"));
            out.push(error(
                format!(
                    "go: module {} listed in go.work file requires go >= {module_go}, but go.work {verb} go {work_go}; to update it: go work use",
                    short_path(&project.start_dir, &m.dir)
                ),
                format!("go -C {} work use", shell_quote(&dir.display().to_string())),
                None,
            ));
        }
    }
    out
}

fn use_error(project: &Project, u: &UseProblem, work: &str, at: &str) -> WorkspaceError {
    let file = project
        .workspace
        .as_ref()
        .map(|w| w.path.display().to_string())
        .unwrap_or_default();
    let (message, fix) = match &u.error {
        UseError::NoGoMod(error) => {
            let shown = short_path(&project.start_dir, &u.dir);
            (
                format!(
                    "go: cannot load module {shown} listed in go.work file: open {shown}/go.mod: {error} ({at}); restore the directory, drop the use line, or build this module alone with GOWORK=off (a go.work shipped inside a module usually names nested modules its zip does not hold)"
                ),
                drop_use_line(&u.path, u.line, work),
            )
        }
        UseError::Duplicate {
            first_line,
            first_path,
        } => {
            let fix = if first_path == &u.path && is_directory_path(&u.path) {
                // -dropuse drops both lines; -use writes one back.
                format!(
                    "go work edit -dropuse={p} {work} && go work edit -use={p} {work}",
                    p = shell_quote(&u.path)
                )
            } else {
                drop_use_line(&u.path, u.line, work)
            };
            (
                format!(
                    "go: error loading go.work: {at}: path {} appears multiple times in workspace (first on line {first_line})",
                    u.dir.display()
                ),
                fix,
            )
        }
    };
    WorkspaceError {
        message,
        fix: Some(fix),
        advice: None,
        file,
        line: Some(u.line),
    }
}

/// The `use` line (as written, and its number) that names `dir`.
fn use_line_of<'p>(project: &'p Project, dir: &Path) -> Option<(&'p str, usize)> {
    let ws = project.workspace.as_ref()?;
    let base = ws.path.parent()?;
    ws.work
        .use_dirs
        .iter()
        .rev()
        .find(|u| clean_path(&base.join(&u.path)) == dir)
        .map(|u| (u.path.as_str(), u.line))
}

/// The command that removes one `use` line: `go work edit` when it can name the path (it
/// matches only a directory path, exactly as written: x/mod's `IsDirectoryPath`), else a
/// `sed` of that line (the form both GNU and BSD sed accept, keeping a .bak copy).
fn drop_use_line(path: &str, line: usize, work: &str) -> String {
    if is_directory_path(path) {
        format!("go work edit -dropuse={} {work}", shell_quote(path))
    } else {
        format!("sed -i.bak '{line}d' {work}")
    }
}
