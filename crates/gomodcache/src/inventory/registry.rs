//! The projects modscope has inspected: `projects.json` in modscope's data directory
//! (`$MODSCOPE_DATA_DIR`, else `<user data dir>/modscope`, i.e. `~/.local/share/modscope`), one
//! entry per project root with when it was last seen. `check`, `offline` and the inspector
//! record the project they open ([`record_project`]); `modscope cache` reads the registry to know
//! who uses the module cache. The file is only written inside a directory modscope owns
//! ([`own_directory`]), atomically (temporary file, then
//! rename), under an exclusive lock on `projects.lock` so that two modscope runs do not lose
//! each other's entries.

use crate::fs::new_tree::own_directory;
use crate::fs::read::{limits, read_regular_file};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Overrides modscope's data directory.
pub(crate) const DATA_DIR_ENV: &str = "MODSCOPE_DATA_DIR";
const FILE: &str = "projects.json";
const LOCK: &str = "projects.lock";
/// At most this many projects are remembered (the least recently seen go first).
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RegistryEntry {
    /// The project root (the module or workspace directory), absolute.
    pub dir: PathBuf,
    /// When modscope last opened it, seconds since the epoch.
    pub last_seen: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Registry {
    pub schema_version: u32,
    pub projects: Vec<RegistryEntry>,
}

/// `$MODSCOPE_DATA_DIR`, or `<user data dir>/modscope`.
pub(crate) fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(d) if !d.is_empty() => Some(std::path::absolute(&d).unwrap_or_else(|_| d.into())),
        _ => dirs::data_dir().map(|d| d.join("modscope")),
    }
}

/// The registry file in `dir`.
pub(crate) fn registry_file(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The current time, seconds since the epoch (the registry's `last_seen` clock; 0 before 1970).
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Reads the registry in `dir`; a missing file is an empty registry, an unreadable or invalid
/// one is an error (it is never overwritten blindly).
pub(crate) fn load(dir: &Path) -> io::Result<Registry> {
    match read_regular_file(&registry_file(dir), limits::TEXT) {
        Ok(data) => serde_json::from_slice(&data).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", registry_file(dir).display()),
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Registry {
            schema_version: 1,
            projects: Vec::new(),
        }),
        Err(e) => Err(e),
    }
}

/// Changes the registry in `dir` under its lock and writes it back atomically.
pub(crate) fn update(dir: &Path, change: impl FnOnce(&mut Registry)) -> io::Result<Registry> {
    use nix::fcntl::{Flock, FlockArg};
    own_directory(dir)?;
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))?;
    let _lock = Flock::lock(lock, FlockArg::LockExclusive).map_err(|(_, e)| io::Error::from(e))?;
    let mut reg = load(dir)?;
    change(&mut reg);
    reg.schema_version = 1;
    reg.projects
        .sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(a.dir.cmp(&b.dir)));
    reg.projects.truncate(MAX_ENTRIES);
    reg.projects.sort_by(|a, b| a.dir.cmp(&b.dir));
    let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let json = serde_json::to_vec_pretty(&reg).map_err(io::Error::other)?;
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, registry_file(dir)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(reg)
}

/// Records `project_root` as seen now in the registry in `dir`.
pub(crate) fn record_in(dir: &Path, project_root: &Path, now: u64) -> io::Result<()> {
    let root = std::fs::canonicalize(project_root)?;
    update(dir, |reg| {
        match reg.projects.iter_mut().find(|e| e.dir == root) {
            Some(e) => e.last_seen = e.last_seen.max(now),
            None => reg.projects.push(RegistryEntry {
                dir: root,
                last_seen: now,
            }),
        }
    })
    .map(|_| ())
}

/// Records `project_root` in the default registry. Best effort: the front ends call it after
/// opening a project and ignore a failure (a read-only home directory must not stop a check).
pub fn record_project(project_root: &Path) -> io::Result<()> {
    let dir =
        data_dir().ok_or_else(|| io::Error::other("no data directory (set MODSCOPE_DATA_DIR)"))?;
    record_in(&dir, project_root, now_secs())
}

/// Whether a registered project still exists: its directory holds a go.mod or a go.work.
pub(crate) fn still_there(dir: &Path) -> bool {
    ["go.mod", "go.work"]
        .iter()
        .any(|f| std::fs::symlink_metadata(dir.join(f)).is_ok())
}

/// The registry in `dir` with the projects that no longer exist removed from the file;
/// returns `(projects kept, projects dropped)`. Nothing is written when nothing is dropped (a
/// registry that does not exist stays so).
pub(crate) fn load_and_drop_vanished(
    dir: &Path,
) -> io::Result<(Vec<RegistryEntry>, Vec<RegistryEntry>)> {
    let reg = load(dir)?;
    let (kept, gone): (Vec<_>, Vec<_>) =
        reg.projects.into_iter().partition(|e| still_there(&e.dir));
    if !gone.is_empty() {
        update(dir, |r| r.projects.retain(|e| !gone.contains(e)))?;
    }
    Ok((kept, gone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_update_and_vanished_projects_drop_out() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let p1 = tmp.path().join("p1");
        let p2 = tmp.path().join("p2");
        for p in [&p1, &p2] {
            std::fs::create_dir_all(p).unwrap();
            std::fs::write(p.join("go.mod"), "module x\n").unwrap();
        }
        record_in(&data, &p1, 100).unwrap();
        record_in(&data, &p2, 200).unwrap();
        record_in(&data, &p1, 300).unwrap();
        let reg = load(&data).unwrap();
        assert_eq!(reg.projects.len(), 2);
        let e1 = reg.projects.iter().find(|e| e.dir.ends_with("p1")).unwrap();
        assert_eq!(e1.last_seen, 300);
        std::fs::remove_dir_all(&p2).unwrap();
        let (kept, gone) = load_and_drop_vanished(&data).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(gone.len(), 1);
        assert!(gone[0].dir.ends_with("p2"));
        assert_eq!(load(&data).unwrap().projects.len(), 1, "written back");
    }

    #[test]
    fn a_linked_data_directory_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let p = tmp.path().join("p");
        std::fs::create_dir(&p).unwrap();
        assert!(record_in(&link, &p, 1).is_err());
        assert!(!registry_file(&real).exists());
    }
}
