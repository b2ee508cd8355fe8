//! Go's `h1:` hash (x/mod `sumdb/dirhash.Hash1`) over a module zip, an extracted directory and a
//! `.mod` file, byte for byte equal to what `go` writes to go.sum and `.ziphash`.
//!
//! h1 = base64(sha256(summary)), where summary has one line `hex(sha256(content))  name\n` per
//! file, sorted by the raw bytes of the name. Names are raw bytes (never transcoded).
//!
//! Hostile input is refused before it costs anything: a zip over go's 500 MiB limits (file size,
//! or the sizes its central directory declares) is refused before anything is inflated, an entry
//! is never inflated past the size it declares, and a tree is never read past 500 MiB.

mod digest;
mod inflate;
mod paired;
mod tree;
mod zipfile;

pub(crate) use digest::hash1;
pub use digest::{HashError, MAX_UNCOMPRESSED, hash_go_mod};
pub(crate) use paired::hash_matched_tree;
pub use tree::hash_dir;
pub(crate) use tree::{TreeFile, TreeMatch, foreign_entries, hash_tree_files, list_tree};
#[cfg(test)]
use zipfile::hash_zip_with_limit;
pub use zipfile::{hash_module_zip, hash_zip};
pub(crate) use zipfile::{hash_module_zip_counted, hash_module_zip_matched};

#[cfg(test)]
mod tests;
