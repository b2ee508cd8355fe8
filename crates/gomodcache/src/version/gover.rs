//! Go toolchain and language versions (`1.21`, `1.21rc1`, `1.21.0`), compared exactly as
//! cmd/go's `gover` package does: `1.21 < 1.21rc1 < 1.21.0`, and before 1.21 a missing patch
//! means `.0` (`1.20 == 1.20.0`).

use std::cmp::Ordering;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Version<'a> {
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    kind: &'a str,
    pre: &'a str,
}

/// A leading decimal number without an unnecessary leading zero, and the rest.
fn cut_int(x: &str) -> Option<(&str, &str)> {
    let i = x.bytes().take_while(u8::is_ascii_digit).count();
    if i == 0 || (x.starts_with('0') && i != 1) {
        return None;
    }
    Some((&x[..i], &x[i..]))
}

/// `gover.Parse`; `None` for a malformed version.
fn parse(x: &str) -> Option<Version<'_>> {
    let mut v = Version::default();
    let (major, rest) = cut_int(x)?;
    v.major = major;
    if rest.is_empty() {
        v.minor = "0";
        v.patch = "0";
        return Some(v);
    }
    let rest = rest.strip_prefix('.')?;
    let (minor, rest) = cut_int(rest)?;
    v.minor = minor;
    if rest.is_empty() {
        if cmp_int(minor, "21") == Ordering::Less {
            v.patch = "0";
        }
        return Some(v);
    }
    if let Some(p) = rest.strip_prefix('.') {
        let (patch, rest) = cut_int(p)?;
        if !rest.is_empty() {
            return None;
        }
        v.patch = patch;
        return Some(v);
    }
    let i = rest.bytes().take_while(|b| !b.is_ascii_digit()).count();
    if i == 0 || !rest[..i].bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    v.kind = &rest[..i];
    let rest = &rest[i..];
    if rest.is_empty() {
        return Some(v);
    }
    let (pre, rest) = cut_int(rest)?;
    if !rest.is_empty() {
        return None;
    }
    v.pre = pre;
    Some(v)
}

/// Decimal strings compared as numbers; the empty string sorts first.
fn cmp_int(x: &str, y: &str) -> Ordering {
    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
}

/// `gover.Compare`: an invalid version sorts below every valid one (it parses as all-empty).
pub fn compare(x: &str, y: &str) -> Ordering {
    let vx = parse(x).unwrap_or_default();
    let vy = parse(y).unwrap_or_default();
    cmp_int(vx.major, vy.major)
        .then_with(|| cmp_int(vx.minor, vy.minor))
        .then_with(|| cmp_int(vx.patch, vy.patch))
        .then_with(|| vx.kind.cmp(vy.kind))
        .then_with(|| cmp_int(vx.pre, vy.pre))
}

pub fn is_valid(x: &str) -> bool {
    parse(x).is_some()
}

/// A language version (`1.22`), not a release (`1.22.0`, `1.22rc1`).
pub fn is_lang(x: &str) -> bool {
    parse(x).is_some_and(|v| v.patch.is_empty() && v.kind.is_empty() && v.pre.is_empty())
}

/// `gover.FromToolchain`: `go1.22.3` → `1.22.3`; custom suffixes after `-`, space or tab are
/// dropped; `None` for anything else.
pub fn from_toolchain(name: &str) -> Option<String> {
    if name.contains(['\\', '/']) {
        return None;
    }
    let v = name.strip_prefix("go")?;
    let v = v.split([' ', '\t', '-']).next().unwrap_or(v);
    is_valid(v).then(|| v.to_string())
}

/// The minor number of a version (`1.22.3` → 22), for release tags.
pub fn minor(x: &str) -> Option<u32> {
    parse(x).and_then(|v| v.minor.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_matches_gover() {
        let ordered = [
            "1.19", "1.20", "1.20.1", "1.21", "1.21rc1", "1.21rc2", "1.21.0", "1.21.1", "1.22",
            "1.99",
        ];
        for w in ordered.windows(2) {
            assert_eq!(compare(w[0], w[1]), Ordering::Less, "{} < {}", w[0], w[1]);
        }
        assert_eq!(compare("1.20", "1.20.0"), Ordering::Equal);
        assert_eq!(compare("1", "1.0.0"), Ordering::Equal);
        assert_eq!(compare("1.21beta1", "1.21rc1"), Ordering::Less);
        assert_eq!(compare("junk", "1.0"), Ordering::Less);
        assert!(!is_valid("1.21.0rc1") && !is_valid("01.2") && !is_valid("1.2X"));
    }

    #[test]
    fn toolchain_names_and_language_versions() {
        assert_eq!(from_toolchain("go1.22.3").as_deref(), Some("1.22.3"));
        assert_eq!(from_toolchain("go1.21.1-custom").as_deref(), Some("1.21.1"));
        assert_eq!(from_toolchain("go1.23rc1").as_deref(), Some("1.23rc1"));
        assert_eq!(from_toolchain("gccgo"), None);
        assert_eq!(from_toolchain("go/1.2"), None);
        assert!(is_lang("1.22") && !is_lang("1.22.0") && !is_lang("1.22rc1"));
        assert_eq!(minor("1.26.8"), Some(26));
    }
}
