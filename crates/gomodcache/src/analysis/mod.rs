//! What the files and the cache say together: each module's status with its causes and fixes,
//! the whole build list as rows, and which modules `modscope repair` takes.
pub mod build_list;
pub mod cache_fault;
pub mod check;
pub mod classify;
pub mod problems;
pub mod provenance;
pub mod repair_plan;
pub mod report;
