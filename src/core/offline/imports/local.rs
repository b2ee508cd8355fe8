//! The parts of the resolver that read local trees: the packages `./...` matches in the main
//! module(s), and packages taken from vendor/ when vendoring is in effect.

use super::{Findings, K, Resolver, SourceTree, dir_in_module, parse_file, rel_in};
use std::path::{Path, PathBuf};
use std::rc::Rc;

impl Resolver<'_, '_> {
    /// The packages `./...` matches, as (import path, tree, rel dir, module label).
    pub(super) fn main_packages(&self) -> Vec<(String, Rc<SourceTree>, String, String)> {
        let project = self.access.project;
        let start = &project.start_dir;
        let mut out = Vec::new();
        for (m, (mpath, tree)) in project.main_modules.iter().zip(&self.mains) {
            let scan = if start.starts_with(&m.dir) {
                start.clone()
            } else if m.dir.starts_with(start) {
                m.dir.clone()
            } else {
                continue;
            };
            let mut dirs = Vec::new();
            walk(&scan, &mut dirs);
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

/// Directories `./...` walks from `scan`: no `.`/`_` names, testdata, vendor, nested modules
/// or symlinked directories.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
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
        walk(&d, out);
    }
}
