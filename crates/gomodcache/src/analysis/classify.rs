//! One module's status and causes, from its cache files and go.sum (spec §12, extended with the
//! checks `go mod verify` does not make: go.sum against the cache, and extracted trees whose zip
//! is gone).

use super::build_list::GraphNeeds;
use super::cache_fault::{GoModSide, go_mod_side};
use super::problems::{Problem, ProblemClass, ProblemKind as K};
use super::report::{CachePaths, CheckMode, ModuleReport, ReplaceInfo, Status};
use crate::cache::dirhash::hash_go_mod;
use crate::cache::layout::{CacheProbe, Ziphash};
use crate::fix::compound::{
    PLACEHOLDER_VERSION, delete_go_sum_line_command, drop_replacement_command,
    evict_and_fix_go_sum_command, go_mod_download_command, go_sum_fix_command, go_sum_fix_then,
    init_replacement_command,
};
use crate::fs::read::{limits, read_regular_file};
use crate::modfile::go_mod::ReplaceTarget;
use crate::project::requirements::Requirement;
pub use context::{Cancelled, ClassifyContext};
use context::{GO_SUM_FIX_EXPLAINED, Target, unreadable};

/// What go needs of one module's cache files, and so what their absence breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Need<'a> {
    /// The zip and the extracted tree: a package of the build comes from it (every required
    /// module counts, as `go build` of any package of the project may).
    content: bool,
    /// Its go.mod, to load the module graph.
    go_mod: bool,
    /// A graph-only module the build imports `package` from.
    imported: Option<&'a str>,
    /// What adds its missing zip line to go.sum, when `go mod download` does not (go's own
    /// hint for a module imported through another module of an unpruned graph).
    missing_sum_fix: Option<String>,
}

impl<'a> Need<'a> {
    fn of(req: &Requirement, needs: Option<&'a GraphNeeds>) -> Self {
        if !req.graph_only {
            return Need {
                content: true,
                go_mod: true,
                imported: None,
                missing_sum_fix: None,
            };
        }
        let imported = needs.and_then(|n| n.imported_package(&req.path));
        Need {
            content: imported.is_some(),
            go_mod: imported.is_some()
                || needs.is_some_and(|n| n.reads_go_mod(&req.path, &req.version)),
            imported,
            missing_sum_fix: needs.and_then(|n| n.missing_sum_fix(&req.path)),
        }
    }
}

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

/// The report of `req` before anything is looked at: cached, no problem, nothing hashed.
pub fn new_report(req: &Requirement) -> ModuleReport {
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
        provenance: Vec::new(),
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
            if !exists {
                report.problems.push(Problem::new(
                    K::ReplaceDirMissing,
                    format!(
                        "replaced by directory {written} ({}), but {} does not exist; go fails with \"replacement directory {written} does not exist\". Check the module out into that directory, or (the fix) drop the replacement and use the required version",
                        rep.declared_in,
                        dir.display()
                    ),
                    replace_dir_missing_fix(req, rep),
                ));
            } else if !has_go_mod {
                report.problems.push(Problem::new(
                    K::ReplaceNoGoMod,
                    format!("replaced by directory {written} ({}), but {} has no go.mod; go cannot read its requirements. The fix writes one at the go version of {} (go mod init alone writes the running go's, and the build then stops with \"updates to go.mod needed\"); or drop the replacement: {}", rep.declared_in, dir.display(), rep.declared_in, drop_replacement_command(&rep.old, rep.in_go_work, &req.path, &req.version)),
                    Some(init_replacement_command(&dir, &req.path, rep.go_version.as_deref().unwrap_or(GO_VERSION_WITHOUT_GO_LINE))),
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
                format!("{e}. To fix: correct the module path or version in go.mod"),
                None,
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
        required: &req.path,
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
    check_recorded_hashes(&target, ctx, &need, &mut report);
    if ctx.mode == CheckMode::Full {
        content::check_content(&target, ctx, &mut report)?;
        // The cached .mod matching the zip's go.mod clears the cache only when the zip or
        // tree is itself intact; otherwise fixing go.sum would write down a changed download.
        if report.problems.iter().any(|p| {
            matches!(
                p.kind,
                K::ZipModified | K::CorruptZip | K::ExtractedFilesModified
            )
        }) {
            for p in report
                .problems
                .iter_mut()
                .filter(|p| p.kind == K::GoModMismatch)
            {
                p.fix = target.repair();
            }
        }
    }
    // After the above: these are about other versions, whose fixes are their own.
    if let Some(needs) = ctx.needs {
        other_versions::check_other_versions(req, needs, ctx, &mut report);
    }
    report.cache = cache_paths(probe);
    let neutral = req.graph_only && !need.content;
    Ok(finish_as(report, neutral))
}

/// The language version go assumes for a go.mod without a `go` line.
const GO_VERSION_WITHOUT_GO_LINE: &str = "1.16";

/// Dropping the replacement, unless the module is required at the placeholder version (no
/// real version to fall back on: the directory has to be checked out, which no command does).
fn replace_dir_missing_fix(
    req: &Requirement,
    rep: &crate::project::requirements::Replacement,
) -> Option<String> {
    (req.version != PLACEHOLDER_VERSION)
        .then(|| drop_replacement_command(&rep.old, rep.in_go_work, &req.path, &req.version))
}

/// go.sum against what the cache recorded: cheap, done in quick mode too. A missing go.sum
/// line is a problem only where go needs it (`need`).
fn check_recorded_hashes(
    t: &Target<'_>,
    ctx: &ClassifyContext<'_>,
    need: &Need<'_>,
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
            need.missing_sum_fix.clone().or_else(|| t.download()),
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
                            format!("it is the go.mod inside the module's own download, so go.sum's line is the one that changed (go.sum edited, or the version re-tagged upstream). {GO_SUM_FIX_EXPLAINED}"),
                            Some(go_sum_fix_then(file, t.path, t.version, true, &go_mod_download_command(t.required))),
                        ),
                        GoModSide::Unknown => (
                            "the .mod file in the cache was changed, or go.sum was edited (there is no zip or tree to tell which); the fix removes both the cached .mod and go.sum's line, and go downloads the go.mod again and records it (checked against the checksum database unless GOSUMDB=off)".to_string(),
                            Some(evict_and_fix_go_sum_command(&p.files, file, (t.path, t.version), t.required)),
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
            Err(e) => report.problems.push(unreadable(
                format!("cannot read {}: {e}", p.files.go_mod.display()),
                &e.to_string(),
                t,
            )),
        }
    }
    if let (Some((file, line)), Ziphash::Valid(z)) = (zip_line, &p.ziphash)
        && &line.hash != z
    {
        report.problems.push(Problem::new(
                K::GoSumMismatch,
                format!(
                    "{}:{} records {} but the cached download hashed to {z} (.ziphash). Either go.sum was edited (a bad merge?), the version was re-tagged upstream, or a proxy served different bytes; every go command that uses this module stops with SECURITY ERROR. {GO_SUM_FIX_EXPLAINED}",
                    file.display(),
                    line.line,
                    line.hash
                ),
                Some(go_sum_fix_command(file, t.path, t.version, false)),
            ));
    }
    for (go_mod, first) in [(false, zip_line), (true, mod_line)] {
        let Some((_, first)) = first else { continue };
        for (file, later) in ctx.sums.disagreeing_in(t.path, t.version, go_mod) {
            report.problems.push(Problem::new(
                K::GoSumDuplicateDisagrees,
                format!("{}:{} repeats the key with {} but go only uses the first line ({}: {}); the fix deletes the later line", file.display(), later.line, later.hash, first.line, first.hash),
                Some(delete_go_sum_line_command(file, later)),
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
mod context;
mod other_versions;
mod presence;
use presence::check_presence;

#[cfg(test)]
mod tests;
