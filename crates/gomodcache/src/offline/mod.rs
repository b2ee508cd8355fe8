//! Offline readiness: would `GOPROXY=off go build ./...` succeed with this cache, and what
//! blocks it; a minimal `file://` proxy bundle of exactly what the build needs; and a doctor
//! for the environment variables that decide what `go` fetches and verifies.
//!
//! The verdict follows what cmd/go does rather than "every require": the packages of
//! `./...` are scanned (non-test files that pass the build constraints), their imports are
//! resolved against the build list as `modload.importFromModules` does (root requirements
//! first under graph pruning, the full graph only when needed), and only the modules that
//! provide or could provide those packages must be downloaded. The go.mod files go reads
//! follow the same lazy-loading rules (spec §4.3, §7.2), the vendor check is cmd/go's
//! `checkVendorConsistency` (§8.3), and GOTOOLCHAIN follows `toolchain.Select` (§9.6).

pub(crate) mod fetch;
pub(crate) mod multiple_paths;
pub(crate) mod package_dirs;
pub(crate) mod vendor_check;
pub mod verdict;

use serde::{Deserialize, Serialize};

pub use verdict::{OfflineReport, offline_verdict};

/// Why an offline build would fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockerKind {
    /// No `go` on PATH.
    GoNotInstalled,
    /// The go/toolchain lines need a Go release that is not installed and would be downloaded.
    ToolchainUnavailable,
    /// A dependency's go.mod asks for a newer Go than the one that would run.
    DependencyNeedsNewerGo,
    /// A setting that makes every build fail (GOFLAGS, GO111MODULE, GOTOOLCHAIN syntax, …).
    Environment,
    /// vendor/modules.txt disagrees with go.mod (cmd/go's exact check).
    InconsistentVendoring,
    /// Vendoring is in effect and an imported package is not in vendor/.
    NotVendored,
    /// A directory replacement points at a directory that does not exist.
    ReplaceDirMissing,
    /// A directory replacement points at a directory without a go.mod.
    ReplaceNoGoMod,
    /// A go.mod (`.mod` file) go reads is not in the cache.
    MissingGoMod,
    /// A go.mod go reads does not parse.
    InvalidGoMod,
    /// A module whose packages the build needs has neither a complete extracted directory nor
    /// a zip in the cache.
    ModuleNotDownloaded,
    /// The cached zip cannot be read.
    CorruptZip,
    /// go.sum lacks the `/go.mod` line of a go.mod go reads.
    MissingGoSumGoMod,
    /// go.sum lacks the zip `h1:` line of a module go looks into for a package.
    MissingGoSumZip,
    /// go.sum disagrees with the cache: go stops with SECURITY ERROR.
    ChecksumMismatch,
    /// go.sum lacks a line and go would ask the checksum database (network) for it.
    NeedsChecksumDb,
    /// An imported package is found in more than one module (or in the main module and vendor/).
    AmbiguousImport,
    /// No module in the build list provides an imported package.
    PackageNotFound,
    /// go.mod is not tidy for this build: readonly mode stops with "updates to go.mod needed".
    GoModNeedsUpdate,
    /// go refuses the workspace: a `use` it cannot load or listed twice, one module path
    /// twice, a workspace module replaced at all versions, conflicting replacements, a go.work
    /// go line too low. go stops before loading anything.
    InvalidWorkspace,
    /// `./...` names a directory outside every main module (a go.work root that is not a
    /// module itself): go matches nothing and fails.
    PatternOutsideModules,
    /// One module version (or replacement directory) serves two module paths.
    ReplacementConflict,
    /// A module path or version that cannot be stored in a cache.
    InvalidModulePath,
    /// go.sum has a malformed line: go 1.23+ stops with "malformed go.sum".
    MalformedGoSum,
    /// A package directory whose path holds a line break: go refuses to load it.
    InvalidPackageDirectory,
}

/// One reason an offline build would fail, with the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocker {
    /// What kind of failure it is.
    pub kind: BlockerKind,
    /// `path@version`, or null when the blocker is not about one module.
    pub module: Option<String>,
    /// What go would say or do, in words.
    pub message: String,
    /// A command to paste and run as it is; null when none fixes it (what to do is then in
    /// the message).
    pub fix: Option<String>,
}

/// Something worth knowing that does not stop an offline build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A short kebab-case name of the warning, e.g. `go-work-masks-go-mod`.
    pub kind: String,
    /// What is worth knowing, in words.
    pub message: String,
    /// A command to paste and run as it is; null when none applies.
    pub fix: Option<String>,
}

/// Blockers and warnings, each recorded once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Findings {
    pub blockers: Vec<Blocker>,
    pub warnings: Vec<Warning>,
}

impl Findings {
    /// Records a blocker that `fix` (a command) fixes.
    pub fn block(
        &mut self,
        kind: BlockerKind,
        module: Option<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.push_blocker(Blocker {
            kind,
            module,
            message: message.into(),
            fix: Some(fix.into()),
        });
    }

    /// A blocker no command fixes: `advice` (what to do, in words) ends the message.
    pub fn block_with_advice(
        &mut self,
        kind: BlockerKind,
        module: Option<String>,
        message: impl Into<String>,
        advice: &str,
    ) {
        self.push_blocker(Blocker {
            kind,
            module,
            message: format!("{}. To fix: {advice}", message.into()),
            fix: None,
        });
    }

    fn push_blocker(&mut self, b: Blocker) {
        if !self.blockers.contains(&b) {
            self.blockers.push(b);
        }
    }

    /// Records a warning of `kind`.
    pub fn warn(&mut self, kind: &str, message: impl Into<String>, fix: Option<String>) {
        let w = Warning {
            kind: kind.into(),
            message: message.into(),
            fix,
        };
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }
}
