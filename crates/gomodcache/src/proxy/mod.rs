//! Auditing a module proxy for what a project needs (`modscope proxy check`).

pub mod audit;
pub mod report;
pub mod source;
