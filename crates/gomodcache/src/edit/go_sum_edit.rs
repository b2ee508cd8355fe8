//! The one change modscope makes to go.sum itself, and only when the user confirmed it: deleting
//! lines that disagree with a consistent module cache, so that `go mod download path@version`
//! adds the line again from the cached download (checked against the checksum database).

use crate::modfile::go_sum::SumLine;
use std::io;
use std::path::Path;

impl SumLine {
    /// The line as go writes it: `<path> <version>[/go.mod] <hash>`.
    pub fn text(&self) -> String {
        let suffix = if self.go_mod { "/go.mod" } else { "" };
        format!("{} {}{suffix} {}", self.path, self.version, self.hash)
    }
}

/// Deletes `lines` (1-based numbers, each with the text it must still hold, surrounding white
/// space aside) from the go.sum at `path`. Nothing is written when any of them changed since
/// it was read (go or an editor got there first): the error says which. The new file replaces
/// the old one by a rename, so a crash leaves one or the other, whole.
pub fn remove_lines(path: &Path, lines: &[(usize, String)]) -> io::Result<()> {
    let data = crate::fs::read::read_regular_file(path, crate::fs::read::limits::TEXT)?;
    let text =
        String::from_utf8(data).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let kept: Vec<&str> = text.split_inclusive('\n').collect();
    for (n, expected) in lines {
        let actual = n.checked_sub(1).and_then(|i| kept.get(i)).map(|l| l.trim());
        if actual != Some(expected.trim()) {
            return Err(io::Error::other(format!(
                "{}:{n} is no longer `{expected}` (it changed since it was read); nothing was written",
                path.display()
            )));
        }
    }
    let out: String = kept
        .iter()
        .enumerate()
        .filter(|(i, _)| !lines.iter().any(|(n, _)| *n == i + 1))
        .map(|(_, l)| *l)
        .collect();
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    io::Write::write_all(&mut tmp, out.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUM: &str = "example.com/a v1.0.0 h1:AAA=\nexample.com/a v1.0.0/go.mod h1:BBB=\nexample.com/b v1.0.0 h1:CCC=\n";

    #[test]
    fn removes_exactly_the_named_lines() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("go.sum");
        std::fs::write(&p, SUM).unwrap();
        remove_lines(&p, &[(1, "example.com/a v1.0.0 h1:AAA=".into())]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "example.com/a v1.0.0/go.mod h1:BBB=\nexample.com/b v1.0.0 h1:CCC=\n"
        );
    }

    #[test]
    fn a_line_that_changed_since_it_was_read_stops_the_edit() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("go.sum");
        std::fs::write(&p, SUM).unwrap();
        let err = remove_lines(
            &p,
            &[
                (1, "example.com/a v1.0.0 h1:AAA=".into()),
                (3, "example.com/b v1.0.0 h1:ZZZ=".into()),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("go.sum:3 is no longer"), "{err}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), SUM, "nothing written");
    }

    #[test]
    fn line_text_is_what_go_writes() {
        let l = SumLine {
            path: "example.com/a".into(),
            version: "v1.0.0".into(),
            go_mod: true,
            hash: "h1:BBB=".into(),
            line: 2,
        };
        assert_eq!(l.text(), "example.com/a v1.0.0/go.mod h1:BBB=");
    }
}
