//! The database's word on a checksum mismatch `check` found: for each hash-mismatched module,
//! the verdicts of its go.sum lines (which side the database backs: go.sum, or the cache).

use crate::analysis::report::{ModuleReport, Status};
use crate::cache::layout::ModuleCache;
use crate::goenv::env::GoEnv;
use crate::project::Project;
use crate::sumdb::check::module_provenance;

/// Fills `provenance` of every module whose status is a mismatch (of the replacement's lines
/// when a module version replaces it). Reads a few cached files per such module; mismatches
/// are rare, so the others cost nothing.
pub fn attach_provenance(
    module: &mut ModuleReport,
    project: &Project,
    cache: &ModuleCache,
    env: &GoEnv,
) {
    if module.status != Status::Mismatch {
        return;
    }
    let (path, version) = match &module.replace {
        Some(r) => match &r.version {
            Some(v) => (r.path.clone(), v.clone()),
            None => return,
        },
        None => (module.path.clone(), module.version.clone()),
    };
    module.provenance = module_provenance(project, cache, env, &path, &version);
}
