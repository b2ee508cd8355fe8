//! Resolving one import as `modload.importFromModules` does: every build-list module whose path
//! is a prefix of the import is looked into, the one holding a directory with Go files provides
//! it, and under graph pruning the provider must be a root (or the full graph is loaded).

use super::{BuildMode, Fetched, Findings, K, Resolver, SourceTree, dir_in_module, rel_in};
use crate::fix::commands::shell_quote;
use crate::graph::Node;
use crate::version::semver;
use std::rc::Rc;

impl Resolver<'_, '_> {
    pub(super) fn resolve(
        &mut self,
        path: &str,
        importer: &str,
        f: &mut Findings,
    ) -> Option<(String, Rc<SourceTree>, String)> {
        let why = format!("package {path} (imported by {importer})");
        if self.vendor.is_some() {
            return self.resolve_vendored(path, &why, f);
        }
        loop {
            let use_roots = self.lazy && self.out.full_graph.is_none();
            let mut found: Vec<(String, Rc<SourceTree>, String, Option<Node>)> = Vec::new();
            for (mpath, tree) in &self.mains {
                if let Some(rel) = rel_in(path, mpath)
                    && dir_in_module(tree, rel, true)
                {
                    found.push((mpath.clone(), tree.clone(), rel.to_string(), None));
                }
            }
            let mut sum_err = false;
            let mut prefix = path;
            loop {
                let version = if use_roots {
                    self.roots.get(prefix)
                } else {
                    self.graph.selected.get(prefix)
                };
                let is_main = self.mains.iter().any(|(m, _)| m == prefix);
                if let Some(v) = version.filter(|v| *v != "none" && !is_main).cloned() {
                    let node = Node::new(prefix, &v);
                    self.need(&node)
                        .first_importer
                        .get_or_insert_with(|| importer.to_string());
                    match self.access.fetch(&node, &why, f) {
                        Fetched::SumMissing => sum_err = true,
                        Fetched::Failed => return None,
                        Fetched::Tree(tree, local) => {
                            let rel = rel_in(path, prefix).unwrap_or_default();
                            if dir_in_module(&tree, rel, local) {
                                found.push((node.to_string(), tree, rel.to_string(), Some(node)));
                            }
                        }
                    }
                }
                match prefix.rsplit_once('/') {
                    Some((p, _)) => prefix = p,
                    None => break,
                }
            }
            if found.len() > 1 {
                let list: Vec<String> = found
                    .iter()
                    .map(|(l, t, r, _)| format!("{l} ({})", t.location(r)))
                    .collect();
                f.block_with_advice(K::AmbiguousImport, None, format!("ambiguous import: found package {path} in multiple modules: {} ({why})", list.join(", ")), "remove the requirement on one of the modules, or exclude the version that provides the package twice");
                return None;
            }
            if let Some((label, tree, rel, node)) = found.pop() {
                if let Some(node) = node {
                    self.provider(&node, path, &why, f);
                }
                return Some((label, tree, rel));
            }
            if sum_err {
                return None;
            }
            if use_roots {
                self.set_full_graph(format!("no module listed in go.mod provides {path} ({why}), so go loads the full module graph"));
                continue;
            }
            let message = match self.mode {
                BuildMode::Mod => format!(
                    "cannot find module providing package {path}: module lookup disabled by GOPROXY=off ({why})"
                ),
                _ => format!(
                    "no required module provides package {path} ({why}); to add it: go get {path}"
                ),
            };
            f.block(
                K::PackageNotFound,
                None,
                format!("{message}. The fix needs the network"),
                format!("go get {}", shell_quote(path)),
            );
            return None;
        }
    }

    /// The provider's go.mod is read (for its Go version); under pruning it must also be a root
    /// whose requirements the other roots satisfy, or go wants to update go.mod.
    fn provider(&mut self, node: &Node, path: &str, why: &str, f: &mut Findings) {
        self.need(node).provides.push(path.to_string());
        let summary = self.access.go_mod(node, why, f);
        if !self.lazy {
            return;
        }
        let readonly = self.mode == BuildMode::Readonly;
        let untidy = |f: &mut Findings, what: String| {
            let msg = format!(
                "{what}; go fails with \"go: updates to go.mod needed; to update it: go mod tidy\""
            );
            if readonly {
                f.block(
                    K::GoModNeedsUpdate,
                    Some(node.to_string()),
                    format!("{msg}. The fix may need the network"),
                    "go mod tidy",
                );
            } else {
                f.warn(
                    "go-mod-updated",
                    format!("{what}; with -mod=mod go rewrites go.mod"),
                    Some("go mod tidy".into()),
                );
            }
        };
        if self.roots.get(&node.path) != Some(&node.version) {
            untidy(
                f,
                format!("{node} provides {path} but go.mod does not require it at that version"),
            );
            self.set_full_graph(format!(
                "{node} provides {path} but is not a requirement of go.mod"
            ));
            return;
        }
        for r in summary.map(|s| s.require).unwrap_or_default() {
            if let Some(rv) = self.roots.get(&r.path)
                && semver::compare(rv, &r.version).is_lt()
            {
                untidy(
                    f,
                    format!(
                        "{node} requires {}@{} but go.mod requires {rv}",
                        r.path, r.version
                    ),
                );
                self.set_full_graph(format!(
                    "the requirements of {node} disagree with go.mod ({}@{} > {rv})",
                    r.path, r.version
                ));
            }
        }
    }
}
