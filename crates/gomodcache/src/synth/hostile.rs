//! A project and module cache built from arbitrary bytes, for fuzzing the whole `check` (not
//! only the parsers): file kinds, sizes, names and contents come from the input. The modules
//! are fixed so the input lands in the places `check` looks; each is first written whole and
//! valid (so the deep paths — hashing, comparing, classifying — are reached), then the input's
//! operations replace, truncate, corrupt or retype its files.

use super::SynthModule;
use crate::cache::layout::ModuleCache;
use std::path::{Path, PathBuf};

/// The modules the generated go.mod requires (an upper-case path, a pseudo-version, one
/// `+incompatible`), with one dependency edge so the graph has depth.
fn modules() -> Vec<SynthModule> {
    let c = SynthModule::new("golang.org/x/c", "v0.0.0-20200102030405-abcdefabcdef");
    let a = SynthModule::with_deps("example.com/a", "v1.0.0", &[&c]);
    let b = SynthModule::new("example.com/Upper/b", "v1.2.0");
    let d = SynthModule::without_go_mod("example.com/d", "v2.0.0+incompatible");
    vec![a, b, c, d]
}

/// Reads the input as a stream of small numbers and byte strings; ends quietly.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = usize::from(self.byte().unwrap_or(0))
            .min(max)
            .min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head.to_vec()
    }
}

/// What one operation puts at a module's file.
enum Kind {
    Bytes(Vec<u8>),
    Truncate(usize),
    FlipByte(usize, u8),
    Remove,
    Dir,
    SymlinkOut,
    SymlinkLoop,
    SymlinkDevZero,
    Fifo,
    /// A sparse file of this many MiB: a size without the bytes.
    Sparse(u64),
}

/// Writes `project/` (go.mod, go.sum, main.go) and `modcache/` under `root` from `data`;
/// returns their paths. Never fails on odd input: a step that cannot be done is skipped.
pub fn build(root: &Path, data: &[u8]) -> std::io::Result<(PathBuf, ModuleCache)> {
    let project = root.join("project");
    let cache = ModuleCache::new(root.join("modcache"));
    std::fs::create_dir_all(&project)?;
    std::fs::create_dir_all(&cache.root)?;
    let mods = modules();
    let direct: Vec<&SynthModule> = mods.iter().filter(|m| m.path != "golang.org/x/c").collect();
    let mut go_mod = String::from("module example.com/main\n\ngo 1.21\n\nrequire (\n");
    let mut go_sum = String::new();
    for m in &mods {
        go_mod.push_str(&format!("\t{} {}\n", m.path, m.version));
        go_sum.push_str(&m.go_sum_lines());
    }
    go_mod.push_str(")\n");
    for m in &mods {
        super::write_cache_entry(&cache.root, m)?;
    }
    let mut input = Input(data);
    // The first byte may replace go.sum or go.mod with input text.
    match input.byte().unwrap_or(0) % 4 {
        1 => go_sum = String::from_utf8_lossy(&input.bytes(255)).into_owned(),
        2 => go_mod.push_str(&String::from_utf8_lossy(&input.bytes(255))),
        _ => {}
    }
    std::fs::write(project.join("go.mod"), go_mod)?;
    std::fs::write(project.join("go.sum"), go_sum)?;
    let imports: String = direct
        .iter()
        .map(|m| format!("\t_ \"{}\"\n", m.path))
        .collect();
    std::fs::write(
        project.join("main.go"),
        format!("package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n"),
    )?;
    make_writable(&cache.root);
    for _ in 0..16 {
        let Some(op) = input.byte() else { break };
        let m = &mods[usize::from(op >> 4) % mods.len()];
        let Ok(files) = cache.files(&m.path, &m.version) else {
            continue;
        };
        let target = match op & 0x0f {
            0 => files.zip.clone(),
            1 => files.ziphash.clone(),
            2 => files.go_mod.clone(),
            3 => files.info.clone(),
            4 => files.partial.clone(),
            5 => files
                .download_dir
                .join(format!("{}.lock", files.escaped_version)),
            6 => files.download_dir.join("list"),
            7 => files.dir.clone(),
            8 => files.dir.join("go.mod"),
            9 => files.dir.join(format!("{}.go", m.package_name())),
            10 => files
                .download_dir
                .join(format!("{}.zip123.tmp", files.escaped_version)),
            // A file of the tree named by the input (control characters and all).
            _ => {
                let name: String = String::from_utf8_lossy(&input.bytes(32))
                    .chars()
                    .filter(|c| *c != '/' && *c != '\0')
                    .collect();
                if name.is_empty() || name == "." || name == ".." {
                    continue;
                }
                files.dir.join(name)
            }
        };
        let kind = match input.byte().unwrap_or(0) % 10 {
            0 => Kind::Truncate(usize::from(input.byte().unwrap_or(0))),
            1 => Kind::FlipByte(
                usize::from(input.byte().unwrap_or(0)) * 7,
                input.byte().unwrap_or(1),
            ),
            2 => Kind::Remove,
            3 => Kind::Dir,
            4 => Kind::SymlinkOut,
            5 => Kind::SymlinkLoop,
            6 => Kind::SymlinkDevZero,
            7 => Kind::Fifo,
            8 => Kind::Sparse(u64::from(input.byte().unwrap_or(0) % 4) * 300),
            _ => Kind::Bytes(input.bytes(255)),
        };
        let _ = apply(&target, kind, root);
    }
    Ok((project, cache))
}

/// go leaves trees read-only; the generator rewrites them.
fn make_writable(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
        if entry.path_is_symlink() {
            continue;
        }
        if let Ok(meta) = entry.metadata() {
            let mut perm = meta.permissions();
            perm.set_mode(perm.mode() | 0o200);
            let _ = std::fs::set_permissions(entry.path(), perm);
        }
    }
}

fn clear(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

fn apply(path: &Path, kind: Kind, root: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // The generator itself must not block: a FIFO or a link made by an earlier operation is
    // never read (only replaced), nor a sparse giant.
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() <= 1 << 20);
    if matches!(kind, Kind::Truncate(_) | Kind::FlipByte(..)) && !regular {
        return Ok(());
    }
    match kind {
        Kind::Truncate(n) => {
            let data = std::fs::read(path)?;
            std::fs::write(path, &data[..n.min(data.len())])
        }
        Kind::FlipByte(at, x) => {
            let mut data = std::fs::read(path)?;
            if !data.is_empty() {
                let i = at % data.len();
                data[i] ^= x.max(1);
            }
            std::fs::write(path, data)
        }
        Kind::Remove => {
            clear(path);
            Ok(())
        }
        Kind::Dir => {
            clear(path);
            std::fs::create_dir_all(path)
        }
        Kind::SymlinkOut => {
            clear(path);
            std::os::unix::fs::symlink(root.join("project/go.mod"), path)
        }
        Kind::SymlinkLoop => {
            clear(path);
            std::os::unix::fs::symlink(path, path)
        }
        Kind::SymlinkDevZero => {
            clear(path);
            std::os::unix::fs::symlink("/dev/zero", path)
        }
        Kind::Fifo => {
            clear(path);
            nix::unistd::mkfifo(path, nix::sys::stat::Mode::S_IRWXU).map_err(std::io::Error::from)
        }
        Kind::Sparse(mib) => {
            clear(path);
            std::fs::File::create(path)?.set_len(mib << 20)
        }
        Kind::Bytes(data) => {
            clear(path);
            std::fs::write(path, data)
        }
    }
}

/// The invariants of `check` over any cache: it returns (no panic), it never writes to the
/// cache, and every module the project requires has a row. Runs the quick and the full check
/// over the whole build list; `Err` says which invariant broke.
pub fn check_invariants(project_dir: &Path, cache: &ModuleCache) -> Result<(), String> {
    use crate::analysis::check::{CheckOptions, CheckScope, run_check_with_memos};
    use crate::analysis::report::CheckMode;
    use crate::goenv::env::ValueSource;
    use crate::progress::{CancelFlag, NoProgress};
    use crate::project::load_project;
    let Ok(project) = load_project(project_dir, None) else {
        return Ok(());
    };
    let before = snapshot(&cache.root);
    let go_env = vec![("GOFLAGS".to_string(), String::new())];
    for mode in [CheckMode::Quick, CheckMode::Full] {
        let cancel = CancelFlag::new();
        let opts = CheckOptions {
            scope: CheckScope::BuildList { go_env: &go_env },
            mode,
            cancel: &cancel,
            progress: &NoProgress,
            gomodcache_source: ValueSource::CommandLine,
        };
        let report = run_check_with_memos(&project, cache, &opts, None, None);
        if let Some(main) = &project.main {
            for r in &main.go_mod.require {
                if !report.modules.iter().any(|m| m.path == r.path) {
                    return Err(format!("{mode:?}: no row for required {}", r.path));
                }
            }
        }
    }
    let after = snapshot(&cache.root);
    if before != after {
        let changed: Vec<_> = before
            .iter()
            .filter(|(p, m)| after.get(*p) != Some(m))
            .map(|(p, _)| p.display().to_string())
            .chain(
                after
                    .keys()
                    .filter(|p| !before.contains_key(*p))
                    .map(|p| p.display().to_string()),
            )
            .collect();
        return Err(format!("check wrote to the module cache: {changed:?}"));
    }
    Ok(())
}

/// Every path under `root` with its type, mode, size and modification time (not followed).
fn snapshot(root: &Path) -> std::collections::BTreeMap<PathBuf, (u32, u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let m = e.path().symlink_metadata().ok()?;
            Some((
                e.path().to_path_buf(),
                (m.mode(), m.size(), m.mtime(), m.mtime_nsec()),
            ))
        })
        .collect()
}
