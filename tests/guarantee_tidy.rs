//! Guarantee: tidy is reversible, and a crash in the middle of it leaves the backup on disk and
//! says where. Both drive the real binary in a pseudo-terminal with `t`, `y` and `u`.
//!
//! - With the real `go` (hermetic `file://` proxy): an untidy project (an unused requirement, a
//!   missing go.sum line) is tidied, the files change, `u` puts go.mod and go.sum back byte for
//!   byte with their permission bits.
//! - With a slow fake `go` first on PATH, modscope is SIGKILLed while `go mod tidy` runs: the
//!   screen had already named the backup, which is complete on disk (files and manifest), and the
//!   next start (the inspector and `modscope check`) says where it is.

mod support;

#[path = "support/pty.rs"]
mod pty;

use gomodcache::edit::tidy_backup::load_backup;
use gomodcache::synth::SynthModule;
use pty::{
    KillOnDrop, PtyApp, assert_terminal_restored, inspector, live_processes, read_pid,
    write_fake_go,
};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use support::{GoSandbox, alpha, beta};

const WAIT: Duration = Duration::from_secs(30);
const QUIT_LIMIT: Duration = Duration::from_secs(6);

/// go.mod and go.sum: content and permission bits.
fn files(dir: &Path) -> [(Vec<u8>, u32); 2] {
    ["go.mod", "go.sum"].map(|n| {
        let p = dir.join(n);
        (
            std::fs::read(&p).unwrap(),
            std::fs::metadata(&p).unwrap().permissions().mode(),
        )
    })
}

/// [`files`] for a failure message.
fn describe(f: &[(Vec<u8>, u32); 2]) -> String {
    f.iter()
        .zip(["go.mod", "go.sum"])
        .map(|((data, mode), name)| {
            format!("{name} (mode {mode:o}):\n{}", String::from_utf8_lossy(data))
        })
        .collect()
}

fn set_mode(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A short directory for XDG_CACHE_HOME, so that the backup paths fit on one screen line.
fn cache_home() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("ms")
        .tempdir_in("/tmp")
        .unwrap()
}

fn backup_root(cache_home: &Path) -> PathBuf {
    cache_home.join("modscope/tidy-backups")
}

/// The one backup directory under `root`.
fn only_backup(root: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

fn start(env: &[(String, String)], project: &Path) -> PtyApp {
    inspector(project, env)
}

/// `modscope check` in `project` with `env`: its stderr.
fn check_stderr(env: &[(String, String)], project: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_modscope"))
        .arg("check")
        .current_dir(project)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_default()
        .to_string()
}

/// The task line of `go mod tidy` itself (not of `go mod tidy -diff`).
fn tidy_task_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("go mod tidy") && !l.contains("-diff") && !l.contains("would"))
        .unwrap_or_default()
        .to_string()
}

fn modules() -> Vec<SynthModule> {
    vec![alpha(), beta()]
}

const TIDY_GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire example.com/alpha v1.0.0\n";
const UNTIDY_GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n)\n\nfunc main() { fmt.Println(alpha.A()) }\n";

#[test]
fn tidy_then_undo_puts_go_mod_and_go_sum_back_byte_for_byte() {
    // The real go tidies first (the cache and a complete go.sum), then the project is made
    // untidy: beta required but unused, alpha's h1: line gone from go.sum.
    let sb = GoSandbox::new(&modules());
    sb.write_project(TIDY_GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    sb.go_ok(&["mod", "download", "example.com/beta@v1.2.0"]);
    let go_sum = std::fs::read_to_string(sb.project.join("go.sum")).unwrap();
    let untidy_sum: String = go_sum
        .lines()
        .filter(|l| !(l.starts_with("example.com/alpha v1.0.0 h1:")))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(untidy_sum, go_sum, "go.sum had no h1: line for alpha");
    std::fs::write(sb.project.join("go.mod"), UNTIDY_GO_MOD).unwrap();
    std::fs::write(sb.project.join("go.sum"), &untidy_sum).unwrap();
    set_mode(&sb.project.join("go.mod"), 0o640);
    set_mode(&sb.project.join("go.sum"), 0o600);
    let before = files(&sb.project);

    let xdg = cache_home();
    let memo = tempfile::tempdir().unwrap();
    let mut env = sb.go_env();
    env.extend([
        ("XDG_CACHE_HOME".into(), xdg.path().display().to_string()),
        (
            "MODSCOPE_CACHE_DIR".into(),
            memo.path().display().to_string(),
        ),
    ]);
    let mut app = start(&env, &sb.project);
    app.wait_until("the project scanned and verified", WAIT, |s| {
        s.contains("example.com/beta") && line_with(s, "verify 2 modules").contains("done")
    });

    // t: the diff of what tidy would change; nothing is written yet.
    app.send(b"t");
    app.wait_until("the tidy diff", WAIT, |s| {
        s.contains("go mod tidy would change go.mod / go.sum")
            && s.contains("example.com/beta v1.2.0")
    });
    assert_eq!(
        files(&sb.project),
        before,
        "go mod tidy -diff changed the files"
    );

    // y: backed up, then tidied by the real go.
    app.send(b"y");
    app.wait_until("tidy done", WAIT, |s| {
        tidy_task_line(s).contains("done") && s.contains("tidied; the old go.mod/go.sum are in")
    });
    let backup = only_backup(&backup_root(xdg.path()));
    app.wait_for(
        &format!("tidied; the old go.mod/go.sum are in {}", backup.display()),
        WAIT,
    );
    let after = files(&sb.project);
    let tidied_mod = String::from_utf8_lossy(&after[0].0).into_owned();
    let tidied_sum = String::from_utf8_lossy(&after[1].0).into_owned();
    assert!(
        !tidied_mod.contains("example.com/beta"),
        "tidy did not drop the unused requirement:\n{tidied_mod}"
    );
    assert!(
        tidied_sum.contains("example.com/alpha v1.0.0 h1:"),
        "tidy did not add the missing go.sum line:\n{tidied_sum}"
    );
    // A completed tidy is not reported as unfinished.
    let stderr = check_stderr(&env, &sb.project);
    assert!(!stderr.contains("did not finish"), "{stderr}");

    // u: both files back, byte for byte, with their permission bits.
    app.send(b"u");
    app.wait_for("undone: go.mod and go.sum restored from", WAIT);
    let restored = files(&sb.project);
    assert!(
        restored == before,
        "after undo:\n{}\nbefore tidy:\n{}",
        describe(&restored),
        describe(&before)
    );
    let stderr = check_stderr(&env, &sb.project);
    assert!(!stderr.contains("did not finish"), "{stderr}");

    let asked = Instant::now();
    app.send(b"q");
    let (status, _) = app.wait_exit(asked, QUIT_LIMIT);
    assert!(status.success(), "{status:?}");
    assert_terminal_restored(&app);
    // The backup stays (it is the user's), complete.
    assert_eq!(std::fs::read(backup.join("go.mod")).unwrap(), before[0].0);
    assert_eq!(std::fs::read(backup.join("go.sum")).unwrap(), before[1].0);
}

const CRASH_GO_MOD: &[u8] =
    b"module example.com/crash\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n";
const CRASH_GO_SUM: &[u8] = b"example.com/a v1.0.0 h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=\nexample.com/a v1.0.0/go.mod h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=\n";

/// A fake `go`: `mod tidy -diff` prints a diff and exits 1 (as go does when there are changes);
/// `mod tidy` records its pid and which backups exist when it starts, then sleeps.
fn tidy_fake_go(dir: &Path) {
    write_fake_go(
        dir,
        "case \"$*\" in\n\
         'mod tidy -diff')\n\
           printf -- '--- go.mod\\n+++ go.mod\\n@@ -5 +5 @@\\n-require example.com/a v1.0.0\\n+require example.com/a v1.0.1\\n'\n\
           exit 1 ;;\n\
         'mod tidy')\n\
           ls \"$XDG_CACHE_HOME/modscope/tidy-backups\" > \"$D/backups-at-start\" 2>&1\n\
           echo $$ > \"$D/tidy.pid\"\n\
           echo 'go: tidying (fake, slow)' >&2\n\
           exec \"$D/sleeper\" 300 ;;\n\
         *) echo \"fake go: unexpected arguments: $*\" >&2; exit 2 ;;\n\
         esac\n",
    );
}

#[test]
fn a_crash_during_tidy_leaves_the_backup_and_the_next_start_says_where() {
    let tmp = tempfile::Builder::new()
        .prefix("modscope-crash-")
        .tempdir()
        .unwrap();
    let project = tmp.path().join("project");
    let cache = tmp.path().join("modcache");
    let home = tmp.path().join("home");
    for d in [&project, &cache, &home] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(project.join("go.mod"), CRASH_GO_MOD).unwrap();
    std::fs::write(project.join("go.sum"), CRASH_GO_SUM).unwrap();
    let fake = tempfile::Builder::new()
        .prefix("modscope-tidy-go-")
        .tempdir()
        .unwrap();
    tidy_fake_go(fake.path());
    let marker = fake.path().display().to_string();
    let _cleanup = KillOnDrop(marker.clone());
    let xdg = cache_home();
    let root = backup_root(xdg.path());
    let s = |p: &Path| p.display().to_string();
    let env: Vec<(String, String)> = vec![
        (
            "PATH".into(),
            format!("{marker}:{}", std::env::var("PATH").unwrap_or_default()),
        ),
        ("HOME".into(), s(&home)),
        ("XDG_CACHE_HOME".into(), s(xdg.path())),
        ("MODSCOPE_CACHE_DIR".into(), s(&tmp.path().join("memo"))),
        ("GOMODCACHE".into(), s(&cache)),
        ("GOENV".into(), "off".into()),
        ("GOWORK".into(), "off".into()),
        ("GOFLAGS".into(), "-modcacherw".into()),
        ("GOTOOLCHAIN".into(), "local".into()),
    ];

    let mut app = start(&env, &project);
    let pid = app.pid();
    app.wait_until("the project scanned", WAIT, |s| {
        s.contains("example.com/a") && s.contains("Modules 1/1")
    });
    app.send(b"t");
    app.wait_for("go mod tidy would change go.mod / go.sum", WAIT);
    app.send(b"y");
    // The screen names the backup (the task's own output, and the status bar) ...
    app.wait_until("the backup named in the task pane", WAIT, |s| {
        s.contains(&format!("go.mod and go.sum saved in {}/", root.display()))
    });
    let tidy_pid = read_pid(&fake.path().join("tidy.pid"), WAIT);
    app.wait_until("tidy running", WAIT, |s| {
        tidy_task_line(s).contains("running")
    });
    let backup = only_backup(&root);
    let screen = app.screen();
    assert!(
        screen.contains(&format!("go.mod and go.sum saved in {}", backup.display())),
        "{screen}"
    );
    // ... and the backup was on disk before tidy started.
    let at_start = std::fs::read_to_string(fake.path().join("backups-at-start")).unwrap();
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(at_start.trim(), name, "no backup when go mod tidy started");

    // The crash: nothing can run on SIGKILL.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    let (status, _) = app.wait_exit(Instant::now(), QUIT_LIMIT);
    assert!(!status.success(), "{status:?}");
    // Even this exit, where modscope cleans up nothing, takes the tidy with it: the child
    // carries the parent-death signal.
    let gone_by = Instant::now() + WAIT;
    while !live_processes(|p| p.pid == tidy_pid).is_empty() {
        assert!(
            Instant::now() < gone_by,
            "the tidy outlived a SIGKILLed modscope"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // The backup is complete on disk: both files as they were, and the manifest.
    assert_eq!(std::fs::read(backup.join("go.mod")).unwrap(), CRASH_GO_MOD);
    assert_eq!(std::fs::read(backup.join("go.sum")).unwrap(), CRASH_GO_SUM);
    let manifest = load_backup(&backup).unwrap();
    assert_eq!(
        std::fs::canonicalize(&manifest.project_dir).unwrap(),
        std::fs::canonicalize(&project).unwrap()
    );
    assert!(manifest.had_go_sum);
    assert_eq!(std::fs::read(project.join("go.mod")).unwrap(), CRASH_GO_MOD);
    assert_eq!(std::fs::read(project.join("go.sum")).unwrap(), CRASH_GO_SUM);

    // The next start says where the backup is: the inspector ...
    let mut app = start(&env, &project);
    app.wait_for(
        &format!(
            "a tidy did not finish; backup of go.mod/go.sum: {}",
            backup.display()
        ),
        WAIT,
    );
    let asked = Instant::now();
    app.send(b"q");
    let (status, _) = app.wait_exit(asked, QUIT_LIMIT);
    assert!(status.success(), "{status:?}");
    assert_terminal_restored(&app);
    // ... and `modscope check`.
    let stderr = check_stderr(&env, &project);
    assert!(
        stderr.contains("did not finish") && stderr.contains(&backup.display().to_string()),
        "{stderr}"
    );
}
