//! modscope's own new trees and directories: a writer starts from an empty directory (the demo,
//! the offline bundle), and the directories it keeps (memos, tidy backups, quarantine) are real
//! directories owned by the user, never a symlink planted elsewhere.

use std::io;
use std::path::Path;

/// Succeeds when `dir` is absent or empty, so a writer never mixes its files with old ones;
/// otherwise an `AlreadyExists` error naming `dir` and why (`purpose`).
pub fn ensure_empty(dir: &Path, purpose: &str) -> io::Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} is not empty; {purpose}", dir.display()),
            )),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes sure `dir`, one of modscope's own directories (memos, tidy backups), is a real
/// directory owned by this user, creating it (0700) if absent: a directory that is a symlink,
/// or belongs to someone else, could send our writes, and the memo pruning's removals,
/// somewhere else, or feed us another account's memo lines. Refused with a `PermissionDenied`
/// error saying why.
pub fn own_directory(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _};
    if dir.symlink_metadata().is_err() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let meta = dir.symlink_metadata()?;
    let refuse = |why: String| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} {why}; modscope only uses a directory of its own",
                dir.display()
            ),
        ))
    };
    if meta.file_type().is_symlink() {
        return refuse("is a symbolic link".into());
    }
    if !meta.is_dir() {
        return refuse("is not a directory".into());
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me {
        return refuse(format!("belongs to user {} (not {me})", meta.uid()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_directories_are_created_and_links_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let fresh = tmp.path().join("a/b");
        own_directory(&fresh).unwrap();
        assert!(fresh.is_dir());
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&fresh, &link).unwrap();
        let e = own_directory(&link).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("symbolic link"), "{e}");
        let file = tmp.path().join("f");
        std::fs::write(&file, "").unwrap();
        assert!(own_directory(&file).is_err());
    }

    #[test]
    fn absent_and_empty_are_fine_full_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(ensure_empty(&tmp.path().join("nope"), "x").is_ok());
        assert!(ensure_empty(tmp.path(), "x").is_ok());
        std::fs::write(tmp.path().join("f"), "").unwrap();
        let err =
            ensure_empty(tmp.path(), "the demo is only written to a fresh directory").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(
            err.to_string()
                .contains("the demo is only written to a fresh directory")
        );
    }
}
