//! The result of a check, as data: the JSON schema of `modscope check --json` (version 1) and
//! the model the TUI renders. Every type round-trips through serde so tests can parse the CLI's
//! output back into them.

use super::problems::{Problem, ProblemClass};
use crate::project::FileProblem;
use serde::{Deserialize, Serialize};

/// The version of the `modscope check --json` shape, [`Report::schema_version`].
pub const SCHEMA_VERSION: u32 = 1;

/// One status per module. The order is the display order (worst first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A recorded hash disagrees with the cache or go.sum.
    Mismatch,
    /// go would have to download something of it.
    Missing,
    /// Replaced by a local directory (whether or not the directory is usable).
    ReplacedLocal,
    /// Everything go needs of it is cached and agrees with go.sum.
    Cached,
    /// Graph-only, and go needs nothing more of it than is cached: in the build list only
    /// through other modules' go.mod files, no package of the build comes from it.
    Graph,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 5] = [
        Status::Mismatch,
        Status::Missing,
        Status::ReplacedLocal,
        Status::Cached,
        Status::Graph,
    ];

    /// The kebab-case name, as in the JSON.
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

/// How deeply a check looks at cached content.
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
    /// The zip's hash (`path version h1:...`).
    pub h1: Option<String>,
    /// The `.mod`'s hash (`path version/go.mod h1:...`).
    pub go_mod_h1: Option<String>,
}

/// Cache paths that exist (null when the file is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachePaths {
    /// `cache/download/<path>/@v/<version>.zip`.
    pub zip: Option<String>,
    /// `cache/download/<path>/@v/<version>.ziphash`.
    pub ziphash: Option<String>,
    /// The extracted tree, `<path>@<version>/`.
    pub dir: Option<String>,
    /// `cache/download/<path>/@v/<version>.mod` (`mod` in JSON).
    #[serde(rename = "mod")]
    pub go_mod: Option<String>,
}

/// Hashes computed now from the cache content (null when not computed or not computable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputedHashes {
    /// The zip's h1 hash (x/mod `dirhash.HashZip`).
    pub zip_h1: Option<String>,
    /// The extracted tree's h1 hash (x/mod `dirhash.HashDir`).
    pub dir_h1: Option<String>,
    /// The `.mod`'s h1 hash (as go hashes a go.mod for go.sum).
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

/// One module of the build list: its status, its problems and the fix, and what the check saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleReport {
    /// The module path.
    pub path: String,
    /// The selected version (before any replacement).
    pub version: String,
    /// Every `require` of it in the main go.mod files is marked `// indirect`.
    pub indirect: bool,
    /// The module's status, from its most serious problem.
    pub status: Status,
    /// Everything found wrong with it, most serious first.
    pub problems: Vec<Problem>,
    /// The command (or short instruction) that fixes the most serious problem; null when healthy.
    pub fix: Option<String>,
    /// What go.sum records for it.
    pub go_sum: GoSumHashes,
    /// Its files in the cache.
    pub cache: CachePaths,
    /// The content of `.ziphash`, the hash go recorded when it downloaded the zip.
    pub ziphash_h1: Option<String>,
    /// Hashes computed in this check (full mode, or where quick mode needed one).
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
    /// Where a `replace` sends it; null when not replaced.
    pub replace: Option<ReplaceInfo>,
    /// The go.mod files (main or workspace modules) that require this module.
    pub required_by: Vec<String>,
    /// For a checksum mismatch: what go cached of the checksum database says of the module's
    /// go.sum lines, naming the side it backs (see `modscope sumdb`). Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<crate::sumdb::verdict::LineVerdict>,
}

impl ModuleReport {
    /// Whether any of its problems is of `class`.
    pub(crate) fn has_problem_of(&self, class: ProblemClass) -> bool {
        self.problems.iter().any(|p| p.kind.class() == class)
    }

    /// Whether the module makes `check` exit 1.
    pub fn is_unhealthy(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.kind.class() != ProblemClass::Warning)
    }
}

/// Module counts by status, for the header and the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Modules checked.
    pub total: usize,
    /// Status `cached`.
    pub cached: usize,
    /// Status `missing`.
    pub missing: usize,
    /// Status `mismatch`.
    pub mismatch: usize,
    /// Status `replaced-local`.
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
    /// Counts `modules`.
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

    /// The number of modules with `status`.
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

/// The result of `modscope check`: every module of the build list with its status and fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The project's root directory (the go.work or main go.mod directory).
    pub project_dir: String,
    /// The module cache checked.
    pub gomodcache: String,
    /// Where GOMODCACHE came from: environment, env-file, goroot-go-env, derived, command-line.
    pub gomodcache_source: String,
    /// Quick or full.
    pub mode: CheckMode,
    /// The module path of the main module.
    pub main_module: Option<String>,
    /// The go.work file in effect, if any.
    pub workspace: Option<String>,
    /// Every module checked, in path order.
    pub modules: Vec<ModuleReport>,
    /// Counts by status.
    pub summary: Summary,
    /// Full mode through the verify memo: how many zips and trees it answered (unchanged since
    /// they were last hashed) and how many were re-hashed. Absent with `--full`, `--quick` and
    /// the demo, which do not consult it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_memo: Option<MemoUse>,
    /// Problems with the project's own files (a malformed go.sum line, ...).
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
    /// What kind of warning, e.g. `verify-memo-not-saved`.
    pub kind: String,
    /// What happened, in words.
    pub message: String,
    /// A command that fixes it, when there is one.
    pub fix: Option<String>,
}

impl Report {
    /// Whether every module is healthy and every project file is well formed.
    pub fn is_healthy(&self) -> bool {
        self.summary.unhealthy == 0 && self.file_problems.is_empty() && !self.cancelled
    }
}
