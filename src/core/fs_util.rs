//! Small file-system helpers shared by the parts of the core that write new trees (the demo,
//! the offline bundle). They never touch the module cache.

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

#[cfg(test)]
mod tests {
    use super::*;

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
