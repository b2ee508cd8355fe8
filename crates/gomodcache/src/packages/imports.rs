//! Which packages `go build ./...` loads and which modules provide them: the non-test files of
//! the main module's packages are read (build constraints applied), and every import is
//! resolved as `modload.importFromModules` resolves it — every build-list module whose path is
//! a prefix of the import is looked into (so each must be downloadable), the one holding a
//! directory with Go files provides it, and that module's go.mod is read. Under graph pruning
//! the root requirements are tried first and the full graph is loaded only when they do not
//! provide the package (lazy loading, spec §7.2).

use super::constraints::BuildContext;
use super::gosrc::parse_file;
use super::source_tree::SourceTree;
use crate::graph::{ModGraph, Node};
use crate::offline::fetch::{Fetched, ModuleAccess};
use crate::offline::{BlockerKind as K, Findings};
use crate::project::vendor_mode::BuildMode;
use crate::version::semver;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;

mod local;
mod resolve;

/// A loaded (non-standard-library) package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageUse {
    /// The package's import path.
    pub path: String,
    /// The main module's path, `path@version`, or `vendor`.
    pub module: String,
    /// The first importer, or null for a package matched by `./...`.
    pub imported_by: Option<String>,
}

/// A module go looks into while loading packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleNeed {
    /// The module path.
    pub path: String,
    /// The version go selects for it (before any replacement).
    pub version: String,
    /// Packages it provides to the build; empty when go only had to rule it out (its path is
    /// a prefix of an import), which still needs its zip.
    pub provides: Vec<String>,
    /// The first package whose import made go look into it: the importer go's "missing go.sum
    /// entry" hint names. Not part of the JSON.
    #[serde(skip)]
    pub first_importer: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    pub packages: BTreeMap<String, PackageUse>,
    /// Keyed by module path; main modules and directory replacements included only if they
    /// provide a package.
    pub modules: BTreeMap<String, ModuleNeed>,
    /// Why go loads the full module graph (every go.mod it reaches), if it does.
    pub full_graph: Option<String>,
    pub std_imports: BTreeSet<String>,
    /// Packages whose directory has a newline or carriage return in its path, which go refuses
    /// (`invalid package directory`): package path, its first importer, the directory.
    pub invalid_dirs: Vec<(String, Option<String>, PathBuf)>,
}

/// Vendoring in effect: packages come from vendor/ (spec §8).
pub struct Vendored {
    pub dir: PathBuf,
    /// Packages listed in vendor/modules.txt.
    pub listed: HashSet<String>,
    /// Go ≥ 1.23 main module: unlisted vendored packages are ignored.
    pub require_listed: bool,
    pub reason: String,
}

pub struct Resolver<'a, 'b> {
    pub access: &'b mut ModuleAccess<'a>,
    pub graph: &'a ModGraph,
    pub ctx: &'a BuildContext,
    pub mode: BuildMode,
    /// Pruned single module: try the root requirements first.
    pub lazy: bool,
    pub vendor: Option<Vendored>,
    /// GOROOT as go reports it: imports that look standard must exist under GOROOT/src.
    pub goroot: Option<PathBuf>,
    mains: Vec<(String, Rc<SourceTree>)>,
    roots: BTreeMap<String, String>,
    out: Analysis,
}

/// `rel` of `path` inside module `mpath` ("" for the root), if it is inside.
fn rel_in<'p>(path: &'p str, mpath: &str) -> Option<&'p str> {
    if path == mpath {
        Some("")
    } else {
        path.strip_prefix(mpath)?.strip_prefix('/')
    }
}

/// `dirInModule`: a directory with Go files, not cut off by a nested go.mod in local trees.
fn dir_in_module(tree: &SourceTree, rel: &str, local: bool) -> bool {
    if local {
        let mut d = rel;
        while !d.is_empty() {
            if tree.has_go_mod(d) {
                return false;
            }
            d = d.rsplit_once('/').map_or("", |(p, _)| p);
        }
    }
    tree.is_go_dir(rel)
}

impl<'a, 'b> Resolver<'a, 'b> {
    pub fn new(
        access: &'b mut ModuleAccess<'a>,
        graph: &'a ModGraph,
        ctx: &'a BuildContext,
        mode: BuildMode,
        lazy: bool,
    ) -> Self {
        let project = access.project;
        let mains: Vec<(String, Rc<SourceTree>)> = project
            .main_modules
            .iter()
            .filter_map(|m| {
                Some((
                    m.module_path()?.to_string(),
                    Rc::new(SourceTree::Dir(m.dir.clone())),
                ))
            })
            .collect();
        let mut roots: BTreeMap<String, String> = BTreeMap::new();
        for m in &project.main_modules {
            let excluded: HashSet<(&str, &str)> = m
                .go_mod
                .exclude
                .iter()
                .map(|e| (e.path.as_str(), e.version.as_str()))
                .collect();
            for r in &m.go_mod.require {
                if excluded.contains(&(r.path.as_str(), r.version.as_str())) {
                    continue;
                }
                let slot = roots
                    .entry(r.path.clone())
                    .or_insert_with(|| r.version.clone());
                if semver::compare(&r.version, slot).is_gt() {
                    *slot = r.version.clone();
                }
            }
        }
        Resolver {
            access,
            graph,
            ctx,
            mode,
            lazy,
            vendor: None,
            goroot: None,
            mains,
            roots,
            out: Analysis::default(),
        }
    }

    pub fn set_full_graph(&mut self, reason: String) {
        self.out.full_graph.get_or_insert(reason);
    }

    /// Loads `./...` and everything it imports.
    pub fn run(mut self, f: &mut Findings) -> Analysis {
        let mut queue: VecDeque<(String, String)> = VecDeque::new();
        for (path, tree, rel, module) in self.main_packages(f) {
            let imports = self.load(&path, &module, &tree, &rel, None);
            queue.extend(imports.into_iter().map(|i| (i, path.clone())));
        }
        let mut seen: HashSet<String> = self.out.packages.keys().cloned().collect();
        while let Some((path, importer)) = queue.pop_front() {
            if !seen.insert(path.clone()) {
                continue;
            }
            if self.is_std(&path) {
                if let Some(root) = &self.goroot
                    && !root.join("src").join(&path).is_dir()
                {
                    let dir = root.join("src").join(&path);
                    f.block_with_advice(
                        K::PackageNotFound,
                        None,
                        format!(
                            "package {path} is not in std ({}) (imported by {importer})",
                            dir.display()
                        ),
                        "fix the import path, or install the Go release that has this package",
                    );
                }
                self.out.std_imports.insert(path);
                continue;
            }
            if let Some((module, tree, rel)) = self.resolve(&path, &importer, f) {
                let imports = self.load(&path, &module, &tree, &rel, Some(importer));
                queue.extend(imports.into_iter().map(|i| (i, path.clone())));
            }
        }
        self.out
    }

    fn is_std(&self, path: &str) -> bool {
        let first = path.split('/').next().unwrap_or(path);
        !first.contains('.')
            && !self.mains.iter().any(|(m, _)| rel_in(path, m).is_some())
            && !self
                .graph
                .selected
                .keys()
                .any(|m| rel_in(path, m).is_some())
    }

    /// Reads one package's buildable files; returns its imports.
    fn load(
        &mut self,
        path: &str,
        module: &str,
        tree: &SourceTree,
        rel: &str,
        importer: Option<String>,
    ) -> Vec<String> {
        let dir = self.package_dir(module, tree, rel);
        if has_line_break(&dir) {
            self.out
                .invalid_dirs
                .push((path.to_string(), importer.clone(), dir));
        }
        self.out.packages.insert(
            path.to_string(),
            PackageUse {
                path: path.to_string(),
                module: module.to_string(),
                imported_by: importer,
            },
        );
        let mut imports = BTreeSet::new();
        for (name, data) in tree.go_files(rel) {
            let h = parse_file(&data);
            if self.ctx.should_build(&name, &h) {
                imports.extend(h.imports.into_iter().filter(|i| i != "C"));
            }
        }
        imports.into_iter().collect()
    }

    /// The directory go loads a package from: a main module's or a replacement's directory, or
    /// for a cached module the extracted tree (go extracts the zip there first).
    fn package_dir(&self, module: &str, tree: &SourceTree, rel: &str) -> PathBuf {
        let root = match tree {
            SourceTree::Dir(d) => d.clone(),
            SourceTree::Zip { path, .. } => module
                .rsplit_once('@')
                .and_then(|(p, v)| self.access.cache.files(p, v).ok())
                .map_or_else(|| path.clone(), |files| files.dir),
        };
        if rel.is_empty() { root } else { root.join(rel) }
    }

    fn need(&mut self, m: &Node) -> &mut ModuleNeed {
        self.out
            .modules
            .entry(m.path.clone())
            .or_insert_with(|| ModuleNeed {
                path: m.path.clone(),
                version: m.version.clone(),
                provides: Vec::new(),
                first_importer: None,
            })
    }

    pub fn roots(&self) -> &BTreeMap<String, String> {
        &self.roots
    }
}

/// The importer go's "missing go.sum entry for module providing package" hint names for a
/// module: the first package whose import made go look into it, with the version of the
/// module holding that package (`None` in a main module); `None` for a vendored importer.
/// `module_of` gives a loaded package's module (`path@version`, a main module's path, or
/// `vendor`).
pub fn sum_hint_importer<'a>(
    need: &ModuleNeed,
    module_of: impl Fn(&str) -> Option<&'a str>,
) -> Option<(String, Option<String>)> {
    let importer = need.first_importer.as_deref()?;
    let module = module_of(importer)?;
    let version = match module.split_once('@') {
        Some((_, v)) => Some(v.to_string()),
        None if module == "vendor" => return None,
        None => None,
    };
    Some((importer.to_string(), version))
}

/// Requirements of the main module(s) that no loaded package comes from.
pub fn unused_requirements(a: &Analysis, roots: &BTreeMap<String, String>) -> Vec<String> {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for m in a.modules.values() {
        seen.insert(&m.path, ());
    }
    roots
        .iter()
        .filter(|(p, _)| !seen.contains_key(p.as_str()))
        .map(|(p, v)| format!("{p}@{v}"))
        .collect()
}

/// go's test (cmd/go/internal/load: `strings.ContainsAny(p.Dir, "\r\n")`).
pub fn has_line_break(path: impl AsRef<std::ffi::OsStr>) -> bool {
    path.as_ref()
        .as_encoded_bytes()
        .iter()
        .any(|b| matches!(b, b'\r' | b'\n'))
}
