//! Build-list modules that the project's go.mod does not require (they come in through other
//! modules' go.mod files), as rows the inspector can list next to the required ones.

use super::build::ModGraph;
use crate::core::analysis::classify::new_report;
use crate::core::analysis::report::{CachePaths, ModuleReport, Status};
use crate::core::analysis::requirements::Requirement;
use crate::core::cache::layout::{ModuleCache, Ziphash};
use std::collections::HashSet;

/// One row per selected module absent from `required`. Only presence is looked at: go never
/// needs the zip of a module no package comes from, so nothing about them is a problem.
pub fn graph_only_modules<'a>(
    graph: &ModGraph,
    required: impl IntoIterator<Item = &'a str>,
    cache: &ModuleCache,
) -> Vec<ModuleReport> {
    let known: HashSet<&str> = required.into_iter().collect();
    let main: HashSet<&str> = graph.main.iter().map(|m| m.path.as_str()).collect();
    graph
        .selected
        .iter()
        .filter(|(p, _)| !known.contains(p.as_str()) && !main.contains(p.as_str()))
        .map(|(path, version)| {
            let req = Requirement {
                path: path.clone(),
                version: version.clone(),
                indirect: true,
                required_by: graph.requirers_of(path).into_iter().map(|r| r.by).collect(),
                replacement: None,
            };
            let mut row = new_report(&req);
            row.graph_only = true;
            if let Ok(p) = cache.probe(path, version) {
                row.status = if p.dir_complete() {
                    Status::Cached
                } else {
                    Status::Missing
                };
                row.cache = CachePaths {
                    zip: p.has_zip.then(|| p.files.zip.display().to_string()),
                    ziphash: (p.ziphash != Ziphash::Absent)
                        .then(|| p.files.ziphash.display().to_string()),
                    dir: p.dir_exists.then(|| p.files.dir.display().to_string()),
                    go_mod: p.has_go_mod.then(|| p.files.go_mod.display().to_string()),
                };
                if let Ziphash::Valid(h) = p.ziphash {
                    row.ziphash_h1 = Some(h);
                }
                row.zip_size = std::fs::metadata(&p.files.zip).ok().map(|m| m.len());
            }
            row
        })
        .collect()
}
