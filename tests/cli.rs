//! The CLI as a user runs it: exit codes, messages, and JSON parsed back into the real types.

use gomodcache::analysis::problems::ProblemKind;
use gomodcache::analysis::report::{CheckMode, Report, SCHEMA_VERSION, Status};
use gomodcache::demo::materialize_demo;
use std::path::Path;
use std::process::{Command, Output};

fn modscope(args: &[&str], dir: &Path) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GOWORK"))
}

/// Runs `cmd` with modscope's own cache directory (its memos) in a temporary directory of its
/// own: never the user's, and not in `dir`, whose files some tests compare before and after.
fn run(cmd: &mut Command) -> Output {
    let memos = tempfile::tempdir().unwrap();
    cmd.env("MODSCOPE_CACHE_DIR", memos.path())
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn report(o: &Output) -> Report {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", text(o)))
}

fn fault_kind(fault: &str) -> ProblemKind {
    match fault {
        "not-in-cache" => ProblemKind::NotInCache,
        "mod-only" => ProblemKind::ModOnly,
        "partial" => ProblemKind::ReExtractionPending,
        "dir-edited" | "dir-edited-no-zip" => ProblemKind::ExtractedFilesModified,
        "zip-rewritten" => ProblemKind::ZipModified,
        "go-sum-tampered" => ProblemKind::GoSumMismatch,
        "go-sum-line-missing" => ProblemKind::GoSumLineMissing,
        "mod-edited" => ProblemKind::GoModMismatch,
        "replace-dir-missing" => ProblemKind::ReplaceDirMissing,
        other => panic!("the demo has a fault this test does not know: {other}"),
    }
}

#[test]
fn demo_json_shows_every_status_and_fault_the_demo_promises() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["check", "--demo", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let r = report(&out);
    assert_eq!(r.schema_version, SCHEMA_VERSION);
    assert_eq!(r.mode, CheckMode::Full);
    assert!(r.modules.len() >= 12, "a dozen modules or more");
    for status in Status::ALL {
        assert!(r.summary.count(status) > 0, "the demo shows {status:?}");
    }
    // The expectations come from a separate materialisation of the same deterministic demo.
    let layout = materialize_demo(&tmp.path().join("again")).unwrap();
    assert_eq!(layout.expectations.len(), r.modules.len());
    for e in &layout.expectations {
        let m = r
            .modules
            .iter()
            .find(|m| m.path == e.path)
            .unwrap_or_else(|| panic!("{} missing", e.path));
        assert_eq!(
            (m.version.as_str(), m.status.as_str()),
            (e.version.as_str(), e.status),
            "{}: {:#?}",
            e.path,
            m.problems
        );
        if e.fault.is_empty() {
            assert!(m.problems.is_empty(), "{}: {:#?}", e.path, m.problems);
        } else {
            assert!(
                m.problems.iter().any(|p| p.kind == fault_kind(e.fault)),
                "{} ({}): {:#?}",
                e.path,
                e.fault,
                m.problems
            );
            assert!(m.fix.is_some());
        }
    }
    assert!(
        r.modules
            .iter()
            .any(|m| m.path.chars().any(|c| c.is_ascii_uppercase()))
    );
    assert!(
        r.modules
            .iter()
            .any(|m| m.version.ends_with("+incompatible"))
    );
    assert!(
        r.modules.windows(2).all(|w| w[0].path < w[1].path),
        "sorted by path"
    );
}

#[test]
fn demo_human_output_groups_by_status_and_quick_mode_skips_rehashing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["check", "--demo", "-v"], tmp.path());
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    for header in ["MISMATCH (", "MISSING (", "REPLACED-LOCAL (", "CACHED ("] {
        assert!(stdout.contains(header), "{header} in\n{stdout}");
    }
    // Without -v only the problems are listed; the summary still counts every status.
    let brief = modscope(&["check", "--demo"], tmp.path());
    let (brief, _) = text(&brief);
    // A healthy module is listed with -v only (a cached one with a note is listed either way).
    assert!(stdout.contains("github.com/BurntSushi/toml"), "{stdout}");
    assert!(!brief.contains("github.com/BurntSushi/toml"), "{brief}");
    assert!(brief.contains("MISMATCH ("), "{brief}");
    assert!(brief.contains(" cached, 2 missing, 6 mismatch"), "{brief}");
    assert!(
        stdout.contains("fix: go mod download github.com/sirupsen/logrus@v1.9.3"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("\x1b["),
        "NO_COLOR and a pipe mean no escape codes"
    );

    let quick = report(&modscope(
        &["check", "--demo", "--json", "--quick"],
        tmp.path(),
    ));
    assert_eq!(quick.mode, CheckMode::Quick);
    let uuid = quick
        .modules
        .iter()
        .find(|m| m.path == "github.com/google/uuid")
        .unwrap();
    assert_eq!(
        uuid.status,
        Status::Cached,
        "an edited tree is only seen by re-hashing"
    );
    assert!(uuid.computed.dir_h1.is_none() && uuid.computed.zip_h1.is_none());
    let yaml = quick
        .modules
        .iter()
        .find(|m| m.path == "gopkg.in/yaml.v3")
        .unwrap();
    assert_eq!(
        yaml.status,
        Status::Mismatch,
        "go.sum vs .ziphash is a recorded-hash check"
    );
}

#[test]
fn the_inspector_refuses_to_start_without_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["--demo"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("needs a terminal"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn no_go_mod_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    // An existing (empty) cache: only the project is wrong.
    let out = modscope(
        &["check", "--modcache", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(stdout.is_empty());
    assert!(stderr.contains("go.mod file not found"), "{stderr}");
}

#[test]
fn malformed_go_mod_names_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b\n)\n").unwrap();
    // An existing (empty) cache: only the project is wrong.
    let out = modscope(
        &["check", "--modcache", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let (_, stderr) = text(&out);
    let expected = format!("{}:7:2: ", tmp.path().join("go.mod").display());
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn a_go_mod_without_module_line_is_refused_like_go_does() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "").unwrap();
    // An existing (empty) cache: only the project is wrong.
    let out = modscope(
        &["check", "--modcache", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("missing module declaration"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn bad_flags_and_directories_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        modscope(&["check", "--no-such-flag"], tmp.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(modscope(&[], tmp.path()).status.code(), Some(2));
    let out = modscope(&["check", "-C", "/definitely/not/here"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("not a directory"));
    assert_eq!(modscope(&["--help"], tmp.path()).status.code(), Some(0));
}

#[test]
fn relative_gomodcache_is_refused_with_gos_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("go.mod"),
        "module example.com/m\n\ngo 1.21\n",
    )
    .unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(["check"])
        .current_dir(tmp.path())
        .env("GOMODCACHE", "relative/cache")
        .env("GOENV", "off"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("GOMODCACHE entry is relative; must be absolute path: \"relative/cache\""),
        "{:?}",
        text(&out)
    );
}

#[test]
fn a_missing_cache_is_reported_and_every_module_still_listed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("go.mod"), "module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.2.0 // indirect\n)\n").unwrap();
    std::fs::write(tmp.path().join("go.sum"), "example.com/a v1.0.0 h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=\nthis line is malformed\n").unwrap();
    // A GOMODCACHE that does not exist yet (nothing downloaded): a finding, not a usage error
    // (a `--modcache` that does not exist is one: tests/cli_bad_input.rs).
    let cache = tmp.path().join("no-cache-here");
    let out = run(Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(["check", "--json"])
        .current_dir(tmp.path())
        .env("GOMODCACHE", &cache)
        .env("GOENV", "off")
        .env_remove("GOWORK"));
    assert_eq!(out.status.code(), Some(1));
    let r = report(&out);
    assert_eq!(r.modules.len(), 2);
    assert!(r.modules.iter().all(|m| m.status == Status::Missing
        && m.problems.iter().any(|p| p.kind == ProblemKind::NotInCache)));
    assert!(r.modules[1].indirect && !r.modules[0].indirect);
    assert!(
        r.file_problems
            .iter()
            .any(|p| p.line == Some(2) && p.message.contains("wrong number of fields")),
        "{:#?}",
        r.file_problems
    );
    assert!(
        r.file_problems
            .iter()
            .any(|p| p.message.contains("module cache directory does not exist"))
    );
    assert!(!cache.exists(), "checking never creates the cache");
}

#[test]
fn parse_prints_go_mod_edit_json_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let gomod = tmp.path().join("go.mod");
    std::fs::write(&gomod, "module example.com/m\n\ngo 1.21\n\nrequire example.com/a v1.0.0 // indirect\n\nreplace example.com/a => ../a\n").unwrap();
    let out = modscope(&["parse", gomod.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Module"]["Path"], "example.com/m");
    assert_eq!(v["Go"], "1.21");
    assert_eq!(v["Require"][0]["Indirect"], true);
    assert_eq!(v["Replace"][0]["New"]["Path"], "../a");
}

/// Every file under `root` with its size, permissions and content, to prove nothing changed.
fn snapshot(root: &Path) -> Vec<(String, u64, u32, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let content = if m.is_file() {
                std::fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            out.push((
                p.display().to_string(),
                m.len(),
                m.permissions().mode(),
                content,
            ));
            if m.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn checking_never_changes_the_cache_or_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(tmp.path()).unwrap();
    let before = snapshot(tmp.path());
    for extra in [&[][..], &["--quick"][..], &["--json"][..]] {
        let mut args = vec![
            "check",
            "-C",
            layout.project_dir.to_str().unwrap(),
            "--modcache",
            layout.gomodcache.to_str().unwrap(),
        ];
        args.extend(extra);
        let out = modscope(&args, tmp.path());
        assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    }
    assert!(before.len() > 100);
    assert!(
        before == snapshot(tmp.path()),
        "check wrote to the cache or the project"
    );
}

/// `modscope -C DIR check` runs as if started in DIR, as `go -C DIR` does: the leading -C is
/// the subcommand's, and its relative paths (here --modcache) start at DIR.
#[test]
fn a_dash_c_before_the_subcommand_is_the_subcommands() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = materialize_demo(&tmp.path().join("demo")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let project = layout.project_dir.to_str().unwrap();
    let cache = layout.gomodcache.to_str().unwrap();
    let after = modscope(
        &[
            "check",
            "--quick",
            "--json",
            "-C",
            project,
            "--modcache",
            cache,
        ],
        elsewhere.path(),
    );
    let before = modscope(
        &[
            "-C",
            project,
            "check",
            "--quick",
            "--json",
            "--modcache",
            "../gomodcache",
        ],
        elsewhere.path(),
    );
    assert_eq!(before.status.code(), Some(1), "{:?}", text(&before));
    let (a, b) = (report(&after), report(&before));
    assert!(!b.modules.is_empty());
    assert_eq!(
        a.modules
            .iter()
            .map(|m| (&m.path, m.status))
            .collect::<Vec<_>>(),
        b.modules
            .iter()
            .map(|m| (&m.path, m.status))
            .collect::<Vec<_>>()
    );
    // graph takes it too (it read the demo's go.mod, not the empty directory's).
    let graph = modscope(
        &["-C", project, "graph", "--json", "--modcache", cache],
        elsewhere.path(),
    );
    let (out, err) = text(&graph);
    assert!(out.contains("github.com/acme/inventory"), "{out}{err}");
}

/// `why` in words: a one-line headline, then the requirers (capped), not one long sentence.
#[test]
fn why_starts_with_a_headline_then_lists_requirers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = modscope(&["why", "--demo", "github.com/mattn/go-isatty"], tmp.path());
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let first = stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "github.com/mattn/go-isatty: selected v0.0.20: required at that version by 3 modules, including the main module"
    );
    assert!(
        stdout.contains("required by:\n  github.com/acme/inventory requires v0.0.20  ← selected"),
        "{stdout}"
    );
}
