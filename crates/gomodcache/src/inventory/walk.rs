//! The parallel walk: one thread finds the parts of the cache (each extracted tree, each `@v`
//! directory, `sumdb`, each `cache/vcs` clone, loose files) while worker threads measure them,
//! one part per worker at a time. Every entry is looked at with `lstat` (symbolic links are
//! never followed, nothing is opened, so FIFOs and loops cannot block or trap the walk); bytes on
//! disk are `st_blocks * 512`. Files with more than one link are recorded so that the caller
//! counts each `(dev, ino)` once.

use super::model::{Bytes, PartKind, ScanProgress, ScannedPart};
use super::names::{AtDir, classify_at_dir};
use crate::progress::CancelFlag;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;

/// One part of the cache, measured by one worker.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub id: u32,
    pub kind: PartKind,
    /// Escaped module path (trees and `@v` directories).
    pub module: Option<String>,
    /// Escaped version (trees).
    pub version: Option<String>,
    pub path: PathBuf,
}

/// What a worker found in one unit.
#[derive(Debug, Default)]
pub(super) struct UnitResult {
    pub id: u32,
    /// Everything under the unit, the unit's own entry included.
    pub total: Bytes,
    pub files: u64,
    /// For `@v` directories: each entry directly inside, with its bytes (all below it
    /// included) and modification time (seconds).
    pub entries: Vec<(String, Bytes, i64)>,
    pub errors: Vec<String>,
    /// The unit's own modification time (seconds), for leftovers.
    pub mtime: i64,
}

/// A file with more than one hard link: who counted it, and how much.
#[derive(Debug, Clone, Copy)]
pub(super) struct LinkRec {
    pub dev: u64,
    pub ino: u64,
    pub unit: u32,
    /// The entry of an `@v` unit it was counted in (`u32::MAX`: the unit's total only).
    pub entry: u32,
    pub bytes: Bytes,
}

pub(super) struct WalkOutput {
    pub units: Vec<Unit>,
    pub results: Vec<UnitResult>,
    pub links: Vec<LinkRec>,
    /// The directories of the layout itself (the root, `cache`, `cache/download`, the
    /// directories of path prefixes).
    pub layout: Bytes,
    pub layout_entries: u64,
    pub errors: Vec<String>,
}

fn bytes_of(m: &std::fs::Metadata) -> Bytes {
    Bytes {
        disk: m.blocks().saturating_mul(512),
        apparent: m.size(),
    }
}

/// Walks the cache at `root` with `threads` workers.
pub(super) fn walk(
    root: &Path,
    threads: usize,
    progress: &dyn ScanProgress,
    cancel: &CancelFlag,
) -> WalkOutput {
    let (tx, rx) = mpsc::channel::<Unit>();
    let rx = Mutex::new(rx);
    let mut out = WalkOutput {
        units: Vec::new(),
        results: Vec::new(),
        links: Vec::new(),
        layout: Bytes::default(),
        layout_entries: 0,
        errors: Vec::new(),
    };
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let rx = &rx;
                s.spawn(move || {
                    let mut results = Vec::new();
                    let mut links = Vec::new();
                    loop {
                        // The lock is held only to take the next unit.
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok(unit)) = next else { break };
                        if cancel.is_cancelled() {
                            continue;
                        }
                        let r = measure(&unit, &mut links, cancel);
                        progress.on_part(&ScannedPart {
                            kind: unit.kind,
                            module: unit.module.clone(),
                            version: unit.version.clone(),
                            bytes: r.total,
                            files: r.files,
                        });
                        results.push(r);
                    }
                    (results, links)
                })
            })
            .collect();
        let mut d = Discovery {
            tx,
            next_id: 0,
            units: Vec::new(),
            out: &mut out,
            cancel,
        };
        d.root(root);
        let Discovery { units, tx, .. } = d;
        drop(tx);
        out.units = units;
        for w in workers {
            match w.join() {
                Ok((r, l)) => {
                    out.results.extend(r);
                    out.links.extend(l);
                }
                Err(_) => out.errors.push("a scan thread failed".into()),
            }
        }
    });
    out.results.sort_by_key(|r| r.id);
    out
}

struct Discovery<'a> {
    tx: mpsc::Sender<Unit>,
    next_id: u32,
    units: Vec<Unit>,
    out: &'a mut WalkOutput,
    cancel: &'a CancelFlag,
}

impl Discovery<'_> {
    fn send(
        &mut self,
        kind: PartKind,
        path: PathBuf,
        module: Option<String>,
        version: Option<String>,
    ) {
        let unit = Unit {
            id: self.next_id,
            kind,
            module,
            version,
            path,
        };
        self.next_id += 1;
        self.units.push(unit.clone());
        // The workers outlive the sender; a send fails only if they all died.
        let _ = self.tx.send(unit);
    }

    /// Lists `dir` (a directory of the layout, counted as such), sorted by name.
    fn list(&mut self, dir: &Path) -> Vec<(String, PathBuf, std::fs::Metadata)> {
        match std::fs::symlink_metadata(dir) {
            Ok(m) => {
                self.out.layout += bytes_of(&m);
                self.out.layout_entries += 1;
            }
            Err(e) => {
                if e.kind() != std::io::ErrorKind::NotFound {
                    self.out
                        .errors
                        .push(format!("cannot look at {}: {e}", dir.display()));
                }
                return Vec::new();
            }
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.out
                    .errors
                    .push(format!("cannot list {}: {e}", dir.display()));
                return Vec::new();
            }
        };
        let mut v = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.out
                        .errors
                        .push(format!("cannot list {}: {e}", dir.display()));
                    break;
                }
            };
            match entry.metadata() {
                Ok(m) => v.push((
                    entry.file_name().to_string_lossy().into_owned(),
                    entry.path(),
                    m,
                )),
                Err(e) => self
                    .out
                    .errors
                    .push(format!("cannot look at {}: {e}", entry.path().display())),
            }
        }
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn root(&mut self, root: &Path) {
        for (name, path, meta) in self.list(root) {
            if name == "cache" && meta.is_dir() {
                self.cache(&path);
            } else {
                self.tree_half(&name, path, &meta, "");
            }
        }
    }

    /// An entry of the tree half: `<prefix>/<name>`.
    fn tree_half(&mut self, name: &str, path: PathBuf, meta: &std::fs::Metadata, prefix: &str) {
        if self.cancel.is_cancelled() {
            return;
        }
        if !meta.is_dir() {
            return self.send(PartKind::Loose, path, None, None);
        }
        let rel = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        match classify_at_dir(name) {
            Some(AtDir::Tree { element, version }) => {
                let module = if prefix.is_empty() {
                    element
                } else {
                    format!("{prefix}/{element}")
                };
                self.send(PartKind::Tree, path, Some(module), Some(version));
            }
            Some(AtDir::TempTree) => self.send(PartKind::TempTree, path, None, None),
            None => {
                for (n, p, m) in self.list(&path) {
                    self.tree_half(&n, p, &m, &rel);
                }
            }
        }
    }

    fn cache(&mut self, cache: &Path) {
        for (name, path, meta) in self.list(cache) {
            match name.as_str() {
                "download" if meta.is_dir() => self.download(&path, ""),
                "vcs" if meta.is_dir() => {
                    for (n, p, _) in self.list(&path) {
                        let stem = n.split('.').next().unwrap_or(&n).to_string();
                        self.send(PartKind::Vcs, p, None, Some(stem));
                    }
                }
                _ => self.send(PartKind::Loose, path, None, None),
            }
        }
    }

    /// `cache/download/<rel>`.
    fn download(&mut self, dir: &Path, rel: &str) {
        for (name, path, meta) in self.list(dir) {
            if self.cancel.is_cancelled() {
                return;
            }
            if !meta.is_dir() {
                self.send(PartKind::Loose, path, None, None);
            } else if rel.is_empty() && name == "sumdb" {
                self.send(PartKind::Sumdb, path, None, None);
            } else if name == "@v" && !rel.is_empty() {
                self.send(PartKind::AtV, path, Some(rel.to_string()), None);
            } else {
                let sub = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                self.download(&path, &sub);
            }
        }
    }
}

/// Measures one unit: its own entry, and everything below it when it is a directory.
fn measure(unit: &Unit, links: &mut Vec<LinkRec>, cancel: &CancelFlag) -> UnitResult {
    let mut r = UnitResult {
        id: unit.id,
        ..Default::default()
    };
    let meta = match std::fs::symlink_metadata(&unit.path) {
        Ok(m) => m,
        Err(e) => {
            r.errors
                .push(format!("cannot look at {}: {e}", unit.path.display()));
            return r;
        }
    };
    r.mtime = meta.mtime();
    let mut count = |m: &std::fs::Metadata, entry: u32, r: &mut UnitResult| {
        let b = bytes_of(m);
        if !m.is_dir() {
            r.files += 1;
            if m.nlink() > 1 {
                links.push(LinkRec {
                    dev: m.dev(),
                    ino: m.ino(),
                    unit: unit.id,
                    entry,
                    bytes: b,
                });
            }
        }
        b
    };
    r.total = count(&meta, u32::MAX, &mut r);
    if !meta.is_dir() {
        return r;
    }
    let per_entry = unit.kind == PartKind::AtV;
    // (directory, index of the @v entry it is under)
    let mut stack: Vec<(PathBuf, u32)> = vec![(unit.path.clone(), u32::MAX)];
    while let Some((dir, top)) = stack.pop() {
        if cancel.is_cancelled() {
            break;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                r.errors.push(format!("cannot list {}: {e}", dir.display()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    r.errors.push(format!("cannot list {}: {e}", dir.display()));
                    break;
                }
            };
            let m = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    r.errors
                        .push(format!("cannot look at {}: {e}", entry.path().display()));
                    continue;
                }
            };
            let idx = if per_entry && top == u32::MAX {
                r.entries.push((
                    entry.file_name().to_string_lossy().into_owned(),
                    Bytes::default(),
                    m.mtime(),
                ));
                (r.entries.len() - 1) as u32
            } else {
                top
            };
            let b = count(&m, idx, &mut r);
            r.total += b;
            if idx != u32::MAX {
                let e = &mut r.entries[idx as usize].1;
                *e += b;
            }
            if m.is_dir() {
                stack.push((entry.path(), idx));
            }
        }
    }
    r
}
