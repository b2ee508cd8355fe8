//! The checksum database as go caches it: signed tree heads (`$GOPATH/pkg/sumdb/<db>/latest`),
//! lookup answers and hash tiles (`$GOMODCACHE/cache/download/sumdb/<db>/…`), verified as go's
//! client verifies them (x/mod `sumdb/note` and `sumdb/tlog`), and a verdict for every go.sum
//! line: vouched for by the database, in conflict with it, unchecked (and why), or unverifiable.

pub mod check;
pub(crate) mod go_cache;
pub(crate) mod line;
pub mod note;
pub mod online;
pub(crate) mod store;
pub mod tiles;
pub(crate) mod tlog;
pub mod verdict;
