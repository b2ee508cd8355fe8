//! The fixes of the blockers whose command depends on more than the module: the file that
//! declares a replacement, or which side of a `/go.mod` mismatch changed.

use super::{ModuleAccess, Rule, download};
use crate::analysis::cache_fault::{GoModSide, go_mod_side};
use crate::fix::commands::evict_and_download_command;
use crate::fix::compound::{
    drop_replacement_command, evict_and_fix_go_sum_command, go_mod_download_command,
    go_sum_fix_then,
};
use crate::graph::Node;

impl ModuleAccess<'_> {
    /// The go line of the file that declares `rule` (what a go.mod written into its directory
    /// must not exceed); 1.16, go's assumption, when it has none.
    pub(super) fn declaring_go(&self, rule: &Rule) -> &str {
        let go = match &self.project.workspace {
            Some(ws) if ws.path == rule.file => ws.work.go.as_deref(),
            _ => self
                .project
                .main_modules
                .iter()
                .find(|mm| mm.go_mod_path == rule.file)
                .and_then(|mm| mm.go_mod.go.as_deref()),
        };
        go.unwrap_or("1.16")
    }

    pub(super) fn drop_replacement(&self, rule: &Rule, m: &Node) -> String {
        let in_go_work = self
            .project
            .workspace
            .as_ref()
            .is_some_and(|ws| ws.path == rule.file);
        drop_replacement_command(&rule.old(), in_go_work, &m.path, &m.version)
    }

    /// Which side of a `/go.mod` mismatch changed, in words, and the fix: go.sum's line when the
    /// cached .mod is the module's own go.mod, else the version evicted by hand (the version
    /// may be one the graph only reads, which `modscope repair` does not take).
    pub(super) fn go_mod_mismatch_fix(&self, t: &Node, m: &Node) -> (&'static str, String) {
        let Ok(files) = self.cache.files(&t.path, &t.version) else {
            return ("", download(&t.path, &t.version));
        };
        match (
            go_mod_side(&files, &t.path, &t.version),
            self.project.sums.go_mod_line(&t.path, &t.version),
        ) {
            (GoModSide::GoSum, Some((file, _))) => (
                "The cached .mod is the go.mod inside the module's own download, so go.sum's line is the one that changed: the fix deletes it and has go write it again (check the line's history first: git log -p -- go.sum)",
                go_sum_fix_then(
                    file,
                    &t.path,
                    &t.version,
                    true,
                    &go_mod_download_command(&m.path),
                ),
            ),
            (GoModSide::Cache, _) => (
                "The cached .mod differs from the go.mod inside the module's own download: the cache changed, and the fix downloads that version again",
                evict_and_download_command(&files, &t.path, &t.version),
            ),
            (_, Some((file, _))) => (
                "Only the .mod is cached, so nothing tells which side changed: the fix removes both the cached .mod and go.sum's line, and go downloads the go.mod again and records it (checked against the checksum database unless GOSUMDB=off)",
                evict_and_fix_go_sum_command(&files, file, (&t.path, &t.version), &m.path),
            ),
            (_, None) => ("", evict_and_download_command(&files, &t.path, &t.version)),
        }
    }
}
