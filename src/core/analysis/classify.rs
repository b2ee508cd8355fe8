//! One module's status and causes, from its cache files and go.sum (spec §12, extended with the
//! checks `go mod verify` does not make: go.sum against the cache, and extracted trees whose zip
//! is gone).

use super::build_list::{GraphNeeds, UnreadableGoMod};
use super::cache_fault::{GoModSide, go_mod_side};
use super::problems::{
    Problem, ProblemClass, ProblemKind as K, download_command, evict_and_download_command,
    repair_command, shell_quote,
};
use super::project::SumFiles;
use super::report::{CachePaths, CheckMode, ModuleReport, ReplaceInfo, Status};
use super::requirements::Requirement;
use crate::core::cache::dirhash::hash_go_mod;
use crate::core::cache::layout::{CacheProbe, ModuleCache, Ziphash};
use crate::core::cache::probe_memo::ProbeMemo;
use crate::core::cache::verify_memo::VerifyMemo;
use crate::core::files::go_mod::ReplaceTarget;
use crate::core::fs_util::{NOT_REGULAR, limits, read_regular_file};
use crate::core::progress::{CancelFlag, HashProgress};

pub struct ClassifyContext<'a> {
    pub cache: &'a ModuleCache,
    pub sums: &'a SumFiles,
    pub mode: CheckMode,
    pub cancel: &'a CancelFlag,
    pub progress: &'a dyn HashProgress,
    /// Full mode: take unchanged zips and trees from this memo instead of re-hashing them.
    pub memo: Option<&'a VerifyMemo>,
    /// Take the probe of an unchanged module (file presence, `.ziphash`, the `.mod`'s h1)
    /// from this memo.
    pub probe_memo: Option<&'a ProbeMemo>,
    /// What go needs of graph-only modules (the `.mod` files the graph reads, the packages the
    /// build imports from them); `None` when only the required modules are classified.
    pub needs: Option<&'a GraphNeeds>,
}

/// What go needs of one module's cache files, and so what their absence breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Need<'a> {
    /// The zip and the extracted tree: a package of the build comes from it (every required
    /// module counts, as `go build` of any package of the project may).
    content: bool,
    /// Its go.mod, to load the module graph.
    go_mod: bool,
    /// A graph-only module the build imports `package` from.
    imported: Option<&'a str>,
}

impl<'a> Need<'a> {
    fn of(req: &Requirement, needs: Option<&'a GraphNeeds>) -> Self {
        if !req.graph_only {
            return Need {
                content: true,
                go_mod: true,
                imported: None,
            };
        }
        let imported = needs.and_then(|n| n.imported_package(&req.path));
        Need {
            content: imported.is_some(),
            go_mod: imported.is_some()
                || needs.is_some_and(|n| n.reads_go_mod(&req.path, &req.version)),
            imported,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Cancelled;

/// The paths of the files that exist, as text: the probe's own paths are moved, not copied
/// (four per module, a thousand modules before the first frame).
fn cache_paths(probe: CacheProbe) -> CachePaths {
    let has_ziphash = probe.ziphash != Ziphash::Absent;
    let files = probe.files;
    // The same text as `display()`.
    let text = |exists: bool, p: std::path::PathBuf| {
        exists.then(|| {
            p.into_os_string()
                .into_string()
                .unwrap_or_else(|raw| raw.to_string_lossy().into_owned())
        })
    };
    CachePaths {
        zip: text(probe.has_zip, files.zip),
        ziphash: text(has_ziphash, files.ziphash),
        dir: text(probe.dir_exists, files.dir),
        go_mod: text(probe.has_go_mod, files.go_mod),
    }
}

pub(crate) fn new_report(req: &Requirement) -> ModuleReport {
    ModuleReport {
        path: req.path.clone(),
        version: req.version.clone(),
        indirect: req.indirect,
        status: Status::Cached,
        problems: Vec::new(),
        fix: None,
        go_sum: Default::default(),
        cache: Default::default(),
        ziphash_h1: None,
        computed: Default::default(),
        zip_size: None,
        graph_only: req.graph_only,
        imported_package: None,
        replace: None,
        required_by: req.required_by.clone(),
    }
}

/// Classifies one required module. Only reads; never writes anywhere.
pub fn classify(req: &Requirement, ctx: &ClassifyContext<'_>) -> Result<ModuleReport, Cancelled> {
    let mut report = new_report(req);
    let (target_path, target_version) = match req.replacement.as_ref().map(|r| (r, &r.target)) {
        Some((rep, ReplaceTarget::Dir(written))) => {
            let dir = rep.resolved_dir().unwrap_or_default();
            let exists = dir.is_dir();
            let has_go_mod = dir.join("go.mod").is_file();
            let drop = format!("go mod edit -dropreplace={}", shell_quote(&rep.old));
            if !exists {
                report.problems.push(Problem::new(
                    K::ReplaceDirMissing,
                    format!(
                        "replaced by directory {written} ({}), but {} does not exist; go fails with \"replacement directory {written} does not exist\"",
                        rep.declared_in,
                        dir.display()
                    ),
                    Some(format!("check out the module into {} or drop the replacement: {drop}", shell_quote(&dir.display().to_string()))),
                ));
            } else if !has_go_mod {
                report.problems.push(Problem::new(
                    K::ReplaceNoGoMod,
                    format!("replaced by directory {written} ({}), but {} has no go.mod; go cannot read its requirements", rep.declared_in, dir.display()),
                    Some(format!("cd {} && go mod init {}   (or: {drop})", shell_quote(&dir.display().to_string()), req.path)),
                ));
            }
            report.replace = Some(ReplaceInfo {
                path: written.clone(),
                version: None,
                dir: Some(dir.display().to_string()),
                exists,
                has_go_mod,
                declared_in: rep.declared_in.clone(),
            });
            report.status = Status::ReplacedLocal;
            report.fix = report.problems.first().and_then(|p| p.fix.clone());
            return Ok(report);
        }
        Some((_, ReplaceTarget::Module { path, version })) => (path.as_str(), version.as_str()),
        None => (req.path.as_str(), req.version.as_str()),
    };

    let probed = match ctx.probe_memo {
        Some(memo) => memo.probe(ctx.cache, target_path, target_version),
        None => ctx.cache.probe(target_path, target_version),
    };
    let probe = match probed {
        Ok(p) => p,
        Err(e) => {
            report.problems.push(Problem::new(
                K::InvalidModulePath,
                e.to_string(),
                Some("fix the module path or version in go.mod".into()),
            ));
            return Ok(finish(report));
        }
    };
    if let Some(rep) = &req.replacement {
        report.replace = Some(ReplaceInfo {
            path: target_path.to_string(),
            version: Some(target_version.to_string()),
            dir: None,
            exists: probe.dir_complete(),
            has_go_mod: probe.has_go_mod,
            declared_in: rep.declared_in.clone(),
        });
    }
    let target = Target {
        path: target_path,
        version: target_version,
        probe: &probe,
    };
    report.zip_size = probe.zip_size;
    let need = Need::of(req, ctx.needs);
    report.imported_package = need.imported.map(str::to_string);
    if need.content {
        check_presence(&target, &mut report);
    } else {
        presence::check_graph_only_presence(&target, need.go_mod, &mut report);
    }
    check_recorded_hashes(&target, ctx, need, &mut report);
    if let Some(needs) = ctx.needs {
        for other in needs.unreadable_other_versions(&req.path, &req.version) {
            report
                .problems
                .push(other_version_problem(&req.path, other));
        }
    }
    if ctx.mode == CheckMode::Full {
        content::check_content(&target, ctx, &mut report)?;
    }
    report.cache = cache_paths(probe);
    let neutral = req.graph_only && !need.content;
    Ok(finish_as(report, neutral))
}

/// Another version of the module, whose go.mod the graph reads (a lower requirement that MVS
/// did not select), is not in the cache or does not parse: loading the graph fails on it.
fn other_version_problem(path: &str, other: &UnreadableGoMod) -> Problem {
    let at = format!("{path}@{}", other.version);
    match &other.error {
        None => Problem::new(
            K::MissingModFile,
            format!(
                "loading the module graph also reads the go.mod of {at} (a lower requirement that MVS did not select), and {} is not in the cache; go mod tidy, go list -m all and go mod verify fetch it (they fail with GOPROXY=off)",
                other.file
            ),
            Some(download_command(path, &other.version)),
        ),
        Some(e) => Problem::new(
            K::GoModMismatch,
            format!(
                "loading the module graph also reads the go.mod of {at} (a lower requirement that MVS did not select), and {} does not parse: {e}",
                other.file
            ),
            // A corrupt .mod of a version no row shows: its eviction is for the user to
            // decide (`modscope repair` works on the build list's versions).
            None,
        ),
    }
}

/// The fix for a cache file modscope may not read or look at: modscope never changes
/// permissions in go's cache, and which ones are right depends on who owns it.
const PERMISSIONS_FIX: &str = "check the permissions of the path named above (ls -ld it): the module cache must be readable by the user running modscope";

/// The fix for a cache file that could not be read: a file that is not a regular file (a
/// named pipe, a device) is no download of go's, so it is evicted and downloaded again (by
/// hand: `modscope repair` only moves what go itself wrote); any other failure is about
/// permissions.
fn unreadable_fix(error: &str, t: &Target<'_>) -> Option<String> {
    if error.contains(NOT_REGULAR) {
        t.evict_by_hand()
    } else {
        Some(PERMISSIONS_FIX.into())
    }
}

struct Target<'a> {
    path: &'a str,
    version: &'a str,
    probe: &'a CacheProbe,
}

impl Target<'_> {
    fn at(&self) -> String {
        format!("{}@{}", self.path, self.version)
    }
    fn download(&self) -> Option<String> {
        Some(download_command(self.path, self.version))
    }
    /// `modscope repair`: for cached content that changed after go wrote it.
    fn repair(&self) -> Option<String> {
        Some(repair_command(self.path, self.version))
    }
    fn evict_by_hand(&self) -> Option<String> {
        Some(evict_and_download_command(
            &self.probe.files,
            self.path,
            self.version,
        ))
    }
}

/// go.sum against what the cache recorded: cheap, done in quick mode too. A missing go.sum
/// line is a problem only where go needs it (`need`).
fn check_recorded_hashes(
    t: &Target<'_>,
    ctx: &ClassifyContext<'_>,
    need: Need<'_>,
    report: &mut ModuleReport,
) {
    let p = t.probe;
    let zip_line = ctx.sums.zip_line(t.path, t.version);
    let mod_line = ctx.sums.go_mod_line(t.path, t.version);
    report.go_sum.h1 = zip_line.map(|(_, l)| l.hash.clone());
    report.go_sum.go_mod_h1 = mod_line.map(|(_, l)| l.hash.clone());
    match &p.ziphash {
        Ziphash::Valid(h) => report.ziphash_h1 = Some(h.clone()),
        // Without a zip or a tree, go re-downloads anyway (and rewrites .ziphash): a malformed
        // one is then part of an unfinished download (go writes it in place), not a mismatch.
        Ziphash::Invalid(_) if !p.has_zip && !p.dir_exists => {}
        Ziphash::Invalid(s) => report.problems.push(Problem::new(
            K::InvalidZiphash,
            format!(
                "{} holds {s:?}, which is not a valid h1 sum",
                p.files.ziphash.display()
            ),
            t.repair(),
        )),
        _ => {}
    }
    if zip_line.is_none() && need.content {
        report.problems.push(Problem::new(
            K::GoSumLineMissing,
            format!("go.sum has no `{} {} h1:` line; go build fails with \"missing go.sum entry for module providing package\"", t.path, t.version),
            t.download(),
        ));
    }
    if mod_line.is_none() && need.go_mod {
        report.problems.push(Problem::new(
            K::GoSumGoModLineMissing,
            format!("go.sum has no `{} {}/go.mod` line; go fails with \"missing go.sum entry for go.mod file\"", t.path, t.version),
            t.download(),
        ));
    }
    if p.has_go_mod {
        let hashed = match &p.go_mod_h1 {
            Some(h) => Ok(h.clone()),
            None => {
                read_regular_file(&p.files.go_mod, limits::GO_MOD).map(|bytes| hash_go_mod(&bytes))
            }
        };
        match hashed {
            Ok(h) => {
                if let Some((file, line)) = mod_line.filter(|(_, l)| l.hash != h) {
                    let (cause, fix) = match go_mod_side(&p.files, t.path, t.version) {
                        GoModSide::Cache => (
                            "it differs from the go.mod inside the module's own download, so the .mod file in the cache was changed".to_string(),
                            t.repair(),
                        ),
                        GoModSide::GoSum => (
                            "it is the go.mod inside the module's own download, so go.sum's line is the one that changed (go.sum edited, or the version re-tagged upstream)".to_string(),
                            Some(format!(
                                "check the history of the line (git log -p -- go.sum); if go.sum is wrong, delete line {} of {} and run: {}",
                                line.line,
                                file.display(),
                                download_command(t.path, t.version)
                            )),
                        ),
                        GoModSide::Unknown => (
                            "the .mod file in the cache was changed, or go.sum was edited (there is no zip or tree to tell which)".to_string(),
                            t.evict_by_hand(),
                        ),
                    };
                    report.problems.push(Problem::new(
                        K::GoModMismatch,
                        format!(
                            "the cached {} hashes to {h}, but {}:{} records {}: {cause}",
                            p.files.go_mod.display(),
                            file.display(),
                            line.line,
                            line.hash
                        ),
                        fix,
                    ));
                }
                report.computed.go_mod_h1 = Some(h);
            }
            Err(e) => report.problems.push(Problem::new(
                K::Unreadable,
                format!("cannot read {}: {e}", p.files.go_mod.display()),
                unreadable_fix(&e.to_string(), t),
            )),
        }
    }
    if let (Some((file, line)), Ziphash::Valid(z)) = (zip_line, &p.ziphash)
        && &line.hash != z
    {
        report.problems.push(Problem::new(
                K::GoSumMismatch,
                format!(
                    "{}:{} records {} but the cached download hashed to {z} (.ziphash). Either go.sum was edited (a bad merge?), the version was re-tagged upstream, or a proxy served different bytes; every go command that uses this module stops with SECURITY ERROR",
                    file.display(),
                    line.line,
                    line.hash
                ),
                Some(format!(
                    "check the history of the line (git log -p -- go.sum); if go.sum is wrong, delete line {} of {} and run: {}",
                    line.line,
                    file.display(),
                    download_command(t.path, t.version)
                )),
            ));
    }
    for (go_mod, first) in [(false, zip_line), (true, mod_line)] {
        let Some((_, first)) = first else { continue };
        for later in ctx.sums.disagreeing(t.path, t.version, go_mod) {
            report.problems.push(Problem::new(
                K::GoSumDuplicateDisagrees,
                format!("go.sum line {} repeats the key with {} but go only uses the first line ({}: {})", later.line, later.hash, first.line, first.hash),
                Some(format!("delete line {} of go.sum", later.line)),
            ));
        }
    }
}

/// Status from the problems: content mismatches first, then missing parts, then go.sum lines.
fn finish(report: ModuleReport) -> ModuleReport {
    finish_as(report, false)
}

/// [`finish`]; a healthy module that go needs nothing more of (`neutral`: graph-only, its
/// go.mod cached if the graph reads it) is `graph`, not `cached`.
fn finish_as(mut report: ModuleReport, neutral: bool) -> ModuleReport {
    let content_mismatch = report.problems.iter().any(|p| {
        p.kind.class() == ProblemClass::Mismatch
            && !matches!(p.kind, K::GoSumLineMissing | K::GoSumGoModLineMissing)
    });
    report.status = if content_mismatch {
        Status::Mismatch
    } else if report.has_problem_of(ProblemClass::Missing) {
        Status::Missing
    } else if report.has_problem_of(ProblemClass::Mismatch) {
        Status::Mismatch
    } else if neutral {
        Status::Graph
    } else {
        Status::Cached
    };
    let rank = |p: &Problem| match p.kind.class() {
        ProblemClass::Mismatch
            if !matches!(p.kind, K::GoSumLineMissing | K::GoSumGoModLineMissing) =>
        {
            0
        }
        ProblemClass::Missing => 1,
        ProblemClass::Mismatch | ProblemClass::BrokenReplace => 2,
        ProblemClass::Warning => 3,
    };
    report.problems.sort_by_key(rank);
    report.fix = report.problems.first().and_then(|p| p.fix.clone());
    report
}

mod content;
mod presence;
use presence::check_presence;

#[cfg(test)]
mod tests;
