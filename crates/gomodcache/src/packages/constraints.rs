//! Which Go files a build uses (go/build `Context.shouldBuild`, `goodOSArchFile`, `matchTag`):
//! `_test.go` and `_`/`.`-prefixed files never, `_GOOS`/`_GOARCH` file-name suffixes, the
//! `//go:build` expression (or the `// +build` lines), and cgo files only with cgo enabled.

use super::gosrc::FileHeader;

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];
const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// The target of the build, as `go env` reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BuildContext {
    /// GOOS, e.g. `linux`.
    pub goos: String,
    /// GOARCH, e.g. `amd64`.
    pub goarch: String,
    /// CGO_ENABLED: files with `import "C"` and the `cgo` tag are built.
    pub cgo: bool,
    /// `-tags` from GOFLAGS, plus tool tags such as `amd64.v1`.
    pub tags: Vec<String>,
    /// `go1.1` … `go1.<release_minor>` are satisfied.
    pub release_minor: u32,
}

impl BuildContext {
    /// The host platform, for when `go` cannot be asked.
    pub(crate) fn host() -> Self {
        let goos = match std::env::consts::OS {
            "macos" => "darwin",
            o => o,
        };
        let goarch = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "x86" => "386",
            "aarch64" => "arm64",
            "powerpc64" => "ppc64",
            "loongarch64" => "loong64",
            a => a,
        };
        BuildContext {
            goos: goos.into(),
            goarch: goarch.into(),
            cgo: false,
            tags: Vec::new(),
            release_minor: 99,
        }
    }

    pub(crate) fn match_tag(&self, name: &str) -> bool {
        if (self.cgo && name == "cgo") || name == self.goos || name == self.goarch || name == "gc" {
            return true;
        }
        if (self.goos == "android" && name == "linux")
            || (self.goos == "illumos" && name == "solaris")
            || (self.goos == "ios" && name == "darwin")
            || (name == "unix" && UNIX_OS.contains(&self.goos.as_str()))
        {
            return true;
        }
        if let Some(minor) = name.strip_prefix("go1.")
            && let Ok(m) = minor.parse::<u32>()
            && !minor.starts_with('0')
        {
            return m >= 1 && m <= self.release_minor;
        }
        self.tags.iter().any(|t| t == name)
    }

    /// `goodOSArchFile`.
    pub(crate) fn good_os_arch_file(&self, file_name: &str) -> bool {
        let stem = file_name.split('.').next().unwrap_or(file_name);
        let Some(i) = stem.find('_') else {
            return true;
        };
        let mut l: Vec<&str> = stem[i..].split('_').collect();
        if l.last() == Some(&"test") {
            l.pop();
        }
        let n = l.len();
        if n >= 2 && KNOWN_OS.contains(&l[n - 2]) && KNOWN_ARCH.contains(&l[n - 1]) {
            return self.match_tag(l[n - 1]) && self.match_tag(l[n - 2]);
        }
        if n >= 1 && (KNOWN_OS.contains(&l[n - 1]) || KNOWN_ARCH.contains(&l[n - 1])) {
            return self.match_tag(l[n - 1]);
        }
        true
    }

    /// A `//go:build` expression; `None` when it does not parse (go rejects the file).
    pub(crate) fn eval_go_build(&self, expr: &str) -> Option<bool> {
        let toks = tokenize(expr)?;
        let mut p = Parser {
            toks,
            i: 0,
            ctx: self,
        };
        let v = p.or()?;
        (p.i == p.toks.len()).then_some(v)
    }

    /// One `// +build` line: space-separated alternatives of comma-separated conjunctions.
    pub(crate) fn eval_plus_build(&self, line: &str) -> bool {
        line.split_whitespace().any(|alt| {
            alt.split(',').all(|term| match term.strip_prefix('!') {
                Some(t) => !t.is_empty() && !t.starts_with('!') && !self.match_tag(t),
                None => !term.is_empty() && self.match_tag(term),
            })
        })
    }

    /// Whether a non-test file named `name` with this header is part of the build.
    pub(crate) fn should_build(&self, name: &str, h: &FileHeader) -> bool {
        if !name.ends_with(".go")
            || name.ends_with("_test.go")
            || name.starts_with(['_', '.'])
            || !self.good_os_arch_file(name)
            || h.multiple_go_build
        {
            return false;
        }
        let ok = match &h.go_build {
            Some(e) => self.eval_go_build(e).unwrap_or(false),
            None => h.plus_build.iter().all(|l| self.eval_plus_build(l)),
        };
        ok && (self.cgo || !h.imports_c())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum T {
    Tag(String),
    Not,
    And,
    Or,
    Open,
    Close,
}

fn tokenize(s: &str) -> Option<Vec<T>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let two = b.get(i + 1).copied();
        let (tok, len) = match b[i] {
            b' ' | b'\t' => (None, 1),
            b'!' => (Some(T::Not), 1),
            b'(' => (Some(T::Open), 1),
            b')' => (Some(T::Close), 1),
            b'&' if two == Some(b'&') => (Some(T::And), 2),
            b'|' if two == Some(b'|') => (Some(T::Or), 2),
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' => {
                let n = b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'.')
                    .count();
                (Some(T::Tag(s[i..i + n].to_string())), n)
            }
            _ => return None,
        };
        out.extend(tok);
        i += len;
    }
    Some(out)
}

struct Parser<'a> {
    toks: Vec<T>,
    i: usize,
    ctx: &'a BuildContext,
}

impl Parser<'_> {
    fn or(&mut self) -> Option<bool> {
        let mut v = self.and()?;
        while self.toks.get(self.i) == Some(&T::Or) {
            self.i += 1;
            v |= self.and()?;
        }
        Some(v)
    }
    fn and(&mut self) -> Option<bool> {
        let mut v = self.not()?;
        while self.toks.get(self.i) == Some(&T::And) {
            self.i += 1;
            v &= self.not()?;
        }
        Some(v)
    }
    fn not(&mut self) -> Option<bool> {
        let t = self.toks.get(self.i)?.clone();
        self.i += 1;
        match t {
            T::Not => self.not().map(|v| !v),
            T::Open => {
                let v = self.or()?;
                (self.toks.get(self.i) == Some(&T::Close)).then(|| self.i += 1)?;
                Some(v)
            }
            T::Tag(tag) => Some(self.ctx.match_tag(&tag)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packages::gosrc::parse_file;

    fn linux() -> BuildContext {
        BuildContext {
            goos: "linux".into(),
            goarch: "amd64".into(),
            cgo: false,
            tags: vec!["amd64.v1".into()],
            release_minor: 22,
        }
    }

    #[test]
    fn expressions_and_tags() {
        let c = linux();
        assert_eq!(c.eval_go_build("linux && amd64"), Some(true));
        assert_eq!(c.eval_go_build("ignore"), Some(false));
        assert_eq!(c.eval_go_build("!windows && (unix || plan9)"), Some(true));
        assert_eq!(c.eval_go_build("go1.22 && !go1.23"), Some(true));
        assert_eq!(c.eval_go_build("cgo"), Some(false));
        assert_eq!(c.eval_go_build("linux &&"), None);
        assert!(c.eval_plus_build("darwin linux,!cgo"));
        assert!(!c.eval_plus_build("!linux"));
    }

    #[test]
    fn file_names_and_cgo() {
        let c = linux();
        assert!(c.good_os_arch_file("x_linux.go") && c.good_os_arch_file("linux.go"));
        assert!(!c.good_os_arch_file("x_windows_amd64.go"));
        assert!(!c.good_os_arch_file("x_arm64_test.go"));
        assert!(c.good_os_arch_file("x_foo.go"));
        let h = parse_file(b"package p\nimport \"C\"\n");
        assert!(!c.should_build("c.go", &h));
        let h = parse_file(b"//go:build ignore\n\npackage main\n");
        assert!(!c.should_build("gen.go", &h));
        assert!(!c.should_build("_x.go", &parse_file(b"package p\n")));
        assert!(c.should_build("x.go", &parse_file(b"package p\n")));
    }
}
