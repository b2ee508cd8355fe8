//! The probe memo's file format: after the header and `root` lines, one line per module, sorted
//! by module, fields separated by tabs:
//!
//! ```text
//! path@version  fingerprint  zip-fingerprint  flags  zip-size  ziphash  go.mod-h1  stray-tmp…
//! ```
//!
//! `fingerprint` covers what the classification depends on, `zip-fingerprint` the zip, on
//! which only `zip-size` depends (see [`super::ZipSizes`]). `flags` is five `0`/`1` for
//! `.info`, `.mod`, zip, `.partial` and the extracted directory; `zip-size` and `go.mod-h1` are
//! `-` when absent; `ziphash` is `-`, `v:<text>` (valid) or `i:<text>` (invalid); the stray
//! temporary files are the remaining fields, as names in the download directory. Text is
//! percent-escaped (`%`, control bytes and bytes above 0x7f), so every field is one tab-free run
//! of ASCII.
//!
//! Why not JSON, as before: the memo is read at every start of the inspector, before its first
//! frame, and parsing a thousand JSON objects into owned strings took about a millisecond there.
//! These lines are only split into a sorted index when read (a byte scan); a line is parsed only
//! when its module is asked about and its fingerprint matches, and saving copies unchanged lines
//! as they are.

use crate::cache::layout::Ziphash;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::{Path, PathBuf};

/// One module's remembered probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub module: String,
    pub fingerprint: String,
    pub zip_fingerprint: String,
    pub info: bool,
    pub go_mod: bool,
    pub zip: bool,
    pub partial: bool,
    pub dir: bool,
    /// Never [`Ziphash::Unreadable`]: an unreadable `.ziphash` is not remembered.
    pub ziphash: Ziphash,
    pub zip_size: Option<u64>,
    /// Names in the download directory.
    pub stray_tmp: Vec<OsString>,
    pub go_mod_h1: Option<String>,
}

impl Entry {
    /// Appends the entry's line (with its newline) to `out`.
    pub fn write_line(&self, out: &mut Vec<u8>) {
        escape(self.module.as_bytes(), out);
        out.push(b'\t');
        escape(self.fingerprint.as_bytes(), out);
        out.push(b'\t');
        escape(self.zip_fingerprint.as_bytes(), out);
        out.push(b'\t');
        for flag in [self.info, self.go_mod, self.zip, self.partial, self.dir] {
            out.push(if flag { b'1' } else { b'0' });
        }
        out.push(b'\t');
        match self.zip_size {
            Some(n) => out.extend_from_slice(n.to_string().as_bytes()),
            None => out.push(b'-'),
        }
        out.push(b'\t');
        match &self.ziphash {
            Ziphash::Valid(t) => {
                out.extend_from_slice(b"v:");
                escape(t.as_bytes(), out);
            }
            Ziphash::Invalid(t) => {
                out.extend_from_slice(b"i:");
                escape(t.as_bytes(), out);
            }
            Ziphash::Absent | Ziphash::Unreadable(_) => out.push(b'-'),
        }
        out.push(b'\t');
        match &self.go_mod_h1 {
            Some(h) => escape(h.as_bytes(), out),
            None => out.push(b'-'),
        }
        for name in &self.stray_tmp {
            out.push(b'\t');
            escape(name.as_bytes(), out);
        }
        out.push(b'\n');
    }

    /// The entry of `line` (without its newline); `None` when it is not a well-formed line.
    #[cfg(test)]
    pub fn parse(line: &[u8]) -> Option<Entry> {
        Self::parse_with(line, true)
    }

    /// [`Entry::parse`] with `module` and the fingerprints left empty: the caller found the line
    /// by them (a scan parses a thousand lines before its first frame).
    pub fn parse_found(line: &[u8]) -> Option<Entry> {
        Self::parse_with(line, false)
    }

    fn parse_with(line: &[u8], keys: bool) -> Option<Entry> {
        let mut fields = line.split(|&b| b == b'\t');
        let (module, fingerprint, zip_fingerprint) =
            (fields.next()?, fields.next()?, fields.next()?);
        let (module, fingerprint, zip_fingerprint) = if keys {
            (text(module)?, text(fingerprint)?, text(zip_fingerprint)?)
        } else {
            (String::new(), String::new(), String::new())
        };
        let flags: [u8; 5] = fields.next()?.try_into().ok()?;
        let flag = |i: usize| match flags[i] {
            b'1' => Some(true),
            b'0' => Some(false),
            _ => None,
        };
        let zip_size = match fields.next()? {
            b"-" => None,
            n if !n.is_empty() && n.iter().all(u8::is_ascii_digit) => {
                Some(std::str::from_utf8(n).ok()?.parse().ok()?)
            }
            _ => return None,
        };
        let ziphash = match fields.next()? {
            b"-" => Ziphash::Absent,
            f if f.starts_with(b"v:") => Ziphash::Valid(text(&f[2..])?),
            f if f.starts_with(b"i:") => Ziphash::Invalid(text(&f[2..])?),
            _ => return None,
        };
        let go_mod_h1 = match fields.next()? {
            b"-" => None,
            h => Some(text(h)?),
        };
        let stray_tmp = fields
            .map(|f| {
                let name = OsString::from_vec(unescape(f)?);
                // A bare name, nothing that could lead out of the download directory.
                let bare = !name.is_empty()
                    && name != "."
                    && name != ".."
                    && !name.as_bytes().contains(&b'/');
                bare.then_some(name)
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Entry {
            module,
            fingerprint,
            zip_fingerprint,
            info: flag(0)?,
            go_mod: flag(1)?,
            zip: flag(2)?,
            partial: flag(3)?,
            dir: flag(4)?,
            ziphash,
            zip_size,
            stray_tmp,
            go_mod_h1,
        })
    }

    /// The stray temporary files as paths in `download_dir`.
    pub fn stray_paths(&self, download_dir: &Path) -> Vec<PathBuf> {
        self.stray_tmp
            .iter()
            .map(|n| download_dir.join(n))
            .collect()
    }
}

/// The remembered lines of a memo file, indexed by module.
#[derive(Debug, Default)]
pub(super) struct MemoLines {
    data: Vec<u8>,
    /// Each entry line in `data`, sorted by module.
    lines: Vec<LineAt>,
}

/// Where a line is in the memo's bytes: its start, the end of its key (the first tab), and its
/// end (before the newline).
#[derive(Debug, Clone, Copy)]
struct LineAt {
    start: usize,
    key_end: usize,
    end: usize,
}

impl MemoLines {
    /// Indexes `data` from `start` (just after the header lines); `None` when the lines are not
    /// newline-terminated or not strictly sorted by module (not a file we wrote).
    pub fn index(data: Vec<u8>, start: usize) -> Option<MemoLines> {
        let mut lines = Vec::new();
        let mut at = start;
        while at < data.len() {
            let end = at + memchr::memchr(b'\n', &data[at..])?;
            let key_end = memchr::memchr(b'\t', &data[at..end]).map_or(end, |t| at + t);
            lines.push(LineAt {
                start: at,
                key_end,
                end,
            });
            at = end + 1;
        }
        let memo = MemoLines { data, lines };
        let sorted = memo
            .lines
            .windows(2)
            .all(|w| memo.key(w[0]) < memo.key(w[1]));
        sorted.then_some(memo)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    fn key(&self, at: LineAt) -> &[u8] {
        &self.data[at.start..at.key_end]
    }

    fn line(&self, at: LineAt) -> &[u8] {
        &self.data[at.start..at.end]
    }

    /// The line of `module` (as written, escaped), if remembered.
    pub fn find(&self, module: &str) -> Option<&[u8]> {
        // Only keys that need no escaping are remembered (module paths and versions are
        // printable ASCII), so the escaped key compares as the raw one.
        if !plain(module) {
            return None;
        }
        let i = self
            .lines
            .binary_search_by(|&l| self.key(l).cmp(module.as_bytes()))
            .ok()?;
        Some(self.line(self.lines[i]))
    }

    /// The lines with their keys, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.lines.iter().map(|&l| (self.key(l), self.line(l)))
    }
}

/// `line`'s fingerprint and zip fingerprint fields (checked before parsing the rest).
pub(super) fn fingerprint_fields(line: &[u8]) -> (&[u8], &[u8]) {
    let mut fields = line.splitn(4, |&b| b == b'\t');
    fields.next();
    (
        fields.next().unwrap_or_default(),
        fields.next().unwrap_or_default(),
    )
}

/// Whether `module` is written as it is (and so can be a key).
pub(super) fn plain(module: &str) -> bool {
    !module.bytes().any(needs_escape)
}

fn needs_escape(b: u8) -> bool {
    b == b'%' || !(0x20..0x7f).contains(&b)
}

fn escape(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        if needs_escape(b) {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn unescape(field: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        match field[i] {
            b'%' => {
                let hex = field.get(i + 1..i + 3)?;
                // Two hex digits exactly (`from_str_radix` alone would take a sign).
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 3;
            }
            b if needs_escape(b) => return None,
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

fn text(field: &[u8]) -> Option<String> {
    if !field.contains(&b'%') {
        // The common case: nothing escaped, and every byte is printable ASCII.
        return field
            .iter()
            .all(|&b| !needs_escape(b))
            .then(|| String::from_utf8(field.to_vec()).ok())
            .flatten();
    }
    String::from_utf8(unescape(field)?).ok()
}

#[cfg(test)]
mod tests;
