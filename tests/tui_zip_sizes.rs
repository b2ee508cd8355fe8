//! The inspector's quick scan takes an unchanged module's zip size from its memo without looking
//! at the zip (one `stat` in four fewer before the first frame); the verify pass that follows
//! every scan looks at each zip and replaces the row. A zip rewritten in place, which go never
//! does, must show its real size once that pass is done, and from the next session's first
//! frame on (the pass corrects the memo).

mod support;

#[path = "support/pty.rs"]
mod pty;

use gomodcache::cache::layout::ModuleCache;
use gomodcache::cache::probe_memo::PROBE_MEMO_DIR;
use gomodcache::synth::SynthModule;
use pty::{PtyApp, assert_terminal_restored, inspector};
use std::io::Write as _;
use std::time::{Duration, Instant};
use support::{GoSandbox, alpha, beta};

const WAIT: Duration = Duration::from_secs(30);

const GO_MOD: &str = "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v1.2.0\n)\n";
const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/alpha\"\n\t\"example.com/beta\"\n)\n\nfunc main() { fmt.Println(alpha.A(), beta.B()) }\n";

/// The list row of `path`: `│  ✓ cached   example.com/alpha  v1.0.0  dir  1.2 KiB │`.
fn row(screen: &str, path: &str) -> String {
    screen
        .lines()
        .find(|l| l.starts_with('│') && l.contains(&format!(" {path} ")))
        .unwrap_or_default()
        .to_string()
}

fn quit(mut app: PtyApp) {
    let asked = Instant::now();
    app.send(b"q");
    let (status, _) = app.wait_exit(asked, WAIT);
    assert!(status.success(), "modscope exited with {status:?}");
    assert_terminal_restored(&app);
}

#[test]
fn a_zip_rewritten_in_place_shows_its_real_size_once_verified() {
    let modules: Vec<SynthModule> = vec![alpha(), beta()];
    let sb = GoSandbox::new(&modules);
    sb.write_project(GO_MOD, &[("main.go", MAIN_GO)]);
    sb.go_ok(&["mod", "tidy"]);
    let zip = ModuleCache::new(&sb.cache)
        .files("example.com/alpha", "v1.0.0")
        .unwrap()
        .zip;

    // A first session remembers both modules in the quick-scan memo (under the sandbox's HOME);
    // files changed in the last 2 s are not remembered, and go just wrote them.
    std::thread::sleep(Duration::from_millis(2200));
    let mut app = inspector(&sb.project, &sb.go_env());
    app.wait_until("both cached and verified", WAIT, |s| {
        s.contains("✓ 2 cached")
            && s.lines()
                .any(|l| l.contains("verify 2 modules") && l.contains("done"))
    });
    quit(app);
    let memo_dir = sb.tmp.path().join("home/.cache/modscope");
    assert!(
        std::fs::read_dir(memo_dir.join(PROBE_MEMO_DIR)).is_ok_and(|mut d| d.next().is_some()),
        "the first session left its memo in the sandbox's HOME"
    );

    // alpha's zip grows in place: same inode, same directory, its download directory untouched.
    let download_dir_mtime = |z: &std::path::Path| {
        std::fs::metadata(z.parent().unwrap())
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = download_dir_mtime(&zip);
    std::thread::sleep(Duration::from_millis(20));
    let mut f = std::fs::OpenOptions::new().append(true).open(&zip).unwrap();
    f.write_all(&vec![b'x'; 40 * 1024]).unwrap();
    drop(f);
    assert_eq!(download_dir_mtime(&zip), before);
    // Older than the memos' racy window, as an edit made before a session usually is (a change
    // within it is not remembered, so the line would stay as it was, rightly).
    std::thread::sleep(Duration::from_millis(2200));

    // The second session: once the verify pass is done, alpha shows the grown zip (40 KiB and
    // more). (Its status is not the point: bytes after a zip's end record leave its content,
    // and so its hash, as they were.)
    let mut app = inspector(&sb.project, &sb.go_env());
    app.wait_until(
        "alpha with its real size, after the verify pass",
        WAIT,
        |s| {
            let alpha = row(s, "example.com/alpha");
            alpha.contains(" KiB")
                && alpha
                    .split_whitespace()
                    .rev()
                    .nth(2)
                    .and_then(|n| n.parse::<f64>().ok())
                    .is_some_and(|kib| kib >= 40.0)
                && s.lines()
                    .any(|l| l.contains("verify 2 modules") && l.contains("done"))
        },
    );
    quit(app);

    // The verify pass looked through the memo, checked, and wrote alpha's line anew: the next
    // session's quick scan takes the real size from it.
    let grown = std::fs::metadata(&zip).unwrap().len().to_string();
    let memo = std::fs::read_dir(memo_dir.join(PROBE_MEMO_DIR))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<String>();
    let line = memo
        .lines()
        .find(|l| l.starts_with("example.com/alpha@v1.0.0\t"))
        .unwrap_or_else(|| panic!("no line for alpha in {memo}"));
    assert_eq!(line.split('\t').nth(4), Some(grown.as_str()), "{line}");
}
