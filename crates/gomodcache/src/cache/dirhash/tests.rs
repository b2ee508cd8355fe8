use super::digest::*;
use super::zipfile::IN_MEMORY_ZIP;
use super::*;
use crate::progress::CancelFlag;
use crate::progress::NoProgress;
use crate::synth::raw_zip::{Entry, zip_bytes};
use std::io::Write;
use std::path::Path;

const GO_MOD: &[u8] = b"module example.com/c\n\ngo 1.17\n";
const C_GO: &[u8] = b"package c\n\nconst C = \"c\"\n";
/// Values go1.19 wrote to go.sum for this module (spec §3.5).
const ZIP_H1: &str = "h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=";
const MOD_H1: &str = "h1:Bp66dKBFuBMMUAyQAwJKbODE2iEIqWjNvvR9oMGGFOg=";

fn write_zip(path: &Path, entries: &[(&str, &[u8])], dirs: &[&str]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for d in dirs {
        z.add_directory(*d, opts).unwrap();
    }
    for (name, data) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

/// The module zip of example.com/c@v1.0.0 (go.mod and c.go) in `dir`.
fn good_zip(dir: &std::path::Path) -> std::path::PathBuf {
    let zip = dir.join("v1.0.0.zip");
    write_zip(
        &zip,
        &[
            ("example.com/c@v1.0.0/go.mod", GO_MOD),
            ("example.com/c@v1.0.0/c.go", C_GO),
        ],
        &[],
    );
    zip
}

#[test]
fn go_mod_hash_matches_go() {
    assert_eq!(hash_go_mod(GO_MOD), MOD_H1);
    // The hash of an empty go.mod, which go drops from go.sum (spec §3.4).
    assert_eq!(
        hash_go_mod(b""),
        "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="
    );
}

#[test]
fn zip_hash_matches_go_in_any_entry_order() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    // Reverse order on purpose: hashing sorts names.
    write_zip(
        &zip,
        &[
            ("example.com/c@v1.0.0/go.mod", GO_MOD),
            ("example.com/c@v1.0.0/c.go", C_GO),
        ],
        &[],
    );
    assert_eq!(
        hash_zip(&zip, &CancelFlag::new(), &NoProgress).unwrap(),
        ZIP_H1
    );
}

#[test]
fn zip_directory_entries_change_the_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    write_zip(
        &zip,
        &[
            ("example.com/c@v1.0.0/go.mod", GO_MOD),
            ("example.com/c@v1.0.0/c.go", C_GO),
        ],
        &["example.com/c@v1.0.0/sub/"],
    );
    assert_ne!(
        hash_zip(&zip, &CancelFlag::new(), &NoProgress).unwrap(),
        ZIP_H1
    );
}

#[test]
fn dir_hash_matches_zip_hash_with_unescaped_prefix() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example.com/c@v1.0.0");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("go.mod"), GO_MOD).unwrap();
    std::fs::write(dir.join("c.go"), C_GO).unwrap();
    // An empty directory is invisible to HashDir.
    std::fs::create_dir(dir.join("empty")).unwrap();
    assert_eq!(
        hash_dir(
            &dir,
            "example.com/c@v1.0.0",
            &CancelFlag::new(),
            &NoProgress
        )
        .unwrap(),
        ZIP_H1
    );
    std::fs::write(dir.join("c.go"), b"package c\n\nconst C = \"C\"\n").unwrap();
    assert_ne!(
        hash_dir(
            &dir,
            "example.com/c@v1.0.0",
            &CancelFlag::new(),
            &NoProgress
        )
        .unwrap(),
        ZIP_H1
    );
}

#[test]
fn corrupt_and_truncated_zips_are_errors_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = good_zip(tmp.path());
    let bytes = std::fs::read(&zip).unwrap();
    std::fs::write(&zip, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        hash_zip(&zip, &CancelFlag::new(), &NoProgress),
        Err(HashError::CorruptZip { .. })
    ));
    std::fs::write(&zip, b"not a zip at all").unwrap();
    assert!(matches!(
        hash_zip(&zip, &CancelFlag::new(), &NoProgress),
        Err(HashError::CorruptZip { .. })
    ));
    let missing = tmp.path().join("nope.zip");
    assert!(matches!(
        hash_zip(&missing, &CancelFlag::new(), &NoProgress),
        Err(HashError::Io { .. })
    ));
}

#[test]
fn flipped_content_byte_fails_the_crc_check() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("example.com/c@v1.0.0/c.go", stored).unwrap();
    z.write_all(C_GO).unwrap();
    z.finish().unwrap();
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.windows(7).position(|w| w == b"package").unwrap();
    bytes[at] = b'P';
    std::fs::write(&zip, &bytes).unwrap();
    let err = hash_zip(&zip, &CancelFlag::new(), &NoProgress).unwrap_err();
    assert!(matches!(err, HashError::CorruptZip { .. }), "{err}");
}

#[test]
fn cancelled_hash_stops() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    write_zip(&zip, &[("example.com/c@v1.0.0/c.go", C_GO)], &[]);
    let cancel = CancelFlag::new();
    cancel.cancel();
    assert!(matches!(
        hash_zip(&zip, &cancel, &NoProgress),
        Err(HashError::Cancelled)
    ));
}

#[test]
fn newline_in_name_is_refused_like_go() {
    let err = hash1(vec![(b"a\nb".to_vec(), [0; 32])]).unwrap_err();
    assert!(err.to_string().contains("newlines"));
}

#[cfg(unix)]
#[test]
fn dir_symlinks_are_read_through_and_loops_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(tmp.path().join("target.go"), C_GO).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("target.go"), dir.join("c.go")).unwrap();
    std::fs::write(dir.join("go.mod"), GO_MOD).unwrap();
    assert_eq!(
        hash_dir(
            &dir,
            "example.com/c@v1.0.0",
            &CancelFlag::new(),
            &NoProgress
        )
        .unwrap(),
        ZIP_H1
    );
    std::os::unix::fs::symlink(dir.join("loop"), dir.join("loop")).unwrap();
    let err = hash_dir(
        &dir,
        "example.com/c@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, HashError::BadSymlink { .. }), "{err:?}");
    assert!(err.to_string().contains("symbolic link loop"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("go.mod"), GO_MOD).unwrap();
    let fifo = dir.join("c.go");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let err = hash_dir(
        &dir,
        "example.com/c@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, HashError::NotRegular { .. }), "{err:?}");
    // Through a symlink too, and a dangling link is named as such.
    std::fs::rename(&fifo, tmp.path().join("pipe")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("pipe"), &fifo).unwrap();
    let err = hash_dir(
        &dir,
        "example.com/c@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, HashError::NotRegular { .. }), "{err:?}");
    std::fs::remove_file(tmp.path().join("pipe")).unwrap();
    let err = hash_dir(
        &dir,
        "example.com/c@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("symbolic link to nothing"),
        "{err}"
    );
}

mod limits;
