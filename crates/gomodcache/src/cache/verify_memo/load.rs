//! The memo file's format (its header, one line per result) and reading it back: its
//! signature first, then its lines, skipping what is not ours.

use super::super::memo_file::mac;
use crate::cache::layout::is_valid_sum;
use std::collections::HashMap;
use std::path::Path;

/// v2: the file ends with `mac <hex>`, an HMAC of everything before it under the user's memo
/// key; v1 memos are not read (one full re-hash).
pub(super) const HEADER: &str = "modscope verify-memo v2";
/// A memo file larger than this is not ours (or not sane): ignored.
const MAX_MEMO_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) fingerprint: [u8; 32],
    /// The uncompressed bytes the hash read (reported as progress on a hit).
    pub(super) bytes: u64,
    pub(super) h1: String,
}

/// Reads a memo file; anything unexpected (absent, too large, another root, a bad line) is
/// skipped, never an error.
pub(super) fn load(file: &Path, root: &Path, key: &[u8; 32]) -> HashMap<String, Entry> {
    let mut out = HashMap::new();
    let Ok(data) = crate::fs::read::read_regular_file(file, MAX_MEMO_BYTES) else {
        return out;
    };
    // The last line signs everything before it; a memo that does not verify is not read.
    let body_len = data[..data.len().saturating_sub(1)]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let (body, last) = data.split_at(body_len);
    let signed = last
        .strip_prefix(b"mac ")
        .and_then(|s| s.strip_suffix(b"\n"))
        .and_then(|s| {
            let mut sig = [0u8; 32];
            hex::decode_to_slice(s, &mut sig).ok().map(|()| sig)
        });
    // Compared in constant time: no byte-by-byte oracle for a forger.
    let genuine = signed.is_some_and(|sig| {
        let expected = mac(key, body);
        sig.iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    });
    if !genuine {
        return out;
    }
    let text = String::from_utf8_lossy(body);
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) || lines.next() != Some(&format!("root {}", root.display())) {
        return out;
    }
    for line in lines {
        if let Some((key, entry)) = parse_line(line) {
            out.insert(key, entry);
        }
    }
    out
}

/// `<z|d> <64 hex fingerprint> <bytes> <h1> <relative path>`
fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut parts = line.splitn(5, ' ');
    let kind = parts.next().filter(|k| *k == "z" || *k == "d")?;
    let mut fingerprint = [0u8; 32];
    hex::decode_to_slice(parts.next()?, &mut fingerprint).ok()?;
    let bytes = parts.next()?.parse().ok()?;
    let h1 = parts.next().filter(|h| is_valid_sum(h))?;
    let rel = parts.next().filter(|r| !r.is_empty())?;
    Some((
        format!("{kind} {rel}"),
        Entry {
            fingerprint,
            bytes,
            h1: h1.to_string(),
        },
    ))
}
