//! modscope: inspect a Go project's module cache.
//!
//! `core` is the pure engine (parsing, cache layout, hashing, classification). It never imports a
//! terminal or async crate; `cli` is the non-interactive front end built on it.
pub mod cli;
pub use gomodcache as core;
pub mod jobs;
pub mod net;
pub mod tui;
