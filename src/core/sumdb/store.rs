//! Where go keeps what it learned from a checksum database, and reading it: the latest signed
//! tree head (`$GOPATH[0]/pkg/sumdb/<db>/latest`, outside the module cache) and the lookup
//! answers and tiles (`$GOMODCACHE/cache/download/sumdb/<db>/`).

use super::note::{NoteError, VerifierKey};
use super::tlog::{Tree, parse_record};
use crate::core::cache::escape::{escape_path, escape_version};
use crate::core::fs_util::read_regular_file;
use std::path::{Path, PathBuf};

/// A lookup answer is a record (a few go.sum lines) and a signed tree head: small.
const MAX_LOOKUP: u64 = 64 << 10;

/// The database's cached files.
pub struct DbFiles {
    pub key: VerifierKey,
    /// `$GOMODCACHE/cache/download/sumdb/<db>`.
    pub dir: PathBuf,
    /// `$GOPATH[0]/pkg/sumdb/<db>/latest`, when GOPATH is known.
    pub latest: Option<PathBuf>,
}

/// A cached lookup answer, verified: the record and the tree head it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub file: PathBuf,
    pub id: u64,
    /// The record's text: the database's go.sum lines for the version.
    pub text: String,
    pub tree: Tree,
}

/// What reading a cached lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupRead {
    /// No cached answer (go never looked the version up with this cache).
    Absent,
    Found(Lookup),
    /// There is a file, but it is not a well-formed answer signed by the database's key.
    Bad {
        file: PathBuf,
        why: String,
    },
}

impl DbFiles {
    pub fn new(key: VerifierKey, modcache: &Path, gopath_first: Option<&Path>) -> DbFiles {
        let dir = modcache.join("cache/download/sumdb").join(&key.name);
        let latest = gopath_first.map(|g| g.join("pkg/sumdb").join(&key.name).join("latest"));
        DbFiles { key, dir, latest }
    }

    pub fn lookup_file(&self, path: &str, version: &str) -> Option<PathBuf> {
        let (p, v) = (escape_path(path).ok()?, escape_version(version).ok()?);
        Some(self.dir.join("lookup").join(format!("{p}@{v}")))
    }

    /// The answer go cached for `path@version`, with its signature checked.
    pub fn lookup(&self, path: &str, version: &str) -> LookupRead {
        let Some(file) = self.lookup_file(path, version) else {
            return LookupRead::Absent;
        };
        let data = match read_regular_file(&file, MAX_LOOKUP) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return LookupRead::Absent,
            Err(e) => {
                return LookupRead::Bad {
                    file,
                    why: e.to_string(),
                };
            }
        };
        let bad = |why: String| LookupRead::Bad {
            file: file.clone(),
            why,
        };
        let Some((id, text, signed)) = parse_record(&data) else {
            return bad("malformed record".into());
        };
        let tree = match self.open_tree(signed) {
            Ok(t) => t,
            Err(why) => return bad(why),
        };
        LookupRead::Found(Lookup {
            file: file.clone(),
            id,
            text: String::from_utf8_lossy(text).into_owned(),
            tree,
        })
    }

    /// The signed tree head in `latest`, if there is one; `Err` when it does not verify.
    pub fn latest_tree(&self) -> Option<Result<Tree, String>> {
        let file = self.latest.as_ref()?;
        let data = read_regular_file(file, MAX_LOOKUP).ok()?;
        Some(self.open_tree(&data))
    }

    fn open_tree(&self, signed: &[u8]) -> Result<Tree, String> {
        let text = self.key.open(signed).map_err(|e| match e {
            NoteError::InvalidSignature(n) => {
                format!("the tree head's signature by {n} does not verify (forged or corrupted)")
            }
            other => format!("tree head: {other}"),
        })?;
        Tree::parse(text).ok_or_else(|| "malformed tree head".to_string())
    }
}

/// The hash the record gives for one go.sum line (`path version[/go.mod]`).
pub fn record_hash_for(text: &str, path: &str, version: &str, go_mod: bool) -> Option<String> {
    let want = if go_mod {
        format!("{version}/go.mod")
    } else {
        version.to_string()
    };
    text.lines().find_map(|l| {
        let mut f = l.split(' ');
        let (p, v, h) = (f.next()?, f.next()?, f.next()?);
        (p == path && v == want && f.next().is_none()).then(|| h.to_string())
    })
}
