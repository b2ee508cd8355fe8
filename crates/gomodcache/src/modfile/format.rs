//! `go mod edit -fmt` / `go work edit -fmt` for a whole file, comments included: the file's
//! syntax tree goes through what `go mod edit` does to it before printing, then through a port
//! of x/mod's printer (`modfile/print.go`).
//!
//! The steps, in cmd/go's order:
//! 1. `modfile.Parse` (strict) / `ParseWork`: errors stop here, with the parser's messages. On
//!    success the parser has rewritten tokens: every string argument (module and replacement
//!    paths, `tool`, `ignore`, `use`) becomes `AutoQuote` of its value, every `require`,
//!    `exclude` and `replace` version becomes its canonical form (`v1.2` → `v1.2.0`), and
//!    `retract` versions lose their quotes (x/mod's `dontFixRetract` keeps the unquoted text).
//! 2. `SortBlocks`: `removeDups` drops repeated `exclude`, `tool` and `ignore` lines (the first
//!    stays) and `replace` lines for the same old path@version (the last stays), then every
//!    block's lines are sorted (stably) by their tokens; `exclude` blocks sort by semver when the
//!    file says `go 1.21` or later, and `retract` blocks sort newest first.
//! 3. `Cleanup`: empty blocks disappear and a block of one line becomes a single line.
//! 4. `Format`: one statement per line, blocks indented with a tab, comments where they were,
//!    at most one blank line in a row, one newline at the end.

use std::cmp::Ordering;

use super::ParseError;
use super::directives::parse_string;
use super::go_mod::{Strictness, parse_go_mod};
use super::go_work::parse_go_work;
use super::lexer::Comment;
use super::quote::auto_quote;
use super::syntax::{self, Comments, Line, LineBlock, Stmt};
use crate::version::semver;
use crate::version::semver::canonical_version;

/// Which file the tree came from: the two share the syntax but not the directives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mod,
    Work,
}

/// `go mod edit -fmt -print` for a go.mod: the formatted text, or the first parse error.
pub fn format_go_mod(file_label: &str, data: &[u8]) -> Result<String, ParseError> {
    let parsed = parse_go_mod(file_label, data, Strictness::Strict)?;
    let stmts = syntax::parse(file_label, data)?;
    Ok(format(stmts, Kind::Mod, parsed.go.as_deref()))
}

/// `go work edit -fmt -print` for a go.work: the formatted text, or the first parse error.
pub fn format_go_work(file_label: &str, data: &[u8]) -> Result<String, ParseError> {
    parse_go_work(file_label, data)?;
    let stmts = syntax::parse(file_label, data)?;
    Ok(format(stmts, Kind::Work, None))
}

fn format(mut stmts: Vec<Stmt>, kind: Kind, go: Option<&str>) -> String {
    for_each_line(&mut stmts, rewrite_tokens);
    remove_dups(&mut stmts, kind);
    sort_blocks(&mut stmts, kind, go);
    cleanup(&mut stmts);
    Printer::default().file(&stmts)
}

/// Calls `f(verb, args)` for every directive line, top-level or inside a block.
fn for_each_line(stmts: &mut [Stmt], mut f: impl FnMut(&str, &mut [String])) {
    for stmt in stmts {
        match stmt {
            Stmt::Line(l) => {
                if let Some((verb, args)) = l.tokens.split_first_mut() {
                    f(verb, args);
                }
            }
            Stmt::Block(b) => {
                for l in &mut b.lines {
                    f(&b.tokens[0], &mut l.tokens);
                }
            }
            Stmt::Comments { .. } => {}
        }
    }
}

/// The token rewriting that x/mod's `parseString` / `parseVersion` do while parsing. The file
/// parsed strictly, so every directive has the shape its verb needs.
fn rewrite_tokens(verb: &str, args: &mut [String]) {
    let unquoted = |t: &str| parse_string(t).unwrap_or_else(|_| t.to_string());
    let quote = |t: &mut String| *t = auto_quote(&unquoted(t)).into_owned();
    let canonical = |t: &mut String| *t = canonical_version(&unquoted(t));
    match (verb, args) {
        ("module" | "tool" | "ignore" | "use", [path]) => quote(path),
        ("require" | "exclude", [path, version]) => {
            quote(path);
            canonical(version);
        }
        ("replace", args) => {
            let arrow = if args.get(1).is_some_and(|t| t == "=>") {
                1
            } else {
                2
            };
            quote(&mut args[0]);
            if arrow == 2 {
                canonical(&mut args[1]);
            }
            if let Some(new) = args.get_mut(arrow + 1) {
                quote(new);
            }
            if let Some(v) = args.get_mut(arrow + 2) {
                canonical(v);
            }
        }
        ("retract", args) => {
            let versions: &[usize] = if args.first().is_some_and(|t| t == "[") {
                &[1, 3]
            } else {
                &[0]
            };
            for &i in versions {
                if let Some(t) = args.get_mut(i) {
                    *t = unquoted(t);
                }
            }
        }
        _ => {}
    }
}

/// The value a token stands for (tokens are already rewritten, so this only unquotes).
fn value(t: &str) -> String {
    parse_string(t).unwrap_or_else(|_| t.to_string())
}

/// x/mod `removeDups`: the identity of a line that may be dropped as a repeat, and whether the
/// last (rather than the first) of equal keys is kept.
fn dup_key(kind: Kind, verb: &str, args: &[String]) -> Option<(String, bool)> {
    match (kind, verb, args) {
        (Kind::Mod, "exclude", [p, v]) => Some((format!("exclude {} {v}", value(p)), false)),
        (Kind::Mod, "tool" | "ignore", [p]) => Some((format!("{verb} {}", value(p)), false)),
        (_, "replace", args) => {
            let old_version = if args.get(1).is_some_and(|t| t != "=>") {
                args[1].as_str()
            } else {
                ""
            };
            Some((format!("replace {} {old_version}", value(&args[0])), true))
        }
        _ => None,
    }
}

fn remove_dups(stmts: &mut Vec<Stmt>, kind: Kind) {
    // Every directive line in file order, with its key.
    let mut keys: Vec<Option<(String, bool)>> = Vec::new();
    for_each_line(stmts, |verb, args| keys.push(dup_key(kind, verb, args)));
    let mut kill = vec![false; keys.len()];
    let mut seen = std::collections::HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some((k, false)) = k {
            kill[i] = !seen.insert(k.clone());
        }
    }
    for (i, k) in keys.iter().enumerate().rev() {
        if let Some((k, true)) = k {
            kill[i] = !seen.insert(k.clone());
        }
    }
    let mut i = 0;
    stmts.retain_mut(|stmt| match stmt {
        Stmt::Line(_) => {
            i += 1;
            !kill[i - 1]
        }
        Stmt::Block(b) => {
            b.lines.retain(|_| {
                i += 1;
                !kill[i - 1]
            });
            !b.lines.is_empty()
        }
        Stmt::Comments { .. } => true,
    });
}

fn compare_line(a: &Line, b: &Line) -> Ordering {
    a.tokens.cmp(&b.tokens)
}

fn compare_exclude(a: &Line, b: &Line) -> Ordering {
    match (&a.tokens[..], &b.tokens[..]) {
        ([pa, va], [pb, vb]) => pa.cmp(pb).then_with(|| semver::compare(va, vb)),
        _ => compare_line(a, b),
    }
}

fn compare_retract(a: &Line, b: &Line) -> Ordering {
    fn interval(l: &Line) -> (&str, &str) {
        match &l.tokens[..] {
            [v] => (v, v),
            [o, low, c, high, e] if o == "[" && c == "," && e == "]" => (low, high),
            _ => ("", ""),
        }
    }
    let (la, ha) = interval(a);
    let (lb, hb) = interval(b);
    semver::compare(lb, la).then_with(|| semver::compare(hb, ha))
}

/// x/mod `SortBlocks` (after `removeDups`).
fn sort_blocks(stmts: &mut [Stmt], kind: Kind, go: Option<&str>) {
    let semantic_exclude = go.is_some_and(|g| {
        semver::is_valid(&format!("v{g}"))
            && semver::compare(&format!("v{g}"), "v1.21") != Ordering::Less
    });
    for stmt in stmts {
        let Stmt::Block(b) = stmt else { continue };
        let cmp: fn(&Line, &Line) -> Ordering = match (kind, b.tokens[0].as_str()) {
            (Kind::Mod, "exclude") if semantic_exclude => compare_exclude,
            (Kind::Mod, "retract") => compare_retract,
            _ => compare_line,
        };
        b.lines.sort_by(cmp);
    }
}

/// x/mod `FileSyntax.Cleanup`: drops empty blocks and turns one-line blocks (without comments
/// before their `)`) into single lines.
fn cleanup(stmts: &mut Vec<Stmt>) {
    let old = std::mem::take(stmts);
    for stmt in old {
        match stmt {
            Stmt::Block(b) if b.lines.is_empty() => {}
            Stmt::Block(mut b) if b.lines.len() == 1 && b.rparen_comments.before.is_empty() => {
                let line = b.lines.pop().unwrap_or_else(|| unreachable!());
                let LineBlock {
                    comments,
                    mut tokens,
                    ..
                } = b;
                tokens.extend(line.tokens);
                let mut before = comments.before;
                before.extend(line.comments.before);
                let mut suffix = line.comments.suffix;
                suffix.extend(comments.suffix);
                stmts.push(Stmt::Line(Line {
                    comments: Comments { before, suffix },
                    start: line.start,
                    tokens,
                    end: line.end,
                }));
            }
            s => stmts.push(s),
        }
    }
}

/// A port of x/mod's `printer`.
#[derive(Default)]
struct Printer {
    out: String,
    /// Pending end-of-line comments.
    comment: Vec<Comment>,
    /// Indent, in tabs.
    margin: usize,
}

/// The things the printer visits: x/mod's `Expr` implementations.
enum Expr<'a> {
    CommentBlock(&'a Comments),
    Line(&'a Line),
    Block(&'a LineBlock),
    LParen(&'a Comments),
    RParen(&'a Comments),
}

impl Printer {
    fn tabs(&mut self) {
        for _ in 0..self.margin {
            self.out.push('\t');
        }
    }

    /// Removes trailing spaces and tabs from the current line.
    fn trim(&mut self) {
        let n = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(n);
    }

    fn newline(&mut self) {
        if !self.comment.is_empty() {
            self.out.push(' ');
            for (i, com) in std::mem::take(&mut self.comment).iter().enumerate() {
                if i > 0 {
                    self.trim();
                    self.out.push('\n');
                    self.tabs();
                }
                self.out.push_str(com.token.trim());
            }
        }
        self.trim();
        if !(self.out.is_empty() || self.out.ends_with("\n\n")) {
            self.out.push('\n');
        }
        self.tabs();
    }

    fn file(mut self, stmts: &[Stmt]) -> String {
        for (i, stmt) in stmts.iter().enumerate() {
            match stmt {
                Stmt::Comments { comments, .. } => self.expr(Expr::CommentBlock(comments)),
                Stmt::Line(l) => {
                    self.expr(Expr::Line(l));
                    self.newline();
                }
                Stmt::Block(b) => {
                    self.expr(Expr::Block(b));
                    self.newline();
                }
            }
            if i + 1 < stmts.len() {
                self.newline();
            }
        }
        // Remove trailing blank lines: at most one newline at the end.
        while self.out.ends_with('\n')
            && (self.out.len() == 1 || self.out[..self.out.len() - 1].ends_with('\n'))
        {
            self.out.pop();
        }
        self.out
    }

    fn expr(&mut self, x: Expr<'_>) {
        let comments = match x {
            Expr::CommentBlock(c) | Expr::LParen(c) | Expr::RParen(c) => c,
            Expr::Line(l) => &l.comments,
            Expr::Block(b) => &b.comments,
        };
        if !comments.before.is_empty() {
            self.trim();
            if !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push('\n');
            }
            self.tabs();
            for com in &comments.before {
                self.out.push_str(com.token.trim());
                self.newline();
            }
        }
        match x {
            Expr::CommentBlock(_) => {}
            Expr::LParen(_) => self.out.push('('),
            Expr::RParen(_) => self.out.push(')'),
            Expr::Line(l) => self.tokens(&l.tokens),
            Expr::Block(b) => {
                self.tokens(&b.tokens);
                self.out.push(' ');
                self.expr(Expr::LParen(&b.lparen_comments));
                self.margin += 1;
                for l in &b.lines {
                    self.newline();
                    self.expr(Expr::Line(l));
                }
                self.margin -= 1;
                self.newline();
                self.expr(Expr::RParen(&b.rparen_comments));
            }
        }
        self.comment.extend(comments.suffix.iter().cloned());
    }

    fn tokens(&mut self, tokens: &[String]) {
        let mut sep = "";
        for t in tokens {
            if matches!(t.as_str(), "," | ")" | "]" | "}") {
                sep = "";
            }
            self.out.push_str(sep);
            self.out.push_str(t);
            sep = if matches!(t.as_str(), "(" | "[" | "{") {
                ""
            } else {
                " "
            };
        }
    }
}

#[cfg(test)]
mod tests;
