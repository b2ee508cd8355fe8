//! Go's environment as cmd/go reads it, without running go: the variables (process environment,
//! `go env -w` file, `$GOROOT/go.env`), GOFLAGS, the GOPROXY list, GOPRIVATE-style patterns, and
//! the doctor behind `modscope env` with the settings that break builds or deserve a warning.

pub mod doctor;
pub mod env;
pub(crate) mod env_traps;
pub(crate) mod goflags;
pub mod goproxy;
pub(crate) mod patterns;

pub use goflags::split_quoted;
