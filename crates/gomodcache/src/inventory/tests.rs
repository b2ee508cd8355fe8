use super::*;
use std::path::Path;
use std::process::Command;

fn write(p: &Path, data: &[u8]) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

/// `du -s -B1 [--apparent-size] DIR` in bytes.
fn du(dir: &Path, apparent: bool) -> u64 {
    let mut cmd = Command::new("du");
    cmd.args(["-s", "-B1"]);
    if apparent {
        cmd.arg("--apparent-size");
    }
    let out = cmd.arg(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A small cache laid out by hand: two versions of one module (one complete, one only a
/// `.mod`), an upper-case path, a hard link across trees, sumdb, a vcs clone, leftovers and
/// odd entries (a symlink out of the cache, a FIFO).
fn fixture(root: &Path) {
    let dl = root.join("cache/download/example.com/a/@v");
    write(&dl.join("list"), b"v1.0.0\nv1.1.0\n");
    write(&dl.join("v1.0.0.mod"), b"module example.com/a\n");
    write(&dl.join("v1.1.0.mod"), b"module example.com/a\n");
    write(&dl.join("v1.1.0.info"), b"{}");
    write(&dl.join("v1.1.0.zip"), &vec![7u8; 10_000]);
    write(&dl.join("v1.1.0.ziphash"), b"h1:xxxx");
    write(&dl.join("v1.1.0.lock"), b"");
    write(&dl.join("v1.1.0.zip123456.tmp"), &vec![1u8; 5000]);
    write(&dl.join("v0.9.0.partial"), b"");
    write(&dl.join("v0.8.0.lock"), b"");
    write(&root.join("example.com/a@v1.1.0/a.go"), &vec![b'x'; 9000]);
    write(
        &root.join("example.com/a@v1.1.0/sub/b.go"),
        b"package sub\n",
    );
    let up = root.join("cache/download/example.com/!upper/@v");
    write(&up.join("v1.0.0-!r!c1.mod"), b"module example.com/Upper\n");
    write(&up.join("v1.0.0-!r!c1.ziphash"), b"h1:yyyy");
    write(&up.join("v1.0.0-!r!c1.partial"), b"");
    write(
        &root.join("example.com/!upper@v1.0.0-!r!c1/u.go"),
        &vec![b'u'; 5000],
    );
    // The same file in two trees (a deduplicating tool's hard link).
    std::fs::hard_link(
        root.join("example.com/a@v1.1.0/a.go"),
        root.join("example.com/!upper@v1.0.0-!r!c1/same.go"),
    )
    .unwrap();
    write(
        &root.join("cache/download/sumdb/sum.golang.org/lookup/example.com/a@v1.1.0"),
        b"123\n",
    );
    write(
        &root.join("cache/vcs/abc123/HEAD"),
        b"ref: refs/heads/main\n",
    );
    write(
        &root.join("cache/vcs/abc123.info"),
        b"git:https://example.com/a\n",
    );
    write(&root.join("cache/vcs/abc123.lock"), b"");
    write(&root.join("cache/lock"), b"");
    write(&root.join("example.com/b@v1.0.0.tmp-4242/x.go"), b"x");
    std::os::unix::fs::symlink("/etc", root.join("example.com/link")).unwrap();
    nix::unistd::mkfifo(
        &root.join("example.com/pipe"),
        nix::sys::stat::Mode::S_IRWXU,
    )
    .unwrap();
}

#[test]
fn totals_agree_with_du_and_every_file_is_classified() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("modcache");
    fixture(&root);
    let inv = scan(
        &ModuleCache::new(&root),
        &NoScanProgress,
        &CancelFlag::new(),
    );
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.total.disk, du(&root, false));
    assert_eq!(inv.total.apparent, du(&root, true));
    let paths: Vec<&str> = inv.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["example.com/Upper", "example.com/a"]);
    let a = inv.module("example.com/a").unwrap();
    let versions: Vec<&str> = a.versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(
        versions,
        ["v1.0.0", "v1.1.0"],
        "lone .lock and orphan .partial are not versions"
    );
    assert!(a.versions[0].mod_only());
    let v11 = &a.versions[1];
    assert!(v11.tree_complete() && v11.files.zip && v11.files.lock);
    assert_eq!(v11.files.zip_bytes.apparent, 10_000);
    let upper = inv.version("example.com/Upper", "v1.0.0-RC1").unwrap();
    assert!(upper.files.partial && !upper.tree_complete());
    // The hard link is counted once, in the tree that comes first in path order (`!upper`
    // sorts before `a`).
    let tree_u = upper.tree.unwrap().apparent;
    let tree_a = v11.tree.unwrap().apparent;
    let dir = |p: &str| std::fs::symlink_metadata(root.join(p)).unwrap().len();
    assert_eq!(
        tree_a,
        12 + dir("example.com/a@v1.1.0") + dir("example.com/a@v1.1.0/sub")
    );
    assert_eq!(tree_u, 5000 + 9000 + dir("example.com/!upper@v1.0.0-!r!c1"));
    let kinds: Vec<LeftoverKind> = inv.leftovers.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            LeftoverKind::LoneLock,
            LeftoverKind::OrphanPartial,
            LeftoverKind::TempFile,
            LeftoverKind::TempTree
        ]
    );
    assert_eq!(inv.vcs.len(), 1);
    assert_eq!(
        inv.vcs[0].remote.as_deref(),
        Some("git:https://example.com/a")
    );
    assert!(inv.sumdb.apparent > 0);
    // Every byte is somewhere.
    let parts = inv.modules.iter().map(|m| m.total).sum::<Bytes>()
        + inv.sumdb
        + inv.other
        + inv.vcs.iter().map(|c| c.bytes).sum()
        + inv.leftovers.iter().map(|l| l.bytes).sum();
    assert_eq!(parts, inv.total);
}

#[test]
fn unreadable_directories_are_reported_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    if nix::unistd::geteuid().is_root() {
        // root reads everything: the permission cannot fail; the assertion below still runs
        // against a cache with nothing unreadable.
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("modcache");
    fixture(&root);
    let locked = root.join("example.com/a@v1.1.0/sub");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let inv = scan(
        &ModuleCache::new(&root),
        &NoScanProgress,
        &CancelFlag::new(),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let root_user = nix::unistd::geteuid().is_root();
    assert_eq!(
        inv.errors.len(),
        usize::from(!root_user),
        "{:?}",
        inv.errors
    );
    assert!(inv.version("example.com/a", "v1.1.0").is_some());
}

#[test]
fn progress_reports_each_part_and_cancel_stops() {
    struct Count(std::sync::Mutex<Vec<ScannedPart>>);
    impl ScanProgress for Count {
        fn on_part(&self, p: &ScannedPart) {
            self.0.lock().unwrap().push(p.clone());
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("modcache");
    fixture(&root);
    let count = Count(Default::default());
    scan(&ModuleCache::new(&root), &count, &CancelFlag::new());
    let parts = count.0.into_inner().unwrap();
    let trees: Vec<_> = parts
        .iter()
        .filter(|p| p.kind == PartKind::Tree)
        .map(|p| (p.module.clone().unwrap(), p.version.clone().unwrap()))
        .collect();
    assert_eq!(trees.len(), 2, "{trees:?}");
    assert!(trees.contains(&("example.com/a".into(), "v1.1.0".into())));
    let cancel = CancelFlag::new();
    cancel.cancel();
    let inv = scan(&ModuleCache::new(&root), &NoScanProgress, &cancel);
    assert!(inv.cancelled && inv.modules.is_empty());
}
