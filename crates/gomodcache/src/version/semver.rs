//! Go module versions as golang.org/x/mod's `semver` package reads and orders them: the one port
//! of its parser (`semver.IsValid/Canonical/Major/Build`, `module.CanonicalVersion`) and
//! `semver.Compare` (`v` prefix, prerelease before release, build metadata, including
//! `+incompatible`, ignored when comparing).

use std::cmp::Ordering;

/// A version split as x/mod's `semver.parse` splits it (`minor`/`patch` are `"0"` in the
/// shorthands `v1` and `v1.2`, which take no prerelease or build).
pub(crate) struct Parsed<'a> {
    pub major: &'a str,
    pub minor: &'a str,
    pub patch: &'a str,
    /// Without its `-`; empty when there is none.
    pub prerelease: &'a str,
    short: &'static str,
    build: &'a str,
}

fn parse_int(v: &str) -> Option<(&str, &str)> {
    let b = v.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    let i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if b[0] == b'0' && i != 1 {
        return None;
    }
    Some((&v[..i], &v[i..]))
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

fn is_bad_num(v: &str) -> bool {
    v.len() > 1 && v.bytes().all(|c| c.is_ascii_digit()) && v.starts_with('0')
}

/// Parses dot-separated identifiers after a leading `-` (prerelease) or `+` (build); returns the rest.
fn parse_idents(v: &str, prerelease: bool) -> Option<(&str, &str)> {
    let b = v.as_bytes();
    let (mut i, mut start) = (1, 1);
    while i < b.len() && !(prerelease && b[i] == b'+') {
        if !is_ident_char(b[i]) && b[i] != b'.' {
            return None;
        }
        if b[i] == b'.' {
            if start == i || (prerelease && is_bad_num(&v[start..i])) {
                return None;
            }
            start = i + 1;
        }
        i += 1;
    }
    if start == i || (prerelease && is_bad_num(&v[start..i])) {
        return None;
    }
    Some((&v[..i], &v[i..]))
}

/// x/mod `semver.parse`: `None` when `v` is not a valid semantic version.
pub(crate) fn parse(v: &str) -> Option<Parsed<'_>> {
    let rest = v.strip_prefix('v')?;
    let (major, rest) = parse_int(rest)?;
    let mut p = Parsed {
        major,
        minor: "0",
        patch: "0",
        prerelease: "",
        short: "",
        build: "",
    };
    if rest.is_empty() {
        p.short = ".0.0";
        return Some(p);
    }
    let (minor, rest) = parse_int(rest.strip_prefix('.')?)?;
    p.minor = minor;
    if rest.is_empty() {
        p.short = ".0";
        return Some(p);
    }
    let (patch, mut rest) = parse_int(rest.strip_prefix('.')?)?;
    p.patch = patch;
    if rest.starts_with('-') {
        let (pre, r) = parse_idents(rest, true)?;
        p.prerelease = &pre[1..];
        rest = r;
    }
    if rest.starts_with('+') {
        let (build, r) = parse_idents(rest, false)?;
        p.build = build;
        rest = r;
    }
    rest.is_empty().then_some(p)
}

/// `semver.IsValid`.
pub fn is_valid(v: &str) -> bool {
    parse(v).is_some()
}

/// `semver.Canonical`: `v1.2` → `v1.2.0`, build metadata stripped; `""` when invalid.
pub fn canonical(v: &str) -> String {
    match parse(v) {
        None => String::new(),
        Some(p) if !p.build.is_empty() => v[..v.len() - p.build.len()].to_string(),
        Some(p) => format!("{v}{}", p.short),
    }
}

/// `semver.Major`: `v2.1.0` → `v2`; `""` when invalid.
pub(crate) fn major(v: &str) -> &str {
    parse(v).map_or("", |p| &v[..1 + p.major.len()])
}

/// `semver.Build`: the `+...` suffix; `""` when absent or invalid.
pub fn build(v: &str) -> &str {
    parse(v).map_or("", |p| p.build)
}

/// `module.CanonicalVersion`: like [`canonical`] but keeps `+incompatible`.
pub fn canonical_version(v: &str) -> String {
    let mut cv = canonical(v);
    if build(v) == "+incompatible" {
        cv.push_str("+incompatible");
    }
    cv
}

fn is_num(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn cmp_num(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let ord = match (is_num(p), is_num(q)) {
                    (true, true) => cmp_num(p, q),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => p.cmp(q),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

/// Compares two versions as Go does; an invalid version sorts below every valid one.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(p), Some(q)) => cmp_num(p.major, q.major)
            .then_with(|| cmp_num(p.minor, q.minor))
            .then_with(|| cmp_num(p.patch, q.patch))
            .then_with(|| cmp_prerelease(p.prerelease, q.prerelease)),
    }
}

/// Whether a version is a pseudo-version (`vX.Y.Z-[pre.]0.yyyymmddhhmmss-abcdef123456`).
pub(crate) fn is_pseudo_version(v: &str) -> bool {
    let core = v.split('+').next().unwrap_or(v);
    let Some((rest, rev)) = core.rsplit_once('-') else {
        return false;
    };
    let Some((_, stamp)) = rest.rsplit_once(['-', '.']) else {
        return false;
    };
    rev.len() >= 12
        && rev.bytes().all(|b| b.is_ascii_alphanumeric())
        && stamp.len() == 14
        && stamp.bytes().all(|b| b.is_ascii_digit())
        && is_valid(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn orders_like_go() {
        assert_eq!(compare("v1.2.3", "v1.10.0"), Less);
        assert_eq!(compare("v1.0.0-rc.1", "v1.0.0"), Less);
        assert_eq!(compare("v1.0.0-alpha", "v1.0.0-alpha.1"), Less);
        assert_eq!(compare("v1.0.0-alpha.beta", "v1.0.0-beta"), Less);
        assert_eq!(compare("v1.0.0-2", "v1.0.0-10"), Less);
        assert_eq!(compare("v1.0.0-9", "v1.0.0-a"), Less);
        assert_eq!(compare("v2.0.0+incompatible", "v2.0.0"), Equal);
        assert_eq!(
            compare("v0.0.0-20240110193028-4a1a5e8c0d3b", "v0.1.0"),
            Less
        );
        assert_eq!(compare("v1.2", "v1.2.0"), Equal);
        assert_eq!(compare("bad", "v0.0.0"), Less);
        assert_eq!(compare("v1.2-pre", "v0.0.1"), Less, "invalid sorts first");
        assert_eq!(compare("v1", "v1.0.0-rc.1"), Greater);
    }

    #[test]
    fn validity_and_pseudo_versions() {
        assert!(is_valid("v1.0.0-RC1"));
        assert!(!is_valid("1.0.0"));
        assert!(!is_valid("v1.0.0-"));
        assert!(!is_valid("v01.0.0"));
        // As x/mod: shorthands take no prerelease or build, and a build needs identifiers.
        assert!(!is_valid("v1.2-pre"));
        assert!(!is_valid("v1-pre"));
        assert!(!is_valid("v1.0.0+"));
        assert!(!is_valid("v1.0.0-01"));
        assert!(is_valid("v1.0.0-0a"));
        assert!(is_pseudo_version("v0.0.0-20240110193028-4a1a5e8c0d3b"));
        assert!(is_pseudo_version(
            "v1.2.4-0.20190413222219-f784269be439+incompatible"
        ));
        assert!(is_pseudo_version(
            "v1.0.0-RC3.0.20210907151655-df2bdbbadb26"
        ));
        assert!(!is_pseudo_version("v1.0.0-rc.1"));
    }

    #[test]
    fn semver_like_x_mod() {
        assert_eq!(canonical("v1.2"), "v1.2.0");
        assert_eq!(canonical("v1"), "v1.0.0");
        assert_eq!(canonical("v1.2.3+meta"), "v1.2.3");
        assert_eq!(
            canonical_version("v2.0.0+incompatible"),
            "v2.0.0+incompatible"
        );
        assert_eq!(canonical_version("v1.2.3-rc.1+build.5"), "v1.2.3-rc.1");
        assert_eq!(canonical("v1.2-pre"), "");
        assert_eq!(canonical("v01.2.3"), "");
        assert_eq!(canonical("v1.2.3-01"), "");
        assert_eq!(canonical("v1.2.3-"), "");
        assert_eq!(canonical("1.2.3"), "");
        assert!(is_valid("v1.0.0-RC3.0.20210907151655-df2bdbbadb26"));
        assert!(is_valid("v1.18.1-20250703125925-3f0fcf4bff96.1"));
        assert_eq!(major("v2.1.0"), "v2");
        assert_eq!(build("v2.1.0+incompatible"), "+incompatible");
    }
}
