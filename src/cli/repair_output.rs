//! What `modscope repair` says: the plan before it asks (every file that moves, the go command
//! that follows), the outcome per module after, and `--json` (schema version 1).

use gomodcache::analysis::problems::{Problem, ProblemClass, ProblemKind};
use gomodcache::analysis::repair_plan::{LeftAlone, RepairCandidate, RepairSelection};
use gomodcache::analysis::report::{ModuleReport, Report};
use gomodcache::cache::evict::{Eviction, ManifestFile, QuarantineEntry};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

pub const REPAIR_SCHEMA_VERSION: u32 = 1;

/// The JSON printed by `modscope repair --json`.
#[derive(Debug, Serialize)]
pub struct RepairOutput {
    pub schema_version: u32,
    pub project_dir: String,
    pub gomodcache: String,
    /// The quarantine root; each module's own directory is in `modules[].quarantine_dir`.
    pub quarantine: String,
    pub dry_run: bool,
    /// The go command run after the eviction (null when nothing is evicted).
    pub command: Option<String>,
    pub modules: Vec<ModuleOutcome>,
    /// Modules left alone because go.sum, not the cache, disagrees.
    pub go_sum_side: Vec<GoSumSide>,
    /// Named modules with nothing to repair in the cache (`path@version`).
    pub nothing_to_repair: Vec<String>,
    pub go_exit_code: Option<i32>,
    /// Errors go reported (per module from its `-json` output, or its last stderr line).
    pub go_errors: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ModuleOutcome {
    /// As the project requires it.
    pub module: String,
    pub version: String,
    /// The `path@version` whose cache files are evicted (the replacement, when replaced).
    pub evicted: String,
    pub problems: Vec<ProblemKind>,
    pub quarantine_dir: Option<String>,
    pub files: Vec<ManifestFile>,
    pub outcome: Outcome,
    pub error: Option<String>,
    /// The module's problems when checked again after the repair.
    pub remaining: Vec<Problem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// To be evicted (the final state with `--dry-run`).
    Planned,
    /// The user said no: nothing was changed.
    Declined,
    /// Planning or evicting failed (see `error`).
    EvictionFailed,
    Repaired,
    StillBroken,
}

#[derive(Debug, Serialize)]
pub struct GoSumSide {
    pub module: String,
    pub version: String,
    pub kind: ProblemKind,
    pub message: String,
    pub fix: Option<String>,
}

impl ModuleOutcome {
    fn of(c: &RepairCandidate, outcome: Outcome) -> Self {
        ModuleOutcome {
            module: c.path.clone(),
            version: c.version.clone(),
            evicted: c.cache_at(),
            problems: c.faults.iter().map(|p| p.kind).collect(),
            quarantine_dir: None,
            files: Vec::new(),
            outcome,
            error: None,
            remaining: Vec::new(),
        }
    }

    pub fn planned(c: &RepairCandidate, e: &Eviction) -> Self {
        ModuleOutcome {
            quarantine_dir: Some(e.quarantine_dir().display().to_string()),
            files: e.manifest().files.clone(),
            ..Self::of(c, Outcome::Planned)
        }
    }

    pub fn failed(c: &RepairCandidate, error: String) -> Self {
        ModuleOutcome {
            error: Some(error),
            ..Self::of(c, Outcome::EvictionFailed)
        }
    }

    pub fn fail(&mut self, error: String) {
        self.outcome = Outcome::EvictionFailed;
        self.error = Some(error);
    }
}

impl RepairOutput {
    pub fn new(
        report: &Report,
        quarantine: &Path,
        dry_run: bool,
        selection: &RepairSelection,
    ) -> Self {
        let go_sum_side = selection
            .go_sum_side
            .iter()
            .filter_map(|l| {
                let p = l.problem.as_ref()?;
                Some(GoSumSide {
                    module: l.path.clone(),
                    version: l.version.clone(),
                    kind: p.kind,
                    message: p.message.clone(),
                    fix: p.fix.clone(),
                })
            })
            .collect();
        let at = |l: &LeftAlone| format!("{}@{}", l.path, l.version);
        RepairOutput {
            schema_version: REPAIR_SCHEMA_VERSION,
            project_dir: report.project_dir.clone(),
            gomodcache: report.gomodcache.clone(),
            quarantine: quarantine.display().to_string(),
            dry_run,
            command: None,
            modules: Vec::new(),
            go_sum_side,
            nothing_to_repair: selection.nothing_to_repair.iter().map(at).collect(),
            go_exit_code: None,
            go_errors: Vec::new(),
        }
    }

    /// The modules still planned, in the order their evictions were planned.
    pub fn planned_mut(&mut self) -> impl Iterator<Item = &mut ModuleOutcome> {
        self.modules
            .iter_mut()
            .filter(|m| m.outcome == Outcome::Planned)
    }

    pub fn declined(&mut self) {
        self.planned_mut()
            .for_each(|m| m.outcome = Outcome::Declined);
    }

    /// Takes each evicted module's state from the check made after go ran.
    pub fn record_recheck(&mut self, after: &Report, repaired: impl Fn(&ModuleReport) -> bool) {
        for m in self.planned_mut() {
            let now = after
                .modules
                .iter()
                .find(|r| r.path == m.module && r.version == m.version);
            m.remaining = now
                .map(|r| {
                    r.problems
                        .iter()
                        .filter(|p| p.kind.class() != ProblemClass::Warning)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            m.outcome = match now {
                Some(r) if repaired(r) => Outcome::Repaired,
                _ => Outcome::StillBroken,
            };
        }
    }

    /// Exit 0: every module repaired (or nothing to repair) and nothing left on go.sum's side.
    pub fn all_repaired(&self) -> bool {
        self.go_sum_side.is_empty() && self.modules.iter().all(|m| m.outcome == Outcome::Repaired)
    }
}

/// What is about to happen, before the question.
pub fn render_plan(out: &RepairOutput) -> String {
    let mut s = String::new();
    let to_move: Vec<&ModuleOutcome> = out
        .modules
        .iter()
        .filter(|m| m.outcome == Outcome::Planned)
        .collect();
    if to_move.is_empty() && out.modules.is_empty() {
        s.push_str("Nothing to repair: no module's cached content is bad.\n");
    }
    if !to_move.is_empty() {
        let _ = writeln!(
            s,
            "Cached content to repair ({} module{}); these files move to the quarantine:",
            to_move.len(),
            if to_move.len() == 1 { "" } else { "s" }
        );
    }
    for m in &to_move {
        let kinds: Vec<&str> = m.problems.iter().map(|k| k.as_str()).collect();
        let _ = writeln!(s, "  {}@{} ({})", m.module, m.version, kinds.join(", "));
        // Each file keeps its path relative to the module cache inside the quarantine.
        let _ = writeln!(
            s,
            "    from {}\n      to {}",
            out.gomodcache,
            m.quarantine_dir.as_deref().unwrap_or("")
        );
        for f in &m.files {
            let relative = f
                .original
                .strip_prefix(out.gomodcache.trim_end_matches('/'))
                .map(|r| r.trim_start_matches('/'))
                .unwrap_or(&f.original);
            let _ = writeln!(s, "      {relative}");
        }
    }
    if let Some(cmd) = &out.command {
        let _ = writeln!(s, "Then, in {}:\n  {cmd}", out.project_dir);
        let _ = writeln!(
            s,
            "The quarantine keeps what was moved: {} (`modscope repair --purge-quarantine` removes it).",
            out.quarantine
        );
    }
    for m in out
        .modules
        .iter()
        .filter(|m| m.outcome == Outcome::EvictionFailed)
    {
        let _ = writeln!(
            s,
            "Cannot repair {}@{}: {}",
            m.module,
            m.version,
            m.error.as_deref().unwrap_or("")
        );
    }
    if !out.go_sum_side.is_empty() {
        s.push_str("Not repaired: go.sum disagrees with a consistent cache (the cache is not at fault; go.sum must be fixed):\n");
        for g in &out.go_sum_side {
            let _ = writeln!(s, "  {}@{}: {}", g.module, g.version, g.message);
            if let Some(fix) = &g.fix {
                let _ = writeln!(s, "    fix: {fix}");
            }
        }
    }
    for n in &out.nothing_to_repair {
        let _ = writeln!(s, "Nothing to repair in the cache for {n}.");
    }
    s
}

/// The outcome per module, after the question.
pub fn render_human(out: &RepairOutput) -> String {
    let mut s = String::new();
    if out.dry_run && out.modules.iter().any(|m| m.outcome == Outcome::Planned) {
        s.push_str("Dry run: nothing was changed.\n");
    }
    for m in &out.modules {
        let at = format!("{}@{}", m.module, m.version);
        match m.outcome {
            Outcome::Repaired => {
                let _ = writeln!(
                    s,
                    "✓ repaired      {at} (what was evicted is kept in {})",
                    m.quarantine_dir.as_deref().unwrap_or("")
                );
            }
            Outcome::StillBroken => {
                let _ = writeln!(s, "✗ still broken  {at}");
                for p in &m.remaining {
                    let _ = writeln!(s, "    {}: {}", p.kind.as_str(), p.message);
                }
            }
            Outcome::EvictionFailed => {
                let _ = writeln!(
                    s,
                    "✗ not evicted   {at}: {}",
                    m.error.as_deref().unwrap_or("")
                );
            }
            Outcome::Declined | Outcome::Planned => {}
        }
    }
    for e in &out.go_errors {
        let _ = writeln!(s, "go reported: {e}");
    }
    s
}

/// The quarantine's content, for `--purge-quarantine`.
pub fn render_purge(root: &Path, entries: &[QuarantineEntry]) -> String {
    if entries.is_empty() {
        return format!("The quarantine is empty ({}).\n", root.display());
    }
    let total: u64 = entries.iter().map(|e| e.bytes).sum();
    let mut s = format!(
        "The quarantine {} holds {} evictions, {}:\n",
        root.display(),
        entries.len(),
        bytesize::ByteSize(total)
    );
    for e in entries {
        let what = match &e.manifest {
            Some(m) => format!(
                "{}@{} evicted {}{}",
                m.module,
                m.version,
                m.when,
                if m.complete {
                    ""
                } else {
                    " (the eviction did not finish)"
                }
            ),
            None => "no readable manifest".to_string(),
        };
        let _ = writeln!(
            s,
            "  {}  {what}, {}",
            e.dir.display(),
            bytesize::ByteSize(e.bytes)
        );
    }
    s
}
