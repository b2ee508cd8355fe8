//! `modscope cache`: what the whole module cache holds, who uses it and what can go; and
//! `modscope cache prune`, which removes exactly what its dry run lists (see
//! `gomodcache::inventory`). Exit codes: 0 ok, 1 something could not be removed, 2 bad input.

use super::cache_json::CacheJson;
use super::cache_progress::StderrBar;
use super::cache_text;
use super::check_command::usage_error;
use super::prune_output::{self, PruneJson};
use gomodcache::cache::evict::default_quarantine_root;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::{GoEnv, process_vars_with};
use gomodcache::inventory::plan::{PruneOptions, plan_prune};
use gomodcache::inventory::registry::now_secs;
use gomodcache::inventory::usage::{
    Candidate, ProjectSource, Usage, collect_usage, find_projects, registry_candidates,
};
use gomodcache::inventory::{CacheInventory, NoScanProgress, ScanProgress, prune, scan};
use gomodcache::progress::CancelFlag;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: Option<CacheAction>,
    #[command(flatten)]
    pub opts: CacheOpts,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum CacheAction {
    /// Remove what `modscope cache` says can go: versions to modscope's quarantine (crash-safe,
    /// under go's locks), leftovers deleted. Never a version a known project uses. Asks first.
    Prune(PruneArgs),
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct CacheOpts {
    /// Use DIR as the module cache instead of resolving GOMODCACHE as go does.
    #[arg(long, value_name = "DIR")]
    pub modcache: Option<PathBuf>,
    /// Look for projects (go.mod, go.work) under DIR, skipping vendor/, node_modules/, .git/
    /// and testdata/; the project this runs in and the projects modscope inspected before are
    /// always counted. Repeatable.
    #[arg(long, value_name = "DIR")]
    pub projects: Vec<PathBuf>,
    /// Print JSON (schema version 1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Unused versions older than the newest used version of their path, except the N newest.
    #[arg(long, value_name = "N")]
    pub keep_latest: Option<usize>,
    /// Registered projects not inspected for DAYS days stop counting as users, and versions
    /// downloaded less than DAYS days ago are kept.
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<u64>,
    /// Zips whose extracted tree is complete (go builds from the tree; breaks `modscope export`,
    /// `go mod vendor` and `go mod download` offline until downloaded again).
    #[arg(long)]
    pub drop_zips: bool,
    /// The `cache/vcs` clones of GOPROXY=direct.
    #[arg(long)]
    pub vcs: bool,
    /// The project the inspector's cache view opens on: `-C DIR` given before the subcommand.
    #[arg(skip)]
    pub project_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct PruneArgs {
    #[command(flatten)]
    pub opts: CacheOpts,
    /// Every version no known project uses.
    #[arg(long)]
    pub unused: bool,
    /// Only the leftovers of interrupted downloads (they go with every prune).
    #[arg(long)]
    pub leftovers: bool,
    /// List exactly what would go; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (needed without a terminal).
    #[arg(long)]
    pub yes: bool,
}

impl CacheArgs {
    /// Applies the flags given before the subcommand (`modscope -C DIR --modcache M cache`).
    pub fn rebase(&mut self, base: Option<&Path>, modcache: Option<PathBuf>) {
        let under = |p: PathBuf| base.map_or_else(|| p.clone(), |b| b.join(&p));
        let opts = match &mut self.action {
            Some(CacheAction::Prune(p)) => &mut p.opts,
            None => &mut self.opts,
        };
        opts.modcache = opts.modcache.take().or(modcache).map(under);
        opts.project_dir = base.map(Path::to_path_buf);
        opts.projects = std::mem::take(&mut opts.projects)
            .into_iter()
            .map(under)
            .collect();
    }
}

pub fn run(args: &CacheArgs) -> ExitCode {
    match &args.action {
        None => report(&args.opts),
        Some(CacheAction::Prune(p)) => run_prune(p),
    }
}

/// Everything both subcommands need: the inventory and who uses it.
struct Loaded {
    cache: ModuleCache,
    inventory: CacheInventory,
    usage: Usage,
}

fn load(opts: &CacheOpts) -> Result<Loaded, ExitCode> {
    let root = match &opts.modcache {
        Some(m) if !m.is_dir() => {
            return Err(usage_error(&format!(
                "--modcache {}: not a directory; pass the module cache directory (`go env GOMODCACHE` prints the one go uses)",
                m.display()
            )));
        }
        Some(m) => std::path::absolute(m).unwrap_or_else(|_| m.clone()),
        None => match GoEnv::from_process().gomodcache() {
            Ok((r, _)) => r,
            Err(e) => {
                return Err(usage_error(&format!(
                    "{e} (pass --modcache DIR to choose one)"
                )));
            }
        },
    };
    if !root.is_dir() {
        return Err(usage_error(&format!(
            "the module cache {} does not exist (nothing has been downloaded yet?)",
            root.display()
        )));
    }
    for p in &opts.projects {
        if !p.is_dir() {
            return Err(usage_error(&format!(
                "--projects {}: not a directory",
                p.display()
            )));
        }
    }
    let cache = ModuleCache::new(root);
    let bar = std::io::stderr().is_terminal().then(StderrBar::new);
    let progress: &dyn ScanProgress = match &bar {
        Some(b) => b,
        None => &NoScanProgress,
    };
    let inventory = scan(&cache, progress, &CancelFlag::new());
    if let Some(b) = &bar {
        b.finish();
    }
    let mut notes = Vec::new();
    let mut candidates = Vec::new();
    for dir in &opts.projects {
        let (found, errors) = find_projects(dir, &cache.root);
        notes.extend(errors);
        candidates.extend(found.into_iter().map(|dir| Candidate {
            dir,
            source: ProjectSource::Found,
            last_seen: None,
        }));
    }
    candidates.extend(registry_candidates(&mut notes));
    // The project the command runs in (or -C names) uses the cache too, as the inspector's
    // cache view counts it (`this`): run in a project modscope never inspected before,
    // `cache prune --unused` must not offer that project's own modules.
    if let Some(dir) = enclosing_project(opts.project_dir.as_deref(), &cache.root) {
        candidates.push(Candidate {
            dir,
            source: ProjectSource::Found,
            last_seen: None,
        });
    }
    let go_vars = process_vars_with(&[("GOMODCACHE".into(), cache.root.display().to_string())]);
    let mut usage = collect_usage(&candidates, &cache, &go_vars);
    usage.notes = notes;
    Ok(Loaded {
        cache,
        inventory,
        usage,
    })
}

/// The nearest directory at or above `start` (the current directory when `None`) holding a
/// go.mod or go.work: the project go would work in there. Never one inside the module cache
/// (an extracted module has a go.mod but is no user of the cache), as `--projects` skips it.
fn enclosing_project(start: Option<&Path>, cache_root: &Path) -> Option<PathBuf> {
    let start = match start {
        Some(dir) => std::path::absolute(dir).ok()?,
        None => std::env::current_dir().ok()?,
    };
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if real(&start).starts_with(real(cache_root)) {
        return None;
    }
    start
        .ancestors()
        .find(|d| d.join("go.mod").is_file() || d.join("go.work").is_file())
        .map(Path::to_path_buf)
}

fn report(opts: &CacheOpts) -> ExitCode {
    // In a terminal, the inspector's cache view, unless JSON or what only the report shows
    // (the other prune criteria) is asked for, or there is no project here to open.
    let report_only =
        opts.keep_latest.is_some() || opts.older_than.is_some() || opts.drop_zips || opts.vcs;
    if !opts.json
        && !report_only
        && std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal()
        && opts.modcache.as_ref().is_none_or(|m| m.is_dir())
        && let Some(code) = super::tui_command::run_cache_view(
            opts.project_dir.as_deref(),
            opts.modcache.as_deref(),
            opts.projects.clone(),
        )
    {
        return code;
    }
    let l = match load(opts) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let out = CacheJson::new(
        &l.inventory,
        &l.usage,
        opts.keep_latest,
        opts.older_than,
        now_secs(),
    );
    super::output::print_result(opts.json, &out, cache_text::render_report, true)
}

fn run_prune(args: &PruneArgs) -> ExitCode {
    let o = &args.opts;
    if !(args.unused
        || args.leftovers
        || o.keep_latest.is_some()
        || o.older_than.is_some()
        || o.drop_zips
        || o.vcs)
    {
        return usage_error(
            "say what to prune: --unused, --keep-latest N, --older-than DAYS, --drop-zips, --vcs or --leftovers (see `modscope cache` for what each would free)",
        );
    }
    let Some(quarantine) = default_quarantine_root() else {
        return usage_error(
            "no cache directory to keep the quarantine in: set MODSCOPE_CACHE_DIR to a directory outside the module cache",
        );
    };
    let l = match load(o) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let opts = PruneOptions {
        unused: args.unused,
        keep_latest: o.keep_latest,
        older_than_days: o.older_than,
        drop_zips: o.drop_zips,
        leftovers: true,
        vcs: o.vcs,
        now: now_secs(),
    };
    let plan = plan_prune(&l.inventory, &l.usage, &opts);
    if !plan.blocked_by.is_empty() {
        return usage_error(&format!(
            "nothing was removed: what these projects use cannot be known, so no version is safe to remove; fix them (or remove them) and run again:\n  {}",
            plan.blocked_by.join("\n  ")
        ));
    }
    let mut out = PruneJson::new(&l.cache, &plan, &l.usage, &quarantine, args.dry_run);
    let listing = prune_output::render_plan(&out);
    if o.json {
        say_partial!("{listing}");
    } else if let Err(code) = super::output::write_stdout(&listing) {
        return code;
    }
    if plan.is_empty() || args.dry_run {
        return finish(o.json, &out);
    }
    if !args.yes {
        match super::output::confirm("Remove these? [y/N] ") {
            Some(true) => {}
            Some(false) => {
                say!("modscope: nothing was changed");
                return finish(o.json, &out);
            }
            None => {
                return usage_error(
                    "prune removes files from the module cache and asks first, but stdin is not a terminal: nothing was changed; pass --yes to prune without asking (or --dry-run to only see the list)",
                );
            }
        }
    }
    let bar = std::io::stderr().is_terminal().then(StderrBar::new);
    let progress: &dyn prune::PruneProgress = match &bar {
        Some(b) => b,
        None => &prune::NoPruneProgress,
    };
    let cancel = CancelFlag::new();
    let outcome = prune::execute(&plan, &l.cache, &quarantine, progress, &cancel);
    if let Some(b) = &bar {
        b.finish();
    }
    out.record(&outcome);
    finish(o.json, &out)
}

fn finish(json: bool, out: &PruneJson) -> ExitCode {
    super::output::print_result(json, out, prune_output::render_outcome, out.failed() == 0)
}
