//! The checks go makes on a module zip's entry names and declared sizes before it extracts it
//! (x/mod `zip.checkZip`, run by `modzip.Unzip`; cmd/go `modfetch.downloadZip` checks the
//! prefix already when it stores the zip). A zip that fails them is one go refuses to use: it
//! was changed after download, or a hostile proxy served it (go stores the zip before it
//! extracts it, so such a zip can sit in the cache next to its `.ziphash`).
//!
//! Only the central directory is read: nothing is inflated, so a zip bomb is refused by what it
//! declares before any of it is expanded.

/// x/mod `zip.MaxZipFile`: the largest zip file, and the largest total of declared
/// uncompressed sizes, go accepts.
pub const MAX_ZIP_FILE: u64 = 500 << 20;
/// x/mod `zip.MaxGoMod`: the largest go.mod go accepts in a zip.
pub const MAX_GO_MOD: u64 = 16 << 20;
/// x/mod `zip.MaxLICENSE`: the largest LICENSE go accepts in a zip.
pub const MAX_LICENSE: u64 = 16 << 20;

/// Why go would refuse the zip: the first problem found, and how many entries have one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The first problem, in go's words where go has them.
    pub message: String,
    /// How many entries have a problem.
    pub entries: usize,
}

/// go's `checkZip` over `(raw name, declared uncompressed size)` of every central-directory
/// entry, for the module `prefix` = `path@version` (unescaped). Sizes: go.mod and LICENSE at
/// most 16 MiB each (the 500 MiB total is checked for every zip, see
/// [`declared_total_error`]).
pub fn check_entries<'a>(
    prefix: &str,
    entries: impl IntoIterator<Item = (&'a [u8], u64)>,
) -> Option<Refusal> {
    let root = format!("{prefix}/");
    let mut first: Option<String> = None;
    let mut count = 0usize;
    let mut seen = std::collections::HashMap::<String, (String, bool)>::new();
    for (raw, size) in entries {
        if let Some(message) = check_entry(&root, raw, size, &mut seen) {
            count += 1;
            first.get_or_insert(message);
        }
    }
    first.map(|message| Refusal {
        message,
        entries: count,
    })
}

/// One entry, in go's order: prefix, clean path, file-path rules, case collisions, go.mod
/// placement, sizes.
fn check_entry(
    root: &str,
    raw: &[u8],
    size: u64,
    seen: &mut std::collections::HashMap<String, (String, bool)>,
) -> Option<String> {
    let shown = String::from_utf8_lossy(raw);
    let Some(rel) = raw.strip_prefix(root.as_bytes()) else {
        if escapes(raw) {
            return Some(format!("zip entry name escapes the module root: {shown}"));
        }
        return Some(format!(
            "zip entry {shown} is outside the module's directory {root} (go: path does not have prefix)"
        ));
    };
    if rel.is_empty() {
        return None;
    }
    let (rel, is_dir) = match rel.strip_suffix(b"/") {
        Some(r) => (r, true),
        None => (rel, false),
    };
    if escapes(rel) {
        return Some(format!("zip entry name escapes the module root: {shown}"));
    }
    let Ok(name) = std::str::from_utf8(rel) else {
        return Some(format!(
            "zip entry name is not valid UTF-8: {shown} (go: malformed file path: invalid UTF-8)"
        ));
    };
    if let Err(why) = check_file_path(name) {
        return Some(format!(
            "zip entry name is not a valid file path ({why}): {shown}"
        ));
    }
    if let Err(why) = check_collision(seen, name, is_dir) {
        return Some(why);
    }
    if is_dir {
        return None;
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.eq_ignore_ascii_case("go.mod") && name != "go.mod" {
        return Some(if base != name {
            format!("zip entry {shown}: go.mod file not in module root directory")
        } else {
            format!("zip entry {shown}: go.mod files must have lowercase names")
        });
    }
    let limit = match name {
        "go.mod" => MAX_GO_MOD,
        "LICENSE" => MAX_LICENSE,
        _ => return None,
    };
    (size > limit).then(|| {
        format!(
            "{name} in the zip declares {size} bytes, more than go's {} MiB limit for it",
            limit >> 20
        )
    })
}

/// The zip declares more uncompressed content than go accepts (x/mod: "total uncompressed size
/// of module contents too large").
pub fn declared_total_error(total: u64) -> Option<String> {
    (total > MAX_ZIP_FILE).then(|| {
        format!(
            "zip is larger than go's 500 MiB limit: its entries declare {total} bytes uncompressed (refused without inflating any)"
        )
    })
}

/// An absolute name, or one with a `..` element: extracted naively, it lands outside the
/// module's directory.
fn escapes(name: &[u8]) -> bool {
    name.starts_with(b"/")
        || name.starts_with(b"\\")
        || name.split(|&b| b == b'/' || b == b'\\').any(|e| e == b"..")
}

/// x/mod `module.CheckFilePath` (path.Clean is implied: empty, `.` and `..` elements and a
/// trailing slash are refused). One difference: go accepts non-ASCII runes that are Unicode
/// letters (`unicode.IsLetter`); Rust's `is_alphabetic` accepts a few more (e.g. combining
/// marks), so a name we accept may still be refused by go, never the other way round.
pub fn check_file_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty string".into());
    }
    if path.ends_with('/') {
        return Err("trailing slash".into());
    }
    for elem in path.split('/') {
        check_elem(elem)?;
    }
    Ok(())
}

const BAD_WINDOWS_NAMES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

fn check_elem(elem: &str) -> Result<(), String> {
    if elem.is_empty() {
        return Err("empty path element".into());
    }
    if elem.bytes().all(|b| b == b'.') {
        return Err(format!("invalid path element {elem:?}"));
    }
    if elem.ends_with('.') {
        return Err("trailing dot in path element".into());
    }
    if let Some(c) = elem.chars().find(|&c| !file_name_ok(c)) {
        return Err(format!("invalid char {c:?}"));
    }
    let short = elem.split('.').next().unwrap_or(elem);
    if BAD_WINDOWS_NAMES
        .iter()
        .any(|b| b.eq_ignore_ascii_case(short))
    {
        return Err(format!(
            "{short:?} disallowed as path element component on Windows"
        ));
    }
    Ok(())
}

/// x/mod `fileNameOK`.
fn file_name_ok(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "!#$%&()+,-.=@[]^_{}~ ".contains(c)
    } else {
        c.is_alphabetic()
    }
}

/// x/mod `collisionChecker`: names (and every parent directory) equal when case is ignored.
/// Lower-casing stands in for go's Unicode simple folding (they agree on everything but a few
/// exotic letters).
fn check_collision(
    seen: &mut std::collections::HashMap<String, (String, bool)>,
    name: &str,
    is_dir: bool,
) -> Result<(), String> {
    let mut path = name;
    let mut dir = is_dir;
    loop {
        let fold = path.to_lowercase();
        match seen.get(&fold) {
            Some((other, other_dir)) => {
                if other != path {
                    return Err(format!(
                        "zip entry names collide when case is ignored: {other:?} and {path:?} (go: case-insensitive file name collision)"
                    ));
                }
                if dir != *other_dir {
                    return Err(format!("zip entry {path:?} is both a file and a directory"));
                }
                if !dir {
                    return Err(format!("the zip holds file {path:?} more than once"));
                }
            }
            None => {
                seen.insert(fold, (path.to_string(), dir));
            }
        }
        match path.rfind('/') {
            Some(i) => {
                path = &path[..i];
                dir = true;
            }
            None => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse(names: &[&[u8]]) -> Option<String> {
        check_entries("example.com/m@v1.0.0", names.iter().map(|n| (*n, 10u64))).map(|r| r.message)
    }

    #[test]
    fn a_well_formed_module_zip_passes() {
        assert_eq!(
            refuse(&[
                b"example.com/m@v1.0.0/go.mod",
                b"example.com/m@v1.0.0/sub/",
                b"example.com/m@v1.0.0/sub/a b.go",
                b"example.com/m@v1.0.0/\xc3\xa9t\xc3\xa9.go",
            ]),
            None
        );
    }

    #[test]
    fn names_outside_the_module_root_are_refused() {
        for bad in [
            &b"../evil.go"[..],
            b"/etc/evil",
            b"example.com/m@v1.0.0/../../evil.go",
            b"example.com/m@v1.0.0/a/../../b",
        ] {
            let msg = refuse(&[bad]).unwrap();
            assert!(
                msg.starts_with("zip entry name escapes the module root: "),
                "{msg}"
            );
        }
        let msg = refuse(&[b"example.com/other@v1.0.0/x.go"]).unwrap();
        assert!(msg.contains("outside the module's directory"), "{msg}");
    }

    #[test]
    fn go_file_path_rules() {
        let msg = refuse(&[b"example.com/m@v1.0.0/\xff.go"]).unwrap();
        assert!(msg.contains("not valid UTF-8"), "{msg}");
        for (name, why) in [
            (&b"example.com/m@v1.0.0/a//b.go"[..], "empty path element"),
            (b"example.com/m@v1.0.0/./a.go", "invalid path element"),
            (b"example.com/m@v1.0.0/a*.go", "invalid char"),
            (b"example.com/m@v1.0.0/con.go", "disallowed"),
            (b"example.com/m@v1.0.0/a.", "trailing dot"),
        ] {
            let msg = refuse(&[name]).unwrap();
            assert!(msg.contains(why), "{msg}");
        }
    }

    #[test]
    fn case_collisions_and_duplicates() {
        let msg = refuse(&[b"example.com/m@v1.0.0/a.go", b"example.com/m@v1.0.0/A.go"]).unwrap();
        assert!(msg.contains("collide when case is ignored"), "{msg}");
        let msg = refuse(&[
            b"example.com/m@v1.0.0/d/x.go",
            b"example.com/m@v1.0.0/D/y.go",
        ])
        .unwrap();
        assert!(msg.contains("\"d\" and \"D\""), "{msg}");
        let msg = refuse(&[b"example.com/m@v1.0.0/d", b"example.com/m@v1.0.0/d/x.go"]).unwrap();
        assert!(msg.contains("both a file and a directory"), "{msg}");
    }

    #[test]
    fn go_mod_placement_and_size_limits() {
        assert!(
            refuse(&[b"example.com/m@v1.0.0/sub/go.mod"])
                .unwrap()
                .contains("not in module root")
        );
        assert!(
            refuse(&[b"example.com/m@v1.0.0/GO.MOD"])
                .unwrap()
                .contains("lowercase")
        );
        let big = check_entries(
            "example.com/m@v1.0.0",
            [(&b"example.com/m@v1.0.0/go.mod"[..], MAX_GO_MOD + 1)],
        )
        .unwrap();
        assert!(big.message.contains("16 MiB"), "{}", big.message);
        assert!(declared_total_error(MAX_ZIP_FILE).is_none());
        assert!(
            declared_total_error(MAX_ZIP_FILE + 1)
                .unwrap()
                .contains("500 MiB")
        );
    }
}
