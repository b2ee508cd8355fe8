//! How the engine touches the file system outside the module cache's own layout: reading a
//! file safely ([`read`]) and starting or owning a directory of its own ([`new_tree`]).

pub mod new_tree;
pub mod read;
