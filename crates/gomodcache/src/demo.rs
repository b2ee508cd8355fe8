//! The embedded demo: a realistic Go project, a module cache with one of each fault modscope
//! detects, and a `file://` proxy with correct copies of every module, written with no network
//! and no `go`. Deterministic: every run writes the same bytes.
//!
//! ```text
//! dest/project/     go.mod (module github.com/acme/inventory), go.sum, main.go, internal/utils/
//! dest/gomodcache/  GOMODCACHE with healthy and damaged entries
//! dest/proxy/       GOPROXY=file://dest/proxy, every module intact (go mod download repairs from it)
//! ```

mod catalog;

use crate::cache::layout::{ModuleCache, ModuleFiles};
use crate::synth::{
    SynthModule, go_mod_text, import_block, sort_order, write_cache_entry, write_proxy,
};
use catalog::{CATALOGUE, ERRORS_PATH, ERRORS_REPLACEMENT, ERRORS_REQUIRED, Fault, Spec};
use std::io;
use std::path::{Path, PathBuf};

/// The module path of the demo project.
pub(crate) const DEMO_MODULE: &str = "github.com/acme/inventory";
/// Required at a placeholder version and replaced by `./internal/utils` (which exists).
pub(crate) const UTILS_PATH: &str = "github.com/acme/inventory-utils";
/// Required and replaced by `../legacy-auth`, a directory that does not exist.
pub(crate) const LEGACY_AUTH_PATH: &str = "github.com/acme/legacy-auth";
const LOCAL_VERSION: &str = "v0.0.0-00010101000000-000000000000";
const LEGACY_AUTH_VERSION: &str = "v1.4.0";

/// Where the demo was written and what modscope should report for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLayout {
    /// `dest/project`: the main module (go.mod, go.sum, main.go).
    pub project_dir: PathBuf,
    /// `dest/gomodcache`: use as GOMODCACHE.
    pub gomodcache: PathBuf,
    /// `dest/proxy`: use as `GOPROXY=file://<proxy_dir>`.
    pub proxy_dir: PathBuf,
    /// One per go.mod `require` entry, in go.mod order (direct block, then `// indirect`),
    /// then one per graph-only module.
    pub expectations: Vec<DemoExpectation>,
}

/// The status modscope should give one requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoExpectation {
    /// The module path as required in go.mod.
    pub path: String,
    /// The version as required in go.mod (for a replaced module, not the replacement's).
    pub version: String,
    /// `"cached" | "missing" | "mismatch" | "replaced-local" | "graph"`.
    pub status: &'static str,
    /// Short id of the injected fault, `""` when healthy.
    pub fault: &'static str,
}

/// Writes the demo under `dest` (created if needed). `dest/project`, `dest/gomodcache` and
/// `dest/proxy` must be absent or empty: faults are injected by removing files, so writing over
/// an earlier (perhaps repaired) demo would not give the promised state.
/// Files are left writable (unlike go's 0444 cache files) so the demo can be deleted with a
/// plain recursive remove.
pub fn materialize_demo(dest: &Path) -> io::Result<DemoLayout> {
    let project_dir = dest.join("project");
    let gomodcache = dest.join("gomodcache");
    let proxy_dir = dest.join("proxy");
    for dir in [&project_dir, &gomodcache, &proxy_dir] {
        crate::fs::new_tree::ensure_empty(dir, "the demo is only written to a fresh directory")?;
    }
    let mut modules: Vec<SynthModule> = Vec::with_capacity(CATALOGUE.len());
    for spec in CATALOGUE {
        let m = catalog::build(spec, &modules);
        modules.push(m);
    }

    // The proxy holds every module intact, and the version of pkg/errors go.mod requires.
    let errors_required = {
        let spec = CATALOGUE
            .iter()
            .find(|s| s.path == ERRORS_PATH)
            .expect("in the catalogue");
        catalog::build(
            &Spec {
                version: ERRORS_REQUIRED,
                ..*spec
            },
            &[],
        )
    };
    let mut proxied = modules.clone();
    proxied.push(errors_required);
    write_proxy(&proxy_dir, &proxied)?;

    std::fs::create_dir_all(&gomodcache)?;
    let cache = ModuleCache::new(&gomodcache);
    for (spec, m) in CATALOGUE.iter().zip(&modules) {
        if spec.fault != Fault::NotInCache {
            write_cache_entry(&gomodcache, m)?;
        }
        let files = cache.files(&m.path, &m.version).map_err(io::Error::other)?;
        inject_cache_fault(spec.fault, m, &files)?;
    }

    write_project(&project_dir, &modules)?;
    Ok(DemoLayout {
        expectations: expectations(),
        project_dir,
        gomodcache,
        proxy_dir,
    })
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The local edit the dir faults make: a line appended to the module's main Go file (still valid
/// Go, so only the hash tells).
fn edit_extracted_dir(m: &SynthModule, files: &ModuleFiles) -> io::Result<()> {
    let main_go = files.dir.join(format!("{}.go", m.package_name()));
    let mut text = std::fs::read_to_string(&main_go)?;
    text.push_str("\n// Debug turns on verbose output (patched in the module cache while debugging).\nvar Debug = true\n");
    std::fs::write(main_go, text)
}

fn inject_cache_fault(fault: Fault, m: &SynthModule, files: &ModuleFiles) -> io::Result<()> {
    let lock = files
        .download_dir
        .join(format!("{}.lock", files.escaped_version));
    match fault {
        Fault::Healthy | Fault::NotInCache | Fault::GoSumTampered | Fault::GoSumLineMissing => {}
        Fault::ModOnly => {
            // What loading the module graph leaves: .mod and .info (and `list`), nothing else.
            for p in [&files.zip, &files.ziphash, &lock] {
                remove_if_exists(p)?;
            }
            std::fs::remove_dir_all(&files.dir)?;
        }
        Fault::Partial => std::fs::write(&files.partial, "")?,
        Fault::DirEdited => edit_extracted_dir(m, files)?,
        Fault::ZipRewritten => {
            let readme = m
                .files
                .iter()
                .find(|(n, _)| n == "README.md")
                .map(|(_, d)| d.clone());
            let mut text = readme.unwrap_or_default();
            text.extend_from_slice(b"\nPatched copy: this zip was rewritten after download.\n");
            std::fs::write(
                &files.zip,
                m.clone().with_file("README.md", text).zip_bytes(),
            )?;
        }
        Fault::ModEdited => {
            let text = String::from_utf8(m.mod_bytes()).expect("synthetic go.mod is UTF-8");
            let edited = match text.find("\ngo ") {
                Some(at) => {
                    let end = text[at + 1..].find('\n').map_or(text.len(), |e| at + 1 + e);
                    format!("{}\ngo 1.22{}", &text[..at], &text[end..])
                }
                None => format!("{text}// edited by hand\n"),
            };
            std::fs::write(&files.go_mod, edited)?;
        }
        Fault::DirEditedNoZip => {
            remove_if_exists(&files.zip)?;
            remove_if_exists(&files.ziphash)?;
            edit_extracted_dir(m, files)?;
        }
    }
    Ok(())
}

/// A go.sum zip hash with one base64 character changed, still 47 characters long.
pub(crate) fn tamper_h1(h1: &str) -> String {
    let mut bytes = h1.as_bytes().to_vec();
    let i = 3 + 10;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ASCII")
}

fn go_sum(modules: &[SynthModule]) -> String {
    let mut entries: Vec<(&SynthModule, &Spec)> = modules.iter().zip(CATALOGUE).collect();
    entries.sort_by(|(a, _), (b, _)| {
        a.path
            .cmp(&b.path)
            .then_with(|| sort_order(&a.version, &b.version))
    });
    let mut out = String::new();
    for (m, spec) in entries {
        let zip_h1 = match spec.fault {
            // A pruned project's go.sum has only the go.mod lines of graph-only modules.
            _ if spec.graph_only => None,
            Fault::GoSumLineMissing => None,
            Fault::GoSumTampered => Some(tamper_h1(&m.zip_h1())),
            _ => Some(m.zip_h1()),
        };
        if let Some(h) = zip_h1 {
            out.push_str(&format!("{} {} {h}\n", m.path, m.version));
        }
        out.push_str(&format!(
            "{} {}/go.mod {}\n",
            m.path,
            m.version,
            m.go_mod_h1()
        ));
    }
    out
}

/// `(path, required version, indirect)` of every go.mod requirement, in go.mod order.
fn requirements() -> Vec<(&'static str, &'static str, bool)> {
    let mut reqs: Vec<(&str, &str, bool)> = CATALOGUE
        .iter()
        .filter(|s| !s.graph_only)
        .map(|s| {
            let version = if s.path == ERRORS_PATH {
                ERRORS_REQUIRED
            } else {
                s.version
            };
            (s.path, version, s.indirect)
        })
        .collect();
    reqs.push((UTILS_PATH, LOCAL_VERSION, false));
    reqs.push((LEGACY_AUTH_PATH, LEGACY_AUTH_VERSION, false));
    reqs.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(b.0)));
    reqs
}

fn expectations() -> Vec<DemoExpectation> {
    let graph_only = CATALOGUE
        .iter()
        .filter(|s| s.graph_only)
        .map(|s| DemoExpectation {
            path: s.path.into(),
            version: s.version.into(),
            status: "graph",
            // Only its go.mod cached is no fault for a graph-only module: go needs no more.
            fault: "",
        });
    requirements()
        .into_iter()
        .map(|(path, version, _)| {
            let (status, fault) = match path {
                UTILS_PATH => ("replaced-local", ""),
                LEGACY_AUTH_PATH => ("replaced-local", "replace-dir-missing"),
                _ => {
                    let spec = CATALOGUE
                        .iter()
                        .find(|s| s.path == path)
                        .expect("in the catalogue");
                    (spec.fault.status(), spec.fault.id())
                }
            };
            DemoExpectation {
                path: path.into(),
                version: version.into(),
                status,
                fault,
            }
        })
        .chain(graph_only)
        .collect()
}

fn project_go_mod() -> String {
    let reqs = requirements();
    let block = |indirect: bool| -> String {
        let lines: String = reqs
            .iter()
            .filter(|r| r.2 == indirect)
            .map(|(p, v, _)| format!("\t{p} {v}{}\n", if indirect { " // indirect" } else { "" }))
            .collect();
        format!("require (\n{lines})\n")
    };
    format!(
        "module {DEMO_MODULE}\n\ngo 1.22\n\ntoolchain go1.22.5\n\n{}\n{}\n\
         replace {UTILS_PATH} => ./internal/utils\n\n\
         replace {LEGACY_AUTH_PATH} => ../legacy-auth\n\n\
         replace {ERRORS_PATH} => {ERRORS_PATH} {ERRORS_REPLACEMENT}\n",
        block(false),
        block(true)
    )
}

fn write_project(dir: &Path, modules: &[SynthModule]) -> io::Result<()> {
    let mut utils = SynthModule::new(UTILS_PATH, LOCAL_VERSION);
    utils.go_mod = Some(go_mod_text(UTILS_PATH, "1.22", &[]));
    let legacy = SynthModule::new(LEGACY_AUTH_PATH, LEGACY_AUTH_VERSION);
    let mut imported: Vec<&SynthModule> = modules
        .iter()
        .zip(CATALOGUE)
        .filter(|(_, spec)| !spec.indirect && !spec.graph_only)
        .map(|(m, _)| m)
        .chain([&utils, &legacy])
        .collect();
    imported.sort_by(|a, b| a.path.cmp(&b.path));
    let (imports, names) = import_block(&imported);
    let values: String = names
        .iter()
        .map(|n| format!("\t\t{n}.Version,\n"))
        .collect();
    let main_go = format!(
        "// Command inventory is the ACME inventory service (the modscope demo project).\n\
         package main\n\nimport (\n\t\"fmt\"\n\n{}\nfunc main() {{\n\
         \tfor _, v := range []string{{\n{values}\t}} {{\n\t\tfmt.Println(v)\n\t}}\n}}\n",
        imports
            .strip_prefix("import (\n")
            .expect("import_block starts a block")
    );
    std::fs::create_dir_all(dir.join("internal/utils"))?;
    std::fs::write(dir.join("go.mod"), project_go_mod())?;
    std::fs::write(dir.join("go.sum"), go_sum(modules))?;
    std::fs::write(dir.join("main.go"), main_go)?;
    for (name, data) in utils.tree() {
        std::fs::write(dir.join("internal/utils").join(name), data)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
