//! go's size limits, and zips read whole, entry by entry and in parallel: the same hashes and
//! the same refusals whichever way a zip is read, and cancellation that is prompt.

use super::*;
use crate::progress::HashProgress;

/// A stored zip whose headers declare the size given for each entry (any size).
fn raw_zip(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
    let entries: Vec<Entry> = entries
        .iter()
        .map(|(name, data, declared)| Entry {
            size: *declared,
            ..Entry::stored(*name, *data)
        })
        .collect();
    zip_bytes(&entries)
}

#[test]
fn declared_sizes_over_go_limits_are_refused_before_inflating() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    std::fs::write(
        &zip,
        raw_zip(&[("example.com/c@v1.0.0/c.go", C_GO, 600 << 20)]),
    )
    .unwrap();
    let err = hash_zip(&zip, &CancelFlag::new(), &NoProgress).unwrap_err();
    assert!(
        err.to_string()
            .contains("zip is larger than go's 500 MiB limit"),
        "{err}"
    );
    // An entry declaring less than it holds stops at the declared size.
    std::fs::write(&zip, raw_zip(&[("example.com/c@v1.0.0/c.go", C_GO, 4)])).unwrap();
    let err = hash_zip(&zip, &CancelFlag::new(), &NoProgress).unwrap_err();
    assert!(
        err.to_string()
            .contains("inflates to more than the 4 bytes"),
        "{err}"
    );
    // go.mod over 16 MiB: only a module zip knows which entry is go.mod.
    std::fs::write(
        &zip,
        raw_zip(&[("example.com/c@v1.0.0/go.mod", GO_MOD, 17 << 20)]),
    )
    .unwrap();
    let err = hash_module_zip(
        &zip,
        "example.com/c@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(err.to_string().contains("16 MiB"), "{err}");
}

#[test]
fn module_zips_go_would_not_extract_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = good_zip(tmp.path());
    assert_eq!(
        hash_module_zip(
            &zip,
            "example.com/c@v1.0.0",
            &CancelFlag::new(),
            &NoProgress
        )
        .unwrap(),
        ZIP_H1
    );
    write_zip(
        &zip,
        &[("example.com/c@v1.0.0/c.go", C_GO), ("../evil.go", C_GO)],
        &[],
    );
    // go mod verify hashes it all the same; only extraction refuses it.
    assert!(hash_zip(&zip, &CancelFlag::new(), &NoProgress).is_ok());
    let err = hash_module_zip(
        &zip,
        "example.com/c@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, HashError::Rejected { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("zip entry name escapes the module root: ../evil.go"),
        "{err}"
    );
}

/// A module of `n` files, some in sub-directories, as (relative name, content).
fn many_files(n: usize) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let dir = ["", "a/", "a/b/", "c/"][i % 4];
            let body = format!("package p\n\n// file {i}\n{}\n", "x".repeat(i * 37 % 5000));
            (format!("{dir}f{i:03}.go"), body.into_bytes())
        })
        .collect()
}

#[test]
fn big_modules_hash_the_same_in_parallel_and_streamed() {
    // More files than PAR_MIN_FILES, so both the zip and the tree are split across threads.
    let tmp = tempfile::tempdir().unwrap();
    let files = many_files(150);
    let m = crate::synth::SynthModule {
        path: "example.com/big".into(),
        version: "v1.0.0".into(),
        go_mod: Some("module example.com/big\n".into()),
        files,
    };
    let zip = tmp.path().join("v1.0.0.zip");
    std::fs::write(&zip, m.zip_bytes()).unwrap();
    let dir = tmp.path().join("example.com/big@v1.0.0");
    for (name, data) in m.tree() {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    let expected = m.zip_h1();
    let content: u64 = m.tree().iter().map(|(_, d)| d.len() as u64).sum();
    let (cancel, none) = (CancelFlag::new(), NoProgress);
    assert_eq!(hash_zip(&zip, &cancel, &none).unwrap(), expected);
    // Streamed (the path for zips too large to read whole).
    assert_eq!(
        hash_zip_with_limit(&zip, 0, None, None, &cancel, &none).unwrap(),
        (expected.clone(), content)
    );
    assert_eq!(
        hash_dir(&dir, "example.com/big@v1.0.0", &cancel, &none).unwrap(),
        expected
    );
    let listed = list_tree(&dir, true, &cancel).unwrap();
    assert_eq!(listed.len(), 151);
    assert!(
        listed
            .iter()
            .all(|f| f.meta.as_ref().is_some_and(|m| m.is_file()))
    );
    assert_eq!(
        hash_tree_files(&dir, &listed, "example.com/big@v1.0.0", &cancel, &none).unwrap(),
        (expected, content)
    );
}

#[test]
fn large_entries_hash_the_same_read_whole_and_entry_by_entry() {
    // Around small entries: one with more raw bytes than a batch (streamed by the zip crate's
    // reader) and one declaring more than a one-shot inflate takes (streamed through zlib-rs).
    let tmp = tempfile::tempdir().unwrap();
    let mut files = many_files(40);
    let mut x = 1u64;
    let noise: Vec<u8> = (0..zipfile::BATCH + 1000)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect();
    files.insert(10, ("noise.bin".into(), noise));
    files.insert(
        20,
        (
            "zeros.bin".into(),
            vec![0; inflate::ONE_SHOT_MAX as usize + 1],
        ),
    );
    let m = crate::synth::SynthModule {
        path: "example.com/large".into(),
        version: "v1.0.0".into(),
        go_mod: Some("module example.com/large\n".into()),
        files,
    };
    let zip = tmp.path().join("v1.0.0.zip");
    let bytes = m.zip_bytes();
    assert!(bytes.len() as u64 <= zipfile::IN_MEMORY_ZIP);
    std::fs::write(&zip, bytes).unwrap();
    let content: u64 = m.tree().iter().map(|(_, d)| d.len() as u64).sum();
    let (cancel, none) = (CancelFlag::new(), NoProgress);
    for limit in [zipfile::IN_MEMORY_ZIP, 0] {
        assert_eq!(
            hash_zip_with_limit(&zip, limit, None, None, &cancel, &none).unwrap(),
            (m.zip_h1(), content),
            "in_memory limit {limit}"
        );
    }
}

/// Cancels the flag the first time any bytes are reported, and counts the bytes.
struct CancelOnFirstBytes {
    cancel: CancelFlag,
    bytes: std::sync::atomic::AtomicU64,
}

impl HashProgress for CancelOnFirstBytes {
    fn on_bytes(&self, n: u64) {
        self.bytes
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        self.cancel.cancel();
    }
}

#[test]
fn cancel_in_the_middle_of_a_large_file_is_prompt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    std::fs::create_dir_all(&dir).unwrap();
    // 400 MiB, sparse: instant to create, and far more than one read.
    let big = std::fs::File::create(dir.join("big.bin")).unwrap();
    big.set_len(400 << 20).unwrap();
    let progress = CancelOnFirstBytes {
        cancel: CancelFlag::new(),
        bytes: Default::default(),
    };
    let started = std::time::Instant::now();
    let r = hash_dir(&dir, "example.com/m@v1.0.0", &progress.cancel, &progress);
    assert!(matches!(r, Err(HashError::Cancelled)), "{r:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // It stopped after the chunk that was being read when the flag went up.
    let read = progress.bytes.load(std::sync::atomic::Ordering::Relaxed);
    assert!(read <= CHUNK as u64, "{read} bytes read after cancel");

    // The same inside one large zip entry (64 MiB of zeros deflate to a few KiB).
    let zip = tmp.path().join("big.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    z.start_file("example.com/m@v1.0.0/zeros.bin", opts)
        .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    for limit in [zipfile::IN_MEMORY_ZIP, 0] {
        let progress = CancelOnFirstBytes {
            cancel: CancelFlag::new(),
            bytes: Default::default(),
        };
        let r = hash_zip_with_limit(&zip, limit, None, None, &progress.cancel, &progress);
        assert!(matches!(r, Err(HashError::Cancelled)), "{r:?}");
        let read = progress.bytes.load(std::sync::atomic::Ordering::Relaxed);
        assert!(read <= CHUNK as u64, "{read} bytes inflated after cancel");
    }
}

#[test]
fn the_500_mib_limit_holds_across_files_hashed_in_parallel() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    std::fs::create_dir_all(&dir).unwrap();
    // 40 sparse files of 13 MiB: 520 MiB in all, more than go accepts, split across threads.
    for i in 0..40 {
        let f = std::fs::File::create(dir.join(format!("f{i:02}.bin"))).unwrap();
        f.set_len(13 << 20).unwrap();
    }
    let r = hash_dir(
        &dir,
        "example.com/m@v1.0.0",
        &CancelFlag::new(),
        &NoProgress,
    );
    assert!(
        matches!(r, Err(HashError::TooLarge { ref path, .. }) if *path == dir),
        "{r:?}"
    );
}

/// The two odd zips go verifies (an encryption flag go ignores; a central compressed size past
/// the end of the file, where go's inflater stops at the end of the deflate stream) hash the
/// same whether held in memory or streamed from disk (the path for zips over 64 MiB). The real
/// go is the oracle for the in-memory path in tests/hostile_cache/zips.rs.
#[test]
fn odd_zips_go_accepts_hash_the_same_streamed_as_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("v1.0.0.zip");
    let deflated = |name: &str, data: &[u8]| {
        let mut c = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        c.write_all(data).unwrap();
        Entry {
            data: c.finish().unwrap(),
            deflated: true,
            ..Entry::stored(name, data)
        }
    };
    let entries = [
        deflated("example.com/c@v1.0.0/go.mod", GO_MOD),
        deflated("example.com/c@v1.0.0/c.go", C_GO),
    ];
    let good = zip_bytes(&entries);
    let central = good.len()
        - 22
        - u32::from_le_bytes(good[good.len() - 10..good.len() - 6].try_into().unwrap()) as usize;
    let mut encrypted = good.clone();
    let (mut local, mut record) = (0, central);
    for e in &entries {
        encrypted[local + 6] |= 1;
        encrypted[record + 8] |= 1;
        local += 30 + e.name.len() + e.data.len();
        record += 46 + e.name.len();
    }
    let mut past_end = good.clone();
    let last = central + 46 + entries[0].name.len();
    let csize = u32::from_le_bytes(past_end[last + 20..last + 24].try_into().unwrap());
    past_end[last + 20..last + 24].copy_from_slice(&(csize + 1_000_000).to_le_bytes());
    let (cancel, none) = (CancelFlag::new(), NoProgress);
    let content = (GO_MOD.len() + C_GO.len()) as u64;
    for (case, bytes) in [
        ("encryption flag", encrypted),
        ("size past the end", past_end),
    ] {
        std::fs::write(&zip, bytes).unwrap();
        for in_memory in [IN_MEMORY_ZIP, 0] {
            let got = hash_zip_with_limit(&zip, in_memory, None, None, &cancel, &none);
            assert_eq!(
                got.as_ref().ok(),
                Some(&(ZIP_H1.to_string(), content)),
                "{case}, in memory up to {in_memory}: {got:?}"
            );
        }
    }
}
