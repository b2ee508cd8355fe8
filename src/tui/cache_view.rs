//! The cache view's state: the whole module cache by module path, largest first, expandable to
//! versions, with who uses each and what could go; marks for a prune. Filled by a background
//! scan (parts stream in, then the full inventory and its usage); only `update` changes it.

mod rows;

pub use rows::{CacheFound, CacheRow, PathSummary, VersionSummary, summarize};

use crate::jobs::JobId;
use crate::tui::list_window::offset_showing;
use gomodcache::cache::escape::unescape_path;
use gomodcache::inventory::ScannedPart;
use std::collections::{BTreeMap, BTreeSet};

/// The scan while it runs: per-path totals as parts arrive (before hard links are counted once).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanInProgress {
    pub job: JobId,
    pub parts: u64,
    pub bytes: u64,
    /// Unescaped module path → bytes on disk so far.
    pub by_path: BTreeMap<String, u64>,
    /// `by_path` largest first, re-sorted once per batch of parts.
    pub sorted: Vec<(String, u64)>,
    /// Set once the walk is done and the projects are being read.
    pub reading_projects: Option<String>,
}

impl ScanInProgress {
    pub fn new(job: JobId) -> Self {
        ScanInProgress {
            job,
            ..Default::default()
        }
    }

    pub fn add(&mut self, parts: &[ScannedPart]) {
        for p in parts {
            self.parts += 1;
            self.bytes += p.bytes.disk;
            if let Some(m) = &p.module {
                let path = unescape_path(m).unwrap_or_else(|_| m.clone());
                *self.by_path.entry(path).or_default() += p.bytes.disk;
            }
        }
        let mut sorted: Vec<(String, u64)> =
            self.by_path.iter().map(|(p, b)| (p.clone(), *b)).collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.sorted = sorted;
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CacheView {
    pub scanning: Option<ScanInProgress>,
    pub error: Option<String>,
    pub found: Option<CacheFound>,
    /// Module paths shown with their versions.
    pub expanded: BTreeSet<String>,
    /// `(path, version)` chosen for a prune.
    pub marked: BTreeSet<(String, String)>,
    /// Only what no known project uses.
    pub unused_only: bool,
    pub filter: String,
    pub filter_editing: bool,
    /// Recomputed by `update` (`refresh_rows`), never by the view.
    pub rows: Vec<CacheRow>,
    pub cursor: usize,
    pub offset: usize,
}

impl CacheView {
    /// Marked versions still in the cache, and their bytes on disk.
    pub fn marked_bytes(&self) -> (usize, u64) {
        let Some(found) = &self.found else {
            return (self.marked.len(), 0);
        };
        self.marked.iter().fold((0, 0), |(n, b), (p, v)| {
            match found.scan.inventory.version(p, v) {
                Some(e) => (n + 1, b + e.total.disk),
                None => (n, b),
            }
        })
    }

    /// The path summary and, on a version row, the version summary under the cursor.
    pub fn at_cursor(&self) -> Option<(&PathSummary, Option<&VersionSummary>)> {
        let found = self.found.as_ref()?;
        match self.rows.get(self.cursor)? {
            CacheRow::Path(p) => Some((&found.paths[*p], None)),
            CacheRow::Version(p, v) => {
                let path = &found.paths[*p];
                Some((path, Some(&path.versions[*v])))
            }
            CacheRow::Partial(_) => None,
        }
    }

    /// Recomputes `rows` from the scan, the filters and what is expanded, keeping the cursor on
    /// the same path (or version) when it is still shown.
    pub fn refresh_rows(&mut self, window: usize) {
        let keep = self.cursor_key();
        self.rebuild_keeping(keep, window);
    }

    /// Takes a new scan's result (the rows' indexes change): the cursor stays on its path or
    /// version, marks of versions no longer cached are dropped.
    pub fn replace_found(&mut self, found: CacheFound, window: usize) {
        let keep = self.cursor_key();
        let inv = &found.scan.inventory;
        self.marked.retain(|(p, v)| inv.version(p, v).is_some());
        self.found = Some(found);
        self.rebuild_keeping(keep, window);
    }

    fn rebuild_keeping(&mut self, keep: Option<(String, Option<String>)>, window: usize) {
        self.rows = rows(self);
        self.cursor = keep
            .and_then(|k| {
                self.rows
                    .iter()
                    .position(|r| self.key_of(r).as_ref() == Some(&k))
            })
            .unwrap_or(self.cursor)
            .min(self.rows.len().saturating_sub(1));
        self.scroll_to_cursor(window);
    }

    pub fn scroll_to_cursor(&mut self, window: usize) {
        self.offset = offset_showing(self.cursor, self.offset, self.rows.len(), window);
    }

    fn cursor_key(&self) -> Option<(String, Option<String>)> {
        self.rows.get(self.cursor).and_then(|r| self.key_of(r))
    }

    fn key_of(&self, row: &CacheRow) -> Option<(String, Option<String>)> {
        match row {
            CacheRow::Partial(i) => Some((self.scanning.as_ref()?.sorted.get(*i)?.0.clone(), None)),
            CacheRow::Path(p) => Some((self.found.as_ref()?.paths.get(*p)?.path.clone(), None)),
            CacheRow::Version(p, v) => {
                let path = self.found.as_ref()?.paths.get(*p)?;
                Some((
                    path.path.clone(),
                    Some(path.versions.get(*v)?.version.clone()),
                ))
            }
        }
    }
}

fn matches(filter: &str, text: &str) -> bool {
    filter.is_empty() || text.to_lowercase().contains(&filter.to_lowercase())
}

/// The rows the view shows now.
fn rows(view: &CacheView) -> Vec<CacheRow> {
    let Some(found) = &view.found else {
        return view.scanning.as_ref().map_or_else(Vec::new, |s| {
            (0..s.sorted.len())
                .filter(|&i| matches(&view.filter, &s.sorted[i].0))
                .map(CacheRow::Partial)
                .collect()
        });
    };
    let mut out = Vec::new();
    for (i, p) in found.paths.iter().enumerate() {
        if view.unused_only && p.reclaimable == 0 {
            continue;
        }
        let path_matches = matches(&view.filter, &p.path);
        let versions: Vec<usize> = (0..p.versions.len())
            .rev()
            .filter(|&v| !view.unused_only || p.versions[v].unused())
            .filter(|&v| path_matches || matches(&view.filter, &p.versions[v].version))
            .collect();
        if !path_matches && versions.is_empty() {
            continue;
        }
        out.push(CacheRow::Path(i));
        if view.expanded.contains(&p.path) {
            out.extend(versions.into_iter().map(|v| CacheRow::Version(i, v)));
        }
    }
    out
}
