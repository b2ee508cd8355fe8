//! GOFLAGS as cmd/go reads it (`base.InitGOFLAGS`, `quoted.Split`; spec §1.3, §9.4): words
//! separated by spaces, `'…'`/`"…"` quoting, every word a flag (`-x`, `--x`, `-x=value`);
//! later occurrences win. Only the flags that matter for module loading are interpreted.

/// One `-name[=value]` word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GoFlags {
    pub flags: Vec<Flag>,
    /// `-mod=` (the last one), as written.
    pub mod_flag: Option<String>,
    pub modcacherw: bool,
    pub modfile: Option<String>,
    /// `-tags=a,b` (commas or spaces).
    pub tags: Vec<String>,
}

/// go's `quoted.Split` (GOFLAGS, GOAUTH commands): fields separated by spaces, a field in
/// `'…'` or `"…"` taken as it is; an unterminated quote is an error.
pub fn split_quoted(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        let Some(first) = rest.chars().next() else {
            return Ok(out);
        };
        if first == '"' || first == '\'' {
            let body = &rest[1..];
            let end = body
                .find(first)
                .ok_or_else(|| format!("unterminated {first} string"))?;
            out.push(body[..end].to_string());
            rest = &body[end + 1..];
        } else {
            let end = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
}

/// Parses GOFLAGS; the error is go's own message (`go: parsing $GOFLAGS: …`), which makes
/// every build command fail.
pub fn parse_goflags(value: &str) -> Result<GoFlags, String> {
    let words = split_quoted(value).map_err(|e| format!("go: parsing $GOFLAGS: {e}"))?;
    let mut out = GoFlags::default();
    for w in words {
        let bad = !w.starts_with('-')
            || w == "-"
            || w == "--"
            || w.starts_with("---")
            || w.starts_with("-=")
            || w.starts_with("--=");
        if bad {
            return Err(format!("go: parsing $GOFLAGS: non-flag {w:?}"));
        }
        let body = w.strip_prefix("--").unwrap_or(&w[1..]);
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        match (name.as_str(), &value) {
            ("mod", Some(v)) => out.mod_flag = Some(v.clone()),
            ("modcacherw", v) => out.modcacherw = v.as_deref().is_none_or(|v| v == "true"),
            ("modfile", Some(v)) => out.modfile = Some(v.clone()),
            ("tags", Some(v)) => {
                out.tags = v
                    .split([',', ' '])
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            _ => {}
        }
        out.flags.push(Flag { name, value });
    }
    Ok(out)
}

impl GoFlags {
    /// The error go reports for an unsupported `-mod` value (`work/init.go`).
    pub fn mod_error(&self) -> Option<String> {
        match self.mod_flag.as_deref() {
            None | Some("" | "mod" | "readonly" | "vendor") => None,
            Some(v) => Some(format!(
                "-mod={v} not supported (can be '', 'mod', 'readonly', or 'vendor')"
            )),
        }
    }

    /// `-mod` set to a non-empty value (an empty `-mod=` is the default).
    pub fn explicit_mod(&self) -> Option<&str> {
        self.mod_flag.as_deref().filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_quotes_and_last_wins() {
        let f = parse_goflags("-mod=vendor  --modcacherw '-tags=a b' -mod=mod").unwrap();
        assert_eq!(f.mod_flag.as_deref(), Some("mod"));
        assert!(f.modcacherw);
        assert_eq!(f.tags, ["a", "b"]);
        assert_eq!(f.flags.len(), 4);
        assert_eq!(parse_goflags("").unwrap(), GoFlags::default());
    }

    #[test]
    fn bad_words_are_go_errors() {
        assert_eq!(
            parse_goflags("-mod=mod vendor").unwrap_err(),
            "go: parsing $GOFLAGS: non-flag \"vendor\""
        );
        assert!(
            parse_goflags("'-mod=mod")
                .unwrap_err()
                .contains("unterminated ' string")
        );
        assert!(parse_goflags("---x").is_err() && parse_goflags("-=x").is_err());
        let f = parse_goflags("-mod=bogus").unwrap();
        assert!(
            f.mod_error()
                .unwrap()
                .starts_with("-mod=bogus not supported")
        );
    }
}
