//! The only changes modscope makes to a user's go.mod and go.sum: the backup taken before
//! `go mod tidy` and its undo, the unified diff that shows what changed, and the go.sum fix the
//! user confirmed.

pub mod go_sum_edit;
pub mod tidy_backup;
pub(crate) mod unified_diff;
