//! The fixes that are more than one go command: each builds a command line to paste as it is
//! (POSIX sh), whose run the real go was seen to turn into a working build
//! (tests/real_go_fixes.rs). What each does and when to doubt it goes into the message.

use super::commands::{download_command, evict_command, shell_quote};
use crate::cache::layout::ModuleFiles;
use crate::modfile::go_sum::SumLine;
use std::path::Path;

/// The fix for go.sum lines that disagree with a consistent cache: deletes every go.sum line of
/// the key (`path version`, or `path version/go.mod` when `go_mod`) and has go write it again
/// from the cached download (checked against the checksum database unless GOSUMDB=off). POSIX
/// `awk` and `mv`, so it runs as pasted on Linux and macOS; the temporary file beside go.sum
/// makes the replacement a rename. Which side is wrong is for the message to explain.
pub fn go_sum_fix_command(go_sum: &Path, path: &str, version: &str, go_mod: bool) -> String {
    let then = if go_mod {
        go_mod_download_command(path)
    } else {
        download_command(path, version)
    };
    go_sum_fix_then(go_sum, path, version, go_mod, &then)
}

/// [`go_sum_fix_command`] with the command that writes the line again given (`then`).
pub fn go_sum_fix_then(
    go_sum: &Path,
    path: &str,
    version: &str,
    go_mod: bool,
    then: &str,
) -> String {
    let key_version = if go_mod {
        format!("{version}/go.mod")
    } else {
        version.to_string()
    };
    format!(
        "{} && {then}",
        delete_go_sum_lines(go_sum, path, &key_version, None)
    )
}

/// Deletes one go.sum line by its content (a later line that repeats a key with another hash;
/// go reads only the first), not by its number, which an earlier fix may have shifted.
pub fn delete_go_sum_line_command(go_sum: &Path, line: &SumLine) -> String {
    let key_version = if line.go_mod {
        format!("{}/go.mod", line.version)
    } else {
        line.version.clone()
    };
    delete_go_sum_lines(go_sum, &line.path, &key_version, Some(&line.hash))
}

/// `awk` keeps every line but those whose fields are the key (and `hash`, when given); the
/// result replaces go.sum by a rename.
fn delete_go_sum_lines(go_sum: &Path, path: &str, key_version: &str, hash: Option<&str>) -> String {
    // Module paths, versions and hashes hold no quotes or backslashes; escaped anyway, so the
    // awk program can never be cut short.
    let awk_string = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut test = format!(
        "$1 == {} && $2 == {}",
        awk_string(path),
        awk_string(key_version)
    );
    if let Some(h) = hash {
        test.push_str(&format!(" && $3 == {}", awk_string(h)));
    }
    let file = shell_quote(&go_sum.to_string_lossy());
    let tmp = shell_quote(&format!("{}.tmp", go_sum.to_string_lossy()));
    format!(
        "awk {} {file} > {tmp} && mv {tmp} {file}",
        shell_quote(&format!("!({test})"))
    )
}

/// `go mod download path`: what go prints to add a missing `/go.mod` line ("missing go.sum
/// entry for go.mod file; to add it"). The version is left out on purpose: for a version the
/// graph reads but does not select, `go mod download path@version` exits 0 without adding the
/// line, while `go mod download path` loads the graph and records every go.mod it reads.
pub fn go_mod_download_command(path: &str) -> String {
    format!("go mod download {}", shell_quote(path))
}

/// `go get importer[@version]`: what go itself prints when a go.sum line is missing for a
/// module that an imported package of another module comes from (`ImportMissingSumError`): in
/// an unpruned graph, `go mod download` of the module exits 0 without adding the line, as it
/// is not a module the main module requires.
pub fn go_get_command(importer: &str, version: Option<&str>) -> String {
    let arg = match version {
        Some(v) => format!("{importer}@{v}"),
        None => importer.to_string(),
    };
    format!("go get {}", shell_quote(&arg))
}

/// Writes the go.mod go needs in a replacement directory that has none: `go mod init` writes
/// the running go's version, which is newer than the main module's, and the build then stops
/// with "updates to go.mod needed"; so the go line is set to the main module's (`go`). In a
/// subshell, so pasting it leaves the shell where it was.
pub fn init_replacement_command(dir: &Path, module_path: &str, go: &str) -> String {
    format!(
        "(cd {} && go mod init {} && go mod edit -go={})",
        shell_quote(&dir.to_string_lossy()),
        shell_quote(module_path),
        shell_quote(go)
    )
}

/// Drops a replacement (`old` as written: `path` or `path@version`) from the file that declares
/// it, and records the go.sum lines of the required version it stood in for. The first
/// download proves that version exists before anything changes (with the replacement still in
/// force go downloads it but records no sums: the second download, after the drop, does).
pub fn drop_replacement_command(old: &str, in_go_work: bool, path: &str, version: &str) -> String {
    let tool = if in_go_work { "work" } else { "mod" };
    let download = download_command(path, version);
    format!(
        "{download} && go {tool} edit -dropreplace={} && {download}",
        shell_quote(old)
    )
}

/// The version go.mod gets when a replaced module is required at no real version: dropping
/// the replacement cannot work then.
pub const PLACEHOLDER_VERSION: &str = "v0.0.0-00010101000000-000000000000";

/// A `/go.mod` mismatch with nothing to tell which side changed (only the `.mod` is cached):
/// the cached `.mod` goes and so does go.sum's line, and go downloads the go.mod again and
/// records it (checked against the checksum database unless GOSUMDB=off). Evicting alone would
/// stop on the same SECURITY ERROR when go.sum is the side that changed; fixing go.sum alone
/// would write down an edited `.mod`.
pub fn evict_and_fix_go_sum_command(
    files: &ModuleFiles,
    go_sum: &Path,
    (path, version): (&str, &str),
    required_path: &str,
) -> String {
    format!(
        "{} && {}",
        evict_command(files),
        go_sum_fix_then(
            go_sum,
            path,
            version,
            true,
            &go_mod_download_command(required_path)
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The go.sum fix deletes every line of its key, and nothing else, when run by `sh`.
    #[test]
    fn the_go_sum_fix_deletes_exactly_the_lines_of_its_key() {
        let tmp = tempfile::tempdir().unwrap();
        let go_sum = tmp.path().join("my project/go.sum");
        std::fs::create_dir_all(go_sum.parent().unwrap()).unwrap();
        let text = "example.com/a v1.0.0 h1:AAA=\nexample.com/a v1.0.0/go.mod h1:BBB=\n\
                    example.com/ab v1.0.0/go.mod h1:CCC=\nexample.com/a v1.0.0/go.mod h1:DDD=\n";
        std::fs::write(&go_sum, text).unwrap();
        let fix = go_sum_fix_then(&go_sum, "example.com/a", "v1.0.0", true, "true");
        assert!(
            fix.starts_with("awk '!($1 == \"example.com/a\" && $2 == \"v1.0.0/go.mod\")' '"),
            "{fix}"
        );
        let ran = std::process::Command::new("sh")
            .args(["-c", &fix])
            .status()
            .unwrap();
        assert!(ran.success());
        assert_eq!(
            std::fs::read_to_string(&go_sum).unwrap(),
            "example.com/a v1.0.0 h1:AAA=\nexample.com/ab v1.0.0/go.mod h1:CCC=\n"
        );
        assert!(!tmp.path().join("my project/go.sum.tmp").exists());
    }

    #[test]
    fn the_go_sum_fixes_end_in_gos_own_download() {
        let p = Path::new("/p/go.sum");
        assert!(
            go_sum_fix_command(p, "example.com/a", "v1.0.0", false)
                .ends_with("&& go mod download example.com/a@v1.0.0")
        );
        // For a /go.mod line go names the path alone: with the version, a version the graph
        // reads but does not select gets no line.
        assert!(
            go_sum_fix_command(p, "example.com/a", "v1.0.0", true)
                .ends_with("&& go mod download example.com/a")
        );
    }

    #[test]
    fn replacement_fixes_are_commands() {
        assert_eq!(
            init_replacement_command(Path::new("/p/my loc"), "example.com/loc", "1.21"),
            "(cd '/p/my loc' && go mod init example.com/loc && go mod edit -go=1.21)"
        );
        assert_eq!(
            drop_replacement_command("example.com/loc@v1.0.0", false, "example.com/loc", "v1.0.0"),
            "go mod download example.com/loc@v1.0.0 && go mod edit -dropreplace=example.com/loc@v1.0.0 \
             && go mod download example.com/loc@v1.0.0"
        );
        assert!(
            drop_replacement_command("example.com/loc", true, "example.com/loc", "v1.0.0")
                .contains("&& go work edit -dropreplace=example.com/loc &&")
        );
        assert_eq!(
            go_get_command("example.com/top", Some("v1.0.0")),
            "go get example.com/top@v1.0.0"
        );
        assert_eq!(
            go_get_command("example.com/app", None),
            "go get example.com/app"
        );
    }
}
