//! Which problems are the cache's fault — its content changed after go wrote it — and so are
//! fixed by evicting the version and downloading it again (`modscope repair`), as opposed to
//! go.sum's side, which a repair of the cache must not paper over.

use super::problems::{Problem, ProblemKind};
use super::report::ModuleReport;
use crate::cache::layout::{ModuleCache, ModuleFiles};
use crate::cache::zip_entry::open_entry;
use crate::cache::zipcheck::MAX_GO_MOD;
use crate::fs::read::{limits, open_regular, read_regular_file};
use std::io::Read as _;

/// The kinds that say the cached content itself is bad (or left half-written). `GoModMismatch`
/// only when [`go_mod_side`] blames the cache.
pub const CACHE_CONTENT_KINDS: [ProblemKind; 9] = [
    ProblemKind::ExtractedFilesModified,
    ProblemKind::ZipModified,
    ProblemKind::CorruptZip,
    ProblemKind::InvalidZiphash,
    ProblemKind::GoModMismatch,
    ProblemKind::PartialDownload,
    ProblemKind::ReExtractionPending,
    ProblemKind::MissingZiphash,
    ProblemKind::IncompleteExtraction,
];

/// Which side of a `/go.mod` hash disagreement changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoModSide {
    /// The cached `.mod` differs from the go.mod the module itself holds (in its zip or tree).
    Cache,
    /// The cached `.mod` is the module's own go.mod: go.sum's line is the odd one out.
    GoSum,
    /// There is no zip or tree to compare with.
    Unknown,
}

/// Compares the cached `.mod` with the module's own go.mod: the one in its zip (or, without a
/// readable zip, in its extracted tree). A module whose zip has no go.mod gets the one go
/// synthesizes, `module <path>\n`.
pub fn go_mod_side(files: &ModuleFiles, path: &str, version: &str) -> GoModSide {
    let Ok(cached) = read_regular_file(&files.go_mod, limits::GO_MOD) else {
        return GoModSide::Unknown;
    };
    let own = go_mod_in_zip(files, path, version).or_else(|| {
        files
            .dir
            .is_dir()
            .then(|| read_regular_file(&files.dir.join("go.mod"), limits::GO_MOD).ok())
            .flatten()
    });
    match own {
        Some(own) if own == cached => GoModSide::GoSum,
        Some(_) => GoModSide::Cache,
        None => GoModSide::Unknown,
    }
}

/// The go.mod inside the module's zip; the synthesized one when the zip has none; `None` when
/// there is no readable zip.
fn go_mod_in_zip(files: &ModuleFiles, path: &str, version: &str) -> Option<Vec<u8>> {
    let (file, _) = open_regular(&files.zip, limits::ZIP).ok()?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let name = format!("{path}@{version}/go.mod");
    let Some(i) = archive.index_for_name(&name) else {
        return Some(format!("module {path}\n").into_bytes());
    };
    let entry = open_entry(&mut archive, i).ok()?;
    let mut data = Vec::new();
    entry
        .reader
        .take(MAX_GO_MOD + 1)
        .read_to_end(&mut data)
        .ok()?;
    Some(data)
}

/// The module version whose files hold a module's content in the cache: the replacement's when
/// replaced by another module version, `None` when replaced by a directory.
pub fn cache_target(m: &ModuleReport) -> Option<(&str, &str)> {
    match &m.replace {
        Some(r) => r.version.as_deref().map(|v| (r.path.as_str(), v)),
        None => Some((m.path.as_str(), m.version.as_str())),
    }
}

/// The module's problems that evicting it and downloading it again fixes.
pub fn cache_faults<'a>(m: &'a ModuleReport, cache: &ModuleCache) -> Vec<&'a Problem> {
    let Some((path, version)) = cache_target(m) else {
        return Vec::new();
    };
    let files = cache.files(path, version).ok();
    m.problems
        .iter()
        .filter(|p| CACHE_CONTENT_KINDS.contains(&p.kind))
        .filter(|p| {
            p.kind != ProblemKind::GoModMismatch
                || files
                    .as_ref()
                    .is_some_and(|f| go_mod_side(f, path, version) == GoModSide::Cache)
        })
        .collect()
}

/// The go.sum keys of the module that disagree with a cache that agrees with itself, which
/// fixing go.sum (not the cache) repairs: `false` for the zip `h1:` line (`go-sum-mismatch`),
/// `true` for the `/go.mod` line of the version itself when its cached `.mod` is the go.mod
/// inside the module's own download and that download is intact (no zip or tree fault).
pub fn go_sum_side_keys(m: &ModuleReport, cache: &ModuleCache) -> Vec<bool> {
    let mut keys = Vec::new();
    if m.problems
        .iter()
        .any(|p| p.kind == ProblemKind::GoSumMismatch)
    {
        keys.push(false);
    }
    let own_mod_differs = matches!(
        (&m.go_sum.go_mod_h1, &m.computed.go_mod_h1),
        (Some(recorded), Some(cached)) if recorded != cached
    );
    let download_changed = m.problems.iter().any(|p| {
        matches!(
            p.kind,
            ProblemKind::ZipModified
                | ProblemKind::CorruptZip
                | ProblemKind::ExtractedFilesModified
        )
    });
    let own_go_mod = || {
        cache_target(m)
            .and_then(|(path, version)| Some((cache.files(path, version).ok()?, path, version)))
            .is_some_and(|(f, path, version)| go_mod_side(&f, path, version) == GoModSide::GoSum)
    };
    if own_mod_differs && !download_changed && own_go_mod() {
        keys.push(true);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::SynthModule;

    fn cache_of(m: &SynthModule) -> (tempfile::TempDir, ModuleFiles) {
        let tmp = tempfile::tempdir().unwrap();
        let files = ModuleCache::new(tmp.path())
            .files(&m.path, &m.version)
            .unwrap();
        std::fs::create_dir_all(&files.download_dir).unwrap();
        std::fs::write(&files.zip, m.zip_bytes()).unwrap();
        std::fs::write(&files.go_mod, m.mod_bytes()).unwrap();
        (tmp, files)
    }

    #[test]
    fn an_edited_mod_is_the_caches_fault_an_intact_one_is_go_sums() {
        let m = SynthModule::new("example.com/a", "v1.0.0");
        let (_tmp, f) = cache_of(&m);
        assert_eq!(go_mod_side(&f, &m.path, &m.version), GoModSide::GoSum);
        std::fs::write(&f.go_mod, "module example.com/a\n// edited\n").unwrap();
        assert_eq!(go_mod_side(&f, &m.path, &m.version), GoModSide::Cache);
        std::fs::remove_file(&f.zip).unwrap();
        assert_eq!(go_mod_side(&f, &m.path, &m.version), GoModSide::Unknown);
    }

    #[test]
    fn a_zip_without_go_mod_is_compared_with_the_synthesized_one() {
        let m = SynthModule::without_go_mod("example.com/nomod", "v2.0.0+incompatible");
        let (_tmp, f) = cache_of(&m);
        assert_eq!(
            std::fs::read(&f.go_mod).unwrap(),
            b"module example.com/nomod\n"
        );
        assert_eq!(go_mod_side(&f, &m.path, &m.version), GoModSide::GoSum);
    }
}
