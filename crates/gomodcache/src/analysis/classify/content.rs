//! The expensive part of a full check: re-hashing the zip and the extracted tree as
//! `go mod verify` does, and comparing them with `.ziphash` and go.sum (also where
//! `go mod verify` is blind: a tree whose zip and `.ziphash` are gone).

use super::context::{Cancelled, ClassifyContext, Target, unreadable};
use crate::analysis::problems::{Problem, ProblemKind as K};
use crate::analysis::report::ModuleReport;
use crate::cache::dirhash::{
    HashError, TreeMatch, foreign_entries, hash_matched_tree, hash_module_zip,
    hash_module_zip_matched, hash_tree_files, list_tree,
};
use crate::cache::layout::Ziphash;
use crate::cache::verify_memo::{ListedDir, ziphash_key};

/// Re-hashes the zip and the extracted tree (`go mod verify`'s work, and its blind spot).
pub(super) fn check_content(
    t: &Target<'_>,
    ctx: &ClassifyContext<'_>,
    report: &mut ModuleReport,
) -> Result<(), Cancelled> {
    let p = t.probe;
    let recorded = match &p.ziphash {
        Ziphash::Valid(z) => Some(z.clone()),
        _ => None,
    };
    let ziphash = ziphash_key(&p.ziphash);
    let at = t.at();
    // A half-extracted tree is expected to differ; go re-extracts it anyway.
    let hash_tree = p.dir_exists && !p.has_partial;
    // The tree is listed before the zip is hashed, so that each entry the zip inflates is
    // compared with the tree file of its name (equal bytes: one SHA-256 for both).
    let listed = hash_tree.then(|| match ctx.memo {
        Some(memo) => memo.list_dir(&p.files.dir, &at, &ziphash, ctx.cancel),
        None => list_tree(&p.files.dir, false, ctx.cancel).map(ListedDir::unremembered),
    });
    let (listed, list_error) = match listed {
        Some(Ok(l)) => (Some(l), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let matched = match &listed {
        Some(l) if p.has_zip && l.needs_hashing() => Some(TreeMatch::new(&l.files, &at)),
        _ => None,
    };
    if p.has_zip {
        let (zip, cancel, progress) = (&p.files.zip, ctx.cancel, ctx.progress);
        let hashed = match (ctx.memo, &matched) {
            (Some(memo), m) => {
                memo.hash_zip_matched(zip, &at, &ziphash, m.as_ref(), cancel, progress)
            }
            (None, Some(m)) => hash_module_zip_matched(zip, &at, m, cancel, progress).map(|r| r.0),
            (None, None) => hash_module_zip(zip, &at, cancel, progress),
        };
        match hashed {
            Ok(h) => report.computed.zip_h1 = Some(h),
            Err(HashError::Cancelled) => return Err(Cancelled),
            Err(e @ HashError::Io { .. }) => report.problems.push(unreadable(
                format!("cannot read the cached zip: {e}"),
                &e.to_string(),
                t,
            )),
            Err(e @ (HashError::Rejected { .. } | HashError::TooLarge { .. })) => report
                .problems
                .push(Problem::new(K::CorruptZip, e.to_string(), t.repair())),
            Err(e) => report.problems.push(Problem::new(
                K::CorruptZip,
                format!("the cached zip cannot be read: {e}"),
                t.repair(),
            )),
        }
    }
    let (dir, cancel, progress) = (&p.files.dir, ctx.cancel, ctx.progress);
    let tree_hashed = match (list_error, &listed) {
        (Some(e), _) => Some(Err(e)),
        (None, Some(l)) => Some(match (ctx.memo, &matched) {
            (Some(memo), m) => memo.hash_listed_dir(dir, &at, l, m.as_ref(), cancel, progress),
            (None, Some(m)) => hash_matched_tree(dir, m, &at, cancel, progress).map(|r| r.0),
            (None, None) => hash_tree_files(dir, &l.files, &at, cancel, progress).map(|r| r.0),
        }),
        (None, None) => None,
    };
    if let Some(hashed) = tree_hashed {
        match hashed {
            Ok(h) => report.computed.dir_h1 = Some(h),
            Err(HashError::Cancelled) => return Err(Cancelled),
            Err(e @ HashError::Io { .. }) => report.problems.push(unreadable(
                format!("cannot hash the extracted files: {e}"),
                &e.to_string(),
                t,
            )),
            Err(e) => report.problems.push(Problem::new(
                K::ExtractedFilesModified,
                format!("the extracted tree cannot be hashed as go would: {e}"),
                t.repair(),
            )),
        }
    }
    let sum = report.go_sum.h1.clone();
    if let (Some(z), Some(rec)) = (&report.computed.zip_h1, &recorded)
        && z != rec
    {
        if Some(z) == sum.as_ref() {
            report.problems.push(Problem::new(
                    K::InvalidZiphash,
                    format!("{} says {rec}, but the zip and go.sum agree on {z}: the .ziphash file was changed", p.files.ziphash.display()),
                    t.repair(),
                ));
            // The go.sum-vs-.ziphash finding was this same fault seen from the other side.
            report.problems.retain(|p| p.kind != K::GoSumMismatch);
        } else {
            let extracted_ok = report.computed.dir_h1.as_ref() == Some(rec);
            report.problems.push(Problem::new(
                    K::ZipModified,
                    format!(
                        "{} hashes to {z}, but go recorded {rec} when it downloaded it: the zip was rewritten or corrupted after download{} (`go mod verify`: zip has been modified)",
                        p.files.zip.display(),
                        if extracted_ok { "; the extracted files still match the download" } else { "" }
                    ),
                    t.repair(),
                ));
        }
    }
    if let (Some(z), None, Some(s)) = (&report.computed.zip_h1, &recorded, &sum)
        && z != s
    {
        report.problems.push(Problem::new(
            K::ZipModified,
            format!(
                "{} hashes to {z}, but go.sum records {s}",
                p.files.zip.display()
            ),
            t.repair(),
        ));
    }
    // When the zip and go.sum agree, they are the truth the tree must match (a changed .ziphash
    // must not make an intact tree look edited).
    let reference = match (&report.computed.zip_h1, &sum) {
        (Some(z), Some(s)) if z == s => Some(s.clone()),
        _ => recorded.or(sum),
    };
    if let (Some(d), Some(r)) = (&report.computed.dir_h1, &reference)
        && d != r
    {
        let blind = !p.has_zip && p.ziphash == Ziphash::Absent;
        let foreign = foreign_entries(&p.files.dir, 5);
        report.problems.push(Problem::new(
                K::ExtractedFilesModified,
                format!(
                    "files under {} were changed after extraction: they hash to {d}, the download hashed to {r}{}{}",
                    p.files.dir.display(),
                    if blind { ". `go mod verify` cannot see this: it skips trees whose zip and .ziphash are gone" } else { " (`go mod verify`: dir has been modified)" },
                    if foreign.is_empty() { String::new() } else { format!("; it holds what go never extracts: {}", foreign.join(", ")) }
                ),
                t.repair(),
            ));
    }
    Ok(())
}
