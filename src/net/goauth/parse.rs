//! Reading GOAUTH and what its methods answer, as go's cmd/go/internal/auth reads them: the
//! list itself, a command's words, a command's credential sets, `git credential fill`'s answer.

use gomodcache::goenv::split_quoted;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Header lines (name, value) to send.
pub type Headers = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Netrc,
    Git(PathBuf),
    /// The text as written (for messages) and its words.
    Command(String, Vec<String>),
}

/// The methods of a GOAUTH value, in its order (empty: `off`); the errors go stops with.
pub fn parse(goauth: &str) -> Result<Vec<Method>, String> {
    let goauth = if goauth.is_empty() { "netrc" } else { goauth };
    let parts: Vec<&str> = goauth.split(';').map(str::trim).collect();
    let mut methods = Vec::new();
    for part in &parts {
        let words: Vec<&str> = part.split_whitespace().collect();
        match words.first().copied() {
            None => {
                return Err(format!(
                    "GOAUTH encountered an empty command (GOAUTH={goauth})"
                ));
            }
            Some("off") if parts.len() == 1 => return Ok(Vec::new()),
            Some("off") => {
                return Err(format!(
                    "GOAUTH=off cannot be combined with other authentication commands (GOAUTH={goauth})"
                ));
            }
            Some("netrc") => methods.push(Method::Netrc),
            Some("git") => {
                let [_, dir] = words[..] else {
                    return Err(
                        "GOAUTH=git dir method requires an absolute path to the git working directory"
                            .into(),
                    );
                };
                let dir = PathBuf::from(dir);
                if !dir.is_absolute() {
                    return Err(format!(
                        "GOAUTH=git dir method requires an absolute path to the git working directory, {} is not absolute",
                        dir.display()
                    ));
                }
                if !dir.is_dir() {
                    return Err(format!(
                        "GOAUTH=git dir method requires an absolute path to the git working directory, {} is not a directory",
                        dir.display()
                    ));
                }
                methods.push(Method::Git(dir));
            }
            Some(_) => {
                let words = split_quoted(part)
                    .map_err(|e| format!("cannot parse GOAUTH command {part}: {e}"))?;
                methods.push(Method::Command(part.to_string(), words));
            }
        }
    }
    Ok(methods)
}

/// A credential prefix as go keeps it: without `https://` and a trailing `/`.
pub(super) fn prefix_of(url: &str) -> String {
    url.strip_prefix("https://")
        .unwrap_or(url)
        .trim_end_matches('/')
        .to_string()
}

/// go's `parseUserAuth`: credential sets of URL lines, a blank line, header lines, a blank line.
pub fn parse_command_output(data: &str) -> Result<BTreeMap<String, Headers>, String> {
    let mut out = BTreeMap::new();
    let mut rest = data;
    let next_line = |rest: &mut &str, missing: &str| -> Result<String, String> {
        let (line, after) = rest
            .split_once('\n')
            .ok_or_else(|| format!("invalid format: missing empty line after {missing}"))?;
        *rest = after;
        Ok(line.to_string())
    };
    while !rest.is_empty() {
        let mut urls = Vec::new();
        loop {
            let line = next_line(&mut rest, "URLs")?;
            if line.is_empty() {
                break;
            }
            if !(line.starts_with('/') || line.contains("://")) {
                return Err("could not parse a URL line".into());
            }
            urls.push(prefix_of(&line));
        }
        let mut headers = Headers::new();
        loop {
            let line = next_line(&mut rest, "headers")?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(": ")
                .ok_or("invalid format: invalid header line")?;
            let value = value.trim();
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if name.is_empty()
                || !name.chars().all(token)
                || value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
            {
                return Err("invalid format: invalid header line".into());
            }
            headers.push((name.to_string(), value.to_string()));
        }
        for u in urls {
            out.insert(u, headers.clone());
        }
    }
    Ok(out)
}

/// go's `parseGitAuth`: the URL `git credential fill` answered for, and the login.
pub(super) fn parse_git_output(data: &str) -> (String, String, String) {
    let (mut scheme, mut host, mut path) = (String::new(), String::new(), String::new());
    let (mut user, mut password, mut url) = (String::new(), String::new(), None);
    for line in data.lines() {
        let Some((k, v)) = line.trim().split_once('=') else {
            continue;
        };
        match k {
            "protocol" => scheme = v.into(),
            "host" => host = v.into(),
            "path" => path = v.into(),
            "username" => user = v.into(),
            "password" => password = v.into(),
            "url" if v.contains("://") => url = Some(v.to_string()),
            _ => {}
        }
    }
    let prefix = url.unwrap_or_else(|| {
        if scheme.is_empty() && host.is_empty() {
            return String::new();
        }
        let path = if path.is_empty() || path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        format!("{scheme}://{host}{path}")
    });
    (prefix, user, password)
}
