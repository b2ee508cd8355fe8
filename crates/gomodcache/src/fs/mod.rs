//! How the engine touches the file system outside the module cache's own layout: reading a
//! file safely ([`read`]), starting or owning a directory of its own ([`new_tree`]),
//! cleaning a path the way Go does ([`clean`]), and the timestamps modscope writes ([`timestamp`]).

pub mod clean;
pub mod new_tree;
pub mod read;
pub mod timestamp;
