//! modscope: inspect a Go project's module cache.
//!
//! The engine (go.mod/go.sum parsing, cache layout, hashing, graph, classification, offline
//! verdict, checksum database) is the `gomodcache` crate; this crate holds its front ends: `cli`
//! (subcommands, JSON, exit codes), `tui` (the inspector), `jobs` (background go processes and
//! engine work as typed events) and `net` (the HTTP client for the checksum database and proxies).
pub mod cli;
pub mod jobs;
pub mod net;
pub mod tui;
