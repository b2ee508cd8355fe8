//! cmd/go's `checkMultiplePaths`: one module version (or one replacement directory) may serve
//! only one module path. `replace a => c v1.0.0` while c v1.0.0 is itself in the build list
//! makes every build fail with "c@v1.0.0 used for two different module paths (a and c)".

use super::{BlockerKind as K, Findings};
use crate::fix::commands::shell_quote;
use crate::graph::Node;
use crate::modfile::go_mod::ReplaceTarget;
use crate::project::Project;
use crate::project::requirements::{Replacement, Replacements};
use std::collections::HashMap;

/// Checks `mods` (the build list when go loads the whole graph, else the main modules and
/// their requirements), in go's order.
pub fn check_multiple_paths(project: &Project, mods: &[Node], f: &mut Findings) {
    let replacements = Replacements::of(project);
    let mut first: HashMap<(String, String), (String, Option<Replacement>)> = HashMap::new();
    for m in mods {
        let replacement = if m.is_main() {
            None
        } else {
            replacements.find(&m.path, &m.version)
        };
        let source = match replacement.as_ref().map(|r| (&r.target, r)) {
            Some((ReplaceTarget::Module { path, version }, _)) => (path.clone(), version.clone()),
            // go compares directory replacements as written (relative to go.work in a
            // workspace, where we compare the resolved directory).
            Some((ReplaceTarget::Dir(dir), r)) => match (&project.workspace, r.resolved_dir()) {
                (Some(_), Some(resolved)) => (resolved.display().to_string(), String::new()),
                _ => (dir.clone(), String::new()),
            },
            None => (m.path.clone(), m.version.clone()),
        };
        match first.get(&source) {
            None => {
                first.insert(source, (m.path.clone(), replacement));
            }
            Some((prev, prev_replacement)) if prev != &m.path => {
                // Dropping the replacement that sends a second path to the same source
                // undoes the collision.
                let message = format!(
                    "go: {}@{} used for two different module paths ({prev} and {})",
                    source.0, source.1, m.path
                );
                let module = Some(format!("{}@{}", source.0, source.1));
                match replacement.as_ref().or(prev_replacement.as_ref()) {
                    Some(r) => f.block(
                        K::ReplacementConflict,
                        module,
                        message,
                        drop_replace_command(r),
                    ),
                    None => f.block_with_advice(
                        K::ReplacementConflict,
                        module,
                        message,
                        "remove one of the two replace directives",
                    ),
                }
            }
            Some(_) => {}
        }
    }
}

/// `go mod edit -dropreplace` (or `go work edit` for a go.work replacement) on the file that
/// declares it.
fn drop_replace_command(r: &Replacement) -> String {
    let file = r
        .declared_in
        .rsplit_once(':')
        .map_or(r.declared_in.as_str(), |(f, _)| f);
    let tool = if r.in_go_work { "work" } else { "mod" };
    format!(
        "go {tool} edit -dropreplace={} {}",
        shell_quote(&r.old),
        shell_quote(file)
    )
}
