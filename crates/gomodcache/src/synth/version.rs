//! Version helpers a proxy and the module cache need on top of [`crate::version::semver`]: a total
//! sort order for `list` files, the canonical-version test of go's `rewriteVersionList`, and the
//! time a pseudo-version encodes.

use crate::version::semver;
use std::cmp::Ordering;

/// Semver order as `semver.Sort` does it: ties (`v2.0.0` vs `v2.0.0+incompatible`) broken by the
/// raw string, so sorting is total and deterministic.
pub fn sort_order(a: &str, b: &str) -> Ordering {
    semver::compare(a, b).then_with(|| a.cmp(b))
}

/// x/mod `CanonicalVersion(v) == v`: a full `vX.Y.Z[-pre]` whose only allowed build suffix is
/// `+incompatible`. Escaped names with `!` fail, which is why go's `@v/list` in the module cache
/// never lists versions with upper-case letters (spec §2.4).
pub fn is_canonical_version(v: &str) -> bool {
    let (core, build) = v.split_once('+').map_or((v, None), |(c, b)| (c, Some(b)));
    let numbers = core.split_once('-').map_or(core, |(n, _)| n);
    semver::is_valid(v)
        && !v.contains('!')
        && numbers.matches('.').count() == 2
        && build.is_none_or(|b| b == "incompatible")
}

/// The RFC 3339 time a pseudo-version encodes (`…-20240110193028-…` → `2024-01-10T19:30:28Z`).
pub fn pseudo_version_time(v: &str) -> Option<String> {
    if !semver::is_pseudo_version(v) {
        return None;
    }
    let core = v.split_once('+').map_or(v, |(c, _)| c);
    let (head, _rev) = core.rsplit_once('-')?;
    let t = head.get(head.len().checked_sub(14)?..)?;
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &t[0..4],
        &t[4..6],
        &t[6..8],
        &t[8..10],
        &t[10..12],
        &t[12..14]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_semver_sort() {
        let mut v = vec![
            "v1.10.0",
            "v1.2.0",
            "v2.0.0+incompatible",
            "v1.2.0-rc.1",
            "v0.0.0-20240110193028-4a1a5e8c0d3b",
            "v2.0.0",
        ];
        v.sort_by(|a, b| sort_order(a, b));
        assert_eq!(
            v,
            [
                "v0.0.0-20240110193028-4a1a5e8c0d3b",
                "v1.2.0-rc.1",
                "v1.2.0",
                "v1.10.0",
                "v2.0.0",
                "v2.0.0+incompatible",
            ]
        );
    }

    #[test]
    fn canonical_versions() {
        for v in [
            "v1.0.0",
            "v1.0.0-RC1",
            "v24.0.9+incompatible",
            "v0.0.0-20240110193028-4a1a5e8c0d3b",
        ] {
            assert!(is_canonical_version(v), "{v}");
        }
        for v in ["v1.0", "v1.0.0-!r!c1", "v1.0.0+build", "1.0.0", "list"] {
            assert!(!is_canonical_version(v), "{v}");
        }
    }

    #[test]
    fn pseudo_version_times() {
        assert_eq!(
            pseudo_version_time("v0.0.0-20240110193028-4a1a5e8c0d3b").as_deref(),
            Some("2024-01-10T19:30:28Z")
        );
        assert_eq!(
            pseudo_version_time("v1.2.4-0.20190413222219-f784269be439+incompatible").as_deref(),
            Some("2019-04-13T22:22:19Z")
        );
        assert_eq!(pseudo_version_time("v1.3.2"), None);
    }
}
