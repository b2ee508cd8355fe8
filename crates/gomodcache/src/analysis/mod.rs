//! What the files and the cache say together: the project model, the required modules, and
//! each module's status with its causes and fixes.
pub mod build_list;
pub mod cache_fault;
pub mod check;
pub mod classify;
pub(crate) mod fix_commands;
pub mod problems;
pub mod project;
pub mod repair_plan;
pub mod report;
pub mod requirements;
pub mod workspace_errors;
