//! The go.mod/go.sum backup taken before `go mod tidy`: restore is byte-exact, removes a go.sum
//! that did not exist, every backup gets its own directory; the diff reads like `diff -u`.

use gomodcache::edit::tidy_backup::{
    create_backup, load_backup, mark_finished, restore_backup, unfinished_backup, unified_diff,
};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const GO_MOD: &[u8] = b"module example.com/w\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n";
const GO_SUM: &[u8] = b"example.com/a v1.0.0 h1:AAAA=\nexample.com/a v1.0.0/go.mod h1:BBBB=\n";

fn project(root: &Path, go_sum: bool) -> std::path::PathBuf {
    let dir = root.join("my project");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("go.mod"), GO_MOD).unwrap();
    if go_sum {
        std::fs::write(dir.join("go.sum"), GO_SUM).unwrap();
    }
    dir
}

#[test]
fn restore_puts_back_byte_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), true);
    std::fs::set_permissions(dir.join("go.mod"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let root = tmp.path().join("backups");
    let b = create_backup(&dir, &root).unwrap();
    assert!(b.had_go_sum);
    assert!(b.dir.starts_with(&root));
    assert_eq!(b.project_dir, dir);
    assert_eq!(b.created.len(), "2026-07-01T12:34:56Z".len());
    assert!(b.created.ends_with('Z'));
    assert_eq!(
        load_backup(&b.dir).unwrap(),
        b,
        "the manifest describes the backup"
    );

    std::fs::write(dir.join("go.mod"), "module example.com/w\n\ngo 1.22\n").unwrap();
    std::fs::write(dir.join("go.sum"), "").unwrap();
    restore_backup(&b).unwrap();
    assert_eq!(std::fs::read(dir.join("go.mod")).unwrap(), GO_MOD);
    assert_eq!(std::fs::read(dir.join("go.sum")).unwrap(), GO_SUM);
    let mode = std::fs::metadata(dir.join("go.mod"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o640,
        "the restored file keeps its permissions"
    );
    // No temporary file is left next to them.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // Restoring twice is harmless, and a deleted go.sum comes back too.
    std::fs::remove_file(dir.join("go.sum")).unwrap();
    restore_backup(&b).unwrap();
    assert_eq!(std::fs::read(dir.join("go.sum")).unwrap(), GO_SUM);
}

#[test]
fn restore_removes_a_go_sum_that_did_not_exist_before() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), false);
    let b = create_backup(&dir, &tmp.path().join("backups")).unwrap();
    assert!(!b.had_go_sum);
    assert!(!b.dir.join("go.sum").exists());
    std::fs::write(dir.join("go.sum"), GO_SUM).unwrap();
    std::fs::write(dir.join("go.mod"), "changed").unwrap();
    restore_backup(&b).unwrap();
    assert!(!dir.join("go.sum").exists());
    assert_eq!(std::fs::read(dir.join("go.mod")).unwrap(), GO_MOD);
    restore_backup(&b).unwrap();
}

#[test]
fn backups_in_the_same_second_get_distinct_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), true);
    let root = tmp.path().join("backups");
    let backups: Vec<_> = (0..5)
        .map(|_| create_backup(&dir, &root).unwrap())
        .collect();
    let mut dirs: Vec<_> = backups.iter().map(|b| b.dir.clone()).collect();
    dirs.sort();
    dirs.dedup();
    assert_eq!(dirs.len(), 5);
    for b in &backups {
        let name = b.dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("my_project-20"), "{name}");
        assert_eq!(std::fs::read(b.dir.join("go.mod")).unwrap(), GO_MOD);
        assert_eq!(std::fs::read(b.dir.join("go.sum")).unwrap(), GO_SUM);
    }
}

#[test]
fn a_project_without_go_mod_is_an_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("backups");
    let err = create_backup(tmp.path(), &root).unwrap_err();
    assert!(err.to_string().contains("go.mod"), "{err}");
    assert!(!root.exists());
}

#[test]
fn a_damaged_backup_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), true);
    let b = create_backup(&dir, &tmp.path().join("backups")).unwrap();
    std::fs::remove_file(b.dir.join("go.sum")).unwrap();
    std::fs::write(dir.join("go.mod"), "tidied").unwrap();
    assert!(restore_backup(&b).is_err());
    assert_eq!(std::fs::read(dir.join("go.mod")).unwrap(), b"tidied");
}

/// `diff -u` of the two texts without its two header lines (they carry file times).
fn gnu_diff_body(old: &str, new: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    let out = Command::new("diff")
        .arg("-u")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_inclusive('\n').skip(2).collect()
}

#[test]
fn diffs_match_gnu_diff_u() {
    if Command::new("diff").arg("--version").output().is_err() {
        eprintln!("no diff(1) here; skipping the comparison");
        return;
    }
    let lines = |r: std::ops::Range<u32>| -> String { r.map(|i| format!("line {i}\n")).collect() };
    let sum: String = (0..40)
        .map(|i| format!("example.com/m{i:02} v1.0.0 h1:x=\n"))
        .collect();
    let sum_tidied: String = (0..40)
        .filter(|i| i % 13 != 5)
        .map(|i| format!("example.com/m{i:02} v1.0.0 h1:x=\n"))
        .chain(["example.com/m99 v1.0.0 h1:y=\n".to_string()])
        .collect();
    let cases: Vec<(String, String)> = vec![
        (
            lines(0..10),
            lines(0..10).replace("line 5\n", "line five\n"),
        ),
        (lines(0..10), format!("first\n{}", lines(0..10))),
        (lines(0..10), lines(0..7)),
        (
            lines(0..30),
            lines(0..30)
                .replace("line 2\n", "2\n")
                .replace("line 25\n", ""),
        ),
        (
            lines(0..30),
            lines(0..30)
                .replace("line 10\n", "")
                .replace("line 16\n", "x\n"),
        ),
        (lines(0..5), lines(0..5).trim_end().to_string()),
        ("a\nb".into(), "a\nc".into()),
        (String::new(), lines(0..3)),
        (lines(0..3), String::new()),
        (sum, sum_tidied),
        (
            "module m\n\ngo 1.21\n\nrequire (\n\ta v1\n\tb v1\n)\n".into(),
            "module m\n\ngo 1.22\n\nrequire (\n\ta v1\n\tb v2\n\tc v1 // indirect\n)\n".into(),
        ),
    ];
    for (old, new) in cases {
        let ours = unified_diff(&old, &new, "go.mod.orig", "go.mod");
        let expected = gnu_diff_body(&old, &new);
        assert!(ours.starts_with("--- go.mod.orig\n+++ go.mod\n"));
        assert_eq!(
            &ours["--- go.mod.orig\n+++ go.mod\n".len()..],
            expected,
            "old:\n{old}\nnew:\n{new}"
        );
    }
}

#[test]
fn replacing_one_line_gives_one_hunk_with_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
    assert_eq!(
        unified_diff(old, new, "a/go.mod", "b/go.mod"),
        "--- a/go.mod\n+++ b/go.mod\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
    );
    assert_eq!(unified_diff(old, old, "x", "y"), "");
}

#[test]
fn huge_rewrites_fall_back_to_remove_then_add_quickly() {
    let old: String = (0..3000).map(|i| format!("o{i}\n")).collect();
    let new: String = (0..3000).map(|i| format!("n{i}\n")).collect();
    let t = std::time::Instant::now();
    let d = unified_diff(&old, &new, "a", "b");
    eprintln!("3000×3000 rewrite diffed in {:?}", t.elapsed());
    assert!(d.starts_with("--- a\n+++ b\n@@ -1,3000 +1,3000 @@\n-o0\n"));
    assert_eq!(d.lines().filter(|l| l.starts_with('-')).count(), 3001);
    // A few scattered edits in a large go.sum stay a minimal diff.
    let big: String = (0..20_000)
        .map(|i| format!("example.com/m{i} v1.0.0 h1:x=\n"))
        .collect();
    let edited = big
        .replace("example.com/m777 ", "example.com/m777x ")
        .replace("example.com/m15000 v1.0.0 h1:x=\n", "");
    let d = unified_diff(&big, &edited, "a", "b");
    assert_eq!(
        d.lines()
            .filter(|l| l.starts_with('-') || l.starts_with('+'))
            .count(),
        2 + 3
    );
}

#[test]
fn the_backup_of_a_tidy_that_never_wrote_is_found_from_the_module_or_below() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), true);
    let root = tmp.path().join("backups");
    assert_eq!(unfinished_backup(&dir, &root), None, "no backups at all");
    let b = create_backup(&dir, &root).unwrap();
    // modscope died (or tidy failed, or was cancelled) before go wrote anything.
    assert_eq!(unfinished_backup(&dir, &root), Some(b.clone()));
    std::fs::create_dir_all(dir.join("cmd/tool")).unwrap();
    assert_eq!(
        unfinished_backup(&dir.join("cmd/tool"), &root),
        Some(b.clone())
    );
    // Another project's backup is not this one's.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("go.mod"), GO_MOD).unwrap();
    assert_eq!(unfinished_backup(&other, &root), None);
    // The newest backup counts: a later one that was restored means nothing is pending.
    let later = create_backup(&dir, &root).unwrap();
    assert_eq!(unfinished_backup(&dir, &root), Some(later.clone()));
    restore_backup(&later).unwrap();
    assert!(later.dir.join("restored").is_file());
    assert_eq!(unfinished_backup(&dir, &root), None);
}

#[test]
fn only_a_finished_edit_or_an_undo_leaves_nothing_to_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path(), true);
    let root = tmp.path().join("backups");
    // Tidy rewrote go.sum, then modscope was killed before it saw tidy end: go may have been
    // stopped halfway, so this is still an interrupted edit, whatever the files hold.
    let b = create_backup(&dir, &root).unwrap();
    std::fs::write(dir.join("go.sum"), "example.com/a v1.0.0 h1:CCCC=\n").unwrap();
    assert_eq!(unfinished_backup(&dir, &root), Some(b.clone()));
    // Once its end was seen (success, failure or cancel), nothing is pending.
    mark_finished(&b).unwrap();
    assert_eq!(unfinished_backup(&dir, &root), None);
    // A go.sum created where there was none, and then undone: restored, and marked so.
    let dir2 = project(&tmp.path().join("two"), false);
    let b2 = create_backup(&dir2, &root).unwrap();
    std::fs::write(dir2.join("go.sum"), GO_SUM).unwrap();
    assert_eq!(unfinished_backup(&dir2, &root), Some(b2.clone()));
    restore_backup(&b2).unwrap();
    assert!(!dir2.join("go.sum").exists());
    assert_eq!(unfinished_backup(&dir2, &root), None);
}
