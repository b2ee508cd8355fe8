//! Synthetic Go modules that real `go` accepts: their `.mod`, their zip (spec §10.2), their
//! `h1:` hashes (spec §3), a `file://` GOPROXY tree (spec §10.1) and a module-cache entry laid
//! out as `go mod download` leaves it (spec §2.2).
//!
//! Everything is deterministic: the same modules give the same bytes on every run and OS.

mod disk;
pub mod hostile;
pub mod raw_zip;
mod version;

pub use disk::{write_cache_entry, write_proxy};
pub use version::is_canonical_version;
pub(crate) use version::{pseudo_version_time, sort_order};

use crate::cache::dirhash::{hash_go_mod, hash1};
use sha2::{Digest, Sha256};
use std::io::Write as _;

/// The `go` line of the go.mod files this module writes by default.
pub(crate) const DEFAULT_GO_VERSION: &str = "1.21";

/// The `.info` time of a version that is not a pseudo-version (a pseudo-version carries its own).
pub(crate) const DEFAULT_INFO_TIME: &str = "2023-01-01T00:00:00Z";

/// One module version with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthModule {
    /// The module path, unescaped (`github.com/BurntSushi/toml`).
    pub path: String,
    /// The canonical version (`v1.3.2`, `v0.0.0-20240110193028-4a1a5e8c0d3b`, `v24.0.9+incompatible`).
    pub version: String,
    /// The go.mod in the zip. `None` means the zip has no go.mod (a `+incompatible` module); the
    /// proxy then serves `module <path>\n`, as real proxies do.
    pub go_mod: Option<String>,
    /// Files of the zip other than go.mod: names relative to the module root (`/`-separated) →
    /// content.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Go keywords and predeclared names a package may not (or should not) be called.
const RESERVED: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "main",
    "init",
    "string",
    "error",
];

/// The Go package name for a module's root package: the last path element, skipping a `/vN`
/// major-version suffix and a gopkg.in `.vN`, without a `go-` prefix or `-go`/`.go` suffix, kept
/// to lower-case ASCII letters and digits (`github.com/mattn/go-isatty` → `isatty`,
/// `github.com/Masterminds/semver/v3` → `semver`, `gopkg.in/yaml.v3` → `yaml`).
pub fn package_name_for(module_path: &str) -> String {
    let elems: Vec<&str> = module_path.split('/').collect();
    let mut last = elems.last().copied().unwrap_or_default();
    let is_major =
        |e: &str| e.len() > 1 && e.starts_with('v') && e[1..].bytes().all(|b| b.is_ascii_digit());
    if elems.len() > 1 && is_major(last) {
        last = elems[elems.len() - 2];
    }
    let mut name = last.strip_suffix("-unstable").unwrap_or(last);
    if let Some((stem, major)) = name.rsplit_once('.')
        && is_major(major)
    {
        name = stem;
    }
    name = name.strip_prefix("go-").unwrap_or(name);
    name = name
        .strip_suffix("-go")
        .or_else(|| name.strip_suffix(".go"))
        .unwrap_or(name);
    let mut out: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if out.is_empty() {
        out.push_str("pkg");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'p');
    }
    if RESERVED.contains(&out.as_str()) {
        out.push_str("pkg");
    }
    out
}

/// A double-quoted string literal valid in both Go and JSON.
pub(crate) fn go_quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

/// Import declarations for `deps` with unique local names (the package name, or the package
/// name plus a counter when two deps share it). Returns `(import block, local names)`.
pub(crate) fn import_block(deps: &[&SynthModule]) -> (String, Vec<String>) {
    let mut names: Vec<String> = Vec::with_capacity(deps.len());
    let mut block = String::new();
    if deps.is_empty() {
        return (block, names);
    }
    block.push_str("import (\n");
    for dep in deps {
        let base = dep.package_name();
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        block.push_str(&format!("\t{name} {}\n", go_quote(&dep.path)));
        names.push(name);
    }
    block.push_str(")\n");
    (block, names)
}

/// A go.mod: `module`, `go` and a `require` directive per dep (one line for one dep, a block
/// for more, as `go mod tidy` formats them).
pub fn go_mod_text(path: &str, go_version: &str, requires: &[(&str, &str)]) -> String {
    let mut s = format!("module {path}\n\ngo {go_version}\n");
    match requires {
        [] => {}
        [(p, v)] => s.push_str(&format!("\nrequire {p} {v}\n")),
        many => {
            s.push_str("\nrequire (\n");
            for (p, v) in many {
                s.push_str(&format!("\t{p} {v}\n"));
            }
            s.push_str(")\n");
        }
    }
    s
}

impl SynthModule {
    /// A module with go.mod `module <path>\n\ngo 1.21\n` and one Go file `<pkg>.go`.
    pub fn new(path: &str, version: &str) -> Self {
        Self::with_deps(path, version, &[])
    }

    /// Like [`new`](Self::new), but the Go file imports the root package of every dep and the
    /// go.mod requires each at its version: a dependency chain `go build` can follow.
    pub(crate) fn with_deps(path: &str, version: &str, deps: &[&SynthModule]) -> Self {
        let requires: Vec<(&str, &str)> = deps
            .iter()
            .map(|d| (d.path.as_str(), d.version.as_str()))
            .collect();
        let mut m = SynthModule {
            path: path.to_string(),
            version: version.to_string(),
            go_mod: Some(go_mod_text(path, DEFAULT_GO_VERSION, &requires)),
            files: Vec::new(),
        };
        let source = m.go_source(deps);
        m.files
            .push((format!("{}.go", m.package_name()), source.into_bytes()));
        m
    }

    /// A module whose zip has no go.mod (a `+incompatible` version, or a pre-modules repository).
    pub(crate) fn without_go_mod(path: &str, version: &str) -> Self {
        let mut m = Self::new(path, version);
        m.go_mod = None;
        m
    }

    /// Adds a file, or replaces the content of one with the same name.
    pub fn with_file(mut self, name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        let (name, content) = (name.into(), content.into());
        match self.files.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = content,
            None => self.files.push((name, content)),
        }
        self
    }

    /// The package name of the module's root package (see [`package_name_for`]).
    pub fn package_name(&self) -> String {
        package_name_for(&self.path)
    }

    /// The main Go file of [`with_deps`](Self::with_deps): a `Version` constant, a `Path`
    /// function and, with deps, a `Deps` function that uses every import.
    pub(crate) fn go_source(&self, deps: &[&SynthModule]) -> String {
        let pkg = self.package_name();
        let (imports, names) = import_block(deps);
        let mut s = format!(
            "// Package {pkg} is a synthetic stand-in for {path}.\npackage {pkg}\n\n",
            path = self.path
        );
        if !imports.is_empty() {
            s.push_str(&imports);
            s.push('\n');
        }
        s.push_str(&format!(
            "// Version is the module version this package comes from.\nconst Version = {}\n\n\
             // Path returns the module path.\nfunc Path() string {{ return {} }}\n",
            go_quote(&self.version),
            go_quote(&self.path)
        ));
        if !names.is_empty() {
            let list: Vec<String> = names.iter().map(|n| format!("{n}.Version")).collect();
            s.push_str(&format!(
                "\n// Deps returns the versions of the modules this package imports.\n\
                 func Deps() []string {{ return []string{{{}}} }}\n",
                list.join(", ")
            ));
        }
        s
    }

    /// `<path>@<version>/`, the prefix of every zip entry and of the dirhash names.
    pub(crate) fn zip_prefix(&self) -> String {
        format!("{}@{}/", self.path, self.version)
    }

    /// The `.mod` the proxy serves and the cache keeps: the go.mod, or `module <path>\n`.
    pub fn mod_bytes(&self) -> Vec<u8> {
        match &self.go_mod {
            Some(text) => text.clone().into_bytes(),
            None => format!("module {}\n", self.path).into_bytes(),
        }
    }

    /// The files of the module root (go.mod included when present), sorted by name.
    pub fn tree(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = self.files.clone();
        if let Some(go_mod) = &self.go_mod {
            out.push(("go.mod".to_string(), go_mod.clone().into_bytes()));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The module zip: deflate, a fixed timestamp and mode, entries `<path>@<version>/<name>`
    /// in name order, no directory entries (which go would hash, spec §3.2).
    pub fn zip_bytes(&self) -> Vec<u8> {
        zip_of(&self.zip_prefix(), &self.tree())
    }

    /// The go.sum zip hash, equal to `dirhash::hash_zip` of [`zip_bytes`](Self::zip_bytes) and to
    /// `dirhash::hash_dir` of the extracted tree.
    pub fn zip_h1(&self) -> String {
        let prefix = self.zip_prefix();
        let files = self
            .tree()
            .into_iter()
            .map(|(name, data)| {
                let digest: [u8; 32] = Sha256::digest(&data).into();
                (format!("{prefix}{name}").into_bytes(), digest)
            })
            .collect();
        hash1(files).expect("synthetic file names have no newline")
    }

    /// The go.sum `/go.mod` hash of [`mod_bytes`](Self::mod_bytes).
    pub fn go_mod_h1(&self) -> String {
        hash_go_mod(&self.mod_bytes())
    }

    /// Both go.sum lines, zip line first, as `go` writes them.
    pub fn go_sum_lines(&self) -> String {
        format!(
            "{p} {v} {}\n{p} {v}/go.mod {}\n",
            self.zip_h1(),
            self.go_mod_h1(),
            p = self.path,
            v = self.version
        )
    }

    /// The `.info` JSON: `{"Version":..,"Time":..}`, the time of a pseudo-version taken from its
    /// timestamp, otherwise [`DEFAULT_INFO_TIME`]. Same bytes as go's `json.Marshal` of RevInfo.
    pub(crate) fn info_json(&self) -> String {
        let time = pseudo_version_time(&self.version).unwrap_or_else(|| DEFAULT_INFO_TIME.into());
        format!(
            r#"{{"Version":{},"Time":{}}}"#,
            go_quote(&self.version),
            go_quote(&time)
        )
    }
}

/// A zip of `prefix + name` entries, deterministic (fixed time, mode and host system).
pub(crate) fn zip_of(prefix: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(
            zip::DateTime::from_date_and_time(2024, 1, 1, 0, 0, 0).expect("a valid DOS date"),
        )
        .unix_permissions(0o644)
        .system(zip::System::Unix);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        z.start_file(format!("{prefix}{name}"), opts)
            .expect("writing a zip to memory");
        z.write_all(data).expect("writing a zip to memory");
    }
    z.finish().expect("writing a zip to memory").into_inner()
}

#[cfg(test)]
pub(crate) mod tests;
