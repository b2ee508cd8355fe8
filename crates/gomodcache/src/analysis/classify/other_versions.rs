//! The go.mod files of other versions of a module that loading the module graph reads (lower
//! requirements MVS did not select): go needs each of them, and checks each against go.sum,
//! so a missing, unparsable or mismatched one stops `go build` as the selected version's would.

use super::context::{ClassifyContext, GO_SUM_FIX_EXPLAINED};
use crate::analysis::build_list::{CachedGoMod, GraphNeeds, UnreadableGoMod};
use crate::analysis::cache_fault::{GoModSide, go_mod_side};
use crate::analysis::problems::{Problem, ProblemKind as K};
use crate::analysis::report::ModuleReport;
use crate::cache::dirhash::hash_go_mod;
use crate::fix::commands::{download_command, evict_and_download_command};
use crate::fix::compound::{
    evict_and_fix_go_sum_command, go_mod_download_command, go_sum_fix_then,
};
use crate::fs::read::read_regular_file;
use crate::project::requirements::Requirement;

const WHY: &str = "a lower requirement that MVS did not select";

pub(super) fn check_other_versions(
    req: &Requirement,
    needs: &GraphNeeds,
    ctx: &ClassifyContext<'_>,
    report: &mut ModuleReport,
) {
    for other in needs.unreadable_other_versions(&req.path, &req.version) {
        report.problems.push(unreadable(&req.path, other, ctx));
    }
    for other in needs.other_cached_go_mods(&req.path, &req.version) {
        if let Some(p) = sum_problem(&req.path, other, ctx) {
            report.problems.push(p);
        }
    }
}

/// Not in the cache, or does not parse: loading the graph fails on it.
fn unreadable(path: &str, other: &UnreadableGoMod, ctx: &ClassifyContext<'_>) -> Problem {
    let at = format!("{path}@{}", other.version);
    match &other.error {
        None => Problem::new(
            K::MissingModFile,
            format!(
                "loading the module graph also reads the go.mod of {at} ({WHY}), and {} is not in the cache; go mod tidy, go list -m all and go mod verify fetch it (they fail with GOPROXY=off)",
                other.file
            ),
            Some(download_command(path, &other.version)),
        ),
        Some(e) => Problem::new(
            K::GoModMismatch,
            format!(
                "loading the module graph also reads the go.mod of {at} ({WHY}), and {} does not parse: {e}. The fix removes that version from the cache and downloads it again (`modscope repair` takes only the build list's versions)",
                other.file
            ),
            ctx.cache
                .files(path, &other.version)
                .ok()
                .map(|f| evict_and_download_command(&f, path, &other.version)),
        ),
    }
}

/// go.sum's `/go.mod` line for the version: missing, or disagreeing with the cached `.mod`.
fn sum_problem(path: &str, other: &CachedGoMod, ctx: &ClassifyContext<'_>) -> Option<Problem> {
    let (kp, kv) = (other.key_path.as_str(), other.key_version.as_str());
    let at = format!("{kp}@{kv}");
    let Some((file, line)) = ctx.sums.go_mod_line(kp, kv) else {
        return Some(Problem::new(
            K::GoSumGoModLineMissing,
            format!(
                "loading the module graph also reads the go.mod of {at} ({WHY}), and go.sum has no `{kp} {kv}/go.mod` line; go fails with \"missing go.sum entry for go.mod file\". The fix is go's own: with the version, go mod download adds no line for a version it does not select"
            ),
            Some(go_mod_download_command(path)),
        ));
    };
    let files = ctx.cache.files(kp, kv).ok()?;
    let hash =
        hash_go_mod(&read_regular_file(&files.go_mod, crate::fs::read::limits::GO_MOD).ok()?);
    if hash == line.hash {
        return None;
    }
    let (cause, fix) = match go_mod_side(&files, kp, kv) {
        GoModSide::GoSum => (
            format!("it is the go.mod inside the module's own download, so go.sum's line is the one that changed. {GO_SUM_FIX_EXPLAINED}"),
            go_sum_fix_then(file, kp, kv, true, &go_mod_download_command(path)),
        ),
        GoModSide::Cache => (
            "it differs from the go.mod inside the module's own download, so the .mod file in the cache was changed; the fix removes that version from the cache and downloads it again".to_string(),
            evict_and_download_command(&files, kp, kv),
        ),
        GoModSide::Unknown => (
            "only the .mod is cached, so nothing tells which side changed; the fix removes both the cached .mod and go.sum's line, and go downloads the go.mod again and records it (checked against the checksum database unless GOSUMDB=off)".to_string(),
            evict_and_fix_go_sum_command(&files, file, (kp, kv), path),
        ),
    };
    Some(Problem::new(
        K::GoModMismatch,
        format!(
            "loading the module graph also reads the go.mod of {at} ({WHY}): the cached {} hashes to {hash}, but {}:{} records {}; go stops with SECURITY ERROR: {cause}",
            files.go_mod.display(),
            file.display(),
            line.line,
            line.hash
        ),
        Some(fix),
    ))
}
