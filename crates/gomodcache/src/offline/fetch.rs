//! What go needs from the cache for one module, checked the way cmd/go checks it: `fetch`
//! (the replacement directory, or the zip/extracted tree plus its go.sum `h1:` line) and
//! `goModSummary` (the `.mod` file, its `/go.mod` line, its `go` version). Problems become
//! blockers; nothing is written anywhere.

use super::{BlockerKind as K, Findings};
use crate::cache::dirhash::hash_go_mod;
use crate::cache::layout::{ModuleCache, Ziphash};
use crate::fix::commands::{evict_and_download_command, shell_quote};
use crate::fix::compound::{go_mod_download_command, go_sum_fix_command, init_replacement_command};
use crate::goenv::patterns::match_prefix_patterns;
use crate::graph::Node;
use crate::modfile::go_mod::{GoMod, ReplaceTarget, Strictness, parse_go_mod};
use crate::packages::source_tree::SourceTree;
use crate::project::Project;
use crate::project::requirements::Replacement;
use crate::sumdb::go_cache::sumdb_lookup_cached;
use crate::sumdb::note::sumdb_name;
use crate::version::gover;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// One `replace` directive with where it was written.
#[derive(Debug, Clone)]
pub struct Rule {
    pub old_path: String,
    pub old_version: Option<String>,
    pub target: ReplaceTarget,
    pub base_dir: PathBuf,
    pub file: PathBuf,
    pub line: usize,
}

impl Rule {
    /// The cleaned absolute directory of a directory replacement.
    pub fn dir(&self) -> Option<PathBuf> {
        Replacement {
            target: self.target.clone(),
            declared_in: String::new(),
            base_dir: self.base_dir.clone(),
            old: String::new(),
            go_version: None,
            in_go_work: false,
        }
        .resolved_dir()
    }

    pub fn old(&self) -> String {
        match &self.old_version {
            Some(v) => format!("{}@{v}", self.old_path),
            None => self.old_path.clone(),
        }
    }
}

/// go.work replacements first, then the main modules' (spec §6.4); within a set an exact
/// `path version` beats a wildcard `path`.
#[derive(Debug, Clone, Default)]
pub struct Replacer {
    pub work: Vec<Rule>,
    pub mods: Vec<Rule>,
}

impl Replacer {
    pub fn new(project: &Project) -> Self {
        let mut r = Replacer::default();
        if let Some(ws) = &project.workspace {
            let base = ws.path.parent().unwrap_or(Path::new("/")).to_path_buf();
            r.work = rules(&ws.work.replace, &base, &ws.path);
        }
        for m in &project.main_modules {
            r.mods
                .extend(rules(&m.go_mod.replace, &m.dir, &m.go_mod_path));
        }
        r
    }

    pub fn find(&self, path: &str, version: &str) -> Option<&Rule> {
        [&self.work, &self.mods].into_iter().find_map(|set| {
            set.iter()
                .find(|r| r.old_path == path && r.old_version.as_deref() == Some(version))
                .or_else(|| {
                    set.iter()
                        .find(|r| r.old_path == path && r.old_version.is_none())
                })
        })
    }
}

fn rules(list: &[crate::modfile::go_mod::Replace], base: &Path, file: &Path) -> Vec<Rule> {
    list.iter()
        .map(|r| Rule {
            old_path: r.old_path.clone(),
            old_version: r.old_version.clone(),
            target: r.new.clone(),
            base_dir: base.to_path_buf(),
            file: file.to_path_buf(),
            line: r.line,
        })
        .collect()
}

/// When go.sum must already hold every line (`mustHaveSums`), and what go does otherwise.
#[derive(Debug, Clone)]
pub struct SumPolicy {
    /// Readonly mode in a single module: a missing line is an error.
    pub required: bool,
    pub gosumdb: String,
    /// GONOSUMDB, defaulted to GOPRIVATE.
    pub gonosumdb: String,
}

impl SumPolicy {
    pub fn uses_sumdb(&self, path: &str) -> bool {
        self.gosumdb != "off" && !match_prefix_patterns(&self.gonosumdb, path)
    }
}

#[derive(Debug, Clone)]
pub enum Fetched {
    /// The module's source; `local` for directory replacements (nested modules matter there).
    Tree(Rc<SourceTree>, bool),
    /// go.sum lacks the zip line in readonly mode: go cannot look inside the module.
    SumMissing,
    /// go would have to download: a blocker was recorded.
    Failed,
}

pub struct ModuleAccess<'a> {
    pub project: &'a Project,
    pub cache: &'a ModuleCache,
    pub replacer: Replacer,
    pub sums: SumPolicy,
    /// The Go version that would run (`1.26.8`), for `go` lines of dependencies.
    pub local_go: Option<String>,
    fetched: HashMap<Node, Fetched>,
    summaries: HashMap<Node, Option<GoMod>>,
}

mod fixes;

fn download(path: &str, version: &str) -> String {
    format!(
        "go mod download {}",
        shell_quote(&format!("{path}@{version}"))
    )
}

impl<'a> ModuleAccess<'a> {
    pub fn new(project: &'a Project, cache: &'a ModuleCache, sums: SumPolicy) -> Self {
        ModuleAccess {
            project,
            cache,
            replacer: Replacer::new(project),
            sums,
            local_go: None,
            fetched: HashMap::new(),
            summaries: HashMap::new(),
        }
    }

    /// The module go actually reads for `m`: its module replacement, or itself.
    pub fn target(&self, m: &Node) -> Node {
        match self.replacer.find(&m.path, &m.version).map(|r| &r.target) {
            Some(ReplaceTarget::Module { path, version }) => Node::new(path, version),
            _ => m.clone(),
        }
    }

    fn missing_sum(&self, t: &Node, go_mod: bool, m: &Node, why: &str, f: &mut Findings) {
        let at = format!("{}@{}", t.path, t.version);
        let what = if go_mod {
            "`/go.mod` line"
        } else {
            "zip `h1:` line"
        };
        // go's own hints: `go mod download path` for a go.mod line (with the version, a
        // version the graph reads but does not select gets no line).
        let fix = if go_mod {
            go_mod_download_command(&m.path)
        } else {
            download(&t.path, &t.version)
        };
        if self.sums.required {
            let (kind, go_says) = if go_mod {
                (
                    K::MissingGoSumGoMod,
                    format!("go: {at}: missing go.sum entry for go.mod file"),
                )
            } else {
                (
                    K::MissingGoSumZip,
                    format!("missing go.sum entry for module providing {why}"),
                )
            };
            f.block(kind, Some(m.to_string()), format!("go.sum has no {what} for {at}, which go needs ({why}); go fails with \"{go_says}\". The fix adds the line (it needs the network unless the module is cached and GOSUMDB=off)"), fix);
        } else if self.sums.uses_sumdb(&t.path)
            && sumdb_name(&self.sums.gosumdb)
                .is_some_and(|db| sumdb_lookup_cached(self.cache, db, &t.path, &t.version))
        {
            f.warn("go-sum-line-from-cached-checksum-db", format!("go.sum has no {what} for {at}; go would verify it against the checksum database's answer already in the module cache and add the line"), Some(fix));
        } else if self.sums.uses_sumdb(&t.path) {
            f.block(K::NeedsChecksumDb, Some(m.to_string()), format!("go.sum has no {what} for {at} ({why}); go would verify it against the checksum database {}, which needs the network: run the fix while online, or set GONOSUMDB={} if the module is private", self.sums.gosumdb, t.path), fix);
        } else {
            f.warn("go-sum-line-added-unverified", format!("go.sum has no {what} for {at}; go would record the hash of the cached copy without checking it (GOSUMDB=off or GONOSUMDB)"), Some(fix));
        }
    }

    /// `modload.fetch`: where the source of `m` is, or why go cannot get it offline.
    pub fn fetch(&mut self, m: &Node, why: &str, f: &mut Findings) -> Fetched {
        if let Some(done) = self.fetched.get(m) {
            return done.clone();
        }
        let out = self.fetch_uncached(m, why, f);
        self.fetched.insert(m.clone(), out.clone());
        out
    }

    fn fetch_uncached(&mut self, m: &Node, why: &str, f: &mut Findings) -> Fetched {
        if let Some(rule) = self.replacer.find(&m.path, &m.version)
            && let ReplaceTarget::Dir(written) = &rule.target
        {
            let dir = rule.dir().unwrap_or_default();
            if !dir.is_dir() {
                f.block(
                    K::ReplaceDirMissing,
                    Some(m.to_string()),
                    format!(
                        "{m}: replacement directory {written} does not exist ({}:{}; {why}). Check the module out into {}, or (the fix) drop the replacement and use the required version",
                        rule.file.display(),
                        rule.line,
                        dir.display()
                    ),
                    self.drop_replacement(rule, m),
                );
                return Fetched::Failed;
            }
            return Fetched::Tree(Rc::new(SourceTree::Dir(dir)), true);
        }
        let t = self.target(m);
        let zip_line = self
            .project
            .sums
            .zip_line(&t.path, &t.version)
            .map(|(_, l)| l.hash.clone());
        let mut sum_missing = false;
        if zip_line.is_none() {
            self.missing_sum(&t, false, m, why, f);
            sum_missing = self.sums.required;
        }
        let probe = match self.cache.probe(&t.path, &t.version) {
            Ok(p) => p,
            Err(e) => {
                f.block_with_advice(
                    K::InvalidModulePath,
                    Some(m.to_string()),
                    e.to_string(),
                    "fix the module path or version in go.mod",
                );
                return Fetched::Failed;
            }
        };
        let at = format!("{}@{}", t.path, t.version);
        let tree = if probe.dir_complete() {
            SourceTree::Dir(probe.files.dir.clone())
        } else if probe.has_zip {
            match SourceTree::open_zip(&probe.files.zip, &format!("{at}/")) {
                Ok(z) => z,
                Err(e) => {
                    f.block(K::CorruptZip, Some(m.to_string()), format!("the cached zip of {at} cannot be read ({e}); go would download it again"), format!("rm -f {} && {}", shell_quote(&probe.files.zip.display().to_string()), download(&t.path, &t.version)));
                    return Fetched::Failed;
                }
            }
        } else {
            let state = if probe.dir_exists && probe.has_partial {
                "its extraction was interrupted (.partial) and the zip is gone"
            } else if probe.dir_exists {
                "the extracted directory has no .ziphash and the zip is gone, so go treats it as not downloaded"
            } else if probe.has_go_mod {
                "only its .mod is cached"
            } else {
                "it is not in the module cache"
            };
            f.block(K::ModuleNotDownloaded, Some(m.to_string()), format!("{at} is needed ({why}) but {state}; go would download it and fails with \"module lookup disabled by GOPROXY=off\". The imports of its packages cannot be followed, so modules needed only through it may be missing from this report"), download(&t.path, &t.version));
            return Fetched::Failed;
        };
        if let (Some(line), Ziphash::Valid(z)) = (&zip_line, &probe.ziphash)
            && line != z
        {
            let fix = match self.project.sums.zip_line(&t.path, &t.version) {
                Some((file, _)) => go_sum_fix_command(file, &t.path, &t.version, false),
                None => download(&t.path, &t.version),
            };
            f.block(K::ChecksumMismatch, Some(m.to_string()), format!("verifying {at}: checksum mismatch: the cache recorded {z} (.ziphash) but go.sum says {line}; go stops with SECURITY ERROR. The fix takes go.sum for the wrong side (check the line's history first: git log -p -- go.sum); `modscope check` re-hashes the cached download, and says when the cache is the side that changed"), fix);
        }
        if sum_missing {
            return Fetched::SumMissing;
        }
        Fetched::Tree(Rc::new(tree), false)
    }

    /// Every module whose go.mod was read (or attempted), sorted.
    pub fn go_mods_read(&self) -> Vec<Node> {
        let mut v: Vec<Node> = self.summaries.keys().cloned().collect();
        v.sort();
        v
    }

    /// `goModSummary`: reads the go.mod go would read for `m` and checks its go.sum line and
    /// its `go` version. `None` when it cannot be read (a blocker was recorded).
    pub fn go_mod(&mut self, m: &Node, why: &str, f: &mut Findings) -> Option<GoMod> {
        if let Some(done) = self.summaries.get(m) {
            return done.clone();
        }
        let out = self.go_mod_uncached(m, why, f);
        self.summaries.insert(m.clone(), out.clone());
        out
    }

    fn go_mod_uncached(&mut self, m: &Node, why: &str, f: &mut Findings) -> Option<GoMod> {
        let rule = self.replacer.find(&m.path, &m.version).cloned();
        let (file, key) = match rule.as_ref().map(|r| (r, &r.target)) {
            Some((r, ReplaceTarget::Dir(written))) => {
                let dir = r.dir().unwrap_or_default();
                if !dir.is_dir() {
                    f.block(K::ReplaceDirMissing, Some(m.to_string()), format!("go: {m} (replaced by {written}): reading {written}/go.mod: no such file or directory ({} does not exist; {why}). Check the module out into it, or (the fix) drop the replacement and use the required version", dir.display()), self.drop_replacement(r, m));
                    return None;
                }
                if !dir.join("go.mod").is_file() {
                    f.block(K::ReplaceNoGoMod, Some(m.to_string()), format!("go: {m} (replaced by {written}): reading {written}/go.mod: open {}: no such file or directory ({why}). The fix writes one at the go version of {} (go mod init alone writes the running go's, and the build then stops with \"updates to go.mod needed\")", dir.join("go.mod").display(), r.file.display()), init_replacement_command(&dir, &m.path, self.declaring_go(r)));
                    return None;
                }
                (dir.join("go.mod"), None)
            }
            _ => {
                let t = self.target(m);
                match self.cache.files(&t.path, &t.version) {
                    Ok(files) => (files.go_mod, Some(t)),
                    Err(e) => {
                        f.block_with_advice(
                            K::InvalidModulePath,
                            Some(m.to_string()),
                            e.to_string(),
                            "fix the module path or version in go.mod",
                        );
                        return None;
                    }
                }
            }
        };
        // Not a plain read: a .mod that is a named pipe would block the analysis.
        let Ok(data) = crate::fs::read::read_regular_file(&file, crate::fs::read::limits::GO_MOD)
        else {
            let t = key.unwrap_or_else(|| m.clone());
            f.block(K::MissingGoMod, Some(m.to_string()), format!("{} is not in the cache; go reads the go.mod of {m} ({why}) and would download it (module lookup disabled by GOPROXY=off)", file.display()), download(&t.path, &t.version));
            return None;
        };
        let parsed = match parse_go_mod(&file.to_string_lossy(), &data, Strictness::Lax) {
            Ok(p) => p,
            Err(e) => {
                let message = format!("go: {m}: parsing go.mod: {e}");
                match key.as_ref().and_then(|t| Some((t, self.cache.files(&t.path, &t.version).ok()?))) {
                    // The cached .mod: that version goes from the cache and go downloads it again.
                    Some((t, files)) => f.block(
                        K::InvalidGoMod,
                        Some(m.to_string()),
                        format!("{message}; the fix removes that version from the cache and downloads it again"),
                        evict_and_download_command(&files, &t.path, &t.version),
                    ),
                    // The go.mod of a replacement directory is the user's own.
                    None => f.block_with_advice(
                        K::InvalidGoMod,
                        Some(m.to_string()),
                        message,
                        &format!("fix {}", file.display()),
                    ),
                }
                return None;
            }
        };
        if let Some(t) = &key {
            match self.project.sums.go_mod_line(&t.path, &t.version) {
                None => self.missing_sum(t, true, m, why, f),
                Some((_, l)) => {
                    let h = hash_go_mod(&data);
                    if l.hash != h {
                        let (side, fix) = self.go_mod_mismatch_fix(t, m);
                        f.block(K::ChecksumMismatch, Some(m.to_string()), format!("verifying {}@{}/go.mod: checksum mismatch: the cached .mod hashes to {h} but go.sum says {}; go stops with SECURITY ERROR. {side}", t.path, t.version, l.hash), fix);
                    }
                }
            }
        }
        if let (Some(go), Some(local)) = (&parsed.go, &self.local_go)
            && gover::compare(go, "1.21").is_ge()
            && gover::compare(go, local).is_gt()
        {
            f.block_with_advice(
                K::DependencyNeedsNewerGo,
                Some(m.to_string()),
                format!("go: module {m} requires go >= {go} (running go {local}); this cannot be switched offline"),
                &format!("install Go {go} or newer, or use an older version of {}", m.path),
            );
        }
        Some(parsed)
    }
}
