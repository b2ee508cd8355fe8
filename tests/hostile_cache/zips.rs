//! Zips: rewritten, escaping the module root, bombs, truncated/corrupt/empty, case-colliding names.

use super::*;

#[test]
fn a_healthy_cache_and_a_rewritten_but_identical_zip_are_cached() {
    let sb = sandbox();
    // The control for the zip tests below: the zip written by hand, stored, hashes the same.
    rewrite_zip(&sb, Vec::new());
    both_modes(&sb, &[], 0, |run| {
        assert_others_cached(run.report(), "");
    });
}

#[test]
fn zip_entries_that_escape_the_module_root() {
    let base = sandbox();
    for (name, shown) in [
        (b"../evil.go".to_vec(), "../evil.go".to_string()),
        (b"/etc/evil.go".to_vec(), "/etc/evil.go".to_string()),
        (
            format!("{}../../evil.go", prefix()).into_bytes(),
            format!("{}../../evil.go", prefix()),
        ),
    ] {
        let sb = base.fork();
        let zip = rewrite_zip(&sb, vec![Entry::stored(name, "package evil\n")]);
        let zip_s = zip.display().to_string();
        let needle = format!("zip entry name escapes the module root: {shown}");
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            assert_eq!(m.status, Status::Mismatch);
            problem(
                m,
                "corrupt-zip",
                &[&zip_s, &needle, "go refuses to extract"],
            );
            // The tree go extracted from the genuine zip is still intact.
            assert!(m.computed.dir_h1.is_some() && m.computed.dir_h1 == m.go_sum.h1);
            assert_others_cached(r, HOSTILE);
        });
        // go mod verify only sees a changed hash; go's extraction names the entry.
        assert!(go_verify(&sb).contains("zip has been modified"));
    }
}

/// go's limits (x/mod zip): 500 MiB of declared content, entries never inflated past their
/// declared size, go.mod and LICENSE at most 16 MiB. The zips are ~600 KB: zeros deflate at
/// ~1000:1. Bounded time and memory show indirectly: each run ends and names the limit.
#[test]
fn zip_bombs_stop_at_gos_limits() {
    let base = sandbox();
    // The stream is sound: three MiB of it inflate to three MiB of zeros.
    let mut d = flate2::Decompress::new(false);
    let mut out = Vec::with_capacity(4 << 20);
    d.decompress_vec(&zeros_deflate(3), &mut out, flate2::FlushDecompress::Finish)
        .unwrap();
    assert_eq!(out.len(), 3 << 20);
    assert!(out.iter().all(|&b| b == 0));

    let bomb = |declared: u32| Entry {
        name: format!("{}bomb.txt", prefix()).into_bytes(),
        data: zeros_deflate(600),
        deflated: true,
        crc: 0,
        size: declared,
    };
    let cases: Vec<(Entry, Vec<String>)> = vec![
        // Honest about its 600 MiB: refused from the central directory, nothing inflated.
        (
            bomb(600 << 20),
            vec![
                "zip is larger than go's 500 MiB limit".into(),
                "bytes uncompressed (refused without inflating any)".into(),
            ],
        ),
        // Declares 1 KiB and inflates to 600 MiB: stopped right after 1 KiB.
        (
            bomb(1024),
            vec![
                "bomb.txt: inflates to more than the 1024 bytes the zip declares".into(),
                "zip bomb".into(),
            ],
        ),
        // A go.mod over go's 16 MiB limit (x/mod MaxGoMod), and a LICENSE over MaxLICENSE.
        (
            Entry {
                name: format!("{}go.mod", prefix()).into_bytes(),
                data: zeros_deflate(17),
                deflated: true,
                crc: 0,
                size: 17 << 20,
            },
            vec!["go.mod in the zip declares 17825792 bytes, more than go's 16 MiB limit".into()],
        ),
        (
            Entry {
                name: format!("{}LICENSE", prefix()).into_bytes(),
                data: zeros_deflate(17),
                deflated: true,
                crc: 0,
                size: 17 << 20,
            },
            vec!["LICENSE in the zip declares 17825792 bytes".into()],
        ),
    ];
    for (entry, needles) in cases {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        let mut entries: Vec<Entry> = entries_of(&f.zip)
            .into_iter()
            .filter(|e| e.name != entry.name)
            .collect();
        entries.push(entry);
        let bytes = zip_bytes(&entries);
        assert!(bytes.len() < 1 << 20, "the bomb itself stays small");
        support::force_write(&f.zip, &bytes);
        let zip_s = f.zip.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let mut n: Vec<&str> = needles.iter().map(String::as_str).collect();
            n.push(&zip_s);
            problem(m, "corrupt-zip", &n);
            assert_eq!(m.status, Status::Mismatch);
            assert_others_cached(r, HOSTILE);
        });
    }
}

#[test]
fn truncated_corrupt_and_empty_zips() {
    let base = sandbox();
    type Damage = fn(&mut Vec<u8>);
    let cases: [(&str, Damage, &str); 3] = [
        (
            "truncated",
            |b| b.truncate(b.len() / 2),
            "the file is truncated, or not a zip at all",
        ),
        (
            "empty",
            |b| b.clear(),
            "the file is truncated, or not a zip at all",
        ),
        (
            "one content byte changed",
            |b| {
                let at = b.windows(7).position(|w| w == b"package").unwrap();
                b[at] = b'P';
            },
            "checksum error (CRC-32 mismatch)",
        ),
    ];
    for (what, damage, cause) in cases {
        let sb = base.fork();
        // Stored, so that the content byte is there to change.
        let zip = rewrite_zip(&sb, Vec::new());
        let mut bytes = std::fs::read(&zip).unwrap();
        damage(&mut bytes);
        support::force_write(&zip, &bytes);
        let zip_s = zip.display().to_string();
        both_modes(&sb, &[], 1, |run| {
            let r = run.report();
            let m = find(r, HOSTILE);
            let msg = problem(m, "corrupt-zip", &[&zip_s, "corrupt zip", cause]);
            assert_eq!(m.status, Status::Mismatch, "{what}: {msg}");
            assert_others_cached(r, HOSTILE);
        });
    }
}

/// Choice: like go's extraction (x/mod `checkZip`, also for `go mod download` of a zip already
/// in the cache), names that collide when case is ignored make the zip one go refuses: it could
/// never have been extracted by go, and would lose a file on a case-insensitive file system.
/// (`go mod verify` alone just hashes the entries and reports "zip has been modified".)
#[test]
fn zip_names_that_collide_by_case() {
    let sb = sandbox();
    let zip = rewrite_zip(
        &sb,
        vec![Entry::stored(
            format!("{}Delta.go", prefix()),
            "package delta\n",
        )],
    );
    let zip_s = zip.display().to_string();
    both_modes(&sb, &[], 1, |run| {
        let r = run.report();
        let m = find(r, HOSTILE);
        problem(
            m,
            "corrupt-zip",
            &[
                &zip_s,
                "zip entry names collide when case is ignored: \"delta.go\" and \"Delta.go\"",
            ],
        );
        assert_others_cached(r, HOSTILE);
    });
    assert!(go_verify(&sb).contains("zip has been modified"));
}

/// A zip entry whose name holds terminal escape sequences (a title change, a colour, a C1
/// CSI): check's text output shows them escaped; nothing reaches the terminal raw.
#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let sb = sandbox();
    let mut name = prefix().into_bytes();
    name.extend("\x1b]0;pwned\x07\x1b[31mred\u{9b}2Jx.go".as_bytes());
    rewrite_zip(&sb, vec![Entry::stored(name, "package delta\n")]);
    let out = sb
        .command(BIN, &["check", "--full", "--verbose"], &sb.project)
        .arg("--modcache")
        .arg(&sb.cache)
        .env("MODSCOPE_CACHE_DIR", memo_dir(&sb))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("pwned"), "the name is shown: {text}");
    assert!(
        !text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{9b}'),
        "raw control characters in: {text:?}"
    );
    assert!(text.contains("\\x1b]0;pwned\\x07"), "{text}");
}

/// Two zips go verifies and extracts although they look odd: entries with the encryption flag
/// set (archive/zip ignores the flag) and a central directory whose compressed size runs past
/// the end of the file (go's inflater stops at the end of the deflate stream). The real go is
/// the oracle: `go mod verify` passes, and so does check; with the tree gone, `go build` reads
/// the zip, and offline says ready.
#[test]
fn zips_go_accepts_despite_an_encryption_flag_or_a_compressed_size_past_the_end() {
    let base = sandbox();
    for case in ["encryption flag", "compressed size past the end"] {
        let sb = base.fork();
        let f = files(&sb, HOSTILE);
        // Every entry deflated, as go writes them, so the inflater decides where data ends.
        let entries: Vec<Entry> = entries_of(&f.zip)
            .into_iter()
            .map(|e| {
                let mut c =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                std::io::Write::write_all(&mut c, &e.data).unwrap();
                Entry {
                    data: c.finish().unwrap(),
                    deflated: true,
                    ..e
                }
            })
            .collect();
        let mut bytes = zip_bytes(&entries);
        let central = bytes.len() - 22 - central_len(&bytes);
        match case {
            "encryption flag" => {
                // Local headers (flags at +6) and central records (flags at +8).
                let mut at = 0;
                for e in &entries {
                    bytes[at + 6] |= 1;
                    at += 30 + e.name.len() + e.data.len();
                }
                let mut at = central;
                for e in &entries {
                    bytes[at + 8] |= 1;
                    at += 46 + e.name.len();
                }
            }
            _ => {
                // The last entry's central compressed size (at +20) grows far past the end.
                let mut at = central;
                for e in &entries[..entries.len() - 1] {
                    at += 46 + e.name.len();
                }
                let csize = u32::from_le_bytes(bytes[at + 20..at + 24].try_into().unwrap());
                bytes[at + 20..at + 24].copy_from_slice(&(csize + 1_000_000).to_le_bytes());
            }
        }
        support::force_write(&f.zip, &bytes);
        let verify = sb
            .command("go", &["mod", "verify"], &sb.project)
            .env("GOPROXY", "off")
            .output()
            .unwrap();
        assert!(
            verify.status.success(),
            "{case}: go mod verify: {}",
            String::from_utf8_lossy(&verify.stderr)
        );
        both_modes(&sb, &[], 0, |run| {
            assert_eq!(find(run.report(), HOSTILE).status, Status::Cached, "{case}");
        });
        // Without the extracted tree both go and offline read the zip's sources.
        support::remove(&f.dir);
        let offline = sb.modscope(&["offline", "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&offline.stdout).unwrap();
        assert_eq!(report["ready"], true, "{case}: {}", report["blockers"]);
        let build = sb
            .command("go", &["build", "./..."], &sb.project)
            .env("GOPROXY", "off")
            .output()
            .unwrap();
        assert!(
            build.status.success(),
            "{case}: go build: {}",
            String::from_utf8_lossy(&build.stderr)
        );
    }
}

/// The central directory's length, from the end record.
fn central_len(zip: &[u8]) -> usize {
    let end = zip.len() - 22;
    u32::from_le_bytes(zip[end + 12..end + 16].try_into().unwrap()) as usize
}
