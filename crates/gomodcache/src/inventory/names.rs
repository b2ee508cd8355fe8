//! What a file name in the module cache is: the files of `cache/download/<path>/@v` (spec §2.2)
//! and the extracted trees' directory names. Pure functions of the name.

/// One file of a version in `cache/download/<esc path>/@v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DownloadKind {
    Info,
    Mod,
    Zip,
    Ziphash,
    Lock,
    Partial,
    /// A temporary file of an interrupted write: `<ver>.zip<random>.tmp`, `<ver>.mod…tmp`, …
    Temp,
}

/// What a name in an `@v` directory is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtVName {
    /// `<esc version>.<ext>`.
    Version(String, DownloadKind),
    /// `list` (and go's lock of it): belongs to the module path, not to one version.
    PathFile,
    /// Anything else.
    Unknown,
}

/// Classifies a file name of `cache/download/<esc path>/@v`.
pub fn classify_at_v(name: &str) -> AtVName {
    if name == "list" || name.starts_with("list.") {
        return AtVName::PathFile;
    }
    if let Some(stem) = name.strip_suffix(".tmp") {
        // go's temporary names: `os.CreateTemp(dir, "<ver>.<ext>*.tmp")`: a random number
        // between the extension and `.tmp`.
        let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit());
        for ext in [".ziphash", ".zip", ".mod", ".info"] {
            if let Some(v) = stem.strip_suffix(ext)
                && !v.is_empty()
            {
                return AtVName::Version(v.to_string(), DownloadKind::Temp);
            }
        }
        return AtVName::Unknown;
    }
    let Some((v, ext)) = name.rsplit_once('.') else {
        return AtVName::Unknown;
    };
    let kind = match ext {
        "info" => DownloadKind::Info,
        "mod" => DownloadKind::Mod,
        "zip" => DownloadKind::Zip,
        "ziphash" => DownloadKind::Ziphash,
        "lock" => DownloadKind::Lock,
        "partial" => DownloadKind::Partial,
        _ => return AtVName::Unknown,
    };
    if v.is_empty() {
        return AtVName::Unknown;
    }
    AtVName::Version(v.to_string(), kind)
}

/// What a directory named `<name>` with an `@` is in the tree half of the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtDir {
    /// `<last path element>@<esc version>`: an extracted tree.
    Tree { element: String, version: String },
    /// `<elem>@<ver>.tmp-<random>`: a temporary extraction directory of go before 1.16.
    TempTree,
}

/// Classifies a directory name holding `@` (module path elements never hold one); `None` for
/// a name without `@`.
pub fn classify_at_dir(name: &str) -> Option<AtDir> {
    let (element, version) = name.split_once('@')?;
    if element.is_empty() || version.is_empty() {
        return Some(AtDir::TempTree);
    }
    if let Some((_, random)) = version.rsplit_once(".tmp-")
        && random.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(AtDir::TempTree);
    }
    Some(AtDir::Tree {
        element: element.to_string(),
        version: version.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names() {
        use DownloadKind::*;
        let v = |s: &str, k| AtVName::Version(s.into(), k);
        assert_eq!(classify_at_v("v1.2.3.zip"), v("v1.2.3", Zip));
        assert_eq!(
            classify_at_v("v1.0.0-!r!c1.ziphash"),
            v("v1.0.0-!r!c1", Ziphash)
        );
        assert_eq!(classify_at_v("v1.2.3.mod"), v("v1.2.3", Mod));
        assert_eq!(classify_at_v("v1.2.3.lock"), v("v1.2.3", Lock));
        assert_eq!(classify_at_v("v1.2.3.partial"), v("v1.2.3", Partial));
        assert_eq!(classify_at_v("v1.2.3.info"), v("v1.2.3", Info));
        assert_eq!(classify_at_v("v1.2.3.zip2345678.tmp"), v("v1.2.3", Temp));
        assert_eq!(classify_at_v("v1.2.3.mod99.tmp"), v("v1.2.3", Temp));
        assert_eq!(classify_at_v("v1.2.3.info.tmp"), v("v1.2.3", Temp));
        assert_eq!(classify_at_v("list"), AtVName::PathFile);
        assert_eq!(classify_at_v("list.lock"), AtVName::PathFile);
        assert_eq!(classify_at_v("junk.tmp"), AtVName::Unknown);
        assert_eq!(classify_at_v("README"), AtVName::Unknown);
        assert_eq!(classify_at_v(".zip"), AtVName::Unknown);
    }

    #[test]
    fn tree_names() {
        assert_eq!(
            classify_at_dir("!upper@v1.0.0-!r!c1"),
            Some(AtDir::Tree {
                element: "!upper".into(),
                version: "v1.0.0-!r!c1".into()
            })
        );
        assert_eq!(classify_at_dir("a@v1.0.0.tmp-12345"), Some(AtDir::TempTree));
        assert_eq!(classify_at_dir("@v1"), Some(AtDir::TempTree));
        assert_eq!(classify_at_dir("plain"), None);
    }
}
