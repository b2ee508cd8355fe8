//! A toolchain go switches to that is already in the module cache (issue 16 §3), against the
//! real go: a fake `golang.org/toolchain@v0.0.1-go1.27.3.<GOHOSTOS>-<GOHOSTARCH>` (as in cmd/go's
//! testdata/mod/golang.org_toolchain_*: a `bin/go` script, `bin/gofmt`, `pkg/tool`, `lib`)
//! served from a `file://` proxy with a checksum database that vouches for it (go checks a
//! toolchain against one even when GONOSUMDB matches), fetched once with
//! `GOTOOLCHAIN=go1.27.3 go mod download`; then `GOPROXY=off go build ./...` and
//! `modscope offline` must agree, and each printed fix must work as printed.

use super::sandbox::{go_build, verdict};
use super::support::{GoSandbox, remove};
use super::toolchain_fixture::{TOOLCHAIN, base};
use gomodcache::offline::BlockerKind;

/// The offline environment: GOPROXY=off, the fake checksum database, the given GOTOOLCHAIN.
fn offline_env<'a>(key: &'a str, gotoolchain: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("GOFLAGS", "-modcacherw"),
        ("GOPROXY", "off"),
        ("GOSUMDB", key),
        ("GOTOOLCHAIN", gotoolchain),
    ]
}

/// go and modscope agree; returns the toolchain blocker, if any.
fn agree(
    name: &str,
    sb: &GoSandbox,
    env: &[(&str, &str)],
    want_ok: bool,
) -> Option<gomodcache::offline::Blocker> {
    let (go_ok, go_err) = go_build(sb, env);
    assert_eq!(go_ok, want_ok, "{name}: go build: {go_err}");
    let (r, code) = verdict(sb, env);
    assert_eq!(
        r.ready, go_ok,
        "{name}: modscope ready={} but go build ok={go_ok}\n{go_err}\n{:#?}",
        r.ready, r.blockers
    );
    assert_eq!(code, if go_ok { 0 } else { 1 }, "{name}");
    if go_ok {
        if r.toolchain.selected != "local" {
            assert_eq!(r.toolchain.selected, TOOLCHAIN, "{name}");
            let exe = r.toolchain.selected_exe.as_ref().expect("where go runs it");
            assert!(exe.starts_with(&sb.cache), "{name}: {exe:?}");
        }
        return None;
    }
    let b = r
        .blockers
        .iter()
        .find(|b| b.kind == BlockerKind::ToolchainUnavailable)
        .unwrap_or_else(|| panic!("{name}: no toolchain-unavailable: {:#?}", r.blockers))
        .clone();
    Some(b)
}

/// Runs a fix as printed (with the given environment), then go build and modscope offline
/// must both succeed.
fn fix_works(
    name: &str,
    sb: &GoSandbox,
    fix: &str,
    fix_env: &[(&str, &str)],
    env: &[(&str, &str)],
) {
    let ran = sb
        .command("sh", &["-c", fix], &sb.project)
        .envs(fix_env.iter().copied())
        .output()
        .unwrap();
    assert!(ran.status.success(), "{name}: {fix}: {ran:?}");
    agree(&format!("{name}, after `{fix}`"), sb, env, true);
}

fn set_go_mod(sb: &GoSandbox, text: &str) {
    std::fs::write(sb.project.join("go.mod"), text).unwrap();
}

#[test]
fn a_cached_toolchain_runs_offline() {
    let b = base();
    let key = b.sumdb_key.as_str();
    let sb = b.sb.fork();
    agree(
        "GOTOOLCHAIN=go1.27.3",
        &sb,
        &offline_env(key, TOOLCHAIN),
        true,
    );
    // A minimum with +auto: go1.27.3 is above the go line, so go runs it.
    agree(
        "GOTOOLCHAIN=go1.27.3+auto",
        &sb,
        &offline_env(key, "go1.27.3+auto"),
        true,
    );
    // GOTOOLCHAIN=local never switches: the installed go builds.
    agree("GOTOOLCHAIN=local", &sb, &offline_env(key, "local"), true);
    set_go_mod(
        &sb,
        "module example.com/main\n\ngo 1.22\n\ntoolchain go1.27.3\n",
    );
    agree(
        "GOTOOLCHAIN=auto, toolchain go1.27.3",
        &sb,
        &offline_env(key, "auto"),
        true,
    );
    set_go_mod(&sb, "module example.com/main\n\ngo 1.27.3\n");
    agree(
        "GOTOOLCHAIN=auto, go 1.27.3",
        &sb,
        &offline_env(key, "auto"),
        true,
    );
    // +path only looks in PATH: the cached toolchain is not used.
    let b = agree(
        "GOTOOLCHAIN=local+path, go 1.27.3",
        &sb,
        &offline_env(key, "local+path"),
        false,
    )
    .unwrap();
    assert!(b.message.contains("cannot find"), "{b:?}");
}

#[test]
fn a_toolchain_deleted_from_the_cache_is_unavailable() {
    let b = base();
    let key = b.sumdb_key.as_str();
    let sb = b.sb.fork();
    remove(&b.tree(&sb));
    remove(&sb.cache.join("cache/download/golang.org/toolchain"));
    let env = offline_env(key, TOOLCHAIN);
    let blocker = agree("deleted", &sb, &env, false).unwrap();
    assert!(
        blocker.message.contains("toolchain not available"),
        "{blocker:?}"
    );
    // The fix fetches it again (online: the file:// proxy and its checksum database).
    let online = [("GOSUMDB", key)];
    fix_works(
        "deleted",
        &sb,
        blocker.fix.as_deref().expect("a fix"),
        &online,
        &env,
    );

    set_go_mod(
        &sb,
        "module example.com/main\n\ngo 1.22\n\ntoolchain go1.27.3\n",
    );
    remove(&b.tree(&sb));
    remove(&sb.cache.join("cache/download/golang.org/toolchain"));
    agree(
        "deleted, GOTOOLCHAIN=auto with a toolchain line",
        &sb,
        &offline_env(key, "auto"),
        false,
    );
}

#[test]
fn a_partly_extracted_toolchain_is_extracted_again_from_its_zip() {
    let b = base();
    let key = b.sumdb_key.as_str();
    let env = offline_env(key, TOOLCHAIN);

    // A .partial file (go was killed while extracting) and a file missing from the tree:
    // go removes the tree and extracts the cached zip again, without the network.
    let sb = b.sb.fork();
    std::fs::write(b.download(&sb, "partial"), "").unwrap();
    remove(&b.tree(&sb).join("bin/gofmt"));
    agree("partial, zip cached", &sb, &env, true);
    assert!(!b.download(&sb, "partial").exists(), "go re-extracted it");

    // The same without the zip: go has to download it.
    let sb = b.sb.fork();
    std::fs::write(b.download(&sb, "partial"), "").unwrap();
    remove(&b.download(&sb, "zip"));
    let blocker = agree("partial, zip gone", &sb, &env, false).unwrap();
    assert!(blocker.message.contains("partly extracted"), "{blocker:?}");
    fix_works(
        "partial, zip gone",
        &sb,
        blocker.fix.as_deref().expect("a fix"),
        &[("GOSUMDB", key)],
        &env,
    );

    // Only the zip and its hash (the tree deleted): extracted again.
    let sb = b.sb.fork();
    remove(&b.tree(&sb));
    agree("zip only", &sb, &env, true);

    // A complete-looking tree without bin/go: go stops at `stat bin/go`.
    let sb = b.sb.fork();
    remove(&b.tree(&sb).join("bin/go"));
    let blocker = agree("tree without bin/go", &sb, &env, false).unwrap();
    assert!(blocker.message.contains("bin/go"), "{blocker:?}");
    fix_works(
        "tree without bin/go",
        &sb,
        blocker.fix.as_deref().expect("a fix"),
        &[("GOSUMDB", key)],
        &env,
    );
}

#[test]
fn a_cached_toolchain_needs_the_checksum_database_answer_cached() {
    let b = base();
    let key = b.sumdb_key.as_str();

    // GONOSUMDB does not apply to golang.org/toolchain: with the answer cached it still runs.
    let sb = b.sb.fork();
    let mut env = offline_env(key, TOOLCHAIN);
    env.push(("GONOSUMDB", "golang.org"));
    agree("GONOSUMDB=golang.org", &sb, &env, true);

    // The cached answer gone: go would ask the database over the network.
    let sb = b.sb.fork();
    remove(&sb.cache.join("cache/download/sumdb"));
    let env = offline_env(key, TOOLCHAIN);
    let blocker = agree("checksum database answer not cached", &sb, &env, false).unwrap();
    assert!(blocker.message.contains("checksum database"), "{blocker:?}");
    fix_works(
        "checksum database answer not cached",
        &sb,
        blocker.fix.as_deref().expect("a fix"),
        &[("GOSUMDB", key)],
        &env,
    );

    // GOSUMDB=off in the environment over a good setting in the env file: go refuses the
    // toolchain; the fix is to drop the override.
    let sb = b.sb.fork();
    let env_file = sb.tmp.path().join("goenv");
    std::fs::write(&env_file, format!("GOSUMDB={key}\n")).unwrap();
    let env_file = env_file.display().to_string();
    let env = [
        ("GOFLAGS", "-modcacherw"),
        ("GOPROXY", "off"),
        ("GOSUMDB", "off"),
        ("GOENV", env_file.as_str()),
        ("GOTOOLCHAIN", TOOLCHAIN),
    ];
    let blocker = agree("GOSUMDB=off", &sb, &env, false).unwrap();
    assert!(blocker.message.contains("GOSUMDB=off"), "{blocker:?}");
    assert_eq!(blocker.fix.as_deref(), Some("unset GOSUMDB"));
    // As printed, then the build, in one shell: go builds.
    let ran = sb
        .command(
            "sh",
            &[
                "-c",
                &format!(
                    "{} && go build ./...",
                    blocker.fix.as_deref().unwrap_or_default()
                ),
            ],
            &sb.project,
        )
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(ran.status.success(), "{ran:?}");
    let mut after = sb.command(
        env!("CARGO_BIN_EXE_modscope"),
        &[
            "offline",
            "--json",
            "--modcache",
            &sb.cache.display().to_string(),
        ],
        &sb.project,
    );
    after
        .envs(env.iter().copied().filter(|(k, _)| *k != "GOSUMDB"))
        .env_remove("GOSUMDB");
    let out = after.output().unwrap();
    assert!(out.status.success(), "{out:?}");
}
