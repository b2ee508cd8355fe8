//! The main module's `go` line below what a module it loads packages from declares (issue 16
//! §4). Since Go 1.21 a go.mod's `go` line at 1.21 or above is a requirement on the module
//! `go` (modload `rawGoModSummary`), so a dependency saying `go 1.26.0` raises the selected
//! `go` above the main module's `go 1.22`; in readonly mode go will not rewrite go.mod and
//! stops with "updates to go.mod needed". The real go is the oracle, and the printed fix is
//! run as printed.

use super::sandbox::{MODMOD, READONLY, go_build, verdict};
use super::support::{GoSandbox, module};
use gomodcache::offline::BlockerKind;

/// Where the dependency `example.com/d` comes from.
enum Dep {
    /// `example.com/d v1.0.0` from the proxy, its go.mod saying `go <line>`.
    Proxy(&'static str),
    /// `replace example.com/d => ./d`, whose go.mod says `go <line>`.
    LocalDir(&'static str),
}

struct Case {
    name: &'static str,
    main_go: &'static str,
    /// A `toolchain` line in the main go.mod.
    main_toolchain: Option<&'static str>,
    dep: Dep,
    /// go build fails with "updates to go.mod needed".
    needs_update: bool,
}

const MAIN_GO: &str =
    "package main\n\nimport \"example.com/d\"\n\nfunc main() { println(d.D()) }\n";
const D_GO: &str = "package d\n\nfunc D() int { return 1 }\n";

/// A project requiring `example.com/d v1.0.0`, every module in the cache and go.sum complete.
fn project(c: &Case) -> GoSandbox {
    let proxy_go = match c.dep {
        Dep::Proxy(g) => g,
        Dep::LocalDir(_) => "1.17",
    };
    let d = module(
        "example.com/d",
        "v1.0.0",
        Some(proxy_go),
        &[],
        "func D() int { return 1 }",
    );
    let sb = GoSandbox::new(std::slice::from_ref(&d));
    // go creates the cache on first use; a project whose only dependency is local never does.
    std::fs::create_dir_all(&sb.cache).unwrap();
    let mut go_mod = format!("module example.com/main\n\ngo {}\n", c.main_go);
    if let Some(t) = c.main_toolchain {
        go_mod.push_str(&format!("\ntoolchain {t}\n"));
    }
    go_mod.push_str("\nrequire example.com/d v1.0.0\n");
    let mut files = vec![("main.go", MAIN_GO.to_string())];
    if let Dep::LocalDir(g) = c.dep {
        go_mod.push_str("\nreplace example.com/d => ./d\n");
        files.push(("d/go.mod", format!("module example.com/d\n\ngo {g}\n")));
        files.push(("d/d.go", D_GO.to_string()));
    } else {
        std::fs::write(sb.project.join("go.sum"), d.go_sum_lines()).unwrap();
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, b)| (*n, b.as_str())).collect();
    sb.write_project(&go_mod, &files);
    if let Dep::Proxy(_) = c.dep {
        sb.go_ok(&["mod", "download", "example.com/d"]);
        // go mod download may have raised the go line itself (it does for go 1.16): put the
        // case's go.mod back.
        sb.write_project(&go_mod, &[]);
    }
    sb
}

fn check(c: &Case) {
    let sb = project(c);
    let (go_ok, go_err) = go_build(&sb, READONLY);
    assert_eq!(
        go_ok, !c.needs_update,
        "{}: the oracle disagrees with the case: {go_err}",
        c.name
    );
    if c.needs_update {
        assert!(
            go_err.contains("updates to go.mod needed"),
            "{}: {go_err}",
            c.name
        );
    }
    let (r, code) = verdict(&sb, READONLY);
    assert_eq!(
        r.ready, go_ok,
        "{}: modscope ready={} but go build ok={go_ok}\n{go_err}\n{:#?}",
        c.name, r.ready, r.blockers
    );
    assert_eq!(code, if go_ok { 0 } else { 1 });
    if !c.needs_update {
        return;
    }
    // With -mod=mod go raises the go line itself and builds (on a copy: it rewrites go.mod).
    let copy = sb.fork();
    let (r_mod, _) = verdict(&copy, MODMOD);
    let (go_ok_mod, go_err_mod) = go_build(&copy, MODMOD);
    assert!(go_ok_mod, "{} (-mod=mod): {go_err_mod}", c.name);
    assert!(r_mod.ready, "{} (-mod=mod): {:#?}", c.name, r_mod.blockers);
    let b = r
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::GoModNeedsUpdate)
        .unwrap_or_else(|| panic!("{}: no go-mod-needs-update: {:#?}", c.name, r.blockers));
    assert!(b.message.contains("go.mod"), "{b:?}");
    // The fix works as printed, offline: afterwards go builds and modscope agrees.
    let ran = sb
        .command("sh", &["-c", b.fix.as_deref().expect("a fix")], &sb.project)
        .envs(READONLY.iter().copied())
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}: {}: {ran:?}",
        c.name,
        b.fix.as_deref().unwrap_or_default()
    );
    let (go_ok, go_err) = go_build(&sb, READONLY);
    assert!(
        go_ok,
        "{}: after `{}`: {go_err}",
        c.name,
        b.fix.as_deref().unwrap_or_default()
    );
    let (r, code) = verdict(&sb, READONLY);
    assert!(r.ready && code == 0, "{}: {:#?}", c.name, r.blockers);
}

#[test]
fn dependency_with_a_higher_go_line_needs_a_go_mod_update() {
    check(&Case {
        name: "dependency go 1.26.0 under main go 1.22",
        main_toolchain: None,
        main_go: "1.22",
        dep: Dep::Proxy("1.26.0"),
        needs_update: true,
    });
}

#[test]
fn local_replacement_with_a_higher_go_line_needs_a_go_mod_update() {
    check(&Case {
        name: "local replacement go 1.26.0 under main go 1.22",
        main_toolchain: None,
        main_go: "1.22",
        dep: Dep::LocalDir("1.26.0"),
        needs_update: true,
    });
}

#[test]
fn local_replacement_with_a_newer_patch_release_needs_a_go_mod_update() {
    check(&Case {
        name: "local replacement go 1.26.8 under main go 1.26.0",
        main_toolchain: None,
        main_go: "1.26.0",
        dep: Dep::LocalDir("1.26.8"),
        needs_update: true,
    });
}

#[test]
fn a_release_above_its_language_version_needs_a_go_mod_update() {
    // gover: 1.22 < 1.22.0, so even the first release of the same language version raises it.
    check(&Case {
        name: "dependency go 1.22.0 under main go 1.22",
        main_toolchain: None,
        main_go: "1.22",
        dep: Dep::Proxy("1.22.0"),
        needs_update: true,
    });
}

#[test]
fn an_unpruned_main_module_compares_every_go_line_of_the_graph() {
    check(&Case {
        name: "dependency go 1.21 under main go 1.16",
        main_toolchain: None,
        main_go: "1.16",
        dep: Dep::Proxy("1.21"),
        needs_update: true,
    });
}

#[test]
fn a_toolchain_line_below_the_raised_go_line_does_not_get_in_the_way_of_the_fix() {
    check(&Case {
        name: "dependency go 1.26.0 under main go 1.22, toolchain go1.22.1",
        main_go: "1.22",
        main_toolchain: Some("go1.22.1"),
        dep: Dep::Proxy("1.26.0"),
        needs_update: true,
    });
}

#[test]
fn go_lines_at_or_below_the_main_module_build_fine() {
    for c in [
        Case {
            name: "dependency go 1.21 under main go 1.22",
            main_toolchain: None,
            main_go: "1.22",
            dep: Dep::Proxy("1.21"),
            needs_update: false,
        },
        Case {
            name: "local replacement go 1.26.0 under main go 1.26.0",
            main_toolchain: None,
            main_go: "1.26.0",
            dep: Dep::LocalDir("1.26.0"),
            needs_update: false,
        },
        // Below 1.21 a go line is not a requirement on `go` (gover.GoStrictVersion).
        Case {
            name: "local replacement go 1.20 under main go 1.19",
            main_toolchain: None,
            main_go: "1.19",
            dep: Dep::LocalDir("1.20"),
            needs_update: false,
        },
    ] {
        check(&c);
    }
}
