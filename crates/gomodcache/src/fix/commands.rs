//! The one-step fixes modscope prints: a word quoted for a POSIX shell, `go mod download` of one
//! version, `modscope repair`, and removing one version from the cache by hand.

use crate::cache::layout::ModuleFiles;

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
pub fn download_command(path: &str, version: &str) -> String {
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
pub fn evict_and_download_command(files: &ModuleFiles, path: &str, version: &str) -> String {
    format!(
        "{} && {}",
        evict_command(files),
        download_command(path, version)
    )
}

/// Removes one version's files from the cache (its tree made writable first).
pub fn evict_command(files: &ModuleFiles) -> String {
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
}
