//! Where the module cache is, how it is laid out on disk, and how its content is hashed.
pub mod dirhash;
pub mod escape;
pub mod evict;
mod file_identity;
pub mod layout;
mod memo_file;
pub mod probe_memo;
pub mod verify_memo;
pub(crate) mod zip_entry;
pub(crate) mod zipcheck;
