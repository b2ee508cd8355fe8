//! A module's source as the build would see it: a directory (the main module, a replacement
//! directory, a complete extracted cache tree, vendor/) or, when only the zip is cached, the
//! zip itself (go re-extracts it without the network).

use crate::cache::zip_entry::open_entry;
use crate::fs::read::{limits, open_regular, read_regular_file};

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum SourceTree {
    Dir(PathBuf),
    Zip {
        path: PathBuf,
        /// `.go` files by path relative to the module root.
        go_files: BTreeMap<String, Vec<u8>>,
        /// Every file name relative to the module root (for nested go.mod checks).
        names: BTreeSet<String>,
    },
}

fn join(root: &Path, rel: &str) -> PathBuf {
    if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    }
}

impl SourceTree {
    /// Reads the `.go` files of a module zip whose entries start with `path@version/`.
    pub fn open_zip(zip: &Path, prefix: &str) -> Result<SourceTree, String> {
        let (file, _) =
            open_regular(zip, limits::ZIP).map_err(|e| format!("{}: {e}", zip.display()))?;
        let mut archive =
            zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", zip.display()))?;
        let mut go_files = BTreeMap::new();
        let mut names = BTreeSet::new();
        for i in 0..archive.len() {
            let f = open_entry(&mut archive, i).map_err(|e| format!("{}: {e}", zip.display()))?;
            let name = String::from_utf8_lossy(&f.name).into_owned();
            let Some(rel) = name.strip_prefix(prefix).map(str::to_string) else {
                continue;
            };
            if f.is_dir || rel.is_empty() {
                continue;
            }
            if rel.ends_with(".go") {
                let mut data = Vec::new();
                f.reader
                    .take(f.size.saturating_add(1))
                    .read_to_end(&mut data)
                    .map_err(|e| format!("{}: {rel}: {e}", zip.display()))?;
                if data.len() as u64 != f.size {
                    return Err(format!(
                        "{}: {rel}: {} bytes of content, the directory says {}",
                        zip.display(),
                        data.len(),
                        f.size
                    ));
                }
                go_files.insert(rel.clone(), data);
            }
            names.insert(rel);
        }
        Ok(SourceTree::Zip {
            path: zip.to_path_buf(),
            go_files,
            names,
        })
    }

    /// Where a package directory is, for messages.
    pub fn location(&self, rel: &str) -> String {
        match self {
            SourceTree::Dir(root) => join(root, rel).display().to_string(),
            SourceTree::Zip { path, .. } if rel.is_empty() => path.display().to_string(),
            SourceTree::Zip { path, .. } => format!("{}:{rel}", path.display()),
        }
    }

    /// go's `IsGoDir`: the directory holds a `.go` file (build constraints not considered).
    pub fn is_go_dir(&self, rel: &str) -> bool {
        match self {
            SourceTree::Dir(root) => {
                let Ok(entries) = std::fs::read_dir(join(root, rel)) else {
                    return false;
                };
                entries.filter_map(Result::ok).any(|e| {
                    e.file_name().to_string_lossy().ends_with(".go")
                        && std::fs::metadata(e.path()).is_ok_and(|m| m.is_file())
                })
            }
            SourceTree::Zip { go_files, .. } => go_files.keys().any(|k| parent(k) == rel),
        }
    }

    /// Whether `rel/go.mod` exists (a nested module boundary).
    pub fn has_go_mod(&self, rel: &str) -> bool {
        match self {
            SourceTree::Dir(root) => join(root, rel).join("go.mod").is_file(),
            SourceTree::Zip { names, .. } => {
                let key = if rel.is_empty() {
                    "go.mod".to_string()
                } else {
                    format!("{rel}/go.mod")
                };
                names.contains(&key)
            }
        }
    }

    /// The `.go` files directly in `rel`, sorted by name.
    pub fn go_files(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        match self {
            SourceTree::Dir(root) => {
                let Ok(entries) = std::fs::read_dir(join(root, rel)) else {
                    return Vec::new();
                };
                let mut out: Vec<(String, Vec<u8>)> = entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        if !name.ends_with(".go") {
                            return None;
                        }
                        let data = read_regular_file(&e.path(), limits::TEXT).ok()?;
                        Some((name, data))
                    })
                    .collect();
                out.sort();
                out
            }
            SourceTree::Zip { go_files, .. } => go_files
                .iter()
                .filter(|(k, _)| parent(k) == rel)
                .map(|(k, v)| (k.rsplit('/').next().unwrap_or(k).to_string(), v.clone()))
                .collect(),
        }
    }
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}
