//! What can be wrong with one module, in plain words, each with the command that fixes it.

use serde::{Deserialize, Serialize};

/// Every cause modscope names. The JSON `kind` is the kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    // --- missing: go would have to download something
    /// Nothing of the module is in the cache.
    NotInCache,
    /// Only the `.mod` is cached: enough for the module graph, not to build.
    ModOnly,
    /// A `.partial` marker without the zip: an interrupted download or extraction.
    PartialDownload,
    /// An extracted tree and zip, but no `.ziphash`: go treats the tree as incomplete.
    MissingZiphash,
    /// A zip whose tree is not extracted: go extracts it on first use, without the network.
    ZipNotExtracted,
    /// An extracted tree whose zip and `.ziphash` are gone.
    IncompleteExtraction,
    /// The `.mod` go needs for the module graph is gone.
    MissingModFile,
    /// A permission or I/O error, or a cache file that is not a regular file (never read).
    Unreadable,
    // --- mismatch: some recorded hash disagrees
    /// Files under the extracted tree changed after extraction.
    ExtractedFilesModified,
    /// The zip was rewritten or corrupted after download.
    ZipModified,
    /// The zip cannot be read (truncated, bad CRC, over go's 500 MiB limit).
    CorruptZip,
    /// `.ziphash` is malformed, or disagrees with a zip and go.sum that agree.
    InvalidZiphash,
    /// go.sum disagrees with a consistent cache (go.sum edited, version re-tagged, proxy divergence).
    GoSumMismatch,
    /// go.sum has no `path version h1:` line for the module.
    GoSumLineMissing,
    /// go.sum has no `path version/go.mod h1:` line for the module.
    GoSumGoModLineMissing,
    /// The cached `.mod` disagrees with go.sum's `/go.mod` line.
    GoModMismatch,
    // --- broken local replacement
    /// The replacement directory does not exist.
    ReplaceDirMissing,
    /// The replacement directory has no go.mod.
    ReplaceNoGoMod,
    // --- worth knowing, not a failure
    /// An interrupted go left `*.tmp` files.
    StrayTempFiles,
    /// The zip is gone but the extracted tree is complete: builds work, export and proxying do not.
    ZipMissing,
    /// A `.partial` marker beside a cached zip: go extracts the zip again on its next use.
    ReExtractionPending,
    /// A later go.sum line repeats a key with another hash (go uses the first).
    GoSumDuplicateDisagrees,
    /// The module path or version cannot be stored in a cache.
    InvalidModulePath,
}

/// How a problem affects the module's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemClass {
    /// go would have to download something: the module is `missing`.
    Missing,
    /// A recorded hash disagrees: the module is `mismatch`.
    Mismatch,
    /// A local replacement is broken.
    BrokenReplace,
    /// Worth knowing; does not change the status.
    Warning,
}

impl ProblemKind {
    /// How this kind affects the module's status.
    pub fn class(self) -> ProblemClass {
        use ProblemKind::*;
        match self {
            NotInCache | ModOnly | PartialDownload | MissingZiphash | IncompleteExtraction
            | MissingModFile | Unreadable => ProblemClass::Missing,
            ExtractedFilesModified
            | ZipModified
            | CorruptZip
            | InvalidZiphash
            | GoSumMismatch
            | GoSumLineMissing
            | GoSumGoModLineMissing
            | GoModMismatch
            | InvalidModulePath => ProblemClass::Mismatch,
            ReplaceDirMissing | ReplaceNoGoMod => ProblemClass::BrokenReplace,
            // A zip without its tree: go extracts it again on first use, offline.
            StrayTempFiles
            | GoSumDuplicateDisagrees
            | ZipMissing
            | ReExtractionPending
            | ZipNotExtracted => ProblemClass::Warning,
        }
    }

    /// The kebab-case name, as in the JSON `kind`.
    pub fn as_str(self) -> &'static str {
        use ProblemKind::*;
        match self {
            NotInCache => "not-in-cache",
            ModOnly => "mod-only",
            PartialDownload => "partial-download",
            MissingZiphash => "missing-ziphash",
            ZipNotExtracted => "zip-not-extracted",
            IncompleteExtraction => "incomplete-extraction",
            MissingModFile => "missing-mod-file",
            Unreadable => "unreadable",
            ExtractedFilesModified => "extracted-files-modified",
            ZipModified => "zip-modified",
            CorruptZip => "corrupt-zip",
            InvalidZiphash => "invalid-ziphash",
            GoSumMismatch => "go-sum-mismatch",
            GoSumLineMissing => "go-sum-line-missing",
            GoSumGoModLineMissing => "go-sum-go-mod-line-missing",
            GoModMismatch => "go-mod-mismatch",
            ReplaceDirMissing => "replace-dir-missing",
            ReplaceNoGoMod => "replace-no-go-mod",
            StrayTempFiles => "stray-temp-files",
            ZipMissing => "zip-missing",
            ReExtractionPending => "re-extraction-pending",
            GoSumDuplicateDisagrees => "go-sum-duplicate-disagrees",
            InvalidModulePath => "invalid-module-path",
        }
    }
}

/// One thing wrong with a module, with the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// The cause in plain words.
    pub message: String,
    /// The command (or short instruction) that fixes this problem.
    pub fix: Option<String>,
}

impl Problem {
    /// A problem of `kind` with its message and fix.
    pub fn new(kind: ProblemKind, message: impl Into<String>, fix: Option<String>) -> Self {
        Problem {
            kind,
            message: message.into(),
            fix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_as_their_names() {
        for kind in [
            ProblemKind::NotInCache,
            ProblemKind::GoSumMismatch,
            ProblemKind::ReplaceNoGoMod,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.as_str())
            );
        }
    }
}
