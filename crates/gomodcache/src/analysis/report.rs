//! The result of a check, as data: the JSON schema of `modscope check --json` (version 1) and
//! the model the TUI renders. Every type round-trips through serde so tests can parse the CLI's
//! output back into them.

use super::problems::{Problem, ProblemClass};
use crate::project::FileProblem;
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

/// One status per module. The order is the display order (worst first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Mismatch,
    Missing,
    ReplacedLocal,
    Cached,
    /// Graph-only, and go needs nothing more of it than is cached: in the build list only
    /// through other modules' go.mod files, no package of the build comes from it.
    Graph,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Mismatch,
        Status::Missing,
        Status::ReplacedLocal,
        Status::Cached,
        Status::Graph,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Cached => "cached",
            Status::Missing => "missing",
            Status::Mismatch => "mismatch",
            Status::ReplacedLocal => "replaced-local",
            Status::Graph => "graph",
        }
    }

    /// The glyph shown with the status (never colour alone).
    pub fn glyph(self) -> &'static str {
        match self {
            Status::Cached => "✓",
            Status::Missing => "○",
            Status::Mismatch => "✗",
            Status::ReplacedLocal => "↪",
            Status::Graph => "·",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckMode {
    /// Presence and recorded hashes only (go.sum vs `.ziphash`, the `.mod` hash).
    Quick,
    /// Also re-hash every zip and extracted directory, like `go mod verify`.
    Full,
}

/// The hashes go.sum records for the module (the key is the replacement when replaced by a module).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoSumHashes {
    pub h1: Option<String>,
    pub go_mod_h1: Option<String>,
}

/// Cache paths that exist (null when the file is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachePaths {
    pub zip: Option<String>,
    pub ziphash: Option<String>,
    pub dir: Option<String>,
    #[serde(rename = "mod")]
    pub go_mod: Option<String>,
}

/// Hashes computed now from the cache content (null when not computed or not computable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputedHashes {
    pub zip_h1: Option<String>,
    pub dir_h1: Option<String>,
    pub go_mod_h1: Option<String>,
}

/// Where a `replace` sends the module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaceInfo {
    /// The replacement module path, or the directory exactly as written in go.mod/go.work.
    pub path: String,
    /// The replacement version; null for a directory.
    pub version: Option<String>,
    /// The absolute directory for a directory replacement; null for a module.
    pub dir: Option<String>,
    /// Directory: it exists. Module: its extracted directory is complete in the cache.
    pub exists: bool,
    /// Directory: it holds go.mod. Module: the cache holds its `.mod`.
    pub has_go_mod: bool,
    /// The file and line that declare the replacement.
    pub declared_in: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleReport {
    pub path: String,
    pub version: String,
    pub indirect: bool,
    pub status: Status,
    pub problems: Vec<Problem>,
    /// The command (or short instruction) that fixes the most serious problem; null when healthy.
    pub fix: Option<String>,
    pub go_sum: GoSumHashes,
    pub cache: CachePaths,
    /// The content of `.ziphash`, the hash go recorded when it downloaded the zip.
    pub ziphash_h1: Option<String>,
    pub computed: ComputedHashes,
    /// Size in bytes of the cached zip (null when there is none): what the module costs on disk
    /// and on the wire.
    #[serde(default)]
    pub zip_size: Option<u64>,
    /// In the build list only through other modules' go.mod files (no `require` of the
    /// project's go.mod files names it). Checked for what go needs of it (its go.mod when the
    /// graph reads it, its content when the build imports from it) and for whatever of it is
    /// cached; healthy, its status is `graph`. Absent (false) for required modules.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub graph_only: bool,
    /// A graph-only module the build imports a package from (possible only in an unpruned
    /// graph, go ≤ 1.16): that package. Its content is then needed like a required module's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_package: Option<String>,
    pub replace: Option<ReplaceInfo>,
    /// The go.mod files (main or workspace modules) that require this module.
    pub required_by: Vec<String>,
    /// For a checksum mismatch: what go cached of the checksum database says of the module's
    /// go.sum lines, naming the side it backs (see `modscope sumdb`). Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<crate::sumdb::verdict::LineVerdict>,
}

impl ModuleReport {
    pub fn has_problem_of(&self, class: ProblemClass) -> bool {
        self.problems.iter().any(|p| p.kind.class() == class)
    }

    /// Whether the module makes `check` exit 1.
    pub fn is_unhealthy(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.kind.class() != ProblemClass::Warning)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    pub cached: usize,
    pub missing: usize,
    pub mismatch: usize,
    pub replaced_local: usize,
    /// Modules with at least one problem that makes `check` fail.
    pub unhealthy: usize,
    /// Status `graph`: graph-only modules go needs nothing more of.
    #[serde(default)]
    pub graph: usize,
    /// Modules in the build list only through other modules' go.mod files, whatever their
    /// status (`graph`, or `missing`/`mismatch` where go needs something of them).
    #[serde(default)]
    pub graph_only: usize,
    /// Local (directory) replacements that are broken: the directory or its go.mod is missing.
    #[serde(default)]
    pub replaced_local_broken: usize,
}

impl Summary {
    pub fn of(modules: &[ModuleReport]) -> Summary {
        let mut s = Summary::default();
        for m in modules {
            s.total += 1;
            match m.status {
                Status::Cached => s.cached += 1,
                Status::Missing => s.missing += 1,
                Status::Mismatch => s.mismatch += 1,
                Status::ReplacedLocal => s.replaced_local += 1,
                Status::Graph => s.graph += 1,
            }
            s.unhealthy += usize::from(m.is_unhealthy());
            s.graph_only += usize::from(m.graph_only);
            s.replaced_local_broken +=
                usize::from(m.status == Status::ReplacedLocal && m.is_unhealthy());
        }
        s
    }

    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Cached => self.cached,
            Status::Missing => self.missing,
            Status::Mismatch => self.mismatch,
            Status::ReplacedLocal => self.replaced_local,
            Status::Graph => self.graph,
        }
    }
}

/// What the verify memo answered in one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoUse {
    /// Zips and trees taken from the memo (unchanged since they were hashed).
    pub unchanged: usize,
    /// Zips and trees hashed in this check.
    pub rehashed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub project_dir: String,
    pub gomodcache: String,
    /// Where GOMODCACHE came from: environment, env-file, goroot-go-env, derived, command-line.
    pub gomodcache_source: String,
    pub mode: CheckMode,
    /// The module path of the main module.
    pub main_module: Option<String>,
    /// The go.work file in effect, if any.
    pub workspace: Option<String>,
    pub modules: Vec<ModuleReport>,
    pub summary: Summary,
    /// Full mode through the verify memo: how many zips and trees it answered (unchanged since
    /// they were last hashed) and how many were re-hashed. Absent with `--full`, `--quick` and
    /// the demo, which do not consult it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_memo: Option<MemoUse>,
    pub file_problems: Vec<FileProblem>,
    /// True when the check was cancelled before every module was classified.
    pub cancelled: bool,
    /// About the run itself rather than a module (e.g. the verify memo could not be saved);
    /// never affects the exit code.
    #[serde(default)]
    pub warnings: Vec<RunWarning>,
}

/// A warning about the run itself: `kind` is a stable kebab-case name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunWarning {
    pub kind: String,
    pub message: String,
    pub fix: Option<String>,
}

impl Report {
    /// Whether every module is healthy and every project file is well formed.
    pub fn is_healthy(&self) -> bool {
        self.summary.unhealthy == 0 && self.file_problems.is_empty() && !self.cancelled
    }
}
