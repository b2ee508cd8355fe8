//! vendor/modules.txt reader, following cmd/go `modload.readVendorList` and
//! `modulesTextIsForWorkspace` (spec §8.1). Lines that `go` silently ignores are kept as
//! `problems` so a caller can report them; they never stop the parse.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::ParseError;
use super::go_mod::ReplaceTarget;
use crate::modfile::module_path::check_import_path;
use crate::version::semver::is_valid;

/// A parsed vendor/modules.txt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModulesTxt {
    /// The first line is a `## ` annotation containing `workspace` (written by `go work vendor`).
    pub workspace: bool,
    /// One entry per distinct `# path version` (or `# path => ...` wildcard) header, in file order.
    pub modules: Vec<VendorModule>,
    /// Lines go ignores (invalid UTF-8, malformed or misplaced lines), for the caller to report.
    pub problems: Vec<ParseError>,
}

/// One `# path version` module of vendor/modules.txt and its `##` annotations and packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorModule {
    /// The module path.
    pub path: String,
    /// `None` for a wildcard replacement header `# path => new [version]`.
    pub version: Option<String>,
    /// `=> dir` is `Dir` (cmd/go stores any versionless target as a file replacement);
    /// `=> path vX` is `Module`.
    pub replacement: Option<ReplaceTarget>,
    /// `## explicit` was given (the module is required in a go.mod).
    pub explicit: bool,
    /// `## go 1.x`: the module's go version.
    pub go_version: Option<String>,
    /// Vendored packages, in file order.
    pub packages: Vec<String>,
    /// Line of the first header for this module.
    pub line: usize,
}

/// Parses vendor/modules.txt content. Never fails.
pub fn parse_modules_txt(file_label: &str, data: &[u8]) -> ModulesTxt {
    let mut out = ModulesTxt {
        workspace: is_for_workspace(data),
        ..ModulesTxt::default()
    };
    let mut by_key: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut current: Option<usize> = None;
    let mut seen_header = false;
    let problem = |out: &mut ModulesTxt, line: usize, message: String| {
        out.problems.push(ParseError {
            file: file_label.to_string(),
            line,
            column: 1,
            message,
        });
    };
    for (i, raw) in data.split(|&b| b == b'\n').enumerate() {
        let lineno = i + 1;
        let line = match std::str::from_utf8(raw) {
            Ok(l) => l,
            Err(_) => {
                problem(
                    &mut out,
                    lineno,
                    "invalid UTF-8 encoding; line ignored".into(),
                );
                continue;
            }
        };
        if line.starts_with("# ") {
            let f: Vec<&str> = line.split_whitespace().collect();
            seen_header = true;
            if f.len() < 3 {
                problem(
                    &mut out,
                    lineno,
                    format!("module line has {} fields; ignored", f.len()),
                );
                continue;
            }
            let (version, rest) = if is_valid(f[2]) {
                (Some(f[2].to_string()), &f[3..])
            } else if f[2] == "=>" {
                (None, &f[2..])
            } else {
                problem(
                    &mut out,
                    lineno,
                    format!(
                        "module line for {} has invalid version {}; ignored",
                        f[1], f[2]
                    ),
                );
                current = None;
                continue;
            };
            let key = (f[1].to_string(), version.clone());
            let idx = *by_key.entry(key).or_insert_with(|| {
                out.modules.push(VendorModule {
                    path: f[1].to_string(),
                    version,
                    replacement: None,
                    explicit: false,
                    go_version: None,
                    packages: Vec::new(),
                    line: lineno,
                });
                out.modules.len() - 1
            });
            current = Some(idx);
            if rest.len() >= 2 && rest[0] == "=>" {
                match rest {
                    [_, dir] => {
                        out.modules[idx].replacement = Some(ReplaceTarget::Dir(dir.to_string()))
                    }
                    [_, path, v] if is_valid(v) => {
                        let target = ReplaceTarget::Module {
                            path: path.to_string(),
                            version: v.to_string(),
                        };
                        out.modules[idx].replacement = Some(target);
                    }
                    _ => problem(&mut out, lineno, "unrecognized replacement; ignored".into()),
                }
            } else if !rest.is_empty() {
                problem(
                    &mut out,
                    lineno,
                    format!("unexpected text after module version: {}", rest.join(" ")),
                );
            }
            continue;
        }
        let Some(idx) = current else {
            let is_first_annotation = lineno == 1 && line.starts_with("## ");
            if !line.trim().is_empty() && !is_first_annotation {
                let message = if seen_header {
                    "line follows an ignored module line"
                } else {
                    "line before any module line"
                };
                problem(&mut out, lineno, format!("{message}; ignored"));
            }
            continue;
        };
        if let Some(annotations) = line.strip_prefix("## ") {
            let m = &mut out.modules[idx];
            for entry in annotations.split(';').map(str::trim) {
                if entry == "explicit" {
                    m.explicit = true;
                }
                if let Some(v) = entry.strip_prefix("go ") {
                    m.go_version = Some(v.to_string());
                }
            }
            continue;
        }
        let mut fields = line.split_whitespace();
        match (fields.next(), fields.next()) {
            (None, _) => {}
            (Some(pkg), None) if check_import_path(pkg).is_ok() => {
                out.modules[idx].packages.push(pkg.to_string())
            }
            (Some(pkg), None) => problem(
                &mut out,
                lineno,
                format!("invalid package path {pkg}; ignored"),
            ),
            (Some(_), Some(_)) => problem(&mut out, lineno, "unrecognized line; ignored".into()),
        }
    }
    out
}

/// cmd/go `modulesTextIsForWorkspace`: the first line (within the first 512 bytes) is a `## `
/// annotation list containing `workspace`.
fn is_for_workspace(data: &[u8]) -> bool {
    let head = &data[..data.len().min(512)];
    let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    first
        .strip_prefix("## ")
        .is_some_and(|a| a.split(';').any(|e| e.trim() == "workspace"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "\
# example.com/a v1.0.0
## explicit; go 1.17
example.com/a
example.com/a/sub
# example.com/b v1.2.0 => ./b
## explicit
example.com/b
# example.com/c v0.1.0 => example.com/cfork v0.1.1
## go 1.21
example.com/c/pkg
# example.com/d => ../d
# example.com/e v1.0.0 => example.com/e2 v1.0.1
";

    #[test]
    fn modules_packages_and_metadata() {
        let m = parse_modules_txt("modules.txt", TXT.as_bytes());
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert!(!m.workspace);
        assert_eq!(m.modules.len(), 5);
        let a = &m.modules[0];
        assert_eq!(
            (a.path.as_str(), a.version.as_deref(), a.explicit),
            ("example.com/a", Some("v1.0.0"), true)
        );
        assert_eq!(a.go_version.as_deref(), Some("1.17"));
        assert_eq!(a.packages, ["example.com/a", "example.com/a/sub"]);
        assert_eq!(
            m.modules[1].replacement,
            Some(ReplaceTarget::Dir("./b".into()))
        );
        assert!(m.modules[1].explicit && m.modules[1].go_version.is_none());
        let c = &m.modules[2];
        assert!(!c.explicit);
        assert_eq!(c.go_version.as_deref(), Some("1.21"));
        let fork = ReplaceTarget::Module {
            path: "example.com/cfork".into(),
            version: "v0.1.1".into(),
        };
        assert_eq!(c.replacement, Some(fork));
        let d = &m.modules[3];
        assert_eq!((d.version.as_deref(), d.line), (None, 11));
        assert_eq!(d.replacement, Some(ReplaceTarget::Dir("../d".into())));
        assert!(d.packages.is_empty());
        assert!(m.modules[4].packages.is_empty() && m.modules[4].replacement.is_some());
    }

    #[test]
    fn workspace_marker_and_odd_lines() {
        let src = "## workspace\n# x.com/a v1.0.0\n## explicit\nx.com/a\nnot a package\nbad//path\n# x.com/b master\nx.com/b\n# x.com/c\n";
        let m = parse_modules_txt("modules.txt", src.as_bytes());
        assert!(m.workspace);
        assert_eq!(m.modules.len(), 1);
        assert_eq!(m.modules[0].packages, ["x.com/a"]);
        let lines: Vec<usize> = m.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [5, 6, 7, 8, 9]);
        assert!(parse_modules_txt("m", b"## explicit; workspace\n").workspace);
        assert!(!parse_modules_txt("m", b"# x v1.0.0\n## workspace\n").workspace);
    }

    #[test]
    fn crlf_and_repeated_headers_merge() {
        let src = "# x.com/a v1.0.0\r\n## explicit\r\nx.com/a\r\n# x.com/a v1.0.0 => ../a\r\n## go 1.20\r\n";
        let m = parse_modules_txt("modules.txt", src.as_bytes());
        assert_eq!(m.modules.len(), 1);
        let a = &m.modules[0];
        assert!(a.explicit);
        assert_eq!(a.go_version.as_deref(), Some("1.20"));
        assert_eq!(a.packages, ["x.com/a"]);
        assert_eq!(a.replacement, Some(ReplaceTarget::Dir("../a".into())));
    }
}
