//! The real binary in a pseudo-terminal: a reader thread feeds every byte to a `vt100` parser
//! (the screen a person would see) and keeps a raw copy (to check the escape sequences), plus
//! /proc helpers to prove that no process outlives the app.
//!
//! Every wait is bounded: on timeout the helper panics with the screen on it, and dropping a
//! [`PtyApp`] kills an app that is still running, so a hung app fails the test instead of
//! hanging it.

#![allow(dead_code)]

#[path = "pty/app.rs"]
mod app;
#[path = "pty/checks.rs"]
mod checks;
#[path = "pty/fake_go.rs"]
mod fake_go;
#[path = "pty/procs.rs"]
mod procs;

// Each test binary includes this file and uses a part of it (hence also `dead_code` above).
#[allow(unused_imports)]
pub use {app::*, checks::*, fake_go::*, procs::*};
