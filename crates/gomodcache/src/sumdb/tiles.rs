//! The hash tiles go caches under `cache/download/sumdb/<db>/tile/8/<L>/<N>[.p/<W>]`: tile
//! (L, N) holds up to 256 hashes of tree level 8·L, from index 256·N. go keeps whichever
//! widths it fetched; the widest is used, and every narrower one must be a prefix of it.
//!
//! A tile store reads several such directories (go's cache and modscope's own, which
//! `sumdb --online` fills) and tiles handed to it in memory (fetched, not yet trusted): all
//! copies of one tile are pooled the same way. A recording wraps a store to learn which
//! tiles a proof needs (the ones missing, at the width the proof's tree gives them) or used.

use super::tlog::{Hash, HashReader, ProofError, node_hash};
use crate::fs::read::read_regular_file;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Tile height: go's client and sum.golang.org use 8.
pub(crate) const HEIGHT: u32 = 8;
const WIDTH: usize = 1 << HEIGHT;

/// A tile's bytes (or why there are none), by (level, number).
type Loaded = HashMap<(u32, u64), Result<Vec<u8>, ProofError>>;

/// One tile of a given width, as go names it (`tlog.Tile` with H = 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tile {
    /// The tile's level (level L holds hashes of level 8·L of the tree).
    pub level: u32,
    /// The tile's number within its level.
    pub n: u64,
    /// 1..=256 hashes.
    pub width: u32,
}

impl Tile {
    /// The tile (level, n) as a tree of size `tree_n` has it: its width is the number of
    /// complete level-8·L hashes of that tree in it (`tlog.TileForIndex`'s width).
    pub(crate) fn in_tree(level: u32, n: u64, tree_n: u64) -> Tile {
        let hashes = tree_n >> (HEIGHT * level);
        let width = hashes.saturating_sub(n << HEIGHT).min(WIDTH as u64) as u32;
        Tile { level, n, width }
    }

    /// `Tile.Path`: `tile/8/L/NNN` for a full tile, `tile/8/L/NNN.p/W` for a partial one.
    pub fn path(&self) -> String {
        let base = format!("tile/{HEIGHT}/{}/{}", self.level, tile_number_path(self.n));
        if self.width as usize == WIDTH {
            base
        } else {
            format!("{base}.p/{}", self.width)
        }
    }

    /// The same tile, full width (what a server has once the tile is complete).
    pub fn full(&self) -> Tile {
        Tile {
            width: WIDTH as u32,
            ..*self
        }
    }
}

/// Reads tiles lazily and keeps them.
pub(crate) struct TileStore {
    roots: Vec<PathBuf>,
    /// Copies fetched during this run, by (level, number).
    fetched: HashMap<(u32, u64), Vec<Vec<u8>>>,
    loaded: RefCell<Loaded>,
}

/// `Tile.Path`'s number: `x001/x234/567` for 1234567.
pub(crate) fn tile_number_path(n: u64) -> String {
    let mut s = format!("{:03}", n % 1000);
    let mut n = n;
    while n >= 1000 {
        n /= 1000;
        s = format!("x{:03}/{s}", n % 1000);
    }
    s
}

/// The tile (level, n) and the position in it of the complete subtree (`level`, `index`):
/// its first level-8·L hash and how many there are.
fn locate(level: u32, index: u64) -> (u32, u64, usize, usize) {
    let tile_level = level / HEIGHT;
    let within = level % HEIGHT;
    let first = index << within;
    let count = 1usize << within;
    let n = first >> HEIGHT;
    let start = (first - (n << HEIGHT)) as usize;
    (tile_level, n, start, count)
}

impl TileStore {
    /// Tiles of the database whose cache directory is `db_dir`
    /// (`$GOMODCACHE/cache/download/sumdb/<db>`).
    #[cfg(test)]
    pub fn new(db_dir: &Path) -> TileStore {
        TileStore::with_dirs(&[db_dir])
    }

    /// Tiles of several cache directories of one database, pooled.
    pub fn with_dirs(db_dirs: &[&Path]) -> TileStore {
        TileStore {
            roots: db_dirs
                .iter()
                .map(|d| d.join("tile").join(HEIGHT.to_string()))
                .collect(),
            fetched: HashMap::new(),
            loaded: RefCell::new(HashMap::new()),
        }
    }

    /// A copy of `tile` fetched during this run (cut to the tile's width when a full tile
    /// answered for a partial one). Not trusted: like cached copies, it only counts when a
    /// proof ending in a signed hash goes through it.
    pub fn add_fetched(&mut self, tile: Tile, mut data: Vec<u8>) {
        data.truncate(tile.width as usize * 32);
        if data.len() != tile.width as usize * 32 {
            return;
        }
        self.fetched
            .entry((tile.level, tile.n))
            .or_default()
            .push(data);
        self.loaded.borrow_mut().remove(&(tile.level, tile.n));
    }

    fn label(level: u32, n: u64) -> String {
        format!("tile/{HEIGHT}/{level}/{}", tile_number_path(n))
    }

    /// The widest copy of tile (level, n), checked against the narrower ones.
    fn load(&self, level: u32, n: u64) -> Result<Vec<u8>, ProofError> {
        let read = |p: &Path| read_regular_file(p, (WIDTH * 32) as u64).ok();
        let mut copies: Vec<Vec<u8>> = Vec::new();
        for root in &self.roots {
            let base = root.join(level.to_string()).join(tile_number_path(n));
            if let Some(full) = read(&base).filter(|d| d.len() == WIDTH * 32) {
                copies.push(full);
            }
            let partial_dir = PathBuf::from(format!("{}.p", base.display()));
            if let Ok(entries) = std::fs::read_dir(&partial_dir) {
                for e in entries.flatten() {
                    let Some(w) = e.file_name().to_str().and_then(|w| w.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    if (1..WIDTH).contains(&w)
                        && let Some(data) = read(&e.path()).filter(|d| d.len() == w * 32)
                    {
                        copies.push(data);
                    }
                }
            }
        }
        copies.extend(self.fetched.get(&(level, n)).into_iter().flatten().cloned());
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
    pub(crate) fn stored_hash(&self, level: u32, index: u64) -> Result<Hash, ProofError> {
        let (tile_level, n, start, count) = locate(level, index);
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

impl HashReader for TileStore {
    fn stored_hash(&self, level: u32, index: u64, _tree_n: u64) -> Result<Hash, ProofError> {
        TileStore::stored_hash(self, level, index)
    }
}

/// A store seen through proofs: which tiles they lacked, at the width their trees give them
/// (with `listing_needs`, a missing tile reads as zeros, so a proof goes on and names every
/// tile it needs; it then fails, and only the list is of use).
pub(crate) struct Recording<'a> {
    inner: &'a TileStore,
    /// Missing tiles read as zeros (to list every tile a proof needs) instead of failing it.
    fill_missing: bool,
    /// Missing tiles, by (level, number), at the widest width a proof asked for.
    missing: RefCell<BTreeMap<(u32, u64), Tile>>,
}

impl<'a> Recording<'a> {
    pub fn new(inner: &'a TileStore) -> Recording<'a> {
        Recording {
            inner,
            fill_missing: false,
            missing: RefCell::default(),
        }
    }

    /// A recording whose missing tiles read as zeros: every proof then runs to its end and
    /// names every tile it needs (and fails; only [`Recording::missing`] is of use).
    pub fn listing_needs(inner: &'a TileStore) -> Recording<'a> {
        Recording {
            fill_missing: true,
            ..Recording::new(inner)
        }
    }

    /// The tiles a proof lacked, at the width its tree has them.
    pub fn missing(&self) -> Vec<Tile> {
        self.missing.borrow().values().copied().collect()
    }
}

impl HashReader for Recording<'_> {
    fn stored_hash(&self, level: u32, index: u64, tree_n: u64) -> Result<Hash, ProofError> {
        let (tile_level, n, _, _) = locate(level, index);
        match self.inner.stored_hash(level, index) {
            Err(ProofError::MissingTile(_)) => {
                let want = Tile::in_tree(tile_level, n, tree_n);
                let mut missing = self.missing.borrow_mut();
                let entry = missing.entry((tile_level, n)).or_insert(want);
                entry.width = entry.width.max(want.width);
                if self.fill_missing {
                    Ok([0u8; 32])
                } else {
                    Err(ProofError::MissingTile(TileStore::label(tile_level, n)))
                }
            }
            other => other,
        }
    }
}

/// The complete subtrees a tile's hashes make (level, index, hash): one per power of two in
/// its width, from the left. All of them proven in a signed tree makes every hash of it
/// authentic.
pub(crate) fn tile_subtrees(tile: Tile, data: &[u8]) -> Vec<(u32, u64, Hash)> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for k in (0..=HEIGHT).rev() {
        let size = 1usize << k;
        if tile.width as usize & size != 0 && data.len() >= (offset + size) * 32 {
            let first = (tile.n << HEIGHT) + offset as u64;
            let hash = combine(&data[offset * 32..(offset + size) * 32]);
            out.push((HEIGHT * tile.level + k, first >> k, hash));
            offset += size;
        }
    }
    out
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
