//! What go keeps of the checksum database in the module cache: each answer it got, under
//! `cache/download/sumdb/<db>/lookup/<escaped path>@<escaped version>` (with the log tiles that
//! prove it). With the answer there, go verifies that module version offline, so a go.sum line
//! it lacks is not a reason to need the network.

use crate::cache::layout::ModuleCache;
use crate::sumdb::store::{db_cache_dir, lookup_path};

/// Whether the answer of checksum database `db` for `path@version` is in the cache.
pub fn sumdb_lookup_cached(cache: &ModuleCache, db: &str, path: &str, version: &str) -> bool {
    let Some(rel) = lookup_path(path, version) else {
        return false;
    };
    let file = db_cache_dir(&cache.root, db).join(rel);
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
