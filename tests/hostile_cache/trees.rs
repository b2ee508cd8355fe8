//! Names and entries of extracted trees: non-UTF-8 names, symlinks, loops, pipes, unreadable files and directories; and download files (.mod, .ziphash) that are pipes or devices.

use super::*;

#[test]
fn non_utf8_names_in_the_zip_and_in_the_extracted_tree() {
    let base = sandbox();
    let sb = base.fork();
    let mut name = prefix().into_bytes();
    name.extend(b"\xff\xfe.go");
    let zip = rewrite_zip(&sb, vec![Entry::stored(name, "package delta\n")]);
    let zip_s = zip.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        problem(
            m,
            "corrupt-zip",
            &[
                &zip_s,
                "zip entry name is not valid UTF-8",
                "\u{fffd}\u{fffd}.go",
            ],
        );
        assert_others_cached(run.report(), HOSTILE);
    });

    // A file go never extracted, named with bytes that are not UTF-8 (Linux allows any).
    let sb = base.fork();
    let dir = files(&sb, HOSTILE).dir;
    let odd =
        dir.join(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"\xff\xfe.go"));
    std::fs::write(&odd, "package delta\n").unwrap();
    let dir_s = dir.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        problem(
            m,
            "extracted-files-modified",
            &[
                &dir_s,
                "were changed after extraction",
                "\u{fffd}\u{fffd}.go (its name is not valid UTF-8)",
            ],
        );
        assert_eq!(m.status, Status::Mismatch);
        assert_others_cached(run.report(), HOSTILE);
    });
    assert!(go_verify(&sb).contains("dir has been modified"));
}

/// go's dirhash walks with `filepath.WalkDir`, which does not follow symlinks, and opens every
/// non-directory entry: `go mod verify` accepts a symlink to an identical file and fails on a
/// loop ("too many levels of symbolic links"), a link to a directory ("is a directory") and a
/// dangling link; on a named pipe it blocks forever. modscope agrees on each verdict, and never
/// blocks.
#[test]
fn symlinks_loops_and_pipes_in_an_extracted_tree() {
    let base = sandbox();

    // A symlink to an identical file outside the tree: go says verified, and so do we.
    let sb = base.fork();
    let f = files(&sb, HOSTILE);
    let go_file = f.dir.join("delta.go");
    let outside = sb.tmp.path().join("delta-copy.go");
    std::fs::copy(&go_file, &outside).unwrap();
    remove(&go_file);
    std::os::unix::fs::symlink(&outside, &go_file).unwrap();
    both_modes(&sb, &[], 0, |run| assert_others_cached(run.report(), ""));
    assert!(go_verify(&sb).contains("all modules verified"));

    type Plant = fn(&Path, &Path);
    let cases: [(&str, Plant, &str, Option<&str>); 4] = [
        (
            "loop",
            |_, link| {
                let other = link.with_file_name("loop2");
                std::os::unix::fs::symlink(&other, link).unwrap();
                std::os::unix::fs::symlink(link, &other).unwrap();
            },
            "is a symbolic link loop",
            Some("too many levels of symbolic links"),
        ),
        (
            "link to a directory",
            |tmp, link| std::os::unix::fs::symlink(tmp, link).unwrap(),
            "is a directory reached through a symlink",
            Some("is a directory"),
        ),
        (
            "dangling link",
            |tmp, link| std::os::unix::fs::symlink(tmp.join("nothing"), link).unwrap(),
            "is a symbolic link to nothing",
            Some("no such file or directory"),
        ),
        (
            "named pipe",
            |_, at| mkfifo(at),
            "is a named pipe (FIFO), not a regular file",
            None, // go mod verify blocks on it forever: not run
        ),
    ];
    for (what, plant, cause, go_says) in cases {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let at = f.dir.join("delta.go");
        remove(&at);
        plant(sb.tmp.path(), &at);
        let at_s = at.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "extracted-files-modified", &[&at_s, cause]);
            assert_eq!(m.status, Status::Mismatch, "{what}: {msg}");
            assert_others_cached(r, HOSTILE);
        });
        if let Some(go_says) = go_says {
            let v = go_verify(&sb);
            assert!(v.contains(go_says), "{what}: go mod verify said {v}");
        }
    }
}

/// Permission denied (EACCES) on a file, a directory, the zip and the download directory; and
/// a path component that is a regular file (ENOTDIR), which needs no privileges to arrange.
/// As root, chmod 000 does not deny anything: modscope then runs under `setpriv` without
/// CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, after proving that this makes a mode-000 file
/// unreadable; if it cannot, the EACCES half says so and only it is skipped.
#[test]
fn unreadable_files_and_directories() {
    let base = sandbox();

    // ENOTDIR: the download directory of the module replaced by a regular file.
    let sb = base.fork();
    let f = files(&sb, HOSTILE);
    remove(&f.download_dir);
    std::fs::write(&f.download_dir, "not a directory").unwrap();
    let dl = f.download_dir.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let r = run.report();
        let m = find(r, HOSTILE);
        problem(
            m,
            "unreadable",
            &[&format!("cannot list {dl}"), "Not a directory"],
        );
        assert_eq!(m.status, Status::Missing);
        assert!(
            !m.problems
                .iter()
                .any(|p| p.kind.as_str() == "missing-mod-file"),
            "nothing is claimed missing that could not be looked at: {m:#?}"
        );
        assert_others_cached(r, HOSTILE);
    });

    let probe = base.tmp.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    chmod(&probe, 0o000);
    let wrap = match permission_wrapper(&probe) {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIPPED the EACCES assertions of this test: {why}");
            return;
        }
    };
    type Target = fn(&ModuleFiles) -> PathBuf;
    let cases: [(&str, Target, &str); 4] = [
        (
            "an extracted file",
            |f| f.dir.join("delta.go"),
            "cannot hash the extracted files",
        ),
        (
            "the extracted directory",
            |f| f.dir.clone(),
            "cannot hash the extracted files",
        ),
        ("the zip", |f| f.zip.clone(), "cannot read the cached zip"),
        (
            "the download directory",
            |f| f.download_dir.clone(),
            "cannot list",
        ),
    ];
    for (what, target, words) in cases {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let path = target(&f);
        chmod(&path, 0o000);
        let path_s = path.display().to_string();
        both_modes(&sb, &wrap, 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "unreadable", &[words, &path_s, "Permission denied"]);
            assert_eq!(m.status, Status::Missing, "{what}: {msg}");
            assert_others_cached(r, HOSTILE);
        });
        chmod(&path, 0o755);
    }
}

/// A `.mod` or `.ziphash` that is a named pipe (go blocks on it forever) or a link to a device
/// (a read that never ends): both checks finish, say what it is, and give the command that
/// evicts and downloads the module again; the other modules are unaffected.
#[test]
fn download_files_that_are_pipes_or_devices() {
    let base = sandbox();
    type Plant = fn(&Path);
    let pipe: Plant = mkfifo;
    let device: Plant = |at| std::os::unix::fs::symlink("/dev/zero", at).unwrap();
    for (which, kind, plant) in [
        ("mod", "named pipe (FIFO)", pipe),
        ("ziphash", "named pipe (FIFO)", pipe),
        ("mod", "device file", device),
        ("ziphash", "device file", device),
        ("zip", "named pipe (FIFO)", pipe),
        ("zip", "device file", device),
    ] {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let at = match which {
            "mod" => f.go_mod,
            "ziphash" => f.ziphash,
            _ => f.zip,
        };
        remove(&at);
        plant(&at);
        let at_s = at.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "unreadable", &[&at_s, "not a regular file", kind]);
            let unreadable = m.problems.iter().find(|p| p.kind.as_str() == "unreadable");
            let fix = unreadable
                .and_then(|p| p.fix.as_deref())
                .unwrap_or_default();
            assert!(
                fix.contains("rm -rf") && fix.contains("go mod download"),
                ".{which} {kind}: {msg}: fix {fix}"
            );
            assert_others_cached(r, HOSTILE);
        });
    }
}

/// A 1 GB `.ziphash` (sparse): go reads it whole; we read at most a few KiB, say it is not a
/// hash, and never echo it.
#[test]
fn a_huge_ziphash_is_not_read_whole() {
    let sb = sandbox();
    let f = files(&sb, HOSTILE);
    support::make_writable(&f.ziphash);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&f.ziphash)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let at_s = f.ziphash.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        assert!(
            run.stdout.len() < 1 << 20,
            "{} bytes of output",
            run.stdout.len()
        );
        let m = find(run.report(), HOSTILE);
        problem(m, "unreadable", &[&at_s, "too large: 1073741824 bytes"]);
        assert_others_cached(run.report(), HOSTILE);
    });
}

fn mkfifo(at: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(at)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", at.display());
}
