//! The main module's `go` line against the `go` lines of the modules go loads (issue 16 §4).
//!
//! Since Go 1.21 a go.mod `go` line at or above 1.21 (`gover.GoStrictVersion`) is a requirement
//! on the module `go` (modload `rawGoModSummary` appends `go@<line>` to the summary), so a
//! module saying `go 1.26.0` selects `go 1.26.0` in the module graph. When that is above the
//! main module's own `go` line the root `go@<main>` is no longer the selected version; readonly
//! mode will not rewrite go.mod and stops with "go: updates to go.mod needed; to update it:
//! go mod tidy" (modload `updatePrunedRoots`/`updateUnprunedRoots` → `errGoModDirty`). Which
//! go.mod files count is what go compares: under graph pruning, while only the roots are
//! loaded, the go.mod of each root that provides a package (`spotCheckRoots`); once the full
//! graph is loaded, every go.mod in it (`mg.Selected("go")`). Versions compare as gover does,
//! so `1.22 < 1.22.0`: even the first release of the same language version raises it.

use crate::graph::Node;
use crate::offline::fetch::ModuleAccess;
use crate::offline::{BlockerKind as K, Findings};
use crate::packages::imports::Analysis;
use crate::project::vendor_mode::BuildMode;
use crate::version::gover;
use std::collections::BTreeMap;

/// `gover.GoStrictVersion`: go lines below it are not requirements on `go`.
const GO_STRICT_VERSION: &str = "1.21";

/// A go.mod go reads whose `go` line is above the main module's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisesGoLine {
    pub module: Node,
    pub go: String,
}

/// Whether a module saying `go <dep_go>` raises a main module saying `go <main_go>`.
pub fn raises(main_go: &str, dep_go: &str) -> bool {
    gover::compare(dep_go, GO_STRICT_VERSION).is_ge() && gover::compare(main_go, dep_go).is_lt()
}

/// The modules whose go lines go compares with the main module's, and those above it.
pub fn raising_modules(
    main_go: &str,
    analysis: &Analysis,
    roots: &BTreeMap<String, String>,
    access: &mut ModuleAccess<'_>,
    f: &mut Findings,
) -> Vec<RaisesGoLine> {
    let compared: Vec<Node> = if analysis.full_graph.is_some() {
        access.go_mods_read()
    } else {
        analysis
            .modules
            .values()
            .filter(|m| !m.provides.is_empty() && roots.get(&m.path) == Some(&m.version))
            .map(|m| Node::new(&m.path, &m.version))
            .collect()
    };
    let mut out = Vec::new();
    for node in compared.into_iter().filter(|n| !n.is_main()) {
        let go = access
            .go_mod(&node, "its go line is compared with go.mod's", f)
            .and_then(|m| m.go);
        // A go line above the go that runs is go's TooNewError first (dependency-needs-newer-go).
        let runs = |g: &String| {
            access
                .local_go
                .as_deref()
                .is_none_or(|l| gover::compare(g, l).is_le())
        };
        if let Some(go) = go.filter(|g| raises(main_go, g) && runs(g)) {
            out.push(RaisesGoLine { module: node, go });
        }
    }
    out
}

/// Records what go does about the raised go line: readonly mode fails; -mod=mod rewrites
/// go.mod and builds. The fix sets the go line to the highest version asked for with
/// `go mod edit`, which needs no network (`go get go@1.22` would query for the latest 1.22.x,
/// and `go mod tidy` needs every test dependency in the cache). A toolchain line left below
/// the new go line does no harm: go builds with it (tested) and drops it when it next writes
/// go.mod.
pub fn report_raised_go_line(
    main_go: &str,
    raising: &[RaisesGoLine],
    mode: BuildMode,
    f: &mut Findings,
) {
    let Some(max) = raising
        .iter()
        .map(|r| r.go.as_str())
        .max_by(|a, b| gover::compare(a, b))
    else {
        return;
    };
    let fix = format!("go mod edit -go={max}");
    for r in raising {
        let what = format!(
            "{} says go {}, above go.mod's go {main_go}, so go selects go {} and go.mod's go line is out of date",
            r.module, r.go, r.go
        );
        match mode {
            BuildMode::Readonly => f.block(
                K::GoModNeedsUpdate,
                Some(r.module.to_string()),
                format!(
                    "{what}; go fails with \"go: updates to go.mod needed; to update it: go mod tidy\""
                ),
                fix.clone(),
            ),
            BuildMode::Mod => f.warn(
                "go-mod-updated",
                format!("{what}; with -mod=mod go raises it to go {max} in go.mod"),
                Some(fix.clone()),
            ),
            BuildMode::Vendor => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::raises;

    #[test]
    fn go_lines_raise_as_gover_orders_them() {
        assert!(raises("1.22", "1.26.0"));
        assert!(raises("1.22", "1.22.0"));
        assert!(raises("1.26.0", "1.26.8"));
        assert!(raises("1.16", "1.21"));
        assert!(!raises("1.22", "1.22"));
        assert!(!raises("1.22", "1.21"));
        assert!(!raises("1.19", "1.20"));
        assert!(!raises("1.26.8", "1.26.0"));
    }
}
