//! The module graph, offline: read the `.mod` files go would read (graph pruning, replacements,
//! exclusions), select versions by MVS, and answer "why is this module here, at this version?".
//! Nothing is downloaded: a `.mod` the graph needs but the cache lacks is reported.

pub mod build;
pub mod export;
mod model;
mod paths;
pub mod why;

pub use build::load_graph;
pub use model::{GoModSource, ModGraph, Node};
