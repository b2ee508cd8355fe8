//! The GOPROXY list as cmd/go parses it (`modfetch/proxy.go proxyList`, spec §9.1): entries
//! separated by `,` (fall back to the next entry only when the module is not found) or `|`
//! (fall back on any error); `off` and `direct` end the list; a GONOPROXY/GOPRIVATE setting
//! adds an implicit first "noproxy" step.

use serde::{Deserialize, Serialize};

/// What one GOPROXY entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProxyKind {
    /// Modules matching GONOPROXY are fetched directly, never through a proxy.
    NoProxy,
    /// A proxy URL (`https://`, `http://` or `file://`).
    Proxy,
    /// `direct`: fetch from the version control repository.
    Direct,
    /// `off`: no download at all.
    Off,
}

/// One step of the GOPROXY list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyEntry {
    /// The entry as written (`direct`, `off`, a URL; `noproxy` for the implicit GONOPROXY step).
    pub url: String,
    /// What the entry is.
    pub kind: ProxyKind,
    /// `|` after the entry: the next one is tried after any error, not only "not found".
    pub fall_back_on_error: bool,
}

/// GOPROXY parsed as cmd/go's `proxyList` parses it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyList {
    /// The entries go tries, in order (the implicit GONOPROXY step first when it applies).
    pub entries: Vec<ProxyEntry>,
    /// Entries after `off` or `direct`, which go ignores.
    pub ignored: Vec<String>,
    /// go's error for an unusable list (every download then fails with it).
    pub error: Option<String>,
}

/// `newProxyRepo`'s URL check.
fn check_url(url: &str) -> Result<(), String> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
        .unwrap_or("");
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => Ok(()),
        "file" => {
            let rest = &url[5..];
            let host_free = rest.strip_prefix("//").is_none_or(|r| r.starts_with('/'));
            if host_free && !rest.contains(['?', '#']) {
                Ok(())
            } else {
                Err(format!(
                    "invalid file:// proxy URL with non-path elements: {url}"
                ))
            }
        }
        "" => Err(format!("invalid proxy URL missing scheme: {url}")),
        _ => Err(format!(
            "invalid proxy URL scheme (must be https, http, file): {url}"
        )),
    }
}

/// Parses GOPROXY given the effective GONOPROXY (already defaulted to GOPRIVATE).
pub fn parse_goproxy(goproxy: &str, gonoproxy: &str) -> ProxyList {
    let mut list = ProxyList::default();
    if !gonoproxy.is_empty() && goproxy != "direct" {
        list.entries.push(ProxyEntry {
            url: "noproxy".into(),
            kind: ProxyKind::NoProxy,
            fall_back_on_error: false,
        });
    }
    let mut rest = goproxy;
    let mut stopped = false;
    while !rest.is_empty() {
        let (elem, fall_back_on_error) = match rest.find([',', '|']) {
            Some(i) => {
                let sep = rest.as_bytes()[i];
                let e = &rest[..i];
                rest = &rest[i + 1..];
                (e, sep == b'|')
            }
            None => (std::mem::take(&mut rest), false),
        };
        let url = elem.trim();
        if url.is_empty() {
            continue;
        }
        if stopped {
            list.ignored.push(url.to_string());
            continue;
        }
        let kind = match url {
            "off" => ProxyKind::Off,
            "direct" => ProxyKind::Direct,
            _ => ProxyKind::Proxy,
        };
        if kind != ProxyKind::Proxy {
            list.entries.push(ProxyEntry {
                url: url.into(),
                kind,
                fall_back_on_error: false,
            });
            stopped = true;
            continue;
        }
        let mut url = url.to_string();
        if url.contains(['.', ':', '/']) && !url.contains(":/") && !url.starts_with('/') {
            url = format!("https://{url}");
        }
        if let Err(e) = check_url(&url) {
            list.error = Some(e);
            return list;
        }
        list.entries.push(ProxyEntry {
            url,
            kind,
            fall_back_on_error,
        });
    }
    let only_noproxy = list.entries.len() == 1 && list.entries[0].kind == ProxyKind::NoProxy;
    if !goproxy.is_empty() && (list.entries.is_empty() || only_noproxy) {
        list.error = Some("GOPROXY list is not the empty string, but contains no entries".into());
    }
    list
}

impl ProxyList {
    /// What the list means, one sentence per step.
    pub fn describe(&self, gonoproxy: &str) -> Vec<String> {
        if let Some(e) = &self.error {
            return vec![format!("unusable: go fails every download with \"{e}\"")];
        }
        if self.entries.is_empty() {
            return vec!["empty: go has no source for modules that are not in the cache".into()];
        }
        let n = self.entries.len();
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let last = i + 1 == n;
            let next = if last {
                String::new()
            } else if e.fall_back_on_error {
                " If it fails for any reason (`|`), the next entry is tried.".into()
            } else {
                " If it answers 404/410 (not found), the next entry is tried; any other error stops the download (`,`).".into()
            };
            let text = match e.kind {
                ProxyKind::NoProxy => format!(
                    "Modules matching GONOPROXY ({gonoproxy}) are fetched directly from their repositories, never through a proxy; the rest go through the entries below."
                ),
                ProxyKind::Proxy if e.url.starts_with("file://") => format!(
                    "Read modules from the directory {} (a file:// proxy).{next}",
                    &e.url[7..]
                ),
                ProxyKind::Proxy => format!("Ask the proxy {}.{next}", e.url),
                ProxyKind::Direct => "direct: fetch from the module's version control repository (git, hg, …). The list ends here.".into(),
                ProxyKind::Off => "off: downloading is disabled; go uses only the module cache and fails with \"module lookup disabled by GOPROXY=off\" for anything else. The list ends here.".into(),
            };
            out.push(text);
            if last && e.kind == ProxyKind::Proxy {
                out.push("If the last proxy fails, the download fails.".into());
            }
        }
        if !self.ignored.is_empty() {
            out.push(format!(
                "Ignored (after off/direct): {}",
                self.ignored.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(l: &ProxyList) -> Vec<(&str, bool)> {
        l.entries
            .iter()
            .map(|e| (e.url.as_str(), e.fall_back_on_error))
            .collect()
    }

    #[test]
    fn separators_stops_and_implicit_https() {
        let l = parse_goproxy("proxy.corp|https://proxy.golang.org,direct,off", "");
        assert_eq!(
            urls(&l),
            [
                ("https://proxy.corp", true),
                ("https://proxy.golang.org", false),
                ("direct", false)
            ]
        );
        assert_eq!(l.ignored, ["off"]);
        let l = parse_goproxy("off", "corp.com");
        assert_eq!(l.entries[0].kind, ProxyKind::NoProxy);
        assert_eq!(l.entries[1].kind, ProxyKind::Off);
        let l = parse_goproxy("direct", "corp.com");
        assert_eq!(urls(&l), [("direct", false)]);
    }

    #[test]
    fn go_errors() {
        assert_eq!(
            parse_goproxy("/abs/proxy", "").error.as_deref(),
            Some("invalid proxy URL missing scheme: /abs/proxy")
        );
        assert_eq!(
            parse_goproxy(" , ", "").error.as_deref(),
            Some("GOPROXY list is not the empty string, but contains no entries")
        );
        assert!(parse_goproxy(",", "x.com").error.is_some());
        assert!(
            parse_goproxy("ftp://x", "")
                .error
                .unwrap()
                .contains("must be https, http, file")
        );
        assert!(parse_goproxy("file://host/p", "").error.is_some());
        assert!(parse_goproxy("file:///p", "").error.is_none());
        assert!(parse_goproxy("", "").error.is_none());
    }
}
