//! The non-interactive front end: argument parsing and one file per subcommand.
//! JSON goes to stdout, human diagnostics to stderr.

/// `eprintln!` for every message modscope writes to stderr: paths and names in it come from
/// the user's files and the cache, so their control characters are escaped (no escape
/// sequence reaches the terminal raw).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::write_stderr(&format!($($arg)*), true)
    };
}

/// `eprint!` with the same escaping, for a question that waits on the same line.
macro_rules! say_partial {
    ($($arg:tt)*) => {
        $crate::cli::write_stderr(&format!($($arg)*), false)
    };
}

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
mod parse_command;
mod proxy_command;
mod prune_output;
mod repair_command;
mod repair_output;
mod stderr_progress;
mod sumdb_command;
mod tui_command;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code for usage errors and unreadable input (no go.mod, parse error).
pub const EXIT_USAGE: u8 = 2;

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

/// `text` with every control character but newline and tab shown as an escape (`\x1b`,
/// `\u{9b}`): names from a hostile zip, go.mod or directory must not drive the terminal.
pub(crate) fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Writes a message to stderr with its control characters escaped (see `say!`).
pub(crate) fn write_stderr(text: &str, newline: bool) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(escape_controls(text).as_bytes());
    if newline {
        let _ = err.write_all(b"\n");
    }
    let _ = err.flush();
}

/// Asks a yes/no question on the terminal (stderr, answer on stdin); `None` when stdin is not
/// a terminal, so the caller can ask for `--yes` instead.
pub(crate) fn confirm(question: &str) -> Option<bool> {
    use std::io::{BufRead, IsTerminal};
    if !std::io::stdin().is_terminal() {
        return None;
    }
    say_partial!("{question}");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

/// Writes human-readable text to stdout with its control characters escaped.
pub(crate) fn write_stdout(text: &str) -> Result<(), ExitCode> {
    write_stdout_raw(&escape_controls(text))
}

/// Writes to stdout as is (text whose only escape sequences are our own colours); a closed
/// pipe (`modscope check | head`) is not an error.
pub(crate) fn write_stdout_raw(text: &str) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            say!("modscope: cannot write to stdout: {e}");
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// Prints a subcommand's result, as JSON or as the text `human` renders of it, and exits 0
/// when `ok`, 1 when not (or with the code of a write that failed).
pub(crate) fn print_result<T: serde::Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce(&T) -> String,
    ok: bool,
) -> ExitCode {
    let written = if json {
        write_json(value)
    } else {
        write_stdout(&human(value))
    };
    match written {
        Err(code) => code,
        Ok(()) if ok => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(1),
    }
}

pub(crate) fn write_json(value: &impl serde::Serialize) -> Result<(), ExitCode> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| {
        say!("modscope: cannot encode JSON: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    text.push('\n');
    // serde_json already escapes every C0 control character in strings.
    write_stdout_raw(&text)
}
