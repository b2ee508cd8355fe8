//! go.work parser: a port of x/mod `modfile.ParseWork` (`modfile/work.go`, `WorkFile.add`),
//! always strict, plus the `go work edit -json` view of the result.

use serde::{Deserialize, Serialize};

use super::ParseError;
use super::directives::{self as d, error_at};
use super::directives::{GoDebug, Replace};
use super::syntax::{self, Line, Stmt};

/// A parsed go.work: x/mod `modfile.WorkFile`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoWork {
    /// The `go` line's version.
    pub go: Option<String>,
    /// The `toolchain` line's name, e.g. `go1.22.3`.
    pub toolchain: Option<String>,
    /// The `godebug` settings.
    pub godebug: Vec<GoDebug>,
    /// The `use` directives, in file order.
    pub use_dirs: Vec<UseDir>,
    /// In file order, duplicates kept ([`to_go_work_edit_json`](super::to_go_work_edit_json) de-duplicates like `go work edit`).
    pub replace: Vec<Replace>,
}

/// A `use` directive: x/mod `modfile.Use`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseDir {
    /// The directory as written (unquoted), relative to the go.work directory unless rooted.
    pub path: String,
    /// Always `None` from the parser: x/mod's `ParseWork` never fills `Use.ModulePath`
    /// (a trailing comment on a `use` line is not read as a module path).
    pub module_path: Option<String>,
    /// 1-based line number.
    pub line: usize,
}

/// Parses a go.work file (always strict, like x/mod). Returns the first error in file order.
pub fn parse_go_work(file_label: &str, data: &[u8]) -> Result<GoWork, ParseError> {
    let stmts = syntax::parse(file_label, data)?;
    let mut w = GoWork::default();
    for stmt in &stmts {
        match stmt {
            Stmt::Line(line) => add(&mut w, file_label, line, &line.tokens[0], &line.tokens[1..])?,
            Stmt::Block(b) => {
                if b.tokens.len() > 1
                    || !["godebug", "use", "replace"].contains(&b.tokens[0].as_str())
                {
                    let msg = format!("unknown block type: {}", b.tokens.join(" "));
                    return Err(error_at(file_label, b.start, msg));
                }
                for line in &b.lines {
                    add(&mut w, file_label, line, &b.tokens[0], &line.tokens)?;
                }
            }
            Stmt::Comments { .. } => {}
        }
    }
    Ok(w)
}

/// x/mod `WorkFile.add`.
fn add(
    w: &mut GoWork,
    file: &str,
    line: &Line,
    verb: &str,
    args: &[String],
) -> Result<(), ParseError> {
    let err = |msg: String| error_at(file, line.start, msg);
    match verb {
        "go" => {
            if w.go.is_some() {
                return Err(err("repeated go statement".into()));
            }
            if args.len() != 1 {
                return Err(err("go directive expects exactly one argument".into()));
            }
            if !d::is_go_version(&args[0]) {
                return Err(err(format!(
                    "invalid go version '{}': must match format 1.23.0",
                    args[0]
                )));
            }
            w.go = Some(args[0].clone());
        }
        "toolchain" => {
            if w.toolchain.is_some() {
                return Err(err("repeated toolchain statement".into()));
            }
            if args.len() != 1 {
                return Err(err(
                    "toolchain directive expects exactly one argument".into()
                ));
            }
            if !d::is_toolchain(&args[0]) {
                let msg = format!(
                    "invalid toolchain version '{}': must match format go1.23.0 or default",
                    args[0]
                );
                return Err(err(msg));
            }
            w.toolchain = Some(args[0].clone());
        }
        "godebug" => w.godebug.push(d::parse_godebug(args).map_err(err)?),
        "use" => {
            if args.len() != 1 {
                return Err(err(format!("usage: {verb} local/dir")));
            }
            let path = d::parse_arg(&args[0]).map_err(err)?;
            w.use_dirs.push(UseDir {
                path,
                module_path: None,
                line: line.start.line,
            });
        }
        "replace" => w
            .replace
            .push(d::parse_replace(verb, args, line.start.line).map_err(err)?),
        _ => return Err(err(format!("unknown directive: {verb}"))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modfile::ReplaceTarget;
    use crate::modfile::edit_json::{go_work_edit_json_string, to_go_work_edit_json};

    const WORK: &str = "go 1.24.5\ntoolchain go1.25.0\ngodebug (\n\tdefault=go1.24\n)\n\n// c\nuse (\n\t. // root\n\t./a\n\t\"./b c\"\n)\nuse ./d\n\nreplace x.com/a => x.com/b v1.2\nreplace x.com/a v1.0.0 => ../fork\n";

    #[test]
    fn parses_every_directive() {
        let w = parse_go_work("go.work", WORK.as_bytes()).unwrap();
        assert_eq!(w.go.as_deref(), Some("1.24.5"));
        assert_eq!(w.toolchain.as_deref(), Some("go1.25.0"));
        assert_eq!(
            w.godebug,
            vec![GoDebug {
                key: "default".into(),
                value: "go1.24".into()
            }]
        );
        let paths: Vec<_> = w
            .use_dirs
            .iter()
            .map(|u| (u.path.as_str(), u.line))
            .collect();
        assert_eq!(paths, [(".", 9), ("./a", 10), ("./b c", 11), ("./d", 13)]);
        assert!(w.use_dirs.iter().all(|u| u.module_path.is_none()));
        assert_eq!(
            w.replace[0].new,
            ReplaceTarget::Module {
                path: "x.com/b".into(),
                version: "v1.2.0".into()
            }
        );
        assert_eq!(w.replace[1].old_version.as_deref(), Some("v1.0.0"));
        assert_eq!(w.replace[1].new, ReplaceTarget::Dir("../fork".into()));
    }

    #[test]
    fn edit_json_shape() {
        let w = parse_go_work("go.work", WORK.as_bytes()).unwrap();
        let j = to_go_work_edit_json(&w);
        assert_eq!(j["Go"], "1.24.5");
        assert_eq!(j["Use"][2]["DiskPath"], "./b c");
        assert!(j.get("Toolchain").is_none() && j.get("GoDebug").is_none());
        assert_eq!(j["Replace"][0]["New"]["Version"], "v1.2.0");
        assert!(j["Replace"][1]["New"].get("Version").is_none());
        let empty = to_go_work_edit_json(&parse_go_work("go.work", b"").unwrap());
        assert_eq!(empty, serde_json::json!({"Use": null, "Replace": null}));
        assert!(go_work_edit_json_string(&w).starts_with("{\n\t\"Go\": \"1.24.5\",\n\t\"Use\": ["));
    }

    fn err(src: &str) -> (usize, usize, String) {
        let e = parse_go_work("go.work", src.as_bytes()).unwrap_err();
        (e.line, e.column, e.message)
    }

    #[test]
    fn always_strict() {
        assert_eq!(
            err("go 1.22\nmodule x\n"),
            (2, 1, "unknown directive: module".into())
        );
        assert_eq!(
            err("require (\n)\n"),
            (1, 1, "unknown block type: require".into())
        );
        assert_eq!(
            err("go 1.22\ngo 1.23\n"),
            (2, 1, "repeated go statement".into())
        );
        assert_eq!(
            err("go 1.22-x\n"),
            (
                1,
                1,
                "invalid go version '1.22-x': must match format 1.23.0".into()
            )
        );
        assert_eq!(
            err("use (\n\ta b\n)\n"),
            (2, 2, "usage: use local/dir".into())
        );
        assert_eq!(
            err("replace x.com/a => x.com/b\n"),
            (
                1,
                1,
                "replacement module without version must be directory path (rooted or starting with . or ..)".into()
            )
        );
    }
}
