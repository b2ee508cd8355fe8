//! The hash tiles go caches under `cache/download/sumdb/<db>/tile/8/<L>/<N>[.p/<W>]`: tile
//! (L, N) holds up to 256 hashes of tree level 8·L, from index 256·N. go keeps whichever
//! widths it fetched; the widest is used, and every narrower one must be a prefix of it.

use super::tlog::{Hash, ProofError, node_hash};
use crate::core::fs_util::read_regular_file;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Tile height: go's client and sum.golang.org use 8.
const HEIGHT: u32 = 8;
const WIDTH: usize = 1 << HEIGHT;

/// A tile's bytes (or why there are none), by (level, number).
type Loaded = HashMap<(u32, u64), Result<Vec<u8>, ProofError>>;

/// Reads tiles lazily and keeps them.
pub struct TileStore {
    root: PathBuf,
    loaded: RefCell<Loaded>,
}

/// `Tile.Path`'s number: `x001/x234/567` for 1234567.
pub fn tile_number_path(n: u64) -> String {
    let mut s = format!("{:03}", n % 1000);
    let mut n = n;
    while n >= 1000 {
        n /= 1000;
        s = format!("x{:03}/{s}", n % 1000);
    }
    s
}

impl TileStore {
    /// Tiles of the database whose cache directory is `db_dir`
    /// (`$GOMODCACHE/cache/download/sumdb/<db>`).
    pub fn new(db_dir: &Path) -> TileStore {
        TileStore {
            root: db_dir.join("tile").join(HEIGHT.to_string()),
            loaded: RefCell::new(HashMap::new()),
        }
    }

    fn label(level: u32, n: u64) -> String {
        format!("tile/{HEIGHT}/{level}/{}", tile_number_path(n))
    }

    /// The widest cached copy of tile (level, n), checked against the narrower ones.
    fn load(&self, level: u32, n: u64) -> Result<Vec<u8>, ProofError> {
        let base = self.root.join(level.to_string()).join(tile_number_path(n));
        let read = |p: &Path| read_regular_file(p, (WIDTH * 32) as u64).ok();
        let mut copies: Vec<Vec<u8>> = Vec::new();
        if let Some(full) = read(&base).filter(|d| d.len() == WIDTH * 32) {
            copies.push(full);
        }
        let partial_dir = PathBuf::from(format!("{}.p", base.display()));
        if let Ok(entries) = std::fs::read_dir(&partial_dir) {
            for e in entries.flatten() {
                let Some(w) = e.file_name().to_str().and_then(|w| w.parse::<usize>().ok()) else {
                    continue;
                };
                if (1..WIDTH).contains(&w)
                    && let Some(data) = read(&e.path()).filter(|d| d.len() == w * 32)
                {
                    copies.push(data);
                }
            }
        }
        copies.sort_by_key(|c| std::cmp::Reverse(c.len()));
        let Some(widest) = copies.first() else {
            return Err(ProofError::MissingTile(Self::label(level, n)));
        };
        if copies[1..].iter().any(|c| !widest.starts_with(c)) {
            return Err(ProofError::TilesDisagree(Self::label(level, n)));
        }
        Ok(widest.clone())
    }

    /// The hash of the complete subtree at tree `level` and index `index`: read from its tile
    /// (levels that are multiples of 8) or combined from the tile's hashes below it.
    pub fn stored_hash(&self, level: u32, index: u64) -> Result<Hash, ProofError> {
        let tile_level = level / HEIGHT;
        let within = level % HEIGHT;
        let first = index << within;
        let count = 1usize << within;
        let n = first >> HEIGHT;
        let start = (first - (n << HEIGHT)) as usize;
        let mut loaded = self.loaded.borrow_mut();
        let tile = loaded
            .entry((tile_level, n))
            .or_insert_with(|| self.load(tile_level, n))
            .as_ref()
            .map_err(Clone::clone)?;
        let bytes = tile
            .get(start * 32..(start + count) * 32)
            .ok_or_else(|| ProofError::MissingTile(Self::label(tile_level, n)))?;
        Ok(combine(bytes))
    }
}

/// `tlog.tileHash`: the root of a run of 2^k hashes.
fn combine(bytes: &[u8]) -> Hash {
    if bytes.len() == 32 {
        let mut h = [0u8; 32];
        h.copy_from_slice(bytes);
        return h;
    }
    let half = bytes.len() / 2;
    node_hash(&combine(&bytes[..half]), &combine(&bytes[half..]))
}
