//! Paths cleaned lexically, as Go's `filepath.Clean` cleans them: the directory need not exist.

use std::path::{Path, PathBuf};

/// Lexical clean (`a/b/../c` → `a/c`), like Go's `filepath.Clean`: the directory need not exist.
pub fn clean_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::RootDir)) => {}
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_removes_the_element_before_it_but_never_the_root() {
        assert_eq!(clean_path(Path::new("a/b/../c")), Path::new("a/c"));
        assert_eq!(clean_path(Path::new("/../x/./y")), Path::new("/x/y"));
        assert_eq!(clean_path(Path::new("../a/..")), Path::new(".."));
    }
}
