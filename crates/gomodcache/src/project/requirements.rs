//! The modules a project requires, each with the replacement go would apply to it.
//!
//! Single module: every `require` of go.mod (for go ≥ 1.17 that is every module that provides a
//! package). Workspace: the requirements of every `use` module, one version per path (the highest,
//! as MVS would select among them), minus the workspace modules themselves.

use super::{MainModule, Project};
use crate::fs::clean::clean_path;
use crate::modfile::go_mod::{Replace, ReplaceTarget};
use crate::version::semver;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where a `replace` sends a required module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The right-hand side: a directory or a module version.
    pub target: ReplaceTarget,
    /// `file:line` of the replace directive.
    pub declared_in: String,
    /// The directory relative directory targets resolve against (the declaring file's dir).
    pub base_dir: PathBuf,
    /// The left-hand side as written (`path` or `path@version`), for `go mod edit -dropreplace`.
    pub old: String,
    /// The `go` line of the declaring file: a go.mod written into a replacement directory must
    /// not ask for a newer go than this, or go asks to update the main go.mod first.
    pub go_version: Option<String>,
    /// Declared in go.work (dropped with `go work edit`), not in a go.mod.
    pub in_go_work: bool,
}

impl Replacement {
    /// The absolute directory of a directory replacement.
    pub(crate) fn resolved_dir(&self) -> Option<PathBuf> {
        match &self.target {
            ReplaceTarget::Dir(d) => Some(clean_path(&self.base_dir.join(d))),
            ReplaceTarget::Module { .. } => None,
        }
    }
}

/// One module the check covers: what requires it, at which version, and its replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The module path.
    pub path: String,
    /// The highest version the requiring go.mod files name (the selected one for graph-only).
    pub version: String,
    /// Every `require` of it in the main go.mod files is marked `// indirect`.
    pub indirect: bool,
    /// Labels (module paths, or go.mod paths when unnamed) of the main modules requiring it;
    /// for a graph-only module, the modules whose go.mod files require it.
    pub required_by: Vec<String>,
    /// In the build list only through other modules' go.mod files: no `require` of the main
    /// module (or of a workspace module) names it.
    pub graph_only: bool,
    /// Boxed: most modules have none, and a thousand requirements are made, sorted and moved
    /// before the inspector's first frame (unboxed, a requirement was 200 bytes).
    pub replacement: Option<Box<Replacement>>,
}

struct ReplaceRule<'a> {
    rule: &'a Replace,
    file: String,
    base_dir: PathBuf,
    go_version: Option<&'a str>,
    in_go_work: bool,
}

/// go's lookup: go.work replaces win over go.mod ones; within a set an exact `path version` key
/// beats a wildcard `path` key.
fn find_replacement(
    rule_sets: &[Vec<ReplaceRule<'_>>],
    path: &str,
    version: &str,
) -> Option<Replacement> {
    for rules in rule_sets {
        let exact = rules
            .iter()
            .find(|r| r.rule.old_path == path && r.rule.old_version.as_deref() == Some(version));
        let wildcard = || {
            rules
                .iter()
                .find(|r| r.rule.old_path == path && r.rule.old_version.is_none())
        };
        if let Some(r) = exact.or_else(wildcard) {
            let old = match &r.rule.old_version {
                Some(v) => format!("{}@{v}", r.rule.old_path),
                None => r.rule.old_path.clone(),
            };
            return Some(Replacement {
                target: r.rule.new.clone(),
                declared_in: format!("{}:{}", r.file, r.rule.line),
                base_dir: r.base_dir.clone(),
                old,
                go_version: r.go_version.map(str::to_string),
                in_go_work: r.in_go_work,
            });
        }
    }
    None
}

fn label(m: &MainModule) -> String {
    m.module_path()
        .map(str::to_string)
        .unwrap_or_else(|| m.go_mod_path.display().to_string())
}

/// The `replace` directives in force, in go's order of precedence (go.work's, then the main
/// modules' go.mod files).
pub(crate) struct Replacements<'a> {
    rule_sets: Vec<Vec<ReplaceRule<'a>>>,
}

impl<'a> Replacements<'a> {
    /// The replacements of `project`'s go.work and main go.mod files.
    pub fn of(project: &'a Project) -> Self {
        let mut rule_sets: Vec<Vec<ReplaceRule<'_>>> = Vec::new();
        if let Some(ws) = &project.workspace {
            let base_dir = ws.path.parent().map(PathBuf::from).unwrap_or_default();
            let file = ws.path.display().to_string();
            rule_sets.push(
                ws.work
                    .replace
                    .iter()
                    .map(|rule| ReplaceRule {
                        rule,
                        file: file.clone(),
                        base_dir: base_dir.clone(),
                        go_version: ws.work.go.as_deref(),
                        in_go_work: true,
                    })
                    .collect(),
            );
        }
        rule_sets.push(
            project
                .main_modules
                .iter()
                .flat_map(|m| {
                    let file = m.go_mod_path.display().to_string();
                    m.go_mod.replace.iter().map(move |rule| ReplaceRule {
                        rule,
                        file: file.clone(),
                        base_dir: m.dir.clone(),
                        go_version: m.go_mod.go.as_deref(),
                        in_go_work: false,
                    })
                })
                .collect(),
        );

        Replacements { rule_sets }
    }

    /// Where go sends `path@version`, if anywhere.
    pub fn find(&self, path: &str, version: &str) -> Option<Replacement> {
        find_replacement(&self.rule_sets, path, version)
    }
}

/// Every required module, sorted by path.
pub fn requirements(project: &Project) -> Vec<Requirement> {
    let replacements = Replacements::of(project);
    let main_paths: Vec<&str> = project
        .main_modules
        .iter()
        .filter_map(MainModule::module_path)
        .collect();
    // The requirements in one vector, found by path through an index (a map holding the
    // requirements themselves, then copied out, doubled the memory the first frame faults in).
    let mut reqs: Vec<Requirement> = Vec::new();
    let mut by_path: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
    by_path.reserve(
        project
            .main_modules
            .iter()
            .map(|m| m.go_mod.require.len())
            .sum(),
    );
    for m in &project.main_modules {
        // Once per main module, not per requirement (a large go.mod has thousands).
        let l = label(m);
        reqs.reserve(m.go_mod.require.len());
        for r in &m.go_mod.require {
            if main_paths.contains(&r.path.as_str()) {
                continue;
            }
            let i = *by_path.entry(r.path.as_str()).or_insert_with(|| {
                reqs.push(Requirement {
                    path: r.path.clone(),
                    version: r.version.clone(),
                    indirect: true,
                    required_by: Vec::new(),
                    graph_only: false,
                    replacement: None,
                });
                reqs.len() - 1
            });
            let entry = &mut reqs[i];
            // Equal (the path's first requirement) is by far the usual case: no parse then.
            if r.version != entry.version && semver::compare(&r.version, &entry.version).is_gt() {
                entry.version = r.version.clone();
            }
            entry.indirect &= r.indirect;
            if !entry.required_by.contains(&l) {
                entry.required_by.push(l.clone());
            }
        }
    }
    // Paths are unique: in path order, as the listing shows them.
    reqs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    for r in &mut reqs {
        r.replacement = replacements.find(&r.path, &r.version).map(Box::new);
    }
    reqs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_dirs_are_cleaned_lexically() {
        assert_eq!(
            clean_path(std::path::Path::new("/p/proj/../legacy-auth")),
            PathBuf::from("/p/legacy-auth")
        );
        assert_eq!(
            clean_path(std::path::Path::new("/p/proj/./internal/../utils")),
            PathBuf::from("/p/proj/utils")
        );
        assert_eq!(
            clean_path(std::path::Path::new("/../x")),
            PathBuf::from("/x")
        );
    }
}
