//! A backup of go.mod and go.sum taken before `go mod tidy`, so that tidy can be undone, and the
//! unified diff that shows what tidy changed. Synchronous and std-only, like the rest of the core.
//!
//! On disk: `<root>/<project>-<YYYYMMDDTHHMMSSZ>-<n>/{go.mod, go.sum, manifest.json}`. The
//! manifest is written last, so a directory with a manifest is a complete backup that describes
//! itself (which project, whether go.sum existed) even if modscope died mid-tidy. A backup gets
//! a `finished` marker when its edit ends and a `restored` marker when it was put back;
//! [`unfinished_backup`] finds the backup of an edit that never ended (modscope killed), for the
//! next start to name.

pub use super::unified_diff::unified_diff;
use crate::fs::timestamp::rfc3339_utc;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

const MANIFEST: &str = "manifest.json";
/// Written into a backup directory once the backup was restored.
const RESTORED: &str = "restored";
/// Written into a backup directory once the edit it was taken for ended (the tidy or go.sum
/// fix finished, failed or was cancelled, and modscope saw it). A backup of format 2 without it
/// belongs to an edit that was interrupted: go may have written go.mod halfway.
const FINISHED: &str = "finished";
/// Backups that get a [`FINISHED`] marker; older ones are judged by their files' content.
const FORMAT_WITH_FINISHED: u32 = 2;

/// A backup of a project's go.mod and go.sum, taken before `go mod tidy` or a go.sum fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidyBackup {
    /// The backup directory (holds go.mod, go.sum if any, manifest.json).
    pub dir: PathBuf,
    /// The directory whose go.mod/go.sum were saved (absolute).
    pub project_dir: PathBuf,
    /// The project had a go.sum (restoring removes a go.sum the edit created when it had none).
    pub had_go_sum: bool,
    /// When the backup was taken, UTC: `2026-07-01T12:34:56Z`.
    pub created: String,
    /// The manifest's format: 2 and above get a finished marker.
    pub format: u32,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    project_dir: String,
    had_go_sum: bool,
    created: String,
}

/// `<user cache dir>/modscope/tidy-backups` (e.g. `~/.cache/modscope/tidy-backups`).
pub fn default_backup_root() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("modscope").join("tidy-backups"))
}

fn with_path(what: &str, path: &Path) -> impl FnOnce(io::Error) -> io::Error {
    let context = format!("{what} {}", path.display());
    move |e| io::Error::new(e.kind(), format!("{context}: {e}"))
}

fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(d) => Ok(Some(d)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(with_path("reading", path)(e)),
    }
}

/// Writes a new file (with `mode`'s permission bits from the start, else the umask's) and
/// flushes it to disk.
fn write_synced(path: &Path, data: &[u8], mode: Option<u32>) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut options = fs::File::options();
    options.write(true).create_new(true);
    if let Some(mode) = mode {
        options.mode(mode & 0o7777);
    }
    let mut f = options.open(path)?;
    f.write_all(data)?;
    f.sync_all()
}

/// The permission bits of `path`, if it exists.
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).ok().map(|m| m.permissions().mode())
}

/// Makes a rename or new entry in `dir` durable (best effort: not every filesystem allows it).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Keeps the project's go.mod and go.sum (if present) under a new directory of `backup_root`.
pub fn create_backup(project_dir: &Path, backup_root: &Path) -> io::Result<TidyBackup> {
    let project_dir = std::path::absolute(project_dir)?;
    let go_mod_path = project_dir.join("go.mod");
    let go_mod = fs::read(&go_mod_path).map_err(with_path("reading", &go_mod_path))?;
    let go_sum = read_optional(&project_dir.join("go.sum"))?;
    crate::fs::new_tree::own_directory(backup_root).map_err(with_path("preparing", backup_root))?;

    let created = rfc3339_utc(SystemTime::now());
    let stamp = created.replace(['-', ':'], "");
    let dir = unique_dir(backup_root, &format!("{}-{stamp}", label(&project_dir)))?;
    let manifest = Manifest {
        format: FORMAT_WITH_FINISHED,
        project_dir: project_dir.to_string_lossy().into_owned(),
        had_go_sum: go_sum.is_some(),
        created: created.clone(),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    // The copies keep the originals' modes: a go.sum readable only by its group stays so.
    let write_all = || -> io::Result<()> {
        write_synced(&dir.join("go.mod"), &go_mod, mode_of(&go_mod_path))?;
        if let Some(sum) = &go_sum {
            write_synced(
                &dir.join("go.sum"),
                sum,
                mode_of(&project_dir.join("go.sum")),
            )?;
        }
        let tmp = dir.join(format!("{MANIFEST}.tmp"));
        write_synced(&tmp, &json, None)?;
        fs::rename(&tmp, dir.join(MANIFEST))
    };
    write_all().map_err(with_path("writing the backup", &dir))?;
    sync_dir(&dir);
    sync_dir(backup_root);
    Ok(TidyBackup {
        dir,
        project_dir,
        had_go_sum: go_sum.is_some(),
        created,
        format: FORMAT_WITH_FINISHED,
    })
}

/// Records that the edit `b` was taken for has ended (whatever its outcome): the next start
/// no longer reports it as interrupted.
pub fn mark_finished(b: &TidyBackup) -> io::Result<()> {
    let path = b.dir.join(FINISHED);
    fs::write(&path, rfc3339_utc(SystemTime::now())).map_err(with_path("writing", &path))?;
    sync_dir(&b.dir);
    Ok(())
}

/// Reads a backup directory back from its manifest (e.g. one left by an earlier session).
pub fn load_backup(dir: &Path) -> io::Result<TidyBackup> {
    let path = dir.join(MANIFEST);
    let data = fs::read(&path).map_err(with_path("reading", &path))?;
    let m: Manifest = serde_json::from_slice(&data)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        .map_err(with_path("parsing", &path))?;
    Ok(TidyBackup {
        dir: dir.to_path_buf(),
        project_dir: PathBuf::from(m.project_dir),
        had_go_sum: m.had_go_sum,
        created: m.created,
        format: m.format,
    })
}

/// Puts go.mod and go.sum back byte for byte (each via a temporary file renamed over the
/// original); removes go.sum when there was none before. Reads the whole backup first, so a
/// damaged backup changes nothing.
pub fn restore_backup(b: &TidyBackup) -> io::Result<()> {
    let read = |name: &str| {
        let p = b.dir.join(name);
        fs::read(&p).map_err(with_path("reading the backup", &p))
    };
    let go_mod = read("go.mod")?;
    let go_sum = b.had_go_sum.then(|| read("go.sum")).transpose()?;
    replace_file(&b.project_dir.join("go.mod"), &go_mod)?;
    let sum_path = b.project_dir.join("go.sum");
    match go_sum {
        Some(data) => replace_file(&sum_path, &data)?,
        None => match fs::remove_file(&sum_path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(with_path("removing", &sum_path)(e));
            }
            _ => {}
        },
    }
    sync_dir(&b.project_dir);
    // Best effort: the restore itself succeeded; without the marker the only consequence is
    // that a later start may name this backup once more.
    let _ = fs::write(b.dir.join(RESTORED), rfc3339_utc(SystemTime::now()));
    Ok(())
}

/// The directory a tidy started in `start_dir` rewrites, as the inspector picks it: the nearest
/// directory at or above it that holds a go.mod file, else `start_dir` itself (absolute).
fn module_root(start_dir: &Path) -> PathBuf {
    let start = std::path::absolute(start_dir).unwrap_or_else(|_| start_dir.to_path_buf());
    start
        .ancestors()
        .find(|d| d.join("go.mod").is_file())
        .unwrap_or(&start)
        .to_path_buf()
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest backup of the project around `start_dir` under `backup_root` if the edit it was
/// taken for never ended as far as modscope saw: not restored, and (format 2) never marked
/// finished, which is what modscope killed or the terminal closed mid-tidy leaves, whatever go
/// had written by then. A format-1 backup (older modscope) counts as unfinished only when
/// go.mod and go.sum are byte for byte what it holds and were not modified after it was taken.
/// Only the newest backup of the project is considered; unreadable entries are skipped.
pub fn unfinished_backup(start_dir: &Path, backup_root: &Path) -> Option<TidyBackup> {
    let project = module_root(start_dir);
    let newest = fs::read_dir(backup_root)
        .ok()?
        .flatten()
        .filter_map(|e| load_backup(&e.path()).ok())
        .filter(|b| same_dir(&b.project_dir, &project))
        .max_by_key(|b| (b.created.clone(), backup_number(&b.dir)))?;
    if newest.dir.join(RESTORED).exists() {
        return None;
    }
    if newest.format >= FORMAT_WITH_FINISHED {
        // Whatever go.mod holds now (go may have died writing it), the edit never ended.
        return (!newest.dir.join(FINISHED).exists()).then_some(newest);
    }
    let taken = modified(&newest.dir.join("go.mod"))?;
    let unchanged = |name: &str, existed: bool| {
        let current = project.join(name);
        match read_optional(&current) {
            Ok(None) => !existed,
            Ok(Some(data)) => {
                existed
                    && fs::read(newest.dir.join(name)).is_ok_and(|saved| saved == data)
                    && modified(&current).is_some_and(|t| t <= taken)
            }
            Err(_) => false,
        }
    };
    (unchanged("go.mod", true) && unchanged("go.sum", newest.had_go_sum)).then_some(newest)
}

/// The `-<n>` that tells backups taken in the same second apart.
fn backup_number(dir: &Path) -> u32 {
    dir.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.rsplit('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Atomically replaces `target` with `data`, keeping the permissions of the file it replaces.
/// A `target` that is a symlink stays one: the file it points to is replaced (tidy wrote
/// through the link, so the undo must too).
fn replace_file(target: &Path, data: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let resolved;
    let target = match fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = fs::canonicalize(target).map_err(with_path("resolving", target))?;
            resolved.as_path()
        }
        _ => target,
    };
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.modscope-{}-{n}.tmp", std::process::id()));
    let result = (|| {
        write_synced(&tmp, data, mode_of(target))?;
        fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(with_path("writing", target))
}

/// The project directory's name, kept to characters safe in a file name (never empty or hidden).
fn label(project_dir: &Path) -> String {
    let name = project_dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy();
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    let clean: String = name
        .chars()
        .take(64)
        .map(|c| if safe(c) { c } else { '_' })
        .collect();
    match clean.starts_with('.') || clean.is_empty() {
        true => format!("project{clean}"),
        false => clean,
    }
}

/// `<root>/<base>-1`, or `-2`, … : the first name nobody created yet (atomic `create_dir`).
fn unique_dir(root: &Path, base: &str) -> io::Result<PathBuf> {
    for n in 1..10_000u32 {
        let dir = root.join(format!("{base}-{n}"));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(with_path("creating", &dir)(e)),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("too many backups named {base} in {}", root.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_writes_through_a_symlinked_go_mod_and_backups_keep_modes() {
        use std::os::unix::fs::PermissionsExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("shared");
        let project = tmp.path().join("p");
        fs::create_dir_all(&real).unwrap();
        fs::create_dir_all(&project).unwrap();
        fs::write(real.join("go.mod"), "module m\n").unwrap();
        fs::set_permissions(real.join("go.mod"), fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(real.join("go.mod"), project.join("go.mod")).unwrap();
        let b = create_backup(&project, &tmp.path().join("backups")).unwrap();
        let saved = fs::metadata(b.dir.join("go.mod"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(saved & 0o777, 0o640, "the backup keeps the original's mode");
        // tidy writes through the link…
        fs::write(project.join("go.mod"), "module m\n\ngo 1.22\n").unwrap();
        restore_backup(&b).unwrap();
        // …and the undo too: the link is still a link, its target holds the original.
        let link = fs::symlink_metadata(project.join("go.mod")).unwrap();
        assert!(link.file_type().is_symlink());
        assert_eq!(
            fs::read_to_string(real.join("go.mod")).unwrap(),
            "module m\n"
        );
        let mode = fs::metadata(real.join("go.mod"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn an_edit_that_never_finished_is_found_even_after_go_rewrote_go_mod() {
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join("p");
        let root = tmp.path().join("backups");
        fs::create_dir_all(&project).unwrap();
        fs::write(project.join("go.mod"), "module m\n").unwrap();
        let b = create_backup(&project, &root).unwrap();
        // go died halfway through writing go.mod: the content alone cannot tell.
        fs::write(project.join("go.mod"), "modu").unwrap();
        assert_eq!(unfinished_backup(&project, &root), Some(b.clone()));
        mark_finished(&b).unwrap();
        assert_eq!(unfinished_backup(&project, &root), None);
    }

    #[test]
    fn labels_are_safe_file_names() {
        let l = |p: &str| label(Path::new(p));
        assert_eq!(
            [l("/p/inv"), l("/p/my proj/"), l("/"), l("/p/.h")],
            ["inv", "my_proj", "project", "project.h"]
        );
    }
}
