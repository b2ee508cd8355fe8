//! Go's semantic-version ordering (x/mod `semver.Compare`): `v` prefix, prerelease before
//! release, build metadata (including `+incompatible`) ignored when comparing. Versions are
//! parsed by the one port of x/mod's parser, [`crate::files::version`].

use crate::files::version;
use std::cmp::Ordering;

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

/// Whether `v` is a valid Go semantic version (shorthands like `v1.2` included).
pub fn is_valid(v: &str) -> bool {
    version::is_valid(v)
}

/// Compares two versions as Go does; an invalid version sorts below every valid one.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (version::parse(a), version::parse(b)) {
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
pub fn is_pseudo_version(v: &str) -> bool {
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
}
