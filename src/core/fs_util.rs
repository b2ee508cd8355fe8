//! Small file-system helpers shared across the core: making sure a new tree starts empty (the
//! demo, the offline bundle) and opening a file to read without ever blocking on it. None of
//! them writes to the module cache.

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

/// What a non-directory, non-regular file is, in words; `None` for a regular file, a directory
/// or a symlink.
pub fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if t.is_file() || t.is_dir() || t.is_symlink() {
        None
    } else if t.is_fifo() {
        Some("named pipe (FIFO)")
    } else if t.is_socket() {
        Some("socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("device file")
    } else {
        Some("special file")
    }
}

/// Opens `path` for reading without blocking, with the metadata of what was opened:
/// `O_NONBLOCK` makes opening a named pipe return at once (it changes nothing for a regular
/// file), and the metadata comes from the open file, so the caller's type check has no window
/// for a swap. Callers refuse anything but a regular file before reading.
pub fn open_nonblocking(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = std::fs::File::options()
        .read(true)
        // Nor does a terminal device opened here become our controlling terminal.
        .custom_flags(nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// Why [`read_regular_file`] refused a file that is not a regular file: its error's text starts
/// with this.
pub const NOT_REGULAR: &str = "not a regular file";

/// The content of `path` if it is a regular file (after symlinks), opened without blocking.
/// Anything else is an `InvalidData` error saying what it is rather than a read: a named pipe
/// would block the read until something writes to it (go itself hangs on a go.sum, `.mod` or
/// `.ziphash` that is a FIFO), a device could be endless.
pub fn read_regular_file(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let (mut file, meta) = open_nonblocking(path)?;
    if !meta.is_file() {
        let kind = special_kind(meta.file_type()).unwrap_or("directory");
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{NOT_REGULAR}: it is a {kind}"),
        ));
    }
    // One more byte than the size, so the read that finds the end needs no reallocation.
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.read_to_end(&mut data)?;
    Ok(data)
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
