//! The commands modscope prints to fix what it finds, each to paste as it is (POSIX sh), each run
//! against the real go by a test: [`commands`] for one-step fixes, [`compound`] for those that
//! edit go.sum or go.mod and then have go fill in again.

pub mod commands;
pub mod compound;
