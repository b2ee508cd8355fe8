//! Prints each module's status and fix for the Go project in the current directory, checked
//! against the module cache go would use (GOMODCACHE, else GOPATH/pkg/mod). Reads only.
//!
//!     cargo run -p gomodcache --example check_project
use gomodcache::analysis::check::{CheckOptions, CheckScope, run_check};
use gomodcache::analysis::report::CheckMode;
use gomodcache::cache::layout::ModuleCache;
use gomodcache::goenv::env::{GoEnv, process_vars_with};
use gomodcache::progress::{CancelFlag, NoProgress};
use gomodcache::project::load_project;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (env, go_env) = (GoEnv::from_process(), process_vars_with(&[]));
    let (modcache, gomodcache_source) = env.gomodcache()?;
    let project = load_project(&std::env::current_dir()?, env.get("GOWORK"))?;
    let opts = CheckOptions {
        mode: CheckMode::Quick,
        cancel: &CancelFlag::new(),
        progress: &NoProgress,
        gomodcache_source,
        scope: CheckScope::BuildList { go_env: &go_env },
    };
    for m in run_check(&project, &ModuleCache::new(modcache), &opts).modules {
        let fix = m.fix.unwrap_or_default();
        println!("{:<14} {}@{}  {fix}", m.status.as_str(), m.path, m.version);
    }
    Ok(())
}
