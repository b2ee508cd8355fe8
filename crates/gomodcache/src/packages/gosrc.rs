//! Just enough of a Go source file: the build constraints of its header (go/build
//! `parseFileHeader`: the `//go:build` line, or else the `// +build` lines before the last blank
//! line of the leading comments), its package name and its imports. The import lexer skips
//! comments and reads `import "p"`, `import name "p"` and `import ( … )` blocks, stopping at the
//! first declaration that is not an import.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHeader {
    pub package: Option<String>,
    pub imports: Vec<String>,
    /// The `//go:build` expression (without the prefix).
    pub go_build: Option<String>,
    /// The `// +build` lines (without the prefix); used only when there is no `//go:build`.
    pub plus_build: Vec<String>,
    /// More than one `//go:build` line: go rejects the file.
    pub multiple_go_build: bool,
}

impl FileHeader {
    pub fn imports_c(&self) -> bool {
        self.imports.iter().any(|i| i == "C")
    }
}

fn is_go_build(line: &str) -> bool {
    line.strip_prefix("//go:build")
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// go/build `parseFileHeader` plus the `+build` scan of `shouldBuild`.
fn constraints(src: &str, h: &mut FileHeader) {
    let mut end = 0;
    let mut ended = false;
    let mut in_star = false;
    let mut offset = 0;
    'lines: for raw in src.split_inclusive('\n') {
        offset += raw.len();
        let mut line = raw.trim();
        if line.is_empty() && !ended {
            end = offset;
            continue;
        }
        if !line.starts_with("//") {
            ended = true;
        }
        if !in_star && is_go_build(line) {
            if h.go_build.is_some() {
                h.multiple_go_build = true;
            } else {
                h.go_build = Some(line["//go:build".len()..].trim().to_string());
            }
        }
        while !line.is_empty() {
            if in_star {
                match line.find("*/") {
                    Some(i) => {
                        in_star = false;
                        line = line[i + 2..].trim();
                        continue;
                    }
                    None => continue 'lines,
                }
            }
            if line.starts_with("//") {
                continue 'lines;
            }
            if let Some(rest) = line.strip_prefix("/*") {
                in_star = true;
                line = rest.trim();
                continue;
            }
            break 'lines;
        }
    }
    for line in src[..end].lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("//") {
            let rest = rest.trim_start();
            if let Some(expr) = rest.strip_prefix("+build")
                && (expr.is_empty() || expr.starts_with([' ', '\t']))
            {
                h.plus_build.push(expr.trim().to_string());
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lexer<'_> {
    fn next(&mut self) -> Option<Tok> {
        let s = self.s;
        loop {
            while self.i < s.len() && (s[self.i].is_ascii_whitespace() || s[self.i] == b';') {
                self.i += 1;
            }
            if s[self.i..].starts_with(b"//") {
                while self.i < s.len() && s[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if s[self.i..].starts_with(b"/*") {
                match s[self.i + 2..].windows(2).position(|w| w == b"*/") {
                    Some(p) => self.i += p + 4,
                    None => self.i = s.len(),
                }
            } else {
                break;
            }
        }
        let c = *s.get(self.i)?;
        if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 {
            let start = self.i;
            while self.i < s.len()
                && (s[self.i] == b'_' || s[self.i].is_ascii_alphanumeric() || s[self.i] >= 0x80)
            {
                self.i += 1;
            }
            return Some(Tok::Ident(
                String::from_utf8_lossy(&s[start..self.i]).into_owned(),
            ));
        }
        if c == b'"' || c == b'`' {
            self.i += 1;
            let mut out = Vec::new();
            while self.i < s.len() && s[self.i] != c {
                if c == b'"' && s[self.i] == b'\\' && self.i + 1 < s.len() {
                    self.i += 1;
                }
                if c == b'"' && s[self.i] == b'\n' {
                    return None;
                }
                out.push(s[self.i]);
                self.i += 1;
            }
            self.i += 1;
            return Some(Tok::Str(String::from_utf8_lossy(&out).into_owned()));
        }
        self.i += 1;
        Some(Tok::Punct(c as char))
    }
}

/// Reads the header, package clause and imports of one Go file.
pub fn parse_file(src: &[u8]) -> FileHeader {
    let mut h = FileHeader::default();
    constraints(&String::from_utf8_lossy(src), &mut h);
    let mut lx = Lexer { s: src, i: 0 };
    if lx.next() != Some(Tok::Ident("package".into())) {
        return h;
    }
    match lx.next() {
        Some(Tok::Ident(name)) => h.package = Some(name),
        _ => return h,
    }
    while lx.next() == Some(Tok::Ident("import".into())) {
        match lx.next() {
            Some(Tok::Punct('(')) => loop {
                match lx.next() {
                    Some(Tok::Punct(')')) | None => break,
                    Some(Tok::Str(p)) => h.imports.push(p),
                    Some(Tok::Ident(_)) | Some(Tok::Punct('.')) => match lx.next() {
                        Some(Tok::Str(p)) => h.imports.push(p),
                        _ => return h,
                    },
                    Some(_) => return h,
                }
            },
            Some(Tok::Str(p)) => h.imports.push(p),
            Some(Tok::Ident(_)) | Some(Tok::Punct('.')) => match lx.next() {
                Some(Tok::Str(p)) => h.imports.push(p),
                _ => return h,
            },
            _ => return h,
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_in_every_form() {
        let src = br#"// Copyright
// +build linux

/* block
   comment */
//go:build linux && !ignore

// Package x does things.
package x // trailing

import "fmt"
import m "math"
import (
	"os" // comment
	_ "embed"; . "strings"
	/* c */ alias `example.com/raw`
	"C"
)

import "late"

func F() {}
import "never"
"#;
        let h = parse_file(src);
        assert_eq!(h.package.as_deref(), Some("x"));
        assert_eq!(
            h.imports,
            [
                "fmt",
                "math",
                "os",
                "embed",
                "strings",
                "example.com/raw",
                "C",
                "late"
            ]
        );
        assert!(h.imports_c());
        assert_eq!(h.go_build.as_deref(), Some("linux && !ignore"));
        assert_eq!(h.plus_build, ["linux"]);
    }

    #[test]
    fn plus_build_needs_a_blank_line_before_package() {
        let h = parse_file(b"// +build ignore\npackage main\n");
        assert!(h.plus_build.is_empty());
        let h = parse_file(b"// +build ignore\n\npackage main\nimport \"a.com/b\"\n");
        assert_eq!(h.plus_build, ["ignore"]);
        assert_eq!(h.imports, ["a.com/b"]);
        let h = parse_file(b"//go:build a\n//go:build b\n\npackage p\n");
        assert!(h.multiple_go_build);
        let h = parse_file(b"package p\n//go:build late\n");
        assert_eq!(h.go_build, None);
    }
}
