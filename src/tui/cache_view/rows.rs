//! The cache view's rows: per-path and per-version summaries (sizes, users, what could go),
//! computed once per scan. Which of them are visible under the filters is the view's.

use crate::jobs::CacheScan;

/// What the last complete scan found, summarized for the view (computed once per scan).
#[derive(Debug, Clone, PartialEq)]
pub struct CacheFound {
    pub scan: CacheScan,
    /// Index of the inspector's project in `scan.usage.projects`.
    pub this_index: Option<usize>,
    /// Largest first.
    pub paths: Vec<PathSummary>,
    pub reclaimable: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    pub version: String,
    /// Bytes on disk of everything the version has (tree, zip, `.mod`, …).
    pub disk: u64,
    /// Indexes into the usage's projects.
    pub users: Vec<usize>,
    pub this_uses: bool,
}

impl VersionSummary {
    pub fn unused(&self) -> bool {
        self.users.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSummary {
    pub path: String,
    pub disk: u64,
    /// Oldest first.
    pub versions: Vec<VersionSummary>,
    /// Projects using any version of it.
    pub users: usize,
    pub this_uses: bool,
    /// Bytes of the versions no known project uses.
    pub reclaimable: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheRow {
    /// Index into `found.paths`.
    Path(usize),
    /// A version of an expanded path.
    Version(usize, usize),
    /// A path measured so far (index into the scan's `sorted`), while the first scan runs.
    Partial(usize),
}

/// Summarizes a scan: every module path with its versions, largest first.
pub fn summarize(scan: CacheScan) -> CacheFound {
    let this_index = scan
        .this_project
        .as_ref()
        .and_then(|d| scan.usage.projects.iter().position(|p| &p.dir == d));
    let usage = &scan.usage;
    let mut paths: Vec<PathSummary> = scan
        .inventory
        .modules
        .iter()
        .map(|m| {
            let versions: Vec<VersionSummary> = m
                .versions
                .iter()
                .map(|v| {
                    let users: Vec<usize> =
                        usage.users(&m.path, &v.version).map(|(i, _)| i).collect();
                    VersionSummary {
                        this_uses: this_index.is_some_and(|t| users.contains(&t)),
                        version: v.version.clone(),
                        disk: v.total.disk,
                        users,
                    }
                })
                .collect();
            let mut users: Vec<usize> = versions
                .iter()
                .flat_map(|v| v.users.iter().copied())
                .collect();
            users.sort_unstable();
            users.dedup();
            PathSummary {
                path: m.path.clone(),
                disk: m.total.disk,
                users: users.len(),
                this_uses: versions.iter().any(|v| v.this_uses),
                reclaimable: versions.iter().filter(|v| v.unused()).map(|v| v.disk).sum(),
                versions,
            }
        })
        .collect();
    paths.sort_by(|a, b| b.disk.cmp(&a.disk).then_with(|| a.path.cmp(&b.path)));
    let reclaimable = paths.iter().map(|p| p.reclaimable).sum();
    CacheFound {
        scan,
        this_index,
        paths,
        reclaimable,
    }
}
