//! The command line's grammar: the subcommands and their flags, as clap parses them.

use super::{
    cache_command, check_command, env_command, graph_command, offline_command, parse_command,
    proxy_command, repair_command, sumdb_command,
};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "modscope",
    version,
    about = "Inspect a Go project's module cache: what is cached, missing, tampered with or replaced, and the command that fixes it"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a subcommand: the interactive inspector on this project (or the demo).
    #[command(flatten)]
    pub target: check_command::TargetArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every required module against the cache and go.sum (exit 0 healthy, 1 problems, 2 bad input).
    Check(check_command::CheckArgs),
    /// The module graph from the cache alone: the build list (as `go list -m all`) and every
    /// requirement edge (as `go mod graph`). Exit 1 when a go.mod it needs is not cached.
    Graph(graph_command::GraphArgs),
    /// Why a module is in the graph and why at this version: every path, shortest first.
    Why(graph_command::WhyArgs),
    /// Would `GOPROXY=off go build ./...` succeed? Every blocker with its fix (exit 0 ready, 1 not, 2 bad input).
    Offline(offline_command::OfflineArgs),
    /// Write a minimal file:// GOPROXY bundle of exactly what the build needs (exit 1 when incomplete).
    Export(offline_command::ExportArgs),
    /// The environment doctor: GOPROXY, GOSUMDB, GOPRIVATE & co., GOFLAGS, GOWORK, GOTOOLCHAIN, and their traps.
    Env(env_command::EnvArgs),
    /// Write the embedded demo (project, module cache and file:// proxy) to DIR to explore it with go.
    Demo {
        /// An empty or new directory.
        dir: PathBuf,
    },
    /// Repair the modules whose cached content is bad: move their files to a quarantine (asks
    /// first), download them again with go, check them again (exit 0 repaired, 1 still broken, 2 usage).
    Repair(repair_command::RepairArgs),
    /// Every go.sum line against what go cached of the checksum database: vouched, conflict
    /// (naming the wrong side), unchecked (and why) or unverifiable (exit 0 nothing wrong, 1 a
    /// conflict, an unverifiable answer or a fork, 2 bad input).
    Sumdb(sumdb_command::SumdbArgs),
    /// The whole module cache: what it holds (bytes on disk as du counts them), which projects
    /// use each version, what can go; `cache prune` removes it (exit 0 ok, 1 not all removed, 2 bad input).
    Cache(cache_command::CacheArgs),
    /// A team's module proxy: `proxy check [URL]` says whether it holds everything this project
    /// needs with the right bytes (exit 0 complete, 1 something absent, wrong or failing, 2 bad input).
    #[command(subcommand)]
    Proxy(proxy_command::ProxyCommand),
    /// Parse one go.mod, go.work, go.sum or vendor/modules.txt file and print it as JSON.
    /// The go.mod/go.work JSON has the shape of `go mod edit -json` / `go work edit -json`.
    Parse {
        /// The file to parse.
        file: PathBuf,
        /// What the file is; guessed from its name when omitted.
        #[arg(long, value_enum)]
        kind: Option<parse_command::FileKind>,
        /// Print the file reformatted instead of JSON: go.mod and go.work as
        /// `go mod edit -fmt -print` / `go work edit -fmt -print` would (comments kept), go.sum
        /// and vendor/modules.txt re-printed from the parsed lines.
        #[arg(long)]
        fmt: bool,
    },
}
