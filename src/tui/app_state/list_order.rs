//! How the module list is ordered and filtered: the sort key and the status filter `s` and `f`
//! cycle through.

use gomodcache::analysis::report::{ModuleReport, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Status,
    Path,
    Size,
}

impl SortKey {
    pub fn next(self) -> Self {
        match self {
            SortKey::Status => SortKey::Path,
            SortKey::Path => SortKey::Size,
            SortKey::Size => SortKey::Status,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Status => "status",
            SortKey::Path => "path",
            SortKey::Size => "size",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    /// Any module with a problem (warnings included).
    Problems,
    Only(Status),
}

impl StatusFilter {
    pub fn next(self) -> Self {
        match self {
            StatusFilter::All => StatusFilter::Problems,
            StatusFilter::Problems => StatusFilter::Only(Status::Mismatch),
            StatusFilter::Only(Status::Mismatch) => StatusFilter::Only(Status::Missing),
            StatusFilter::Only(Status::Missing) => StatusFilter::Only(Status::ReplacedLocal),
            StatusFilter::Only(Status::ReplacedLocal) => StatusFilter::Only(Status::Cached),
            StatusFilter::Only(Status::Cached) => StatusFilter::Only(Status::Graph),
            StatusFilter::Only(Status::Graph) => StatusFilter::All,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Problems => "problems",
            StatusFilter::Only(s) => s.as_str(),
        }
    }
    pub fn accepts(self, m: &ModuleReport) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Problems => !m.problems.is_empty(),
            StatusFilter::Only(s) => m.status == s,
        }
    }
}
