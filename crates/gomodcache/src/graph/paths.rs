//! Requirement paths from the main modules to a module: how many there are, and the first few,
//! shortest first. Computed on an integer index of the graph built once per graph, so that a
//! "why" per keystroke stays within a frame on dense graphs (each pass is over plain vectors,
//! not over hashed `path@version` nodes).

use super::model::{ModGraph, Node, PathIndex};
use std::collections::{HashMap, VecDeque};

/// Enumerating paths is exponential in the worst case; these bound the work.
pub const MAX_PATHS: usize = 50;
/// How many requirements the path listing may follow before it stops.
const MAX_STEPS: usize = 100_000;
const UNREACHABLE: u32 = u32::MAX;

/// A node where a path to `path` (at `version`, when given) ends.
fn is_target(n: &Node, path: &str, version: Option<&str>) -> bool {
    n.path == path && !n.is_main() && version.is_none_or(|v| n.version == v)
}

impl PathIndex {
    fn build(g: &ModGraph) -> PathIndex {
        fn id<'g>(n: &'g Node, ids: &mut HashMap<&'g Node, u32>, nodes: &mut Vec<Node>) -> u32 {
            *ids.entry(n).or_insert_with(|| {
                nodes.push(n.clone());
                (nodes.len() - 1) as u32
            })
        }
        let mut ids: HashMap<&Node, u32> = HashMap::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut pairs = Vec::new();
        for (from, tos) in &g.edges {
            let f = id(from, &mut ids, &mut nodes);
            for to in tos {
                pairs.push((f, id(to, &mut ids, &mut nodes)));
            }
        }
        let mains: Vec<u32> = g.main.iter().map(|m| id(m, &mut ids, &mut nodes)).collect();
        let mut forward = vec![Vec::new(); nodes.len()];
        let mut reverse = vec![Vec::new(); nodes.len()];
        for (f, t) in pairs {
            forward[f as usize].push(t);
            reverse[t as usize].push(f);
        }
        PathIndex {
            nodes,
            forward,
            reverse,
            mains,
        }
    }

    /// Whether a path ends at node `i` (the first version of `path` it reaches), and whether
    /// that is a wanted one.
    fn ends(&self, i: u32, path: &str) -> bool {
        let n = &self.nodes[i as usize];
        n.path == path && !n.is_main()
    }

    /// Each node's distance to the nearest wanted version of `path` (UNREACHABLE when none):
    /// the nodes a path to it can go through.
    fn distances(&self, path: &str, version: Option<&str>) -> Vec<u32> {
        let mut dist = vec![UNREACHABLE; self.nodes.len()];
        let mut queue = VecDeque::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if is_target(n, path, version) {
                dist[i] = 0;
                queue.push_back(i as u32);
            }
        }
        while let Some(n) = queue.pop_front() {
            let d = dist[n as usize] + 1;
            for &from in &self.reverse[n as usize] {
                // A path ends at the first version of `path` it reaches: none goes through one.
                if dist[from as usize] == UNREACHABLE && !self.ends(from, path) {
                    dist[from as usize] = d;
                    queue.push_back(from);
                }
            }
        }
        dist
    }

    /// How many simple paths lead from the main modules to a wanted version: memoised
    /// depth-first counting over the nodes that reach one; an edge back into the current path
    /// (a requirement cycle) is not followed. Saturates at `u64::MAX`.
    fn count(&self, path: &str, dist: &[u32]) -> u64 {
        fn count(
            ix: &PathIndex,
            n: u32,
            path: &str,
            dist: &[u32],
            on_path: &mut [bool],
            memo: &mut [Option<u64>],
        ) -> u64 {
            if ix.ends(n, path) {
                return u64::from(dist[n as usize] == 0);
            }
            if let Some(c) = memo[n as usize] {
                return c;
            }
            on_path[n as usize] = true;
            let mut total: u64 = 0;
            for &next in &ix.forward[n as usize] {
                if dist[next as usize] != UNREACHABLE && !on_path[next as usize] {
                    total = total.saturating_add(count(ix, next, path, dist, on_path, memo));
                }
            }
            on_path[n as usize] = false;
            memo[n as usize] = Some(total);
            total
        }
        let mut memo = vec![None; self.nodes.len()];
        let mut on_path = vec![false; self.nodes.len()];
        self.mains
            .iter()
            .filter(|&&m| dist[m as usize] != UNREACHABLE)
            .map(|&m| count(self, m, path, dist, &mut on_path, &mut memo))
            .fold(0u64, u64::saturating_add)
    }

    /// Up to [`MAX_PATHS`] paths, found depth first trying the requirement nearest to a wanted
    /// version first (so the first path found is a shortest one), within [`MAX_STEPS`] steps;
    /// returned shortest first.
    fn list(&self, path: &str, dist: &[u32]) -> Vec<Vec<Node>> {
        let nearest_first = |n: u32| -> std::vec::IntoIter<u32> {
            let mut next: Vec<u32> = self.forward[n as usize]
                .iter()
                .copied()
                .filter(|&m| dist[m as usize] != UNREACHABLE)
                .collect();
            next.sort_by_key(|&m| dist[m as usize]);
            next.into_iter()
        };
        let mut mains: Vec<u32> = self
            .mains
            .iter()
            .copied()
            .filter(|&m| dist[m as usize] != UNREACHABLE)
            .collect();
        mains.sort_by_key(|&m| dist[m as usize]);
        let mut found: Vec<Vec<u32>> = Vec::new();
        let mut on_path = vec![false; self.nodes.len()];
        let mut steps = 0;
        'mains: for m in mains {
            // The current path, each node with the requirements still to try from it.
            let mut stack: Vec<(u32, std::vec::IntoIter<u32>)> = vec![(m, nearest_first(m))];
            on_path[m as usize] = true;
            while let Some((_, next)) = stack.last_mut() {
                let Some(n) = next.next() else {
                    let (done, _) = stack.pop().expect("the stack is not empty");
                    on_path[done as usize] = false;
                    continue;
                };
                steps += 1;
                if steps > MAX_STEPS {
                    break 'mains;
                }
                if on_path[n as usize] {
                    continue;
                }
                if self.ends(n, path) {
                    if dist[n as usize] == 0 {
                        let mut p: Vec<u32> = stack.iter().map(|(x, _)| *x).collect();
                        p.push(n);
                        found.push(p);
                        if found.len() == MAX_PATHS {
                            break 'mains;
                        }
                    }
                    continue;
                }
                on_path[n as usize] = true;
                stack.push((n, nearest_first(n)));
            }
        }
        found.sort_by_key(Vec::len);
        found
            .into_iter()
            .map(|p| p.iter().map(|&i| self.nodes[i as usize].clone()).collect())
            .collect()
    }
}

impl ModGraph {
    fn path_index(&self) -> &PathIndex {
        self.path_index.get_or_init(|| PathIndex::build(self))
    }

    /// Requirement paths from the main modules to any version of `path` (or to `version` of
    /// it), at most [`MAX_PATHS`] of them, shortest first; and how many there are.
    pub(crate) fn paths_to(&self, path: &str, version: Option<&str>) -> (Vec<Vec<Node>>, u64) {
        let ix = self.path_index();
        let dist = ix.distances(path, version);
        (ix.list(path, &dist), ix.count(path, &dist))
    }
}
