//! From the walk's measured parts to the [`CacheInventory`]: hard links counted once (the
//! first owner in path order keeps the bytes, deterministically), `@v` files grouped by
//! version, trees joined to their download files, leftovers told apart from versions.

use super::model::{
    Bytes, CacheInventory, Leftover, LeftoverKind, ModuleEntry, PartKind, VcsClone, VersionEntry,
    VersionFiles,
};
use super::names::{AtVName, DownloadKind, classify_at_v};
use super::walk::{LinkRec, UnitResult, WalkOutput};
use crate::cache::escape::{unescape_path, unescape_version};
use crate::fs::read::read_regular_file;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Default)]
struct VersionAcc {
    files: VersionFiles,
    tree: Option<Bytes>,
    download: Bytes,
    /// `.partial`, kept aside until it is known whether a tree exists.
    partial: Option<(PathBuf, Bytes, i64)>,
    lock: Option<(PathBuf, Bytes, i64)>,
    modified: i64,
}

#[derive(Default)]
struct ModuleAcc {
    path_files: Bytes,
    versions: BTreeMap<String, VersionAcc>,
}

/// Counts each `(dev, ino)` once: every record after the first (in the order of the units'
/// paths and entries) gives its bytes back.
fn dedupe_links(units: &[super::walk::Unit], results: &mut [UnitResult], mut links: Vec<LinkRec>) {
    let key = |r: &LinkRec| (r.dev, r.ino);
    links.sort_by(|a, b| {
        key(a).cmp(&key(b)).then_with(|| {
            let ua = &units[a.unit as usize].path;
            let ub = &units[b.unit as usize].path;
            ua.cmp(ub).then(a.entry.cmp(&b.entry))
        })
    });
    // Results are sorted by id; ids are dense from 0, but a cancelled scan may lack some.
    let index: BTreeMap<u32, usize> = results.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for w in 1..links.len() {
        let (prev, rec) = (links[w - 1], links[w]);
        if key(&prev) != key(&rec) {
            continue;
        }
        let Some(&i) = index.get(&rec.unit) else {
            continue;
        };
        let r = &mut results[i];
        r.total = r.total - rec.bytes;
        if let Some(e) = r.entries.get_mut(rec.entry as usize) {
            e.1 = e.1 - rec.bytes;
        }
    }
}

pub(super) fn assemble(out: WalkOutput) -> CacheInventory {
    let WalkOutput {
        units,
        mut results,
        links,
        layout,
        layout_entries: _,
        mut errors,
    } = out;
    dedupe_links(&units, &mut results, links);
    let mut inv = CacheInventory {
        other: layout,
        total: layout,
        ..Default::default()
    };
    let mut modules: BTreeMap<String, ModuleAcc> = BTreeMap::new();
    let mut vcs: BTreeMap<String, VcsClone> = BTreeMap::new();
    for r in &mut results {
        let unit = &units[r.id as usize];
        errors.append(&mut r.errors);
        inv.total += r.total;
        inv.files += r.files;
        match unit.kind {
            PartKind::Tree => {
                let m = modules
                    .entry(unit.module.clone().unwrap_or_default())
                    .or_default();
                let v = m
                    .versions
                    .entry(unit.version.clone().unwrap_or_default())
                    .or_default();
                v.tree = Some(r.total);
                v.modified = v.modified.max(r.mtime);
            }
            PartKind::TempTree => inv.leftovers.push(Leftover {
                kind: LeftoverKind::TempTree,
                path: unit.path.clone(),
                module: None,
                bytes: r.total,
                modified: r.mtime,
            }),
            PartKind::Sumdb => inv.sumdb += r.total,
            PartKind::Loose => inv.other += r.total,
            PartKind::Vcs => {
                let name = unit.version.clone().unwrap_or_default();
                let c = vcs.entry(name.clone()).or_insert_with(|| VcsClone {
                    name,
                    remote: None,
                    bytes: Bytes::default(),
                });
                c.bytes += r.total;
                if unit.path.extension().is_some_and(|e| e == "info") {
                    c.remote = read_regular_file(&unit.path, 4096)
                        .ok()
                        .map(|d| String::from_utf8_lossy(&d).trim().to_string());
                }
            }
            PartKind::AtV => {
                let m = modules
                    .entry(unit.module.clone().unwrap_or_default())
                    .or_default();
                let in_entries: Bytes = r.entries.iter().map(|e| e.1).sum();
                m.path_files += r.total - in_entries;
                for (name, b, mtime) in r.entries.drain(..) {
                    let file = unit.path.join(&name);
                    match classify_at_v(&name) {
                        AtVName::PathFile | AtVName::Unknown => m.path_files += b,
                        AtVName::Version(v, DownloadKind::Temp) => inv.leftovers.push(Leftover {
                            kind: LeftoverKind::TempFile,
                            path: file,
                            module: Some(unescaped(unit.module.as_deref().unwrap_or(""), &v)),
                            bytes: b,
                            modified: mtime,
                        }),
                        AtVName::Version(v, kind) => {
                            let acc = m.versions.entry(v).or_default();
                            if !matches!(kind, DownloadKind::Lock | DownloadKind::Partial) {
                                acc.modified = acc.modified.max(mtime);
                            }
                            let f = &mut acc.files;
                            match kind {
                                DownloadKind::Info => f.info = true,
                                DownloadKind::Mod => f.go_mod = true,
                                DownloadKind::Zip => {
                                    f.zip = true;
                                    f.zip_bytes = b;
                                }
                                DownloadKind::Ziphash => f.ziphash = true,
                                DownloadKind::Lock => {
                                    acc.lock = Some((file, b, mtime));
                                    continue;
                                }
                                DownloadKind::Partial => {
                                    acc.partial = Some((file, b, mtime));
                                    continue;
                                }
                                DownloadKind::Temp => {}
                            }
                            acc.download += b;
                        }
                    }
                }
            }
        }
    }
    for (esc_path, acc) in modules {
        let path = unescape_path(&esc_path).unwrap_or_else(|_| esc_path.clone());
        let mut entry = ModuleEntry {
            path,
            escaped_path: esc_path.clone(),
            versions: Vec::new(),
            path_files: acc.path_files,
            total: acc.path_files,
        };
        for (esc_ver, mut v) in acc.versions {
            let module = unescaped(&esc_path, &esc_ver);
            let has_content = v.tree.is_some()
                || v.files.info
                || v.files.go_mod
                || v.files.zip
                || v.files.ziphash;
            if let Some((file, b, mtime)) = v.partial.take() {
                if v.tree.is_some() {
                    v.files.partial = true;
                    v.download += b;
                } else {
                    inv.leftovers.push(Leftover {
                        kind: LeftoverKind::OrphanPartial,
                        path: file,
                        module: Some(module.clone()),
                        bytes: b,
                        modified: mtime,
                    });
                }
            }
            if let Some((file, b, mtime)) = v.lock.take() {
                if has_content {
                    v.files.lock = true;
                    v.download += b;
                } else {
                    inv.leftovers.push(Leftover {
                        kind: LeftoverKind::LoneLock,
                        path: file,
                        module: Some(module.clone()),
                        bytes: b,
                        modified: mtime,
                    });
                }
            }
            if !has_content {
                continue;
            }
            let total = v.download + v.tree.unwrap_or_default();
            entry.total += total;
            entry.versions.push(VersionEntry {
                version: module.1,
                escaped_version: esc_ver,
                files: v.files,
                tree: v.tree,
                download: v.download,
                total,
                modified: v.modified,
            });
        }
        entry.versions.sort_by(|a, b| {
            crate::version::semver::compare(&a.version, &b.version).then(a.version.cmp(&b.version))
        });
        inv.modules.push(entry);
    }
    // Leftovers counted under a module's bytes belong to no version: the module keeps only
    // what is its own.
    inv.modules.sort_by(|a, b| a.path.cmp(&b.path));
    inv.vcs = vcs.into_values().collect();
    inv.leftovers.sort_by(|a, b| a.path.cmp(&b.path));
    inv.errors = errors;
    inv
}

fn unescaped(esc_path: &str, esc_ver: &str) -> (String, String) {
    (
        unescape_path(esc_path).unwrap_or_else(|_| esc_path.to_string()),
        unescape_version(esc_ver).unwrap_or_else(|_| esc_ver.to_string()),
    )
}
