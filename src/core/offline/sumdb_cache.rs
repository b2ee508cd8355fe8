//! What go keeps of the checksum database in the module cache: each answer it got, under
//! `cache/download/sumdb/<db>/lookup/<escaped path>@<escaped version>` (with the log tiles that
//! prove it). With the answer there, go verifies that module version offline, so a go.sum line
//! it lacks is not a reason to need the network.

use crate::core::cache::escape::{escape_path, escape_version};
use crate::core::cache::layout::ModuleCache;

/// The checksum database's name in a GOSUMDB value (`sum.golang.org`, `name+hash+key [url]`),
/// as `dbDial` derives it; `sum.golang.google.cn` is an alias of sum.golang.org, and an empty
/// value is go's default.
pub fn sumdb_name(gosumdb: &str) -> Option<&str> {
    if gosumdb.trim().is_empty() {
        return Some("sum.golang.org");
    }
    let first = gosumdb.split_whitespace().next()?;
    if first == "sum.golang.google.cn" || first == "off" {
        return (first != "off").then_some("sum.golang.org");
    }
    first.split('+').next().filter(|n| !n.is_empty())
}

/// Whether the answer of checksum database `db` for `path@version` is in the cache.
pub fn sumdb_lookup_cached(cache: &ModuleCache, db: &str, path: &str, version: &str) -> bool {
    let (Ok(p), Ok(v)) = (escape_path(path), escape_version(version)) else {
        return false;
    };
    let file = cache
        .root
        .join("cache/download/sumdb")
        .join(db)
        .join("lookup")
        .join(format!("{p}@{v}"));
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_database_names() {
        assert_eq!(sumdb_name("sum.golang.org"), Some("sum.golang.org"));
        assert_eq!(sumdb_name("sum.golang.google.cn"), Some("sum.golang.org"));
        assert_eq!(
            sumdb_name("sum.example.test+4ac087d0+AepKb https://x"),
            Some("sum.example.test")
        );
        assert_eq!(sumdb_name(""), Some("sum.golang.org"));
        assert_eq!(sumdb_name("off"), None);
    }

    #[test]
    fn lookups_are_found_under_escaped_names() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ModuleCache::new(tmp.path());
        let dir = tmp
            .path()
            .join("cache/download/sumdb/sum.golang.org/lookup/github.com/!burnt!sushi");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("toml@v1.3.2"),
            "123\ngithub.com/BurntSushi/toml v1.3.2 h1:x\n",
        )
        .unwrap();
        assert!(sumdb_lookup_cached(
            &cache,
            "sum.golang.org",
            "github.com/BurntSushi/toml",
            "v1.3.2"
        ));
        assert!(!sumdb_lookup_cached(
            &cache,
            "sum.golang.org",
            "github.com/BurntSushi/toml",
            "v1.3.3"
        ));
    }
}
