//! go.sum reader, following cmd/go `modfetch.readGoSum` (spec §4.1), with a hash index for
//! lookups that keeps Go's "first h1: line decides" rule.

use std::collections::HashMap;
use std::hash::BuildHasher;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// The h1 hash of an empty go.mod. Lines with it are dropped, as cmd/go does (`emptyGoModHash`).
pub const EMPTY_GO_MOD_HASH: &str = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";

/// A parsed go.sum: its lines, its malformed lines, and a lookup index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "GoSumData")]
pub struct GoSum {
    /// Every well-formed line (any hash algorithm), in file order.
    pub lines: Vec<SumLine>,
    /// Malformed lines (`wrong number of fields N`, invalid UTF-8). `go` (1.23+) treats any of
    /// these as fatal, except `go mod tidy`, which skips them.
    pub problems: Vec<ParseError>,
    /// Line numbers of lines dropped because their hash is [`EMPTY_GO_MOD_HASH`].
    pub dropped_empty_go_mod: Vec<usize>,
    #[serde(skip)]
    index: SumIndex,
}

/// The serialized fields of [`GoSum`]; deserializing rebuilds the lookup index.
#[derive(Deserialize)]
struct GoSumData {
    lines: Vec<SumLine>,
    problems: Vec<ParseError>,
    #[serde(default)]
    dropped_empty_go_mod: Vec<usize>,
}

impl From<GoSumData> for GoSum {
    fn from(d: GoSumData) -> Self {
        let mut sum = GoSum {
            lines: d.lines,
            problems: d.problems,
            dropped_empty_go_mod: d.dropped_empty_go_mod,
            index: SumIndex::default(),
        };
        sum.build_index();
        sum
    }
}

impl PartialEq for GoSum {
    fn eq(&self, other: &Self) -> bool {
        self.lines == other.lines
            && self.problems == other.problems
            && self.dropped_empty_go_mod == other.dropped_empty_go_mod
    }
}

impl Eq for GoSum {}

/// One well-formed go.sum line: `<path> <version>[/go.mod] <hash>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SumLine {
    /// The module path.
    pub path: String,
    /// Without the `/go.mod` suffix.
    pub version: String,
    /// The line is `<path> <version>/go.mod <hash>`.
    pub go_mod: bool,
    /// `<algo>:<base64>`, e.g. `h1:...`.
    pub hash: String,
    /// 1-based line number.
    pub line: usize,
}

/// `(path, version, go_mod)` hash → indices into `lines` of its `h1:` lines, in file order:
/// the first in `first`, any later ones (rare: a repeated key) in `more`, so the common case
/// costs no allocation per line. Keys are 64-bit hashes; lookups compare the strings, so
/// collisions are harmless.
#[derive(Debug, Clone, Default)]
struct SumIndex {
    first: HashMap<u64, usize, foldhash::fast::RandomState>,
    more: HashMap<u64, Vec<usize>, foldhash::fast::RandomState>,
    /// A fast seeded hash (SipHash showed in the load of a large go.sum); collisions are
    /// harmless, as said above.
    hasher: foldhash::fast::RandomState,
}

impl SumIndex {
    fn key(&self, path: &str, version: &str, go_mod: bool) -> u64 {
        self.hasher.hash_one((path, version, go_mod))
    }
}

/// The first three fields of `line` as Go's `strings.Fields` splits it (at Unicode white
/// space), and how many more there are. An ASCII line, the usual kind, is split byte by byte
/// (the Unicode white space of ASCII is exactly these six bytes); the char-decoding split showed
/// in the profile of a large go.sum's load.
fn split_fields<'a>(line: &'a str) -> ([Option<&'a str>; 3], usize) {
    let mut fields = [None; 3];
    let mut n = 0;
    let mut put = |f: &'a str| {
        if let Some(slot) = fields.get_mut(n) {
            *slot = Some(f);
        }
        n += 1;
    };
    if line.is_ascii() {
        let bytes = line.as_bytes();
        let mut start = None;
        for (i, b) in bytes.iter().enumerate() {
            let space = matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
            match (space, start) {
                (true, Some(s)) => {
                    put(&line[s..i]);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            put(&line[s..]);
        }
    } else {
        line.split_whitespace().for_each(&mut put);
    }
    let [a, b, c] = fields;
    ([a, b, c], n.saturating_sub(3))
}

/// Parses go.sum content. Never fails: malformed lines are reported in `problems`.
pub fn parse_go_sum(file_label: &str, data: &[u8]) -> GoSum {
    let mut sum = GoSum::default();
    let mut lineno = 0;
    for raw in data.split(|&b| b == b'\n') {
        lineno += 1;
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                let column = String::from_utf8_lossy(&raw[..e.valid_up_to()])
                    .chars()
                    .count()
                    + 1;
                let message = "invalid UTF-8 encoding".to_string();
                sum.problems.push(ParseError {
                    file: file_label.to_string(),
                    line: lineno,
                    column,
                    message,
                });
                continue;
            }
        };
        let (fields, extra) = split_fields(text);
        let [Some(path), Some(version), Some(hash)] = fields else {
            let n = fields.iter().flatten().count();
            if n > 0 {
                let message = format!("wrong number of fields {n}");
                sum.problems.push(ParseError {
                    file: file_label.to_string(),
                    line: lineno,
                    column: 1,
                    message,
                });
            }
            continue;
        };
        if extra > 0 {
            let message = format!("wrong number of fields {}", 3 + extra);
            sum.problems.push(ParseError {
                file: file_label.to_string(),
                line: lineno,
                column: 1,
                message,
            });
            continue;
        }
        if hash == EMPTY_GO_MOD_HASH {
            sum.dropped_empty_go_mod.push(lineno);
            continue;
        }
        let (version, go_mod) = match version.strip_suffix("/go.mod") {
            Some(v) => (v, true),
            None => (version, false),
        };
        sum.lines.push(SumLine {
            path: path.to_string(),
            version: version.to_string(),
            go_mod,
            hash: hash.to_string(),
            line: lineno,
        });
    }
    // `data.split` yields one empty piece after a trailing newline; Go's loop never sees it, and
    // it is blank, so it was skipped above.
    sum.build_index();
    sum
}

impl GoSum {
    fn build_index(&mut self) {
        let mut index = SumIndex::default();
        index.first.reserve(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            if l.hash.starts_with("h1:") {
                let k = index.key(&l.path, &l.version, l.go_mod);
                match index.first.entry(k) {
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(i);
                    }
                    std::collections::hash_map::Entry::Occupied(_) => {
                        index.more.entry(k).or_default().push(i);
                    }
                }
            }
        }
        self.index = index;
    }

    /// The `h1:` lines for a key, in file order.
    fn h1_lines(&self, path: &str, version: &str, go_mod: bool) -> impl Iterator<Item = &SumLine> {
        let k = self.index.key(path, version, go_mod);
        let first = self.index.first.get(&k).copied();
        let more = self.index.more.get(&k).map_or(&[][..], Vec::as_slice);
        first
            .into_iter()
            .chain(more.iter().copied())
            .map(|i| &self.lines[i])
            .filter(move |l| l.path == path && l.version == version && l.go_mod == go_mod)
    }

    /// The first `h1:` line for the module zip `path version` (the one `go` checks against).
    pub fn zip_hash(&self, path: &str, version: &str) -> Option<&SumLine> {
        self.h1_lines(path, version, false).next()
    }

    /// The first `h1:` line for `path version/go.mod`.
    pub fn go_mod_hash(&self, path: &str, version: &str) -> Option<&SumLine> {
        self.h1_lines(path, version, true).next()
    }

    /// The later `h1:` lines for the key whose hash differs from the first one. Any of these
    /// means the file disagrees with itself; `go` uses the first line.
    pub fn conflicting(&self, path: &str, version: &str, go_mod: bool) -> Vec<&SumLine> {
        let mut it = self.h1_lines(path, version, go_mod);
        let Some(first) = it.next() else {
            return Vec::new();
        };
        it.filter(|l| l.hash != first.hash).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C_ZIP: &str = "h1:/GudoJhfp1D77wEdT3QQcHG5voPWP7FkCtV3g//cA38=";
    const C_MOD: &str = "h1:Bp66dKBFuBMMUAyQAwJKbODE2iEIqWjNvvR9oMGGFOg=";

    #[test]
    fn basic_lines_and_lookups() {
        let src = format!(
            "example.com/c v1.0.0 {C_ZIP}\r\nexample.com/c v1.0.0/go.mod {C_MOD}\r\n\n   \nexample.com/c v1.0.0 h2:abc\n"
        );
        let s = parse_go_sum("go.sum", src.as_bytes());
        assert!(s.problems.is_empty());
        assert_eq!(s.lines.len(), 3);
        assert_eq!(s.zip_hash("example.com/c", "v1.0.0").unwrap().hash, C_ZIP);
        let m = s.go_mod_hash("example.com/c", "v1.0.0").unwrap();
        assert_eq!((m.hash.as_str(), m.line, m.go_mod), (C_MOD, 2, true));
        assert!(s.zip_hash("example.com/c", "v1.0.1").is_none());
        assert!(s.zip_hash("example.com/d", "v1.0.0").is_none());
        assert!(s.conflicting("example.com/c", "v1.0.0", false).is_empty());
        // h2 lines are kept but never returned as the checked hash.
        assert_eq!(s.lines[2].hash, "h2:abc");
    }

    /// The byte-wise split of ASCII lines is Go's `strings.Fields` as `split_whitespace` is.
    #[test]
    fn fields_split_as_unicode_white_space_does() {
        let pieces = [
            "a", "v1.0.0", "h1:x=", " ", "\t", "\x0b", "\x0c", "\r", "\u{85}", "\u{a0}",
            "\u{2003}", "\u{1c}", "é",
        ];
        let mut seed = 7u64;
        for _ in 0..5000 {
            let mut line = String::new();
            for _ in 0..(seed % 9) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                line.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let all: Vec<&str> = line.split_whitespace().collect();
            let (first, extra) = split_fields(&line);
            let expected: Vec<Option<&str>> = (0..3).map(|i| all.get(i).copied()).collect();
            assert_eq!(first.to_vec(), expected, "{line:?}");
            assert_eq!(extra, all.len().saturating_sub(3), "{line:?}");
        }
    }

    #[test]
    fn first_line_wins() {
        let src =
            format!("m v1.0.0 h1:WRONG=\nm v1.0.0 {C_ZIP}\nm v1.0.0 h1:WRONG=\nm v1.0.0 h3:x\n");
        let s = parse_go_sum("go.sum", src.as_bytes());
        assert_eq!(s.zip_hash("m", "v1.0.0").unwrap().hash, "h1:WRONG=");
        let c = s.conflicting("m", "v1.0.0", false);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].hash.as_str(), c[0].line), (C_ZIP, 2));
    }

    #[test]
    fn malformed_lines_and_empty_go_mod_hash() {
        let src = format!(
            "a v1.0.0\nb v1.0.0/go.mod {EMPTY_GO_MOD_HASH}\nc v1 h1:x extra\nd v1.0.0 h1:ok\n\u{ff}\n"
        );
        let mut bytes = src.into_bytes();
        bytes.extend_from_slice(b"e v1.0.0 h1:\xff\n");
        let s = parse_go_sum("go.sum", &bytes);
        let probs: Vec<_> = s
            .problems
            .iter()
            .map(|p| (p.line, p.column, p.message.as_str()))
            .collect();
        assert_eq!(
            probs,
            [
                (1, 1, "wrong number of fields 2"),
                (3, 1, "wrong number of fields 4"),
                (5, 1, "wrong number of fields 1"),
                (6, 13, "invalid UTF-8 encoding"),
            ]
        );
        assert_eq!(
            s.problems[0].to_string(),
            "go.sum:1:1: wrong number of fields 2"
        );
        assert_eq!(s.dropped_empty_go_mod, [2]);
        assert!(s.go_mod_hash("b", "v1.0.0").is_none());
        assert_eq!(s.lines.len(), 1);
        assert_eq!(s.zip_hash("d", "v1.0.0").unwrap().line, 4);
    }

    #[test]
    fn no_trailing_newline_and_unicode_spaces() {
        let s = parse_go_sum("go.sum", "a\u{a0}v1.0.0\th1:x".as_bytes());
        assert_eq!(s.zip_hash("a", "v1.0.0").unwrap().hash, "h1:x");
    }

    #[test]
    fn large_file_is_linear() {
        let mut src = String::new();
        for i in 0..200_000 {
            src.push_str(&format!(
                "example.com/m{i} v1.0.{i} h1:{i}=\nexample.com/m{i} v1.0.{i}/go.mod h1:m{i}=\n"
            ));
        }
        let s = parse_go_sum("go.sum", src.as_bytes());
        assert_eq!(s.lines.len(), 400_000);
        for i in (0..200_000).step_by(997) {
            assert_eq!(
                s.go_mod_hash(&format!("example.com/m{i}"), &format!("v1.0.{i}"))
                    .unwrap()
                    .line,
                2 * i + 2
            );
        }
    }
}
