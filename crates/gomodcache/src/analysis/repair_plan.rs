//! Which modules `modscope repair` evicts and downloads again, from a full check: those whose
//! cached content is bad ([`cache_faults`]), every one or the ones named; and which it must not
//! touch because go.sum, not the cache, is the side that changed.

use super::cache_fault::{cache_faults, cache_target};
use super::problems::{Problem, ProblemKind};
use super::report::{ModuleReport, Report};
use crate::cache::layout::ModuleCache;

/// A module to evict and download again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairCandidate {
    /// The module path, as the project requires it.
    pub path: String,
    /// The version, as the project requires it.
    pub version: String,
    /// The module path whose cache files are evicted (the replacement's, when replaced).
    pub cache_path: String,
    /// The version whose cache files are evicted (the replacement's, when replaced).
    pub cache_version: String,
    /// The problems the repair fixes.
    pub faults: Vec<Problem>,
}

impl RepairCandidate {
    /// `path@version` of the files in the cache: what is evicted and what go downloads.
    pub fn cache_at(&self) -> String {
        format!("{}@{}", self.cache_path, self.cache_version)
    }

    /// Why, for the quarantine manifest: each problem's kind and message.
    pub fn reason(&self) -> String {
        self.faults
            .iter()
            .map(|p| format!("{}: {}", p.kind.as_str(), p.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A module left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftAlone {
    /// The module path.
    pub path: String,
    /// The version the project uses.
    pub version: String,
    /// The go.sum-side problem (with its file and line in the message, and its fix); `None` when
    /// the module has nothing a repair of the cache would fix.
    pub problem: Option<Problem>,
}

/// What `modscope repair` will do: the modules it evicts and downloads again, and those it leaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairSelection {
    /// The modules to evict and download again.
    pub repairs: Vec<RepairCandidate>,
    /// go.sum disagrees with a consistent cache: not repaired, go.sum must be fixed.
    pub go_sum_side: Vec<LeftAlone>,
    /// Named modules with nothing wrong in the cache.
    pub nothing_to_repair: Vec<LeftAlone>,
}

/// A go.sum-side problem: the cache is consistent and go.sum's line differs.
fn go_sum_problem(m: &ModuleReport, faults: &[&Problem]) -> Option<Problem> {
    m.problems
        .iter()
        .find(|p| {
            p.kind == ProblemKind::GoSumMismatch
                || (p.kind == ProblemKind::GoModMismatch && !faults.contains(p))
        })
        .cloned()
}

/// The modules to repair: with `names` empty, every module whose cached content is bad;
/// otherwise each named one (`path` means the version the project uses, `path@version` must be
/// that version, as required or as its replacement). A name the project does not require is an
/// error (nothing is evicted then).
pub fn select_repairs(
    report: &Report,
    cache: &ModuleCache,
    names: &[String],
) -> Result<RepairSelection, String> {
    let mut chosen: Vec<&ModuleReport> = Vec::new();
    if names.is_empty() {
        chosen.extend(report.modules.iter());
    } else {
        for name in names {
            let (path, version) = match name.split_once('@') {
                Some((p, v)) => (p, Some(v)),
                None => (name.as_str(), None),
            };
            // Graph-only modules too: go mod verify checks what of them is cached.
            let found = report.modules.iter().find(|m| {
                let required = m.path == path && version.is_none_or(|v| v == m.version);
                let replacement = cache_target(m)
                    .is_some_and(|(p, v)| p == path && version.is_none_or(|want| want == v));
                required || replacement
            });
            match found {
                Some(m) if !chosen.contains(&m) => chosen.push(m),
                Some(_) => {}
                None => {
                    let uses = report
                        .modules
                        .iter()
                        .find(|m| m.path == path)
                        .map(|m| format!(" (it uses {}@{})", m.path, m.version))
                        .unwrap_or_default();
                    return Err(format!(
                        "{name} is not in this project's build list{uses}; nothing was changed (`modscope check -v` lists the build list)"
                    ));
                }
            }
        }
    }
    let mut selection = RepairSelection::default();
    for m in chosen {
        let faults = cache_faults(m, cache);
        let left_alone = |problem| LeftAlone {
            path: m.path.clone(),
            version: m.version.clone(),
            problem,
        };
        if let (false, Some((cache_path, cache_version))) = (faults.is_empty(), cache_target(m)) {
            selection.repairs.push(RepairCandidate {
                path: m.path.clone(),
                version: m.version.clone(),
                cache_path: cache_path.to_string(),
                cache_version: cache_version.to_string(),
                faults: faults.into_iter().cloned().collect(),
            });
        } else if let Some(p) = go_sum_problem(m, &faults) {
            selection.go_sum_side.push(left_alone(Some(p)));
        } else if !names.is_empty() {
            selection.nothing_to_repair.push(left_alone(None));
        }
    }
    Ok(selection)
}

/// Whether the module, checked again after its repair, is free of what a repair fixes and
/// complete in the cache.
pub fn is_repaired(m: &ModuleReport, cache: &ModuleCache) -> bool {
    cache_faults(m, cache).is_empty() && !m.has_problem_of(super::problems::ProblemClass::Missing)
}
