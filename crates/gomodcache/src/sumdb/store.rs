//! Where go keeps what it learned from a checksum database, and reading it: the latest signed
//! tree head (`$GOPATH[0]/pkg/sumdb/<db>/latest`, outside the module cache) and the lookup
//! answers and tiles (`$GOMODCACHE/cache/download/sumdb/<db>/`); and modscope's own copy of what
//! `sumdb --online` fetched and verified (`<modscope cache>/sumdb/<db>/{latest,lookup,tile}`,
//! laid out as go's), read after go's.

use super::note::{NoteError, VerifierKey};
use super::tlog::{Tree, parse_record};
use crate::cache::escape::{escape_path, escape_version};
use crate::fs::read::read_regular_file;
use std::cell::RefCell;
use std::collections::HashMap;
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
    /// modscope's own copy, `<modscope cache>/sumdb/<db>` (lookups, tiles and `latest`).
    pub own: Option<PathBuf>,
    /// Signed tree heads already checked, by their bytes: answers fetched together carry the
    /// same one, and an Ed25519 check is the dearest step of reading an answer.
    opened: RefCell<HashMap<Vec<u8>, Result<Tree, String>>>,
}

/// A cached lookup answer, verified: the record and the tree head it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Where it was read: a file, or the URL it was fetched from.
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
        let dir = db_cache_dir(modcache, &key.name);
        let latest = gopath_first.map(|g| g.join("pkg/sumdb").join(&key.name).join("latest"));
        DbFiles {
            key,
            dir,
            latest,
            own: None,
            opened: RefCell::default(),
        }
    }

    /// Also reads modscope's own copy under `own_root` (`<modscope cache>/sumdb`).
    pub fn with_own(mut self, own_root: Option<&Path>) -> DbFiles {
        self.own = own_root.map(|r| r.join(&self.key.name));
        self
    }

    /// The directories holding tiles: go's, then modscope's.
    pub fn tile_dirs(&self) -> Vec<&Path> {
        std::iter::once(self.dir.as_path())
            .chain(self.own.as_deref())
            .collect()
    }

    /// The answer go cached for `path@version` (or, when go has none, the one modscope kept),
    /// with its signature checked.
    pub fn lookup(&self, path: &str, version: &str) -> LookupRead {
        let Some(rel) = lookup_path(path, version) else {
            return LookupRead::Absent;
        };
        match self.lookup_at(self.dir.join(&rel)) {
            LookupRead::Absent => match &self.own {
                Some(own) => self.lookup_at(own.join(&rel)),
                None => LookupRead::Absent,
            },
            read => read,
        }
    }

    fn lookup_at(&self, file: PathBuf) -> LookupRead {
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
        self.open_lookup(file, &data)
    }

    /// A lookup answer's bytes (read from `file`, or fetched from it as a URL), verified.
    pub fn open_lookup(&self, file: PathBuf, data: &[u8]) -> LookupRead {
        if data.len() as u64 > MAX_LOOKUP {
            return LookupRead::Bad {
                file,
                why: "larger than any lookup answer".into(),
            };
        }
        let bad = |why: String| LookupRead::Bad {
            file: file.clone(),
            why,
        };
        let Some((id, text, signed)) = parse_record(data) else {
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

    /// The signed tree heads in go's `latest` and modscope's, where there are; `Err` when one
    /// does not verify.
    pub fn latest_trees(&self) -> Vec<(PathBuf, Result<Tree, String>)> {
        let own = self.own.as_ref().map(|o| o.join("latest"));
        self.latest
            .iter()
            .chain(own.as_ref())
            .filter_map(|file| {
                let data = read_regular_file(file, MAX_LOOKUP).ok()?;
                Some((file.clone(), self.open_tree(&data)))
            })
            .collect()
    }

    /// A signed tree head's bytes, verified with the database's key.
    pub fn open_tree(&self, signed: &[u8]) -> Result<Tree, String> {
        if let Some(known) = self.opened.borrow().get(signed) {
            return known.clone();
        }
        let opened = self.verify_tree(signed);
        self.opened
            .borrow_mut()
            .insert(signed.to_vec(), opened.clone());
        opened
    }

    fn verify_tree(&self, signed: &[u8]) -> Result<Tree, String> {
        let text = self.key.open(signed).map_err(|e| match e {
            NoteError::InvalidSignature(n) => {
                format!("the tree head's signature by {n} does not verify (forged or corrupted)")
            }
            other => format!("tree head: {other}"),
        })?;
        Tree::parse(text).ok_or_else(|| "malformed tree head".to_string())
    }
}

/// `$GOMODCACHE/cache/download/sumdb/<db>`: where go caches a database's answers and tiles.
pub fn db_cache_dir(modcache: &Path, db: &str) -> PathBuf {
    modcache.join("cache/download/sumdb").join(db)
}

/// `lookup/<escaped path>@<escaped version>`: where go caches the answer, relative to the
/// database's directory, and the path it asks the database for.
pub fn lookup_path(path: &str, version: &str) -> Option<String> {
    let (p, v) = (escape_path(path).ok()?, escape_version(version).ok()?);
    Some(format!("lookup/{p}@{v}"))
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
