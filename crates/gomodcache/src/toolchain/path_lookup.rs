//! exec.LookPath: how go finds a toolchain named `go1.X.Y` on PATH before it downloads one.

use std::path::PathBuf;

/// The first executable `name` in PATH.
pub(crate) fn look_path(path_var: &str, name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(path_var)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}
