//! `modscope parse FILE`: owned by the parser work; prints the parsed file as JSON.
//!
//! go.mod and go.work print in the shape of `go mod edit -json` / `go work edit -json`;
//! go.sum and vendor/modules.txt print the parser's structs. With `--fmt` the file is printed
//! back as text instead: go.mod and go.work as `go mod edit -fmt -print` / `go work edit -fmt
//! -print` would print them (comments kept), go.sum and modules.txt from the parsed lines
//! (malformed lines, which the parser reports, are left out). Parse errors go to stderr as
//! `modscope: file:line:col: message` with exit code 2. Problems in go.sum or modules.txt
//! (which never stop those parsers) are printed to stderr as warnings.
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use gomodcache::modfile;
use gomodcache::modfile::{ParseError, Strictness};

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

pub fn run(file: &Path, kind: Option<FileKind>, fmt: bool) -> ExitCode {
    let label = file.display().to_string();
    let Some(kind) = kind.or_else(|| guess_kind(file)) else {
        say!(
            "modscope: {label}: cannot tell the file kind from its name; use --kind go-mod|go-work|go-sum|vendor"
        );
        return ExitCode::from(super::output::EXIT_USAGE);
    };
    let data =
        match gomodcache::fs::read::read_regular_file(file, gomodcache::fs::read::limits::TEXT) {
            Ok(d) => d,
            Err(e) => {
                say!("modscope: {label}: {e}");
                return ExitCode::from(super::output::EXIT_USAGE);
            }
        };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if fmt {
        formatted(kind, &label, &data).map(|text| write_str(stdout, &text))
    } else {
        json(kind, &label, data, stdout)
    };
    match written {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            say!("modscope: writing output: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            say!("modscope: {e}");
            ExitCode::from(super::output::EXIT_USAGE)
        }
    }
}

/// The JSON view of the file, written to `out`.
fn json(
    kind: FileKind,
    label: &str,
    data: Vec<u8>,
    out: impl Write,
) -> Result<std::io::Result<()>, ParseError> {
    Ok(match kind {
        FileKind::GoMod => {
            let f = modfile::parse_go_mod(label, &data, Strictness::Strict)?;
            write_str(out, &modfile::go_mod_edit_json_string(&f))
        }
        FileKind::GoWork => {
            let w = modfile::parse_go_work(label, &data)?;
            write_str(out, &modfile::go_work_edit_json_string(&w))
        }
        FileKind::GoSum => {
            let sum = modfile::parse_go_sum(label, &data);
            drop(data);
            warn(&sum.problems);
            modfile::write_tab_indented_json(out, &sum)
        }
        FileKind::Vendor => {
            let txt = modfile::parse_modules_txt(label, &data);
            warn(&txt.problems);
            modfile::write_tab_indented_json(out, &txt)
        }
    })
}

/// The `--fmt` text of the file.
fn formatted(kind: FileKind, label: &str, data: &[u8]) -> Result<String, ParseError> {
    Ok(match kind {
        FileKind::GoMod => modfile::format_go_mod(label, data)?,
        FileKind::GoWork => modfile::format_go_work(label, data)?,
        FileKind::GoSum => {
            let sum = modfile::parse_go_sum(label, data);
            warn(&sum.problems);
            modfile::print_go_sum(&sum.lines)
        }
        FileKind::Vendor => {
            let txt = modfile::parse_modules_txt(label, data);
            warn(&txt.problems);
            modfile::print_modules_txt(&txt)
        }
    })
}

fn write_str(mut w: impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(s.as_bytes())?;
    w.flush()
}

fn warn(problems: &[ParseError]) {
    for p in problems {
        say!("modscope: warning: {p}");
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

    #[test]
    fn fmt_text_for_each_kind() {
        let m = formatted(
            FileKind::GoMod,
            "go.mod",
            b"module m\nrequire (\n\tb v1.0\n\ta v1.0.0\n)\n",
        );
        assert_eq!(
            m.unwrap(),
            "module m\n\nrequire (\n\ta v1.0.0\n\tb v1.0.0\n)\n"
        );
        let w = formatted(FileKind::GoWork, "go.work", b"use ( ./b\n)\n").unwrap_err();
        assert_eq!((w.line, w.message.as_str()), (1, "usage: use local/dir"));
        let s = formatted(FileKind::GoSum, "go.sum", b"a v1.0.0  h1:x=\r\nbad\n").unwrap();
        assert_eq!(s, "a v1.0.0 h1:x=\n");
        let v = formatted(
            FileKind::Vendor,
            "modules.txt",
            b"# a v1.0.0\n## explicit\na\n",
        )
        .unwrap();
        assert_eq!(v, "# a v1.0.0\n## explicit\na\n");
    }
}
