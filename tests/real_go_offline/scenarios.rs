//! Each scenario against `GOPROXY=off go build ./...`, in readonly mode and with -mod=mod.

use super::sandbox::*;
use super::support::{GoSandbox, remove};
use gomodcache::offline::BlockerKind;
use std::collections::BTreeSet;

/// One scenario: the fault, and the expected verdict in readonly mode and with -mod=mod (None
/// when the mode is not run). `vendoring` scenarios run go with its default (vendor) mode.
struct Scenario {
    name: &'static str,
    inject: fn(&GoSandbox),
    readonly: Option<Option<BlockerKind>>,
    modmod: Option<Option<BlockerKind>>,
}

fn scenarios() -> Vec<Scenario> {
    use BlockerKind as K;
    vec![
        Scenario {
            name: "complete cache",
            inject: |_| {},
            readonly: Some(None),
            modmod: Some(None),
        },
        Scenario {
            name: "one zip missing",
            inject: |sb| drop_zip(sb, "example.com/b", "v1.0.0"),
            readonly: Some(Some(K::ModuleNotDownloaded)),
            modmod: Some(Some(K::ModuleNotDownloaded)),
        },
        Scenario {
            name: "only a .mod missing",
            inject: |sb| remove(&cache_files(sb, "example.com/b", "v1.0.0").go_mod),
            readonly: Some(Some(K::MissingGoMod)),
            modmod: Some(Some(K::MissingGoMod)),
        },
        Scenario {
            name: "a go.sum line missing",
            inject: |sb| {
                edit(&sb.project.join("go.sum"), |l| {
                    (!l.starts_with("example.com/b v1.0.0 h1:")).then(|| l.to_string())
                })
            },
            readonly: Some(Some(K::MissingGoSumZip)),
            // GOSUMDB=off: go records the cached zip's hash and builds.
            modmod: Some(None),
        },
        Scenario {
            name: "broken local replace",
            inject: |sb| remove(&sb.project.join("local")),
            readonly: Some(Some(K::ReplaceDirMissing)),
            modmod: Some(Some(K::ReplaceDirMissing)),
        },
        Scenario {
            name: "inconsistent vendor",
            inject: |sb| {
                vendor(sb);
                edit(&sb.project.join("vendor/modules.txt"), |l| {
                    Some(l.replace("## explicit; go 1.17", "## go 1.17"))
                });
            },
            readonly: Some(Some(K::InconsistentVendoring)),
            modmod: None,
        },
        Scenario {
            name: "consistent vendor",
            inject: vendor,
            readonly: Some(None),
            modmod: None,
        },
        Scenario {
            name: "toolchain too new",
            inject: |sb| {
                edit(&sb.project.join("go.mod"), |l| {
                    Some(if l == "go 1.21" {
                        "go 1.99".into()
                    } else {
                        l.to_string()
                    })
                })
            },
            readonly: Some(Some(K::ToolchainUnavailable)),
            modmod: Some(Some(K::ToolchainUnavailable)),
        },
        Scenario {
            name: "a module needed only by tests (not in the cache at all)",
            inject: |sb| {
                drop_zip(sb, "example.com/t", "v1.0.0");
                remove(&cache_files(sb, "example.com/t", "v1.0.0").go_mod);
            },
            readonly: Some(None),
            modmod: Some(None),
        },
        Scenario {
            name: "go.mod not tidy (indirect requirement dropped)",
            inject: |sb| {
                edit(&sb.project.join("go.mod"), |l| {
                    (!l.contains("example.com/b v1.0.0 // indirect")).then(|| l.to_string())
                })
            },
            readonly: Some(Some(K::GoModNeedsUpdate)),
            modmod: Some(None),
        },
        Scenario {
            name: "unpruned main module (go 1.16) needs the test-only module's .mod",
            inject: |sb| {
                edit(&sb.project.join("go.mod"), |l| {
                    Some(if l == "go 1.21" {
                        "go 1.16".into()
                    } else {
                        l.to_string()
                    })
                });
                remove(&cache_files(sb, "example.com/t", "v1.0.0").go_mod);
            },
            readonly: Some(Some(K::MissingGoMod)),
            modmod: Some(Some(K::MissingGoMod)),
        },
        Scenario {
            name: "go.sum disagrees with the cache",
            inject: |sb| {
                edit(&sb.project.join("go.sum"), |l| {
                    Some(if l.starts_with("example.com/b v1.0.0 h1:") {
                        format!("example.com/b v1.0.0 h1:{}=", "A".repeat(43))
                    } else {
                        l.to_string()
                    })
                })
            },
            readonly: Some(Some(K::ChecksumMismatch)),
            modmod: Some(Some(K::ChecksumMismatch)),
        },
    ]
}

/// Runs every scenario in one mode; returns the table rows.
fn agree_in_mode(mode: &str, env: Env, pick: fn(&Scenario) -> &Option<Option<BlockerKind>>) {
    let base = sandbox();
    let mut table = Vec::new();
    for s in scenarios() {
        let Some(want) = pick(&s) else { continue };
        let sb = base.fork();
        (s.inject)(&sb);
        let (r, code) = verdict(&sb, env);
        let (go_ok, go_err) = go_build(&sb, env);
        let kinds: Vec<BlockerKind> = r.blockers.iter().map(|b| b.kind).collect();
        table.push(format!(
            "{:<66} {mode:<9} ready={:<5} go_ok={go_ok:<5} {kinds:?}",
            s.name, r.ready
        ));
        assert_eq!(
            r.ready, go_ok,
            "{} ({mode}): modscope ready={} but go build ok={go_ok}\n{go_err}\n{:#?}",
            s.name, r.ready, r.blockers
        );
        assert_eq!(code, if r.ready { 0 } else { 1 });
        assert_eq!(
            r.ready,
            want.is_none(),
            "{} ({mode}): {:#?}",
            s.name,
            r.blockers
        );
        if let Some(k) = want {
            assert!(
                kinds.contains(k),
                "{} ({mode}): want {k:?}, got {:#?}\ngo: {go_err}",
                s.name,
                r.blockers
            );
        }
        for b in &r.blockers {
            // A fix is a command; without one, the message says what to do.
            assert!(!b.message.is_empty(), "{b:?}");
            match &b.fix {
                Some(fix) => {
                    let parsed = std::process::Command::new("sh")
                        .args(["-n", "-c", fix])
                        .status()
                        .unwrap();
                    assert!(!fix.is_empty() && parsed.success(), "not a command: {b:?}");
                }
                None => assert!(b.message.contains("To fix: "), "{b:?}"),
            }
        }
    }
    eprintln!("{}", table.join("\n"));
}

#[test]
fn the_verdict_agrees_with_go_build_readonly() {
    agree_in_mode("readonly", READONLY, |s| &s.readonly);
}

#[test]
fn the_verdict_agrees_with_go_build_with_mod_mod() {
    agree_in_mode("-mod=mod", MODMOD, |s| &s.modmod);
}

#[test]
fn build_only_needs_what_the_imports_reach() {
    let (r, code) = verdict(sandbox(), READONLY);
    assert_eq!(code, 0, "{:#?}", r.blockers);
    let pkgs: BTreeSet<&str> = r.packages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        pkgs,
        BTreeSet::from([
            "example.com/a",
            "example.com/b",
            "example.com/local",
            "example.com/main"
        ])
    );
    let mods: BTreeSet<&str> = r.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(
        mods,
        BTreeSet::from(["example.com/a", "example.com/b", "example.com/local"])
    );
    assert_eq!(r.not_needed, ["example.com/t@v1.0.0"]);
    assert!(
        r.full_graph.is_none(),
        "a tidy go 1.21 module is loaded lazily: {:?}",
        r.full_graph
    );
    assert!(
        r.go_mod_files
            .iter()
            .all(|m| !m.starts_with("example.com/t"))
    );
}

#[test]
fn go_not_installed_is_a_blocker() {
    let sb = sandbox();
    let env: Env = &[("PATH", "/nonexistent"), ("GOPROXY", "off")];
    let (r, code) = verdict(sb, env);
    assert_eq!(code, 1);
    assert_eq!(
        r.blockers[0].kind,
        BlockerKind::GoNotInstalled,
        "{:#?}",
        r.blockers
    );
}
