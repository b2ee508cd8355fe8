//! The go.mod / go.work statement reader: a port of x/mod `parseFile`, `parseStmt`,
//! `parseLineBlock`, `parseLine` and `assignComments` (`modfile/read.go`).

use super::ParseError;
use super::lexer::{Comment, Lexer, Position, TokenKind};

/// Comments attached to a syntax element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Whole-line comments directly before the element (blank lines in blocks show up as
    /// empty `Comment`s, as in x/mod).
    pub before: Vec<Comment>,
    /// End-of-line comments after the element.
    pub suffix: Vec<Comment>,
}

/// One line of tokens: a top-level statement, or a line inside a block (without the verb).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub comments: Comments,
    pub start: Position,
    pub tokens: Vec<String>,
    pub end: Position,
}

/// A factored block `verb ( ... )`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineBlock {
    pub comments: Comments,
    pub start: Position,
    pub tokens: Vec<String>,
    pub lparen: Position,
    pub lparen_comments: Comments,
    pub lines: Vec<Line>,
    pub rparen: Position,
    pub rparen_comments: Comments,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stmt {
    Line(Line),
    Block(LineBlock),
    /// Whole-line comments not attached to a statement.
    Comments {
        start: Position,
        comments: Comments,
    },
}

impl Stmt {
    fn comments_mut(&mut self) -> &mut Comments {
        match self {
            Stmt::Line(l) => &mut l.comments,
            Stmt::Block(b) => &mut b.comments,
            Stmt::Comments { comments, .. } => comments,
        }
    }
}

/// Parses the statement structure of a go.mod or go.work file.
pub fn parse(file: &str, data: &[u8]) -> Result<Vec<Stmt>, ParseError> {
    let mut p = Parser {
        lx: Lexer::new(file, data)?,
    };
    let mut stmts = p.parse_file()?;
    let suffix = std::mem::take(&mut p.lx.comments);
    assign_suffix_comments(&mut stmts, suffix);
    Ok(stmts)
}

struct Parser<'a> {
    lx: Lexer<'a>,
}

impl Parser<'_> {
    fn parse_file(&mut self) -> Result<Vec<Stmt>, ParseError> {
        let mut stmts = Vec::new();
        let mut cb: Option<(Position, Vec<Comment>)> = None;
        loop {
            match self.lx.peek() {
                TokenKind::Newline => {
                    self.lx.lex()?;
                    if let Some((start, before)) = cb.take() {
                        let comments = Comments {
                            before,
                            ..Comments::default()
                        };
                        stmts.push(Stmt::Comments { start, comments });
                    }
                }
                TokenKind::Comment => {
                    let tok = self.lx.lex()?;
                    let com = Comment {
                        start: tok.pos,
                        token: tok.text,
                        suffix: false,
                    };
                    cb.get_or_insert_with(|| (tok.pos, Vec::new())).1.push(com);
                }
                TokenKind::Eof => {
                    if let Some((start, before)) = cb.take() {
                        let comments = Comments {
                            before,
                            ..Comments::default()
                        };
                        stmts.push(Stmt::Comments { start, comments });
                    }
                    return Ok(stmts);
                }
                _ => {
                    let mut stmt = self.parse_stmt()?;
                    if let Some((_, before)) = cb.take() {
                        stmt.comments_mut().before = before;
                    }
                    stmts.push(stmt);
                }
            }
        }
    }

    fn parse_stmt(&mut self) -> Result<Stmt, ParseError> {
        let tok = self.lx.lex()?;
        let start = tok.pos;
        let mut end = tok.end_pos;
        let mut tokens = vec![tok.text];
        loop {
            let tok = self.lx.lex()?;
            if tok.kind.is_eol() {
                return Ok(Stmt::Line(Line {
                    comments: Comments::default(),
                    start,
                    tokens,
                    end,
                }));
            }
            if tok.kind == TokenKind::Punct(b'(') {
                let next = self.lx.peek();
                if next.is_eol() {
                    return self
                        .parse_line_block(start, tokens, tok.pos)
                        .map(Stmt::Block);
                } else if next == TokenKind::Punct(b')') {
                    let rparen = self.lx.lex()?;
                    if self.lx.peek().is_eol() {
                        self.lx.lex()?;
                        return Ok(Stmt::Block(LineBlock {
                            comments: Comments::default(),
                            start,
                            tokens,
                            lparen: tok.pos,
                            lparen_comments: Comments::default(),
                            lines: Vec::new(),
                            rparen: rparen.pos,
                            rparen_comments: Comments::default(),
                        }));
                    }
                    tokens.push(tok.text);
                    tokens.push(rparen.text);
                } else {
                    tokens.push(tok.text);
                }
            } else {
                tokens.push(tok.text);
                end = tok.end_pos;
            }
        }
    }

    fn parse_line_block(
        &mut self,
        start: Position,
        tokens: Vec<String>,
        lparen: Position,
    ) -> Result<LineBlock, ParseError> {
        let mut lines: Vec<Line> = Vec::new();
        let mut comments: Vec<Comment> = Vec::new();
        loop {
            match self.lx.peek() {
                TokenKind::EolComment => {
                    self.lx.lex()?;
                }
                TokenKind::Newline => {
                    self.lx.lex()?;
                    let last_nonblank = comments.last().is_some_and(|c| !c.token.is_empty());
                    if (comments.is_empty() && !lines.is_empty()) || last_nonblank {
                        comments.push(Comment::default());
                    }
                }
                TokenKind::Comment => {
                    let tok = self.lx.lex()?;
                    comments.push(Comment {
                        start: tok.pos,
                        token: tok.text,
                        suffix: false,
                    });
                }
                TokenKind::Eof => {
                    return Err(self.lx.error(format!(
                        "syntax error (unterminated block started at {}:{}:{})",
                        self.lx.file(),
                        start.line,
                        start.line_rune
                    )));
                }
                TokenKind::Punct(b')') => {
                    let rparen = self.lx.lex()?;
                    if comments.len() == 1 && comments[0] == Comment::default() {
                        comments.clear();
                    }
                    if !self.lx.peek().is_eol() {
                        return Err(self
                            .lx
                            .error("syntax error (expected newline after closing paren)"));
                    }
                    self.lx.lex()?;
                    return Ok(LineBlock {
                        comments: Comments::default(),
                        start,
                        tokens,
                        lparen,
                        lparen_comments: Comments::default(),
                        lines,
                        rparen: rparen.pos,
                        rparen_comments: Comments {
                            before: comments,
                            suffix: Vec::new(),
                        },
                    });
                }
                _ => {
                    let mut line = self.parse_line()?;
                    line.comments.before = std::mem::take(&mut comments);
                    lines.push(line);
                }
            }
        }
    }

    fn parse_line(&mut self) -> Result<Line, ParseError> {
        let tok = self.lx.lex()?;
        if tok.kind.is_eol() {
            return Err(self
                .lx
                .error("internal parse error: parseLine at end of line"));
        }
        let start = tok.pos;
        let mut end = tok.end_pos;
        let mut tokens = vec![tok.text];
        loop {
            let tok = self.lx.lex()?;
            if tok.kind.is_eol() {
                return Ok(Line {
                    comments: Comments::default(),
                    start,
                    tokens,
                    end,
                });
            }
            tokens.push(tok.text);
            end = tok.end_pos;
        }
    }
}

/// Where a suffix comment can go, in x/mod's postorder.
enum Target {
    Line(usize),
    BlockLine(usize, usize),
    LParen(usize),
    RParen(usize),
    Block(usize),
    CommentBlock(usize),
}

/// x/mod `assignComments`, suffix part: walking the postorder list backwards, each single-line
/// element takes the suffix comments that start at or after its end. (Whole-line comments were
/// already attached by the parser, exactly as in x/mod.)
fn assign_suffix_comments(stmts: &mut [Stmt], mut suffix: Vec<Comment>) {
    let mut post: Vec<(Position, Position, Target)> = Vec::new();
    for (i, stmt) in stmts.iter().enumerate() {
        match stmt {
            Stmt::Line(l) => post.push((l.start, l.end, Target::Line(i))),
            Stmt::Comments { start, .. } => post.push((*start, *start, Target::CommentBlock(i))),
            Stmt::Block(b) => {
                post.push((b.lparen, b.lparen.after_ascii(), Target::LParen(i)));
                for (j, l) in b.lines.iter().enumerate() {
                    post.push((l.start, l.end, Target::BlockLine(i, j)));
                }
                post.push((b.rparen, b.rparen.after_ascii(), Target::RParen(i)));
                post.push((b.start, b.rparen.after_ascii(), Target::Block(i)));
            }
        }
    }
    for (start, end, target) in post.iter().rev() {
        if start.line != end.line {
            continue;
        }
        let mut taken = Vec::new();
        while suffix.last().is_some_and(|c| end.byte <= c.start.byte) {
            taken.extend(suffix.pop());
        }
        if taken.is_empty() {
            continue;
        }
        taken.reverse();
        let dest = match *target {
            Target::Line(i) | Target::Block(i) | Target::CommentBlock(i) => stmts[i].comments_mut(),
            Target::BlockLine(i, j) => match &mut stmts[i] {
                Stmt::Block(b) => &mut b.lines[j].comments,
                _ => continue,
            },
            Target::LParen(i) | Target::RParen(i) => match &mut stmts[i] {
                Stmt::Block(b) if matches!(target, Target::LParen(_)) => &mut b.lparen_comments,
                Stmt::Block(b) => &mut b.rparen_comments,
                _ => continue,
            },
        };
        dest.suffix.extend(taken);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(l: &Line) -> Vec<&str> {
        l.tokens.iter().map(String::as_str).collect()
    }

    #[test]
    fn statements_blocks_and_comments() {
        let src = "// head\nmodule x // m\n\n// lone\n\nrequire (\n\t// before a\n\ta v1.0.0 // indirect\n\n\tb v1.0.0\n) // after\nfoo ( bar\nempty ( )\n";
        let stmts = parse("go.mod", src.as_bytes()).unwrap();
        assert_eq!(stmts.len(), 5);
        let Stmt::Line(m) = &stmts[0] else { panic!() };
        assert_eq!(toks(m), ["module", "x"]);
        assert_eq!(m.comments.before[0].token, "// head");
        assert_eq!(m.comments.suffix[0].token, "// m");
        assert!(matches!(&stmts[1], Stmt::Comments { .. }));
        let Stmt::Block(b) = &stmts[2] else { panic!() };
        assert_eq!(b.tokens, ["require"]);
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.lines[0].comments.before[0].token, "// before a");
        assert_eq!(b.lines[0].comments.suffix[0].token, "// indirect");
        assert_eq!(b.lines[1].comments.before, vec![Comment::default()]);
        assert_eq!(b.rparen_comments.suffix[0].token, "// after");
        let Stmt::Line(f) = &stmts[3] else { panic!() };
        assert_eq!(toks(f), ["foo", "(", "bar"]);
        let Stmt::Block(e) = &stmts[4] else { panic!() };
        assert!(e.lines.is_empty());
    }

    fn err(src: &str) -> (usize, usize, String) {
        let e = parse("go.mod", src.as_bytes()).unwrap_err();
        (e.line, e.column, e.message)
    }

    #[test]
    fn syntax_errors_with_positions() {
        assert_eq!(
            err("module x\nrequire (\n\ta v1.0.0\n"),
            (
                4,
                1,
                "syntax error (unterminated block started at go.mod:2:1)".into()
            )
        );
        assert_eq!(
            err("require (\n\ta v1.0.0\n) x\n"),
            (
                3,
                4,
                "syntax error (expected newline after closing paren)".into()
            )
        );
    }
}
