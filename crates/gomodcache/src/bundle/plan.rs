//! What goes into the bundle: the `.mod` of every go.mod the module graph loads and of every
//! build-list module go.sum vouches for, and the zip of every module the build looks into.
//! Keys are the modules as stored in the cache (after replacement); values as required. The
//! cache inventory (`gomodcache::inventory::usage`) uses the same plan to know what each
//! project needs of the cache.

use crate::graph::{GoModSource, ModGraph, Node};
use crate::modfile::go_mod::ReplaceTarget;
use crate::offline::fetch::Replacer;
use crate::offline::verdict::OfflineReport;
use crate::project::Project;
use std::collections::BTreeMap;

pub(crate) struct BundlePlan {
    pub mods: BTreeMap<Node, Node>,
    pub zips: BTreeMap<Node, Node>,
}

pub(crate) fn plan(project: &Project, report: &OfflineReport, graph: &ModGraph) -> BundlePlan {
    let replacer = Replacer::new(project);
    // Directory replacements are the user's own files, not the cache's: never bundled.
    let target = |n: &Node| match replacer.find(&n.path, &n.version).map(|r| &r.target) {
        Some(ReplaceTarget::Dir(_)) => None,
        Some(ReplaceTarget::Module { path, version }) => Some(Node::new(path, version)),
        None => Some(n.clone()),
    };
    let mut mods: BTreeMap<Node, Node> = BTreeMap::new();
    for (n, src) in &graph.sources {
        if n.is_main() || matches!(src, GoModSource::ReplacementDir { .. }) {
            continue;
        }
        if let Some(t) = target(n) {
            mods.insert(t, n.clone());
        }
    }
    for n in graph.selected.iter().map(|(p, v)| Node::new(p, v)) {
        if let Some(t) = target(&n)
            && project.sums.go_mod_line(&t.path, &t.version).is_some()
        {
            mods.entry(t).or_insert(n);
        }
    }
    let zips: BTreeMap<Node, Node> = report
        .modules
        .iter()
        .map(|m| Node::new(&m.path, &m.version))
        .filter_map(|n| Some((target(&n)?, n)))
        .collect();
    for (t, n) in &zips {
        mods.entry(t.clone()).or_insert(n.clone());
    }
    BundlePlan { mods, zips }
}
