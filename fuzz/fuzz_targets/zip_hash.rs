#![no_main]
//! Arbitrary bytes as a module zip: hashing returns a hash or an error, never panics, and never
//! reads past Go's size limit (the hasher's budget).
use libfuzzer_sys::fuzz_target;
use gomodcache::cache::dirhash::hash_zip;
use gomodcache::progress::{CancelFlag, NoProgress};
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let mut f = tempfile_in_memory();
    f.as_file_mut().write_all(data).unwrap();
    if let Ok(h) = hash_zip(f.path(), &CancelFlag::new(), &NoProgress) {
        assert!(h.starts_with("h1:") && h.len() == 47);
    }
});

/// A temp file on tmpfs when available, so the fuzzer is not disk-bound.
fn tempfile_in_memory() -> tempfile::NamedTempFile {
    let dir = if std::path::Path::new("/dev/shm").is_dir() { std::path::PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    tempfile::NamedTempFile::new_in(dir).unwrap()
}
