//! Workspace mode's second loading pass (the end of cmd/go's `readModGraph` under `workspace`
//! pruning): a workspace module's requirements do not reflect what the other workspace modules
//! raise them to, so each dependency selected above the version a loaded module requires is
//! loaded again with every requirement's go.mod read, until nothing new is selected.

use super::{Loader, Node, Pruning, select};
use crate::version::semver;
use std::collections::{BTreeSet, HashSet};

impl Loader<'_> {
    pub(super) fn load_selected_in_workspace(&mut self, main_paths: &HashSet<String>) {
        // The main modules were loaded as the roots; their paths start the walk.
        let mut has_deps_in_all: BTreeSet<String> = main_paths.iter().cloned().collect();
        let mut seen: HashSet<Node> = main_paths.iter().map(|p| Node::new(p, "")).collect();
        loop {
            let selected = select(&self.graph.edges, main_paths);
            let selected_node =
                |path: &str| Node::new(path, selected.get(path).map(String::as_str).unwrap_or(""));
            let mut needs: BTreeSet<Node> = BTreeSet::new();
            for path in &has_deps_in_all {
                let m = selected_node(path);
                if !seen.contains(&m) {
                    needs.insert(m);
                    continue;
                }
                for r in self.graph.edges.get(&m).into_iter().flatten() {
                    let s = selected_node(&r.path);
                    // A main module (versionless) never compares above a version here.
                    if !s.is_main()
                        && semver::compare(&s.version, &r.version).is_gt()
                        && !seen.contains(&s)
                    {
                        needs.insert(s);
                    }
                }
            }
            if needs.is_empty() {
                return;
            }
            for m in &needs {
                has_deps_in_all.insert(m.path.clone());
                seen.insert(m.clone());
            }
            self.load(needs.into_iter().map(|m| (m, Pruning::Workspace)).collect());
        }
    }
}
