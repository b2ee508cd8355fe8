//! Vendoring: when go uses vendor/ (`setDefaultBuildMod`, spec §8.2) and whether
//! vendor/modules.txt is consistent with go.mod — a line-for-line port of cmd/go's
//! `readVendorList` and `checkVendorConsistency` (§8.3), with go's messages.

use crate::modfile::go_mod::{ReplaceTarget, is_directory_path};
use crate::project::Project;
use crate::project::vendor_mode::{relative, short_path, vendor_dir};
use crate::version::gover;
use crate::version::semver;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// `module.Version`: a wildcard replacement has an empty version.
pub type Key = (String, String);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub explicit: bool,
    pub replacement: Option<Key>,
    pub go_version: Option<String>,
}

/// What `readVendorList` records.
#[derive(Debug, Clone, Default)]
pub struct VendorList {
    /// Modules that contribute packages, in order of appearance.
    pub list: Vec<Key>,
    pub replaced: Vec<Key>,
    pub version: HashMap<String, String>,
    pub meta: HashMap<Key, Meta>,
    pub pkg_module: HashMap<String, Key>,
}

/// `readVendorList` over the text of vendor/modules.txt (empty when the file is absent).
pub fn read_vendor_list(text: &str) -> VendorList {
    let mut v = VendorList::default();
    let mut m: Key = (String::new(), String::new());
    for line in text.split('\n') {
        if line.starts_with("# ") {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 3 {
                continue;
            }
            let rest: &[&str] = if semver::is_valid(f[2]) {
                m = (f[1].to_string(), f[2].to_string());
                &f[3..]
            } else if f[2] == "=>" {
                m = (f[1].to_string(), String::new());
                &f[2..]
            } else {
                m = (String::new(), String::new());
                continue;
            };
            if rest.len() >= 2 && rest[0] == "=>" {
                let meta = v.meta.entry(m.clone()).or_default();
                if rest.len() == 2 {
                    meta.replacement = Some((rest[1].to_string(), String::new()));
                    v.replaced.push(m.clone());
                } else if rest.len() == 3 && semver::is_valid(rest[2]) {
                    meta.replacement = Some((rest[1].to_string(), rest[2].to_string()));
                    v.replaced.push(m.clone());
                }
            }
            continue;
        }
        if m.0.is_empty() {
            continue;
        }
        if let Some(annotations) = line.strip_prefix("## ") {
            let meta = v.meta.entry(m.clone()).or_default();
            for entry in annotations.split(';').map(str::trim) {
                if entry == "explicit" {
                    meta.explicit = true;
                }
                if let Some(g) = entry.strip_prefix("go ") {
                    meta.go_version = Some(g.to_string());
                }
            }
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 1 && is_import_path(f[0]) {
            v.pkg_module.insert(f[0].to_string(), m.clone());
            let newer = v
                .version
                .get(&m.0)
                .is_none_or(|old| semver::compare(old, &m.1).is_lt());
            if newer {
                v.list.push(m.clone());
                v.version.insert(m.0.clone(), m.1.clone());
            }
        }
    }
    v
}

/// x/mod `CheckImportPath`, without the Windows-reserved-name rules.
fn is_import_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with(['/', '-'])
        && p.split('/').all(|e| {
            !e.is_empty()
                && !e.bytes().all(|b| b == b'.')
                && !e.ends_with('.')
                && e.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~+".contains(&b))
        })
}

fn describe(k: &Key) -> String {
    if k.1.is_empty() {
        k.0.clone()
    } else {
        format!("{}@{}", k.0, k.1)
    }
}

fn target_key(t: &ReplaceTarget) -> Key {
    match t {
        ReplaceTarget::Dir(d) => (d.clone(), String::new()),
        ReplaceTarget::Module { path, version } => (path.clone(), version.clone()),
    }
}

type ReplaceMap = Vec<(Key, Key)>;

fn replace_map(list: &[crate::modfile::go_mod::Replace]) -> ReplaceMap {
    list.iter()
        .map(|r| {
            (
                (
                    r.old_path.clone(),
                    r.old_version.clone().unwrap_or_default(),
                ),
                target_key(&r.new),
            )
        })
        .collect()
}

fn lookup(m: &Key, map: &ReplaceMap) -> Option<Key> {
    let get = |k: &Key| map.iter().find(|(o, _)| o == k).map(|(_, n)| n.clone());
    get(m).or_else(|| get(&(m.0.clone(), String::new())))
}

/// `checkVendorConsistency`: go's error lines (without the tab); empty when consistent.
pub fn check_vendor_consistency(project: &Project, v: &VendorList) -> Vec<String> {
    let workspace = project.workspace.is_some();
    let pre114 = !workspace
        && gover::compare(
            project
                .main
                .as_ref()
                .and_then(|m| m.go_mod.go.as_deref())
                .unwrap_or(""),
            "1.14",
        )
        .is_lt();
    let mut errs = Vec::new();
    let mut err = |m: &Key, detail: String| errs.push(format!("{}: {detail}", describe(m)));
    let mains: HashSet<&str> = project
        .main_modules
        .iter()
        .filter_map(|m| m.module_path())
        .collect();
    for m in &project.main_modules {
        for r in &m.go_mod.require {
            let k = (r.path.clone(), r.version.clone());
            if !v.meta.get(&k).is_some_and(|m| m.explicit) {
                if pre114 {
                    if let Some(vv) = v.version.get(&r.path).filter(|vv| **vv != r.version) {
                        err(
                            &k,
                            format!(
                                "is explicitly required in go.mod, but vendor/modules.txt indicates {}@{vv}",
                                r.path
                            ),
                        );
                    }
                } else {
                    err(&k, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt".into());
                }
            }
        }
    }
    let work_map = project
        .workspace
        .as_ref()
        .map(|w| replace_map(&w.work.replace))
        .unwrap_or_default();
    let mod_maps: Vec<(PathBuf, ReplaceMap)> = project
        .main_modules
        .iter()
        .map(|m| (m.dir.clone(), replace_map(&m.go_mod.replace)))
        .collect();
    let work_path = project.workspace.as_ref().map(|w| w.path.clone());
    // `replacementFrom`: (replacement, module root, the file it is in).
    let replacement_from = |m: &Key| -> Option<(Key, Option<PathBuf>, PathBuf)> {
        if mains.contains(m.0.as_str()) && m.1.is_empty() {
            return None;
        }
        if let (Some(r), Some(w)) = (lookup(m, &work_map), &work_path) {
            return Some((r, None, w.clone()));
        }
        let mut found = None;
        for (root, map) in &mod_maps {
            if let Some(r) = lookup(m, map) {
                found = Some((r, Some(root.clone()), root.join("go.mod")));
            }
        }
        found
    };
    let canonical = |r: &Key, root: &Option<PathBuf>| -> Key {
        let (Some(root), Some(w)) = (root, &work_path) else {
            return r.clone();
        };
        if Path::new(&r.0).is_absolute() || !r.1.is_empty() {
            return r.clone();
        }
        let abs = root.join(&r.0);
        let rel = w.parent().and_then(|d| relative(d, &abs)).unwrap_or(abs);
        let s = rel.display().to_string().replace('\\', "/");
        let s = if is_directory_path(&s) {
            s
        } else {
            format!("./{s}")
        };
        (s, String::new())
    };
    let cwd = &project.start_dir;
    let mut seen: HashSet<Key> = HashSet::new();
    let mut all_replaces: Vec<Key> = Vec::new();
    for m in &project.main_modules {
        all_replaces.extend(replace_map(&m.go_mod.replace).into_iter().map(|(o, _)| o));
    }
    all_replaces.extend(work_map.iter().map(|(o, _)| o.clone()));
    for old in all_replaces {
        if !seen.insert(old.clone()) {
            continue;
        }
        let (r_new, root, source) = match replacement_from(&old) {
            Some((r, root, source)) => (Some(r), root, source),
            None => (None, None, PathBuf::from("go.mod")),
        };
        let r_canon = r_new.as_ref().map(|r| canonical(r, &root));
        let vr = v.meta.get(&old).and_then(|m| m.replacement.clone());
        match (vr, r_canon) {
            (None, None) => {}
            (None, Some(_))
                if pre114 && (old.1.is_empty() || v.version.get(&old.0) != Some(&old.1)) => {}
            (None, Some(_)) => err(
                &old,
                format!(
                    "is replaced in {}, but not marked as replaced in vendor/modules.txt",
                    short_path(cwd, &source)
                ),
            ),
            (Some(vr), canon) if Some(&vr) != canon.as_ref() => err(
                &old,
                format!(
                    "is replaced by {} in {}, but marked as replaced by {} in vendor/modules.txt",
                    r_new.as_ref().map(describe).unwrap_or_default(),
                    short_path(cwd, &source),
                    describe(&vr)
                ),
            ),
            _ => {}
        }
    }
    let requires: HashSet<Key> = project
        .main_modules
        .iter()
        .flat_map(|m| {
            m.go_mod
                .require
                .iter()
                .map(|r| (r.path.clone(), r.version.clone()))
        })
        .collect();
    for m in &v.list {
        if v.meta.get(m).is_some_and(|x| x.explicit) && !requires.contains(m) {
            let article = if workspace { "a " } else { "" };
            err(
                m,
                format!(
                    "is marked as explicit in vendor/modules.txt, but not explicitly required in {article}go.mod"
                ),
            );
        }
    }
    for m in &v.replaced {
        if replacement_from(m).is_none() {
            let source = if workspace { "the workspace" } else { "go.mod" };
            err(
                m,
                format!(
                    "is marked as replaced in vendor/modules.txt, but not replaced in {source}"
                ),
            );
        }
    }
    errs
}

/// go's whole fatal message for the error lines of [`check_vendor_consistency`].
pub fn inconsistent_vendoring_message(project: &Project, errs: &[String]) -> String {
    let dir = vendor_dir(project)
        .and_then(|d| d.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let sub = if project.workspace.is_some() {
        "work"
    } else {
        "mod"
    };
    let lines: String = errs.iter().map(|e| format!("\n\t{e}")).collect();
    format!(
        "go: inconsistent vendoring in {}:{lines}\n\n\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo {sub} vendor",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_list_follows_read_vendor_list() {
        let v = read_vendor_list(
            "# a.com/x v1.0.0\n## explicit; go 1.21\na.com/x\n# a.com/y v1.1.0 => ../y\na.com/y\n# b.com/z => b.com/zz v1.0.0\n# bad header\nc.com/p\n",
        );
        assert_eq!(
            v.list,
            [
                ("a.com/x".into(), "v1.0.0".into()),
                ("a.com/y".into(), "v1.1.0".into())
            ]
        );
        assert_eq!(v.replaced.len(), 2);
        assert_eq!(
            v.meta[&("b.com/z".to_string(), String::new())].replacement,
            Some(("b.com/zz".into(), "v1.0.0".into()))
        );
        let x = &v.meta[&("a.com/x".to_string(), "v1.0.0".to_string())];
        assert!(x.explicit && x.go_version.as_deref() == Some("1.21"));
        assert!(
            !v.pkg_module.contains_key("c.com/p"),
            "after an ignored header"
        );
    }

    #[test]
    fn short_paths() {
        use crate::project::vendor_mode::short_path;
        assert_eq!(
            short_path(Path::new("/w/m"), Path::new("/w/m/go.mod")),
            "go.mod"
        );
        assert_eq!(
            short_path(Path::new("/work/m"), Path::new("/work/other/go.mod")),
            "../other/go.mod"
        );
        assert_eq!(
            short_path(Path::new("/a/b/c/d"), Path::new("/x/go.mod")),
            "/x/go.mod"
        );
    }
}
