//! The pure engine: no terminal, no async runtime, no network. Everything here is callable from
//! tests and the CLI alike.
pub mod analysis;
pub mod bundle;
pub mod cache;
pub mod demo;
pub mod edit;
pub mod fix;
pub mod fs;
pub mod goenv;
pub mod graph;
pub mod inventory;
pub mod modfile;
pub mod offline;
pub mod packages;
pub mod progress;
pub mod project;
pub mod proxy;
pub mod sumdb;
pub mod synth;
pub mod toolchain;
pub mod version;
