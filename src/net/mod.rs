//! The network side of modscope, used only by `modscope sumdb --online` and `modscope proxy
//! check` against an HTTP(S) proxy: a blocking HTTP client
//! (and `file://` URLs, read as files) with a timeout per request and retries, a bounded pool
//! of requests in flight, and the driver that asks the checksum database what the engine
//! (`gomodcache::sumdb::online`) says it needs. Nothing else in modscope touches the network.

pub mod goauth;
pub mod http;
pub mod netrc;
pub mod pool;
pub mod proxy_source;
pub mod roots;
pub mod sumdb_online;
