//! Hashing a zip and its tree together gives exactly what hashing them apart gives: the tree's
//! h1, bytes and errors are those of [`hash_dir`] whatever the tree holds, and only files whose
//! bytes equal their entry's take the entry's digest.

use super::super::zipfile::{IN_MEMORY_ZIP, hash_zip_with_limit};
use super::super::{hash_dir, list_tree};
use super::*;
use crate::progress::NoProgress;
use crate::synth::raw_zip::{Entry, zip_bytes};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

const MODULE: &str = "example.com/paired@v1.0.0";

/// Counts the bytes reported as hashed.
#[derive(Default)]
struct Bytes(AtomicU64);
impl HashProgress for Bytes {
    fn on_bytes(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

/// More files than a parallel group (so entries and files are split across threads), of
/// sizes from empty to several read buffers.
fn files() -> Vec<(String, Vec<u8>)> {
    (0..60)
        .map(|i| {
            let dir = ["", "a/", "a/b/", "c/"][i % 4];
            let len = [0, 1, 100, 5000, 300_000, 700_000][i % 6];
            let body: Vec<u8> = (0..len).map(|j| (j * 7 + i) as u8).collect();
            (format!("{dir}f{i:03}.go"), body)
        })
        .collect()
}

/// Writes `files` as the tree `dir`.
fn write_tree(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, data) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
}

/// What hashing apart gives: (zip h1 and bytes, tree h1 and bytes, bytes reported).
type Apart = (
    Result<(String, u64), String>,
    Result<(String, u64), String>,
    u64,
);

fn apart(zip: &Path, dir: &Path, in_memory: u64) -> Apart {
    let (cancel, bytes) = (CancelFlag::new(), Bytes::default());
    let z = hash_zip_with_limit(zip, in_memory, Some(MODULE), None, &cancel, &bytes);
    let d = list_tree(dir, false, &cancel)
        .and_then(|files| super::super::hash_tree_files(dir, &files, MODULE, &cancel, &bytes));
    let d2 = hash_dir(dir, MODULE, &cancel, &NoProgress);
    assert_eq!(
        d.as_ref().map(|r| r.0.clone()).map_err(|e| e.to_string()),
        d2.map_err(|e| e.to_string())
    );
    (
        z.map_err(|e| e.to_string()),
        d.map_err(|e| e.to_string()),
        bytes.0.into_inner(),
    )
}

/// Hashing together: the same three, and how many tree files took their entry's digest. The
/// tree is listed with each file's metadata, as a full check lists it (see [`together_as`]).
fn together(zip: &Path, dir: &Path, in_memory: u64) -> (Apart, usize) {
    together_as(zip, dir, in_memory, true)
}

/// [`together`], the tree listed with its files' metadata (`with_meta`, which lets a file of
/// another size be told apart without opening it) or without.
fn together_as(zip: &Path, dir: &Path, in_memory: u64, with_meta: bool) -> (Apart, usize) {
    let files = list_tree(dir, with_meta, &CancelFlag::new()).unwrap();
    together_listed(zip, dir, in_memory, &files)
}

/// [`together`] with the tree listed already as `files`.
fn together_listed(zip: &Path, dir: &Path, in_memory: u64, files: &[TreeFile]) -> (Apart, usize) {
    let (cancel, bytes) = (CancelFlag::new(), Bytes::default());
    let matched = TreeMatch::new(files, MODULE);
    let z = hash_zip_with_limit(
        zip,
        in_memory,
        Some(MODULE),
        Some(&matched),
        &cancel,
        &bytes,
    );
    let d = hash_matched_tree(dir, &matched, MODULE, &cancel, &bytes);
    let found = (0..files.len())
        .filter(|&i| matched.found(i).is_some())
        .count();
    let result = (
        z.map_err(|e| e.to_string()),
        d.map_err(|e| e.to_string()),
        bytes.0.into_inner(),
    );
    (result, found)
}

/// Writes the zip of `files` and the tree `tree_files`; checks that together equals apart
/// (whole zip and entry by entry) and returns how many files took their entry's digest.
fn check(zip_files: &[(String, Vec<u8>)], tree_files: &[(String, Vec<u8>)]) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    std::fs::write(&zip, crate::synth::zip_of(&format!("{MODULE}/"), zip_files)).unwrap();
    let dir = tmp.path().join("tree");
    std::fs::create_dir(&dir).unwrap();
    write_tree(&dir, tree_files);
    let mut found = Vec::new();
    for in_memory in [IN_MEMORY_ZIP, 0] {
        for with_meta in [true, false] {
            let (got, n) = together_as(&zip, &dir, in_memory, with_meta);
            let why = format!("in_memory {in_memory}, with_meta {with_meta}");
            assert_eq!(got, apart(&zip, &dir, in_memory), "{why}");
            found.push(n);
        }
    }
    assert!(found.iter().all(|&n| n == found[0]), "{found:?}");
    found[0]
}

#[test]
fn an_intact_tree_takes_every_digest_from_the_zip() {
    let files = files();
    assert_eq!(check(&files, &files), files.len());
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    std::fs::write(&zip, crate::synth::zip_of(&format!("{MODULE}/"), &files)).unwrap();
    write_tree(tmp.path().join("t").as_path(), &files);
    let ((z, d, _), _) = together(&zip, &tmp.path().join("t"), IN_MEMORY_ZIP);
    // The same names and bytes: the tree hashes to the zip's h1, as go's `go mod verify` expects.
    assert_eq!(z.unwrap(), d.unwrap());
}

#[test]
fn a_file_differing_by_one_byte_of_the_same_length_is_hashed_from_its_own_bytes() {
    let files = files();
    for i in [3, 4, 5] {
        let mut tree = files.clone();
        let last = tree[i].1.len() - 1;
        tree[i].1[last] ^= 1;
        assert_eq!(check(&files, &tree), files.len() - 1, "file {i}");
        let mut tree = files.clone();
        tree[i].1[0] ^= 0x80;
        assert_eq!(check(&files, &tree), files.len() - 1, "file {i}");
    }
}

#[test]
fn longer_shorter_extra_and_missing_files_are_hashed_as_go_does() {
    let files = files();
    let mut tree = files.clone();
    tree[3].1.push(b'x');
    tree[4].1.pop();
    tree[5].1.clear();
    tree.push(("extra.go".into(), b"package extra\n".to_vec()));
    tree.remove(7);
    // Of the tree's files (one missing, one extra: as many as the zip's), three differ from
    // their entry and one has none.
    assert_eq!(tree.len(), files.len());
    assert_eq!(check(&files, &tree), tree.len() - 4);
}

#[cfg(unix)]
#[test]
fn a_symlink_with_the_entry_s_bytes_is_read_through_as_go_reads_it() {
    let files = files();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    std::fs::write(&zip, crate::synth::zip_of(&format!("{MODULE}/"), &files)).unwrap();
    let dir = tmp.path().join("tree");
    write_tree(&dir, &files);
    let (name, data) = &files[4];
    std::fs::write(tmp.path().join("outside"), data).unwrap();
    std::fs::remove_file(dir.join(name)).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside"), dir.join(name)).unwrap();
    let (got, n) = together(&zip, &dir, IN_MEMORY_ZIP);
    assert_eq!(got, apart(&zip, &dir, IN_MEMORY_ZIP));
    assert_eq!(n, files.len());
    // A symlink to a directory stays the error it is on its own.
    std::fs::remove_file(dir.join(name)).unwrap();
    std::os::unix::fs::symlink(tmp.path(), dir.join(name)).unwrap();
    let cancel = CancelFlag::new();
    assert!(matches!(
        list_tree(&dir, false, &cancel),
        Err(HashError::SymlinkToDirectory { .. })
    ));
}

#[test]
fn stored_entries_are_compared_too_and_corrupt_entries_leave_the_tree_alone() {
    let files = files();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    let mut entries: Vec<Entry> = files
        .iter()
        .map(|(n, d)| Entry::stored(format!("{MODULE}/{n}"), d.clone()))
        .collect();
    std::fs::write(&zip, zip_bytes(&entries)).unwrap();
    let dir = tmp.path().join("tree");
    write_tree(&dir, &files);
    let (got, n) = together(&zip, &dir, IN_MEMORY_ZIP);
    assert_eq!(got, apart(&zip, &dir, IN_MEMORY_ZIP));
    assert_eq!(n, files.len());
    // A wrong CRC: the zip is corrupt, the tree is still hashed exactly as on its own.
    entries[5].crc ^= 1;
    std::fs::write(&zip, zip_bytes(&entries)).unwrap();
    let (got, _) = together(&zip, &dir, IN_MEMORY_ZIP);
    let expected = apart(&zip, &dir, IN_MEMORY_ZIP);
    assert!(got.0.as_ref().unwrap_err().contains("CRC-32"), "{got:?}");
    assert_eq!((&got.0, &got.1), (&expected.0, &expected.1));
}

/// The zip of `files` and its intact tree, listed with metadata as a full check lists it (the
/// tests then change the tree before hashing): (its directory, the zip, the tree, the listing).
fn listed_before_a_change(
    files: &[(String, Vec<u8>)],
) -> (tempfile::TempDir, PathBuf, PathBuf, Vec<TreeFile>) {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    std::fs::write(&zip, crate::synth::zip_of(&format!("{MODULE}/"), files)).unwrap();
    let dir = tmp.path().join("tree");
    write_tree(&dir, files);
    let listed = list_tree(&dir, true, &CancelFlag::new()).unwrap();
    (tmp, zip, dir, listed)
}

/// A full check lists the tree (with each file's size) before the zip's entries are compared
/// with it; a file written in between is compared as it is when read, never as listed: its
/// tree h1 is that of its new bytes, as `go mod verify` would hash it then.
#[cfg(unix)]
#[test]
fn a_file_changed_after_the_listing_is_hashed_as_it_is_when_read() {
    let files = files();
    let (_tmp, zip, dir, listed) = listed_before_a_change(&files);
    // Grown by a byte, shrunk by a byte, the same size with other bytes.
    let (grown, shrunk, same_size) = (&files[3], &files[4], &files[5]);
    let mut g = grown.1.clone();
    g.push(b'x');
    std::fs::write(dir.join(&grown.0), &g).unwrap();
    std::fs::write(dir.join(&shrunk.0), &shrunk.1[..shrunk.1.len() - 1]).unwrap();
    let mut o = same_size.1.clone();
    o[0] ^= 0xff;
    std::fs::write(dir.join(&same_size.0), &o).unwrap();
    let (got, n) = together_listed(&zip, &dir, IN_MEMORY_ZIP, &listed);
    assert_eq!(got, apart(&zip, &dir, IN_MEMORY_ZIP));
    assert_eq!(n, files.len() - 3);
    assert_ne!(got.0, got.1, "the tree no longer hashes to the zip's h1");
}

/// A file swapped for a named pipe after the listing: comparing it never blocks, and the tree's
/// error is the one hashing it on its own gives (not a regular file).
#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_fifo_after_the_listing_never_blocks() {
    let files = files();
    let (_tmp, zip, dir, listed) = listed_before_a_change(&files);
    // An empty file: the listing's size alone would match a FIFO's read of nothing.
    let empty = &files[0];
    assert!(empty.1.is_empty());
    std::fs::remove_file(dir.join(&empty.0)).unwrap();
    nix::unistd::mkfifo(&dir.join(&empty.0), nix::sys::stat::Mode::S_IRWXU).unwrap();
    let ((z, d, _), _) = together_listed(&zip, &dir, IN_MEMORY_ZIP, &listed);
    assert!(z.is_ok());
    let d = d.unwrap_err();
    assert!(d.contains("named pipe"), "{d}");
}
