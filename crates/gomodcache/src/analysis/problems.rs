//! What can be wrong with one module, in plain words, each with the command that fixes it.

use serde::{Deserialize, Serialize};

/// Every cause modscope names. The JSON `kind` is the kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    // --- missing: go would have to download something
    NotInCache,
    ModOnly,
    PartialDownload,
    MissingZiphash,
    ZipNotExtracted,
    IncompleteExtraction,
    MissingModFile,
    Unreadable,
    // --- mismatch: some recorded hash disagrees
    ExtractedFilesModified,
    ZipModified,
    CorruptZip,
    InvalidZiphash,
    GoSumMismatch,
    GoSumLineMissing,
    GoSumGoModLineMissing,
    GoModMismatch,
    // --- broken local replacement
    ReplaceDirMissing,
    ReplaceNoGoMod,
    // --- worth knowing, not a failure
    StrayTempFiles,
    ZipMissing,
    ReExtractionPending,
    GoSumDuplicateDisagrees,
    InvalidModulePath,
}

/// How a problem affects the module's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemClass {
    Missing,
    Mismatch,
    BrokenReplace,
    Warning,
}

impl ProblemKind {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The cause in plain words.
    pub message: String,
    /// The command (or short instruction) that fixes this problem.
    pub fix: Option<String>,
}

impl Problem {
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
