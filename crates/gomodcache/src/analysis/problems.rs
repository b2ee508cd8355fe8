//! What can be wrong with one module, in plain words, each with the command that fixes it.

use crate::cache::layout::ModuleFiles;
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

/// Quotes a word for a POSIX shell. Single quotes also stop bash's `!` history expansion, which
/// matters because escaped cache paths contain `!`.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./-_".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `go mod download path@version`: fetches what is missing and, with an argument, records the
/// sums in go.sum.
pub(crate) fn download_command(path: &str, version: &str) -> String {
    format!(
        "go mod download {}",
        shell_quote(&format!("{path}@{version}"))
    )
}

/// `modscope repair path@version`: moves that one version's files from the cache into
/// modscope's quarantine (crash-safe: go sees a `.partial` marker until every file is out) and
/// runs `go mod download` for it. The fix for cached content that changed after go wrote it.
pub fn repair_command(path: &str, version: &str) -> String {
    format!(
        "modscope repair {}",
        shell_quote(&format!("{path}@{version}"))
    )
}

/// The same by hand, for what `modscope repair` leaves to the user (a cache file that is not a
/// regular file; a `.mod` whose side of the disagreement cannot be told).
/// Removes one version from the cache (go has no per-module clean; `go clean -modcache` removes
/// everything) and downloads it again. Extracted trees are read-only, hence the chmod. The glob
/// `<version>.*` matches exactly that version's files (and its stray `*.tmp` files): no other
/// valid version continues with a dot.
pub(crate) fn evict_and_download_command(files: &ModuleFiles, path: &str, version: &str) -> String {
    format!(
        "{} && {}",
        evict_command(files),
        download_command(path, version)
    )
}

/// Removes one version's files from the cache (its tree made writable first).
pub(crate) fn evict_command(files: &ModuleFiles) -> String {
    let dir = shell_quote(&files.dir.to_string_lossy());
    let stem = shell_quote(
        &files
            .download_dir
            .join(&files.escaped_version)
            .to_string_lossy(),
    );
    format!("chmod -R u+w {dir} 2>/dev/null; rm -rf {dir} {stem}.*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_protects_bang_and_spaces() {
        assert_eq!(shell_quote("example.com/a@v1.0.0"), "example.com/a@v1.0.0");
        assert_eq!(
            shell_quote("/c/github.com/!burnt!sushi/toml@v1.0.0"),
            "'/c/github.com/!burnt!sushi/toml@v1.0.0'"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    /// The by-hand form, kept for what `modscope repair` does not take on.
    #[test]
    fn eviction_by_hand_removes_exactly_one_version() {
        let cache = crate::cache::layout::ModuleCache::new("/c");
        let f = cache.files("github.com/BurntSushi/toml", "v1.3.2").unwrap();
        assert_eq!(
            evict_and_download_command(&f, "github.com/BurntSushi/toml", "v1.3.2"),
            "chmod -R u+w '/c/github.com/!burnt!sushi/toml@v1.3.2' 2>/dev/null; rm -rf '/c/github.com/!burnt!sushi/toml@v1.3.2' \
             '/c/cache/download/github.com/!burnt!sushi/toml/@v/v1.3.2'.* && go mod download github.com/BurntSushi/toml@v1.3.2"
        );
    }

    #[test]
    fn repair_names_one_version_quoted_for_the_shell() {
        assert_eq!(
            repair_command("github.com/BurntSushi/toml", "v1.3.2"),
            "modscope repair github.com/BurntSushi/toml@v1.3.2"
        );
        assert_eq!(
            repair_command("example.com/a", "v1.0.0+incompatible"),
            "modscope repair example.com/a@v1.0.0+incompatible"
        );
    }

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
