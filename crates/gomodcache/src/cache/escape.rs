//! Go's case-encoding of module paths and versions on disk (`!` + lower case), both ways.
//!
//! Escaping happens only on disk and in proxy URLs: go.sum, zip entry prefixes and the dirhash
//! prefix all use the *unescaped* `path@version` (x/mod `module.EscapePath`/`UnescapePath`).

use thiserror::Error;

/// Why a module path or version has no on-disk form, or a name on disk is not one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EscapeError {
    /// The path or version cannot be escaped (empty, holds `!` or a non-ASCII character,
    /// malformed slashes, ...).
    #[error("{what} {value:?} cannot be escaped: {reason}")]
    Unescapable {
        /// `"module path"` or `"version"`.
        what: &'static str,
        /// The text that was given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The name is not the escaped form of any path or version (a raw upper-case letter, a
    /// dangling `!`, ...).
    #[error("{what} {value:?} is not a valid escaped name: {reason}")]
    BadEscape {
        /// `"module path"` or `"version"`.
        what: &'static str,
        /// The escaped text that was given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

fn escape_string(what: &'static str, s: &str) -> Result<String, EscapeError> {
    let fail = |reason| EscapeError::Unescapable {
        what,
        value: s.to_string(),
        reason,
    };
    if s.is_empty() {
        return Err(fail("empty"));
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c == '!' {
            return Err(fail("contains '!'"));
        }
        if !c.is_ascii() {
            return Err(fail("contains a non-ASCII character"));
        }
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn unescape_string(what: &'static str, e: &str) -> Result<String, EscapeError> {
    let fail = |reason| EscapeError::BadEscape {
        what,
        value: e.to_string(),
        reason,
    };
    let mut out = String::with_capacity(e.len());
    let mut bang = false;
    for c in e.chars() {
        if !c.is_ascii() {
            return Err(fail("non-ASCII character"));
        }
        if bang {
            bang = false;
            if !c.is_ascii_lowercase() {
                return Err(fail("'!' not followed by a lower-case letter"));
            }
            out.push(c.to_ascii_uppercase());
            continue;
        }
        if c == '!' {
            bang = true;
            continue;
        }
        if c.is_ascii_uppercase() {
            return Err(fail("raw upper-case letter"));
        }
        out.push(c);
    }
    if bang {
        return Err(fail("trailing '!'"));
    }
    if out.is_empty() {
        return Err(fail("empty"));
    }
    Ok(out)
}

/// The on-disk form of a module path (`github.com/BurntSushi/toml` → `github.com/!burnt!sushi/toml`).
pub fn escape_path(path: &str) -> Result<String, EscapeError> {
    if path.starts_with('/') || path.ends_with('/') || path.contains("//") {
        return Err(EscapeError::Unescapable {
            what: "module path",
            value: path.into(),
            reason: "malformed slashes",
        });
    }
    if path.split('/').any(|elem| elem.chars().all(|c| c == '.')) {
        return Err(EscapeError::Unescapable {
            what: "module path",
            value: path.into(),
            reason: "dot-only element",
        });
    }
    escape_string("module path", path)
}

/// The on-disk form of a version (`v1.0.0-RC1` → `v1.0.0-!r!c1`). A version is one path element.
pub(crate) fn escape_version(version: &str) -> Result<String, EscapeError> {
    if version.contains('/') || version.chars().all(|c| c == '.') {
        return Err(EscapeError::Unescapable {
            what: "version",
            value: version.into(),
            reason: "not a single path element",
        });
    }
    escape_string("version", version)
}

/// Reverses [`escape_path`]; rejects raw upper case and dangling `!` like Go does.
pub fn unescape_path(escaped: &str) -> Result<String, EscapeError> {
    let p = unescape_string("module path", escaped)?;
    escape_path(&p).map_err(|_| EscapeError::BadEscape {
        what: "module path",
        value: escaped.into(),
        reason: "not a module path",
    })?;
    Ok(p)
}

/// Reverses [`escape_version`].
pub(crate) fn unescape_version(escaped: &str) -> Result<String, EscapeError> {
    let v = unescape_string("version", escaped)?;
    escape_version(&v).map_err(|_| EscapeError::BadEscape {
        what: "version",
        value: escaped.into(),
        reason: "not a version",
    })?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modfile::print::strategies;
    use proptest::prelude::*;

    #[test]
    fn spec_example_upper_case_path_and_prerelease() {
        assert_eq!(
            escape_path("example.com/Upper").unwrap(),
            "example.com/!upper"
        );
        assert_eq!(escape_version("v1.0.0-RC1").unwrap(), "v1.0.0-!r!c1");
        assert_eq!(
            escape_path("github.com/BurntSushi/toml").unwrap(),
            "github.com/!burnt!sushi/toml"
        );
        assert_eq!(
            unescape_path("github.com/!burnt!sushi/toml").unwrap(),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(unescape_version("v1.0.0-!r!c1").unwrap(), "v1.0.0-RC1");
    }

    #[test]
    fn lower_case_is_unchanged() {
        assert_eq!(escape_path("golang.org/x/mod").unwrap(), "golang.org/x/mod");
        assert_eq!(
            escape_version("v2.0.0+incompatible").unwrap(),
            "v2.0.0+incompatible"
        );
        assert_eq!(
            escape_path("git.sr.ht/~mariusor/go-xsd-duration").unwrap(),
            "git.sr.ht/~mariusor/go-xsd-duration"
        );
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert!(escape_path("example.com/a!b").is_err());
        assert!(escape_path("example.com/é").is_err());
        assert!(escape_path("example.com//a").is_err());
        assert!(escape_path("example.com/..").is_err());
        assert!(escape_version("v1/2").is_err());
        assert!(
            unescape_path("example.com/Upper").is_err(),
            "raw upper case"
        );
        assert!(unescape_path("example.com/!").is_err(), "dangling bang");
        assert!(
            unescape_path("example.com/!1").is_err(),
            "bang before a digit"
        );
        assert!(unescape_version("v1.0.0-!!r").is_err());
    }

    proptest! {
        #[test]
        fn escape_round_trips(path in "[a-z]{1,8}\\.[a-z]{2,3}(/[A-Za-z0-9_~-]{1,10}){0,4}") {
            let e = escape_path(&path).unwrap();
            prop_assert!(!e.chars().any(|c| c.is_ascii_uppercase()));
            prop_assert_eq!(unescape_path(&e).unwrap(), path);
        }

        /// Valid module paths (x/mod's import-path check, any major-version form, upper case
        /// included) escape to lower case and back.
        #[test]
        fn module_paths_round_trip(path in strategies::module_path()) {
            let e = escape_path(&path).unwrap();
            prop_assert!(!e.chars().any(|c| c.is_ascii_uppercase()), "{}", e);
            prop_assert_eq!(unescape_path(&e).unwrap(), path);
        }

        /// Versions (releases, prereleases such as `-RC1`, pseudo-versions, `+incompatible`)
        /// escape to lower case and back.
        #[test]
        fn versions_round_trip(v in strategies::any_version()) {
            let e = escape_version(&v).unwrap();
            prop_assert!(!e.chars().any(|c| c.is_ascii_uppercase()), "{}", e);
            prop_assert_eq!(unescape_version(&e).unwrap(), v);
        }

        /// Whatever unescapes, escapes back to the same text: the encoding is one-to-one.
        #[test]
        fn unescape_then_escape_is_identity(s in "[a-z0-9!._~/-]{1,24}") {
            if let Ok(p) = unescape_path(&s) {
                prop_assert_eq!(escape_path(&p).unwrap(), s.clone());
            }
            if let Ok(v) = unescape_version(&s) {
                prop_assert_eq!(escape_version(&v).unwrap(), s);
            }
        }

        #[test]
        fn unescape_never_panics(s in "\\PC{0,40}") {
            let _ = unescape_path(&s);
            let _ = unescape_version(&s);
        }
    }
}
