//! `modscope parse FILE`: owned by the parser work; prints the parsed file as JSON.
//!
//! go.mod and go.work print in the shape of `go mod edit -json` / `go work edit -json`;
//! go.sum and vendor/modules.txt print the parser's structs. Parse errors go to stderr as
//! `modscope: file:line:col: message` with exit code 2. Problems in go.sum or modules.txt
//! (which never stop those parsers) are printed to stderr as warnings.
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::core::files::{self, ParseError, Strictness};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileKind {
    GoMod,
    GoWork,
    GoSum,
    Vendor,
}

/// Guesses the kind from the file name: `go.mod`/`*.mod`, `go.work`, `go.sum`/`*.sum`
/// (including `go.work.sum`), `modules.txt`.
fn guess_kind(file: &Path) -> Option<FileKind> {
    let name = file.file_name()?.to_str()?;
    match name {
        "go.work" => Some(FileKind::GoWork),
        "modules.txt" => Some(FileKind::Vendor),
        _ if name.ends_with(".mod") => Some(FileKind::GoMod),
        _ if name.ends_with(".sum") => Some(FileKind::GoSum),
        _ => None,
    }
}

pub fn run(file: &Path, kind: Option<FileKind>) -> ExitCode {
    let label = file.display().to_string();
    let Some(kind) = kind.or_else(|| guess_kind(file)) else {
        eprintln!(
            "modscope: {label}: cannot tell the file kind from its name; use --kind go-mod|go-work|go-sum|vendor"
        );
        return ExitCode::from(super::EXIT_USAGE);
    };
    let data = match std::fs::read(file) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("modscope: {label}: {e}");
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match kind {
        FileKind::GoMod => files::parse_go_mod(&label, &data, Strictness::Strict)
            .map(|f| write_str(stdout, &files::go_mod_edit_json_string(&f))),
        FileKind::GoWork => files::parse_go_work(&label, &data)
            .map(|w| write_str(stdout, &files::go_work_edit_json_string(&w))),
        FileKind::GoSum => {
            let sum = files::parse_go_sum(&label, &data);
            drop(data);
            warn(&sum.problems);
            Ok(files::write_tab_indented_json(stdout, &sum))
        }
        FileKind::Vendor => {
            let txt = files::parse_modules_txt(&label, &data);
            warn(&txt.problems);
            Ok(files::write_tab_indented_json(stdout, &txt))
        }
    };
    match written {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("modscope: writing output: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("modscope: {e}");
            ExitCode::from(super::EXIT_USAGE)
        }
    }
}

fn write_str(mut w: impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(s.as_bytes())?;
    w.flush()
}

fn warn(problems: &[ParseError]) {
    for p in problems {
        eprintln!("modscope: warning: {p}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        let k = |n: &str| guess_kind(Path::new(n));
        assert_eq!(k("a/go.mod"), Some(FileKind::GoMod));
        assert_eq!(k("vendor.mod"), Some(FileKind::GoMod));
        assert_eq!(k("go.work"), Some(FileKind::GoWork));
        assert_eq!(k("x/go.work.sum"), Some(FileKind::GoSum));
        assert_eq!(k("vendor.sum"), Some(FileKind::GoSum));
        assert_eq!(k("vendor/modules.txt"), Some(FileKind::Vendor));
        assert_eq!(k("README"), None);
    }
}
