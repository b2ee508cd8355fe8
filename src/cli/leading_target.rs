//! `-C DIR` (and `--modcache`, `--demo`) before the subcommand: `modscope -C DIR check` runs
//! as if started in DIR, like `go -C DIR`. clap parses them as the inspector's flags; here they
//! are handed to the subcommand instead of being dropped, and the paths it takes are resolved
//! from DIR.

use super::args::Command;
use super::check_command::{TargetArgs, not_a_directory_message};
use std::path::{Path, PathBuf};

/// `path` as seen from `base` (an absolute path stays as it is).
fn under(base: Option<&Path>, path: PathBuf) -> PathBuf {
    base.map_or_else(|| path.clone(), |b| b.join(&path))
}

/// Moves the flags given before `command` into it. The error is a usage message.
pub fn apply(leading: TargetArgs, command: &mut Command) -> Result<(), String> {
    let base = leading.dir.as_deref();
    if let Some(dir) = base
        && !dir.is_dir()
    {
        return Err(not_a_directory_message(dir));
    }
    // The subcommand's own -C is taken from the leading one, as a second `cd` would.
    let dir = |own: Option<PathBuf>| match own {
        Some(d) => Some(under(base, d)),
        None => base.map(Path::to_path_buf),
    };
    let merge = |target: &mut TargetArgs| -> Result<(), String> {
        target.dir = dir(target.dir.take());
        target.modcache = target
            .modcache
            .take()
            .or(leading.modcache.clone())
            .map(|m| under(base, m));
        target.demo |= leading.demo;
        if target.demo && (target.dir.is_some() || target.modcache.is_some()) {
            return Err(
                "--demo checks the embedded demo: leave out -C and --modcache with it".into(),
            );
        }
        Ok(())
    };
    let takes_only_dir = |what: &str| -> Result<(), String> {
        if leading.modcache.is_some() || leading.demo {
            Err(format!(
                "`modscope {what}` takes no --modcache or --demo; give them after the subcommand \
                 of one that does (check, graph, why, offline, export, sumdb)"
            ))
        } else {
            Ok(())
        }
    };
    match command {
        Command::Check(a) => merge(&mut a.target),
        Command::Graph(a) => merge(&mut a.target),
        Command::Why(a) => merge(&mut a.target),
        Command::Offline(a) => merge(&mut a.target),
        Command::Sumdb(a) => merge(&mut a.target),
        Command::Proxy(super::proxy_command::ProxyCommand::Check(a)) => merge(&mut a.target),
        Command::Export(a) => {
            a.out = under(base, std::mem::take(&mut a.out));
            a.tar = a.tar.take().map(|t| under(base, t));
            merge(&mut a.target)
        }
        Command::Repair(a) => {
            if leading.demo {
                return Err(
                    "`modscope repair` takes no --demo: the demo's cache is a throwaway copy"
                        .into(),
                );
            }
            a.dir = dir(a.dir.take());
            a.modcache = a
                .modcache
                .take()
                .or(leading.modcache.clone())
                .map(|m| under(base, m));
            Ok(())
        }
        Command::Cache(a) => {
            if leading.demo {
                return Err(
                    "`modscope cache` takes no --demo: it looks at a real module cache".into(),
                );
            }
            a.rebase(base, leading.modcache.clone());
            Ok(())
        }
        Command::Env(a) => {
            takes_only_dir("env")?;
            a.dir = dir(a.dir.take());
            Ok(())
        }
        Command::Parse { file, .. } => {
            takes_only_dir("parse")?;
            *file = under(base, std::mem::take(file));
            Ok(())
        }
        Command::Demo { dir } => {
            takes_only_dir("demo")?;
            *dir = under(base, std::mem::take(dir));
            Ok(())
        }
    }
}
