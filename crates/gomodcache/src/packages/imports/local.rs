//! The parts of the resolver that read local trees: the packages `./...` matches in the main
//! module(s), and packages taken from vendor/ when vendoring is in effect.

use super::{Findings, K, Resolver, SourceTree, dir_in_module, parse_file, rel_in};
use std::path::{Path, PathBuf};
use std::rc::Rc;

impl Resolver<'_, '_> {
    /// The packages `./...` matches, as (import path, tree, rel dir, module label), as
    /// cmd/go's `matchLocalDirs` finds them: only the module whose go.mod encloses the current
    /// directory (nested modules are skipped, workspace modules or not). When that is no main
    /// module (a go.work root that is not itself a module), go matches nothing and fails; we
    /// say so and analyse what `go build work` loads (every workspace module) instead.
    pub(super) fn main_packages(
        &self,
        f: &mut Findings,
    ) -> Vec<(String, Rc<SourceTree>, String, String)> {
        let project = self.access.project;
        let start = &project.start_dir;
        let enclosing = start
            .ancestors()
            .find(|d| d.join("go.mod").is_file())
            .and_then(|root| project.main_modules.iter().position(|m| m.dir == root));
        let scans: Vec<(usize, PathBuf)> = match enclosing {
            Some(i) => vec![(i, start.clone())],
            None => {
                let scope = if project.workspace.is_some() {
                    "modules listed in go.work or their selected dependencies"
                } else {
                    "main module or its selected dependencies"
                };
                f.block(
                    K::PatternOutsideModules,
                    None,
                    format!("pattern ./...: directory prefix . does not contain {scope} ({}); below, what `go build work` (every workspace module's packages) needs", start.display()),
                    "go build work",
                );
                project
                    .main_modules
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (i, m.dir.clone()))
                    .collect()
            }
        };
        let mut out = Vec::new();
        for (i, scan) in scans {
            let (m, (mpath, tree)) = (&project.main_modules[i], &self.mains[i]);
            let ignore = IgnorePatterns::new(&m.go_mod.ignore);
            let mut dirs = Vec::new();
            walk(&scan, &m.dir, &ignore, &mut dirs);
            for dir in dirs {
                let rel = dir
                    .strip_prefix(&m.dir)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let buildable = tree
                    .go_files(&rel)
                    .iter()
                    .any(|(n, d)| self.ctx.should_build(n, &parse_file(d)));
                if buildable {
                    let path = if rel.is_empty() {
                        mpath.clone()
                    } else {
                        format!("{mpath}/{rel}")
                    };
                    out.push((path, tree.clone(), rel, mpath.clone()));
                }
            }
        }
        out
    }

    pub(super) fn resolve_vendored(
        &mut self,
        path: &str,
        why: &str,
        f: &mut Findings,
    ) -> Option<(String, Rc<SourceTree>, String)> {
        let v = self.vendor.as_ref()?;
        let mut found: Vec<(String, Rc<SourceTree>, String)> = Vec::new();
        for (mpath, tree) in &self.mains {
            if let Some(rel) = rel_in(path, mpath)
                && dir_in_module(tree, rel, true)
            {
                found.push((mpath.clone(), tree.clone(), rel.to_string()));
            }
        }
        let vendor_tree = Rc::new(SourceTree::Dir(v.dir.clone()));
        let mut ignored = false;
        if vendor_tree.is_go_dir(path) {
            if v.listed.contains(path) || !v.require_listed {
                found.push(("vendor".into(), vendor_tree, path.to_string()));
            } else {
                ignored = true;
            }
        }
        match found.len() {
            1 => found.pop(),
            0 => {
                let extra = if ignored {
                    format!(
                        " (vendor/{path} exists but is missing from vendor/modules.txt, so go ignores it)"
                    )
                } else {
                    String::new()
                };
                f.block(K::NotVendored, None, format!("cannot find module providing package {path}: import lookup disabled by -mod=vendor ({}){extra}; {why}. The fix needs every module in the cache or the network", v.reason), "go mod vendor");
                None
            }
            _ => {
                f.block_with_advice(K::AmbiguousImport, None, format!("ambiguous import: found package {path} in the main module and in vendor/ ({why})"), "remove one of the copies");
                None
            }
        }
    }
}

/// The go.mod `ignore` directives (cmd/go's `search.IgnorePatterns`): `./x` ignores the
/// directory x at the module root, `x` every directory named x (and their subtrees).
struct IgnorePatterns {
    relative: Vec<String>,
    anywhere: Vec<String>,
}

/// `/p/` with forward slashes, as cmd/go's `normalizePath` compares them.
fn normalize(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut out = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

impl IgnorePatterns {
    fn new(patterns: &[String]) -> Self {
        let (mut relative, mut anywhere) = (Vec::new(), Vec::new());
        for p in patterns {
            match p.strip_prefix("./") {
                Some(rest) => relative.push(normalize(rest)),
                None => anywhere.push(normalize(p)),
            }
        }
        IgnorePatterns { relative, anywhere }
    }

    /// `rel`: the directory relative to the module root ("" for the root itself).
    fn ignores(&self, rel: &str) -> bool {
        if rel.is_empty() {
            return false;
        }
        let d = normalize(rel);
        self.relative.iter().any(|p| d.starts_with(p.as_str()))
            || self.anywhere.iter().any(|p| d.contains(p.as_str()))
    }
}

/// Directories `./...` walks from `dir` inside the module at `root`: no `.`/`_` names,
/// testdata, vendor, ignored directories, nested modules or symlinked directories.
fn walk(dir: &Path, root: &Path, ignore: &IgnorePatterns, out: &mut Vec<PathBuf>) {
    let rel = dir
        .strip_prefix(root)
        .map(|r| r.to_string_lossy().into_owned())
        .unwrap_or_default();
    if ignore.ignores(&rel) {
        return;
    }
    out.push(dir.to_path_buf());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with(['.', '_']) && name != "testdata" && name != "vendor"
        })
        .map(|e| e.path())
        .filter(|p| !p.join("go.mod").is_file())
        .collect();
    subdirs.sort();
    for d in subdirs {
        walk(&d, root, ignore, out);
    }
}

#[cfg(test)]
mod tests {
    use super::IgnorePatterns;

    #[test]
    fn ignore_patterns_match_as_cmd_go_does() {
        let p = IgnorePatterns::new(&["./node_modules".into(), "build".into()]);
        assert!(p.ignores("node_modules"));
        assert!(p.ignores("node_modules/x"));
        assert!(!p.ignores("web/node_modules"), "./x only at the root");
        assert!(p.ignores("build") && p.ignores("a/build/c"));
        assert!(!p.ignores("builder"), "whole elements only");
        assert!(!p.ignores(""), "never the module root");
    }
}
