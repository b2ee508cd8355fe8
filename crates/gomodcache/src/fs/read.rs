//! The one way every file of the module cache or the project is opened to read: never
//! blocking (a FIFO or a device is refused, not waited on), regular files only, bounded by what
//! go accepts. Nothing here writes.

use std::io;
use std::path::Path;

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
    let file = open_nonblocking_unchecked(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// [`open_nonblocking`] without the `fstat`: for a caller that already knows what it expects to
/// find (a size from a listing) and reads at most one byte more than that, so a file swapped for
/// a FIFO (a read that fails or ends at once) or a device (more bytes than expected) only
/// makes its comparison fail.
pub fn open_nonblocking_unchecked(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::File::options()
        .read(true)
        // Nor does a terminal device opened here become our controlling terminal.
        .custom_flags(nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY)
        .open(path)
}

/// Why [`read_regular_file`] refused a file that is not a regular file: its error's text starts
/// with this.
pub const NOT_REGULAR: &str = "not a regular file";

/// How much of each kind of file is read: what go itself accepts, so that a file go would
/// refuse is reported instead of read without bound (a 1 GB `.ziphash`, a link to /dev/zero).
pub mod limits {
    /// A go.mod (cmd/go's `modfetch` and x/mod/zip `MaxGoMod`).
    pub const GO_MOD: u64 = 16 << 20;
    /// A module zip (x/mod/zip `MaxZipFile`).
    pub const ZIP: u64 = 500 << 20;
    /// A `.ziphash` is one `h1:` line of 47 bytes; anything much larger is not a hash.
    pub const ZIPHASH: u64 = 4 << 10;
    /// go.sum, go.work, vendor/modules.txt, go.env and the like: far beyond any real one.
    pub const TEXT: u64 = 256 << 20;
}

/// Opens `path` to read if it is a regular file (after symlinks) of at most `max` bytes,
/// without blocking: a named pipe would block the read until something writes to it (go
/// itself hangs on a go.sum, `.mod` or `.ziphash` that is a FIFO), a device could be endless.
/// Anything else is an `InvalidData` error saying what it is.
pub fn open_regular(path: &Path, max: u64) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    let (file, meta) = open_nonblocking(path)?;
    if !meta.is_file() {
        let kind = special_kind(meta.file_type()).unwrap_or("directory");
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{NOT_REGULAR}: it is a {kind}"),
        ));
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    Ok((file, meta))
}

fn too_large(len: u64, max: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("too large: {len} bytes, more than the {max} bytes go accepts for such a file"),
    )
}

/// The content of `path` if it is a regular file of at most `max` bytes ([`open_regular`]);
/// the read itself stops at `max` too, should the file grow meanwhile.
pub fn read_regular_file(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let (file, meta) = open_regular(path, max)?;
    // One more byte than the size, so the read that finds the end needs no reallocation.
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.take(max.saturating_add(1)).read_to_end(&mut data)?;
    if data.len() as u64 > max {
        return Err(too_large(data.len() as u64, max));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_bound_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("f");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_regular_file(&f, 5).unwrap(), b"12345");
        let e = read_regular_file(&f, 4).unwrap_err();
        assert!(e.to_string().starts_with("too large: 5 bytes"), "{e}");
        let fifo = tmp.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        let e = read_regular_file(&fifo, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("named pipe"), "{e}");
        let zero = tmp.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let e = open_regular(&zero, limits::ZIP).unwrap_err();
        assert!(e.to_string().contains("device file"), "{e}");
        assert!(read_regular_file(tmp.path(), 10).is_err(), "a directory");
    }
}
