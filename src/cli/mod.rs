//! The non-interactive front end: argument parsing and one file per subcommand.
//! JSON goes to stdout, human diagnostics to stderr.

/// `eprintln!` for every message modscope writes to stderr: paths and names in it come from
/// the user's files and the cache, so their control characters are escaped (no escape
/// sequence reaches the terminal raw).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(&format!($($arg)*), true)
    };
}

/// `eprint!` with the same escaping, for a question that waits on the same line.
macro_rules! say_partial {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(&format!($($arg)*), false)
    };
}

mod args;
mod cache_command;
mod cache_json;
mod cache_progress;
mod cache_text;
pub mod check_command;
mod env_command;

mod graph_command;
pub mod human_report;
mod leading_target;
mod offline_command;
pub mod output;
mod parse_command;
mod proxy_command;
mod prune_output;
mod repair_command;
mod repair_output;
mod stderr_progress;
mod sumdb_command;
mod tui_command;

use args::{Cli, Command};
use clap::Parser;
use output::{EXIT_USAGE, write_stdout};
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout with exit 0 and usage errors with exit 2.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Flags before a subcommand are its flags (`modscope -C DIR check`, as `go -C DIR`).
    if let Some(command) = &mut cli.command
        && let Err(message) = leading_target::apply(std::mem::take(&mut cli.target), command)
    {
        return check_command::usage_error(&message);
    }
    match cli.command {
        Some(Command::Check(args)) => check_command::run(&args),
        Some(Command::Parse { file, kind, fmt }) => parse_command::run(&file, kind, fmt),
        Some(Command::Demo { dir }) => demo_command(&dir),
        Some(Command::Graph(args)) => graph_command::run_graph(&args),
        Some(Command::Why(args)) => graph_command::run_why(&args),
        Some(Command::Offline(args)) => offline_command::run_offline(&args),
        Some(Command::Export(args)) => offline_command::run_export(&args),
        Some(Command::Env(args)) => env_command::run_env(&args),
        Some(Command::Repair(args)) => repair_command::run(&args),
        Some(Command::Sumdb(args)) => sumdb_command::run(&args),
        Some(Command::Proxy(cmd)) => proxy_command::run(&cmd),
        Some(Command::Cache(args)) => cache_command::run(&args),
        None => tui_command::run(
            cli.target.dir.as_deref(),
            cli.target.modcache.as_deref(),
            cli.target.demo,
        ),
    }
}

fn demo_command(dir: &std::path::Path) -> ExitCode {
    match gomodcache::demo::materialize_demo(dir) {
        Ok(layout) => {
            let text = format!(
                "demo written to {}\n\n  cd {}\n  export GOMODCACHE={} GOPROXY=file://{} GOSUMDB=off GOFLAGS=-modcacherw GOTOOLCHAIN=local\n  modscope check\n",
                dir.display(),
                layout.project_dir.display(),
                layout.gomodcache.display(),
                layout.proxy_dir.display()
            );
            write_stdout(&text).err().unwrap_or(ExitCode::SUCCESS)
        }
        Err(e) => {
            say!("modscope: cannot write the demo to {}: {e}", dir.display());
            ExitCode::from(EXIT_USAGE)
        }
    }
}
