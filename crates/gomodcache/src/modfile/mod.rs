//! Exact parsers for Go's module files: go.mod, go.work, go.sum and vendor/modules.txt.
//!
//! go.mod and go.work follow golang.org/x/mod `modfile` (lexer, statements, comments,
//! directives and error texts); go.sum follows cmd/go `readGoSum`; modules.txt follows
//! cmd/go `readVendorList`. See `/work/shared/spec/go-modules.md` §4, §6 and §8.

pub(crate) mod format;
pub mod go_mod;
pub mod go_sum;
pub mod go_work;
pub(crate) mod lexer;
pub mod module_path;
pub(crate) mod print;
pub mod vendor;

mod directives;
pub mod edit_json;
pub(crate) mod quote;
mod syntax;

pub use edit_json::{
    go_mod_edit_json_string, go_work_edit_json_string, to_go_mod_edit_json, to_go_work_edit_json,
};
pub use format::{format_go_mod, format_go_work};
pub use go_mod::{
    GoDebug, GoMod, ModuleDecl, ModuleVersion, Replace, ReplaceTarget, Require, Retract,
    Strictness, is_directory_path, parse_go_mod,
};
pub use go_sum::{EMPTY_GO_MOD_HASH, GoSum, SumLine, parse_go_sum};
pub use go_work::{GoWork, UseDir, parse_go_work};
pub use print::{print_go_mod, print_go_sum, print_go_work, print_modules_txt};
pub use vendor::{ModulesTxt, VendorModule, parse_modules_txt};

/// A parse error or problem at a position in a file. `line` and `column` are 1-based; the column
/// counts characters (runes), like x/mod's `Position.LineRune`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ParseError {
    /// The file label the caller passed to the parser (usually the file's path).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The error text, worded as x/mod or cmd/go words it.
    pub message: String,
}

/// Serializes like Go's `json.MarshalIndent(v, "", "\t")` (keys in struct order), plus a newline.
pub(crate) fn to_tab_indented_json<T: serde::Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    if write_tab_indented_json(&mut out, value).is_err() {
        return "null\n".to_string();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `value` to `w` as Go's `json.MarshalIndent(v, "", "\t")` does (keys in struct order),
/// plus a newline, with no intermediate string for large files.
pub fn write_tab_indented_json<W: std::io::Write, T: serde::Serialize>(
    mut w: W,
    value: &T,
) -> std::io::Result<()> {
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut w, fmt);
    value.serialize(&mut ser).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}
