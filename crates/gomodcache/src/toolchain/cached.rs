//! A toolchain go switches to that is already in the module cache (issue 16 §3).
//!
//! When the toolchain is not in PATH, `toolchain.Exec` (cmd/go/internal/toolchain/select.go)
//! fetches the module `golang.org/toolchain@v0.0.1-<name>.<GOHOSTOS>-<GOHOSTARCH>` with
//! `modfetch.Download` and runs its `bin/go`. Download needs no network when the cache holds
//! it (modfetch/fetch.go):
//! - a complete extracted tree (`DownloadDir`: the directory, a `.ziphash`, no `.partial`) is
//!   used as it is;
//! - otherwise a cached `.zip` is extracted again (a half-extracted tree is removed first, a
//!   missing `.ziphash` is recomputed from the zip);
//! - otherwise go downloads, which with GOPROXY=off ends in "download go1.X.Y for os/arch:
//!   toolchain not available".
//!
//! Then `checkMod` verifies the zip hash. A toolchain is never in go.sum, and `useSumDB`
//! (modfetch/sumdb.go) demands the checksum database for `golang.org/toolchain` whatever
//! GONOSUMDB says (the only exceptions: GOPROXY is a single `file://` URL, or go runs inside
//! proxy.golang.org); with GOSUMDB=off that is an error, and otherwise the answer must be in
//! the cache (`cache/download/sumdb/<db>/lookup/…`) or go asks the database over the network.
//! Last, `Exec` stats `bin/go`, and when it is not executable yet (freshly extracted files are
//! 0444) walks `pkg/tool`, `lib`, `bin/gofmt` and `bin` to add the execute bits: each must
//! exist.

use crate::cache::layout::{CacheProbe, ModuleCache, Ziphash};
use crate::fix::commands::shell_quote;
use crate::goenv::env::{GoEnv, ValueSource};
use crate::sumdb::go_cache::sumdb_lookup_cached;
use crate::sumdb::note::sumdb_name;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const TOOLCHAIN_MODULE: &str = "golang.org/toolchain";

/// What the module cache does for one toolchain name on this host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CachedToolchain {
    /// go runs `go` from the module cache without the network.
    Usable { go: PathBuf, module: String },
    /// Not (or not enough of it) in the cache: go would download it.
    Absent { module: String, state: String },
    /// In the cache, but go stops before running it.
    Unusable {
        module: String,
        problem: String,
        fix: String,
    },
}

/// `golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64` for `go1.27.3` on linux/amd64.
pub fn toolchain_module_version(name: &str, goos: &str, goarch: &str) -> String {
    format!("v0.0.1-{name}.{goos}-{goarch}")
}

/// Whether `GOPROXY=off go …` can run toolchain `name` (`go1.27.3`) from the module cache.
pub fn find_cached_toolchain(
    cache: &ModuleCache,
    env: &GoEnv,
    name: &str,
    goos: &str,
    goarch: &str,
) -> CachedToolchain {
    let version = toolchain_module_version(name, goos, goarch);
    let module = format!("{TOOLCHAIN_MODULE}@{version}");
    let Ok(probe) = cache.probe(TOOLCHAIN_MODULE, &version) else {
        return CachedToolchain::Absent {
            module,
            state: "its module version cannot be stored in a module cache".into(),
        };
    };
    let refetch = format!("GOTOOLCHAIN={name} go version");
    let unusable = |problem: String, fix: String| CachedToolchain::Unusable {
        module: module.clone(),
        problem,
        fix,
    };
    let files = &probe.files;
    // modfetch.download: the extracted tree, else the zip (extracted again), else the network.
    let from_zip = !probe.dir_complete();
    if from_zip && !probe.has_zip {
        return CachedToolchain::Absent {
            module,
            state: absent_state(&probe),
        };
    }
    // checkMod: an unusable .ziphash is recomputed from the zip.
    if !matches!(probe.ziphash, Ziphash::Valid(_)) && !probe.has_zip {
        return unusable(
            format!(
                "go: verifying {module}: open {}: no such file or directory (its .ziphash is not a valid hash and the zip is gone)",
                files.zip.display()
            ),
            format!("rm -f {} && {refetch}", quote(&files.ziphash)),
        );
    }
    if let Some((problem, fix)) = checksum_db_problem(cache, env, name, &module, &version) {
        return unusable(problem, fix);
    }
    let prefix = format!("{module}/");
    let layout = if from_zip {
        match zip_layout(&files.zip, &prefix) {
            Ok(l) => l,
            Err(e) => {
                return unusable(
                    format!(
                        "go: {module}: the cached zip cannot be read ({e}), so go cannot extract it"
                    ),
                    format!(
                        "rm -f {} {} && {refetch}",
                        quote(&files.zip),
                        quote(&files.ziphash)
                    ),
                );
            }
        }
    } else {
        dir_layout(&files.dir)
    };
    if let Some(missing) = layout.missing() {
        let verb = if missing == "bin/go" { "stat" } else { "lstat" };
        let fix = if from_zip {
            format!(
                "rm -f {} {} && {refetch}",
                quote(&files.zip),
                quote(&files.ziphash)
            )
        } else {
            format!(
                "chmod -R u+w {d} && rm -rf {d} && {refetch}",
                d = quote(&files.dir)
            )
        };
        return unusable(
            format!(
                "go: download {name}: {verb} {}: no such file or directory",
                files.dir.join(missing).display()
            ),
            fix,
        );
    }
    CachedToolchain::Usable {
        go: files.dir.join("bin/go"),
        module,
    }
}

fn quote(p: &Path) -> String {
    shell_quote(&p.display().to_string())
}

fn absent_state(probe: &CacheProbe) -> String {
    if !probe.dir_exists {
        "it is not in the module cache".into()
    } else if probe.has_partial {
        "its tree in the module cache is only partly extracted (a .partial file) and its zip is gone, so go removes the tree and downloads".into()
    } else {
        "its tree in the module cache has no .ziphash and its zip is gone, so go removes the tree and downloads".into()
    }
}

/// What `toolchain.Exec` looks at in the toolchain's tree.
struct Layout {
    has: BTreeSet<&'static str>,
    /// `bin/go` has an execute bit (a freshly extracted tree has none).
    go_executable: bool,
}

/// The paths `Exec` needs: `bin/go`, and when it is not executable yet the ones `allowExec`
/// walks (a missing one stops go).
const EXEC_PATHS: [&str; 5] = ["bin/go", "pkg/tool", "lib", "bin/gofmt", "bin"];

impl Layout {
    fn missing(&self) -> Option<&'static str> {
        if !self.has.contains("bin/go") {
            return Some("bin/go");
        }
        if self.go_executable {
            return None;
        }
        EXEC_PATHS.into_iter().find(|p| !self.has.contains(p))
    }
}

fn dir_layout(dir: &Path) -> Layout {
    use std::os::unix::fs::PermissionsExt;
    let has = EXEC_PATHS
        .into_iter()
        .filter(|p| std::fs::symlink_metadata(dir.join(p)).is_ok())
        .collect();
    let go_executable =
        std::fs::metadata(dir.join("bin/go")).is_ok_and(|m| m.permissions().mode() & 0o111 != 0);
    Layout { has, go_executable }
}

/// The same from the zip's names (its files are extracted 0444, so never executable).
fn zip_layout(zip: &Path, prefix: &str) -> Result<Layout, String> {
    let (file, _) = crate::fs::read::open_regular(zip, crate::fs::read::limits::ZIP)
        .map_err(|e| e.to_string())?;
    let archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let mut has = BTreeSet::new();
    for name in archive.file_names() {
        let Ok(name) = name else { continue };
        let Some(rel) = name.strip_prefix(prefix) else {
            continue;
        };
        for p in EXEC_PATHS {
            if rel == p || rel.strip_prefix(p).is_some_and(|r| r.starts_with('/')) {
                has.insert(p);
            }
        }
    }
    Ok(Layout {
        has,
        go_executable: false,
    })
}

fn lookup_cached(cache: &ModuleCache, db: &str, version: &str) -> bool {
    sumdb_lookup_cached(cache, db, TOOLCHAIN_MODULE, version)
}

/// `useSumDB` + `checkSumDB` for the toolchain module with GOPROXY=off: go's error and the
/// fix, or None when the checksum database's answer is cached (or not needed).
fn checksum_db_problem(
    cache: &ModuleCache,
    env: &GoEnv,
    name: &str,
    module: &str,
    version: &str,
) -> Option<(String, String)> {
    let gosumdb = env.get("GOSUMDB").unwrap_or("");
    let inside_proxy_golang_org = env
        .get("GIT_HTTP_USER_AGENT")
        .is_some_and(|a| a.contains("proxy.golang.org"));
    if inside_proxy_golang_org
        && (gosumdb == "off"
            || crate::goenv::patterns::match_prefix_patterns(
                &crate::goenv::env::effective_private(env, "GONOSUMDB").0,
                TOOLCHAIN_MODULE,
            ))
    {
        return None;
    }
    let refetch = format!("GOTOOLCHAIN={name} go version");
    let why = "go checks a toolchain against the checksum database even when it is in the module cache, and neither GOSUMDB=off nor GONOSUMDB applies to golang.org/toolchain";
    if gosumdb == "off" {
        let (commands, db) = turn_on_checksum_db(env);
        let mut fix = commands.join(" && ");
        if !lookup_cached(cache, db, version) {
            fix = format!("{fix} && {refetch}");
        }
        return Some((
            format!(
                "go: {module}: verifying module: checksum database disabled by GOSUMDB=off ({why})"
            ),
            fix,
        ));
    }
    let Some(db) = sumdb_name(gosumdb) else {
        return Some((
            format!("go: {module}: verifying module: missing GOSUMDB; {why}"),
            "go env -u GOSUMDB".into(),
        ));
    };
    if lookup_cached(cache, db, version) {
        return None;
    }
    Some((
        format!(
            "go: {module}: verifying module: {why}; the cache has no answer from {db} for it, so go would ask {db} over the network"
        ),
        refetch,
    ))
}

/// The commands that remove every `GOSUMDB=off` go sees (the environment, the env file, and
/// as a last resort a `go env -w` over GOROOT's go.env), and the database go uses after them.
fn turn_on_checksum_db(env: &GoEnv) -> (Vec<&'static str>, &str) {
    let mut commands = Vec::new();
    let mut current = env.lookup("GOSUMDB");
    loop {
        match current {
            Some(("off", source @ ValueSource::Environment)) => {
                commands.push("unset GOSUMDB");
                current = env.lookup_below("GOSUMDB", source);
            }
            Some(("off", source @ ValueSource::EnvFile)) => {
                commands.push("go env -u GOSUMDB");
                current = env.lookup_below("GOSUMDB", source);
            }
            Some(("off", _)) | None => {
                commands.push("go env -w GOSUMDB=sum.golang.org");
                return (commands, "sum.golang.org");
            }
            Some((v, _)) => return (commands, sumdb_name(v).unwrap_or("sum.golang.org")),
        }
    }
}
