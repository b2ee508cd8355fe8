//! Which of a module's cache files are there, in go's own sense of "downloaded" (spec §2.3):
//! missing, only the go.mod, a download or an extraction in flight or interrupted, a tree whose
//! zip is gone — each with the reason and the command that fixes it.

use super::context::{PERMISSIONS_ADVICE, Target, unreadable};
use crate::analysis::problems::{Problem, ProblemKind as K};
use crate::analysis::report::ModuleReport;
use crate::cache::layout::Ziphash;
use crate::fix::commands::shell_quote;

/// What could not be looked at or read: every module, whatever go needs of it.
fn unreadable_parts(t: &Target<'_>, report: &mut ModuleReport) {
    for e in &t.probe.errors {
        report.problems.push(Problem::new(
            K::Unreadable,
            format!("cannot inspect the cache: {e}. {PERMISSIONS_ADVICE}"),
            None,
        ));
    }
    if let Ziphash::Unreadable(e) = &t.probe.ziphash {
        report
            .problems
            .push(unreadable(format!("cannot read .ziphash: {e}"), e, t));
    }
}

/// Which parts of the download are there (go's own notion of "downloaded", spec §2.3).
pub(super) fn check_presence(t: &Target<'_>, report: &mut ModuleReport) {
    let p = t.probe;
    let f = &p.files;
    unreadable_parts(t, report);
    // In-flight or interrupted download files: go writes the zip to `<v>.zip<random>.tmp` and
    // `.ziphash` before it renames the zip into place.
    let tmp_stem = format!("{}.zip", f.escaped_version);
    let tmp_zip = p.stray_tmp.iter().any(|tmp| {
        tmp.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&tmp_stem))
    });
    if p.unknown {
        // What could not be looked at may well be there: claim nothing missing.
    } else if !p.has_go_mod && !p.has_zip && !p.dir_exists && !p.has_info {
        report.problems.push(Problem::new(
            K::NotInCache,
            format!("{} is not in the module cache", t.at()),
            t.download(),
        ));
    } else if !p.has_zip && !p.dir_exists && tmp_zip {
        report.problems.push(Problem::new(
            K::ModOnly,
            format!("the zip of {} is still being written: a go command is downloading it right now, or its download was interrupted (a temporary zip is there, {} is not); only the go.mod is usable", t.at(), f.zip.display()),
            t.download(),
        ));
    } else if !p.has_zip && !p.dir_exists && p.ziphash != Ziphash::Absent {
        report.problems.push(Problem::new(
            K::ModOnly,
            format!("{} is there but {} is not: a go command is downloading it right now (go records the hash before it moves the zip into place), its download was interrupted, or the zip was deleted; only the go.mod is usable", f.ziphash.display(), f.zip.display()),
            t.download(),
        ));
    } else if !p.has_zip && !p.dir_exists {
        report.problems.push(Problem::new(
            K::ModOnly,
            format!("only the go.mod of {} is cached (enough for the module graph, not to build): the zip and the extracted source are missing", t.at()),
            t.download(),
        ));
    } else {
        if !p.has_go_mod {
            report.problems.push(Problem::new(
                K::MissingModFile,
                format!(
                    "{} is missing: go needs it to load the module graph and would fetch it",
                    f.go_mod.display()
                ),
                t.download(),
            ));
        }
        if p.dir_exists && p.has_partial && p.has_zip && matches!(p.ziphash, Ziphash::Valid(_)) {
            // The zip is there: go extracts it again on the next use, with no network.
            report.problems.push(Problem::new(
                K::ReExtractionPending,
                format!("{} marks {} as not completely extracted (a go command is extracting it right now, or was interrupted); the zip is cached, so go extracts it again on its next use, offline too", f.partial.display(), f.dir.display()),
                t.download(),
            ));
        } else if p.dir_exists && p.has_partial {
            report.problems.push(Problem::new(
                K::PartialDownload,
                format!("{} marks {} as not completely extracted (a go command is extracting it right now, or was interrupted); go treats it as not downloaded and extracts it again", f.partial.display(), f.dir.display()),
                t.download(),
            ));
        } else if p.dir_exists && p.ziphash == Ziphash::Absent {
            if p.has_zip {
                report.problems.push(Problem::new(
                    K::MissingZiphash,
                    format!("{} is missing, so go treats the extracted directory as incomplete (`go mod verify`: missing ziphash)", f.ziphash.display()),
                    t.repair(),
                ));
            } else {
                report.problems.push(Problem::new(
                    K::IncompleteExtraction,
                    format!("the zip and .ziphash are gone but {} is still there; go treats it as not downloaded (and `go mod verify` silently skips it)", f.dir.display()),
                    t.repair(),
                ));
            }
        } else if !p.has_zip && p.dir_exists && p.ziphash != Ziphash::Absent {
            // go builds from the complete tree; only a copy of the download is gone.
            report.problems.push(Problem::new(
                K::ZipMissing,
                format!("{} is gone but the extracted tree is complete: builds here work; `modscope export`, `go mod vendor` from another cache and serving this cache as a GOPROXY need the zip", f.zip.display()),
                t.download(),
            ));
        } else if p.has_zip && !p.dir_exists {
            report.problems.push(Problem::new(
                K::ZipNotExtracted,
                format!("{} is cached but not extracted to {} (extraction failed, was interrupted, or is about to start); go extracts it on first use, without the network", f.zip.display(), f.dir.display()),
                t.download(),
            ));
        }
    }
    if !p.stray_tmp.is_empty() {
        let list: Vec<String> = p
            .stray_tmp
            .iter()
            .map(|x| x.display().to_string())
            .collect();
        report.problems.push(Problem::new(
            K::StrayTempFiles,
            format!(
                "temporary files of a go command that is still running (a download in progress) or was interrupted: {} (remove them only when no go command is running)",
                list.join(", ")
            ),
            Some(format!(
                "rm -f {}",
                list.iter()
                    .map(|s| shell_quote(s))
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        ));
    }
}

/// A graph-only module that no package of the build comes from: go needs at most its go.mod
/// (`go_mod_needed`: the module graph reads it). Whatever else of it is cached is verified as
/// `go mod verify` does: a zip or a complete tree without its `.ziphash` is a finding there.
pub(super) fn check_graph_only_presence(
    t: &Target<'_>,
    go_mod_needed: bool,
    report: &mut ModuleReport,
) {
    let p = t.probe;
    let f = &p.files;
    unreadable_parts(t, report);
    if p.unknown {
        return;
    }
    if go_mod_needed && !p.has_go_mod {
        report.problems.push(Problem::new(
            K::MissingModFile,
            format!(
                "{} is missing: loading the module graph reads this go.mod (go mod tidy, go list -m all and go mod verify fetch it, and fail with GOPROXY=off); no package of the build comes from {}, so nothing else of it is needed",
                f.go_mod.display(),
                t.at()
            ),
            t.download(),
        ));
    }
    if p.has_zip && p.ziphash == Ziphash::Absent {
        report.problems.push(Problem::new(
            K::MissingZiphash,
            format!(
                "{} is cached but {} is missing (`go mod verify`: missing ziphash)",
                f.zip.display(),
                f.ziphash.display()
            ),
            t.repair(),
        ));
    }
}
