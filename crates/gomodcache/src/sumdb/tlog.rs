//! The checksum database's transparency log (x/mod `sumdb/tlog`, RFC 6962 hashing): tree
//! heads, records, the hash tiles go caches, and proofs computed from them — that a record is
//! in a tree, and that a smaller tree is a prefix of a larger one (no fork).
//!
//! Tiles are not trusted: every proof ends in a hash signed by the database, so a tile that
//! lies makes the proof fail rather than pass.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// A tree head: its size and root hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tree {
    pub n: u64,
    pub hash: Hash,
}

impl Tree {
    /// `tlog.ParseTree` of a note's text.
    pub fn parse(text: &[u8]) -> Option<Tree> {
        let text = std::str::from_utf8(text).ok()?;
        let rest = text.strip_prefix("go.sum database tree\n")?;
        let mut lines = rest.splitn(3, '\n');
        let n_text = lines.next()?;
        let n: u64 = n_text.parse().ok()?;
        if n.to_string() != n_text {
            return None;
        }
        let hash: Hash = B64.decode(lines.next()?).ok()?.try_into().ok()?;
        lines.next()?;
        Some(Tree { n, hash })
    }
}

/// Where a proof reads the hashes of complete subtrees. `tree_n` is the size of the tree the
/// proof is about (which width of a tile it needs); a store that has the hash ignores it.
pub trait HashReader {
    fn stored_hash(&self, level: u32, index: u64, tree_n: u64) -> Result<Hash, ProofError>;
}

/// `tlog.RecordHash`: the leaf hash of a record's text.
pub fn record_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// `tlog.NodeHash`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// `tlog.ParseRecord` of a lookup answer: the record id, its text (the go.sum lines) and the
/// rest (the signed tree head).
pub fn parse_record(msg: &[u8]) -> Option<(u64, &[u8], &[u8])> {
    let nl = msg.iter().position(|&b| b == b'\n')?;
    let id: u64 = std::str::from_utf8(&msg[..nl]).ok()?.parse().ok()?;
    let msg = &msg[nl + 1..];
    let end = msg.windows(2).position(|w| w == b"\n\n")?;
    let (text, rest) = (&msg[..end + 1], &msg[end + 2..]);
    let valid =
        std::str::from_utf8(text).is_ok_and(|t| !t.chars().any(|c| (c as u32) < 0x20 && c != '\n'));
    valid.then_some((id, text, rest))
}

/// Why a proof could not be made or did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// A tile the proof needs is not cached (go never fetched it): nothing can be said.
    MissingTile(String),
    /// The hashes do not lead to the signed root: the record is not in that tree, or a cached
    /// tile was changed.
    Mismatch,
    /// Two cached versions of one tile disagree on the hashes they share.
    TilesDisagree(String),
}

impl std::fmt::Display for ProofError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProofError::MissingTile(t) => write!(f, "the tile {t} is not in the cache"),
            ProofError::Mismatch => f.write_str("the proof does not lead to the signed tree hash"),
            ProofError::TilesDisagree(t) => write!(f, "two cached widths of tile {t} disagree"),
        }
    }
}

fn largest_power_of_two_below(n: u64) -> u64 {
    debug_assert!(n > 1);
    1 << (63 - (n - 1).leading_zeros())
}

/// The hash of leaves `[lo, hi)`: a stored hash when the range is a complete, aligned subtree,
/// else split as RFC 6962's MTH splits (left part the largest power of two). `keep` is a size
/// the split must also respect: no range used whole crosses it (so the old tree's nodes are
/// the ones a consistency check recombines).
/// `tree_n` is the size of the tree the proof is about (which width of a tile it reads).
fn range_hash(
    tiles: &dyn HashReader,
    lo: u64,
    hi: u64,
    keep: u64,
    tree_n: u64,
) -> Result<Hash, ProofError> {
    let n = hi - lo;
    let crosses = lo < keep && keep < hi;
    if n.is_power_of_two() && lo.is_multiple_of(n) && !crosses {
        return tiles.stored_hash(n.trailing_zeros(), lo >> n.trailing_zeros(), tree_n);
    }
    let k = largest_power_of_two_below(n);
    let left = range_hash(tiles, lo, lo + k, keep, tree_n)?;
    let right = range_hash(tiles, lo + k, hi, keep, tree_n)?;
    Ok(node_hash(&left, &right))
}

/// The root of leaves `[lo, hi)` with the complete subtree of `size` leaves from `first` given
/// (`hash`: a leaf's hash when `size` is 1), every other part from tiles.
fn root_with(
    tiles: &dyn HashReader,
    (first, size): (u64, u64),
    lo: u64,
    hi: u64,
    hash: &Hash,
    tree_n: u64,
) -> Result<Hash, ProofError> {
    if hi - lo <= size {
        return Ok(*hash);
    }
    let k = largest_power_of_two_below(hi - lo);
    if first < lo + k {
        let left = root_with(tiles, (first, size), lo, lo + k, hash, tree_n)?;
        Ok(node_hash(&left, &range_hash(tiles, lo + k, hi, 0, tree_n)?))
    } else {
        let right = root_with(tiles, (first, size), lo + k, hi, hash, tree_n)?;
        Ok(node_hash(
            &range_hash(tiles, lo, lo + k, 0, tree_n)?,
            &right,
        ))
    }
}

/// That `hash` is the complete subtree at `level` and `index` of `tree` (how a fetched tile's
/// hashes are authenticated before they are kept, as go's `TileHashReader` checks tiles).
pub fn prove_subtree(
    tiles: &dyn HashReader,
    tree: &Tree,
    level: u32,
    index: u64,
    hash: &Hash,
) -> Result<(), ProofError> {
    let size = 1u64 << level;
    let first = index << level;
    if first.checked_add(size).is_none_or(|end| end > tree.n) {
        return Err(ProofError::Mismatch);
    }
    let root = root_with(tiles, (first, size), 0, tree.n, hash, tree.n)?;
    if root == tree.hash {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

/// That record `id` with text `data` is leaf `id` of `tree`.
pub fn prove_record(
    tiles: &dyn HashReader,
    tree: &Tree,
    id: u64,
    data: &[u8],
) -> Result<(), ProofError> {
    if id >= tree.n {
        return Err(ProofError::Mismatch);
    }
    let root = root_with(tiles, (id, 1), 0, tree.n, &record_hash(data), tree.n)?;
    if root == tree.hash {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

/// That `old` is a prefix of `new`: both roots come out of one set of nodes, the old tree's
/// complete subtrees recombined with the new leaves (RFC 6962's consistency proof).
pub fn prove_consistent(tiles: &dyn HashReader, old: &Tree, new: &Tree) -> Result<(), ProofError> {
    if old.n > new.n {
        return prove_consistent(tiles, new, old);
    }
    if old.n == new.n || old.n == 0 {
        return if old.n == 0 || old.hash == new.hash {
            Ok(())
        } else {
            Err(ProofError::Mismatch)
        };
    }
    let old_root = range_hash(tiles, 0, old.n, 0, new.n)?;
    let new_root = range_hash(tiles, 0, new.n, old.n, new.n)?;
    if old_root == old.hash && new_root == new.hash {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

#[cfg(test)]
mod tests;
