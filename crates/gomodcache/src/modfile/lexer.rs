//! The go.mod / go.work tokenizer, a port of x/mod `modfile/read.go` (`readToken` and friends).
//!
//! Differences from Go, both deliberate: invalid UTF-8 outside comments is an error at its
//! position (Go would silently accept U+FFFD), and errors are returned instead of panicking.
//! The statement reader built on top of this is the private `syntax` module.

use super::ParseError;
use super::quote::{go_quote_rune, is_print};

/// A position in the input: 1-based line, 1-based rune in the line, 0-based byte offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub line_rune: usize,
    pub byte: usize,
}

impl Position {
    /// The position just after a one-byte ASCII token such as `)` (x/mod `Position.add(")")`).
    pub fn after_ascii(self) -> Position {
        Position {
            byte: self.byte + 1,
            line_rune: self.line_rune + 1,
            ..self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Eof,
    /// A `//` comment that follows tokens on its line (x/mod `_EOLCOMMENT`); it ends the line.
    EolComment,
    Ident,
    String,
    /// A `//` comment alone on its line (x/mod `_COMMENT`).
    Comment,
    Newline,
    /// One of `( ) [ ] { } ,`.
    Punct(u8),
}

impl TokenKind {
    /// Whether the token terminates a line (x/mod `isEOL`).
    pub fn is_eol(self) -> bool {
        matches!(
            self,
            TokenKind::Eof | TokenKind::EolComment | TokenKind::Newline
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub pos: Position,
    pub end_pos: Position,
    /// The token text; comments keep their `//` and lose one trailing `\n` or `\r\n`.
    pub text: String,
}

/// A `//` comment with its start position. `suffix` is true for end-of-line comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comment {
    pub start: Position,
    pub token: String,
    pub suffix: bool,
}

/// The tokenizer. It always holds one token of lookahead, like x/mod's `input`.
pub struct Lexer<'a> {
    file: &'a str,
    data: &'a [u8],
    pos: Position,
    token: Token,
    /// Every end-of-line comment read so far, in order (x/mod `input.comments`).
    pub comments: Vec<Comment>,
}

impl<'a> Lexer<'a> {
    /// Creates a lexer and reads the first token.
    pub fn new(file: &'a str, data: &'a [u8]) -> Result<Self, ParseError> {
        let start = Position {
            line: 1,
            line_rune: 1,
            byte: 0,
        };
        let token = Token {
            kind: TokenKind::Eof,
            pos: start,
            end_pos: start,
            text: String::new(),
        };
        let mut lx = Lexer {
            file,
            data,
            pos: start,
            token,
            comments: Vec::new(),
        };
        lx.read_token()?;
        Ok(lx)
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The kind of the lookahead token.
    pub fn peek(&self) -> TokenKind {
        self.token.kind
    }

    /// Returns the lookahead token and reads the next one.
    pub fn lex(&mut self) -> Result<Token, ParseError> {
        let placeholder = Token {
            kind: TokenKind::Eof,
            pos: self.pos,
            end_pos: self.pos,
            text: String::new(),
        };
        let tok = std::mem::replace(&mut self.token, placeholder);
        self.read_token()?;
        Ok(tok)
    }

    /// An error at the current read position (x/mod `input.Error`).
    pub fn error(&self, message: impl Into<String>) -> ParseError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: Position, message: impl Into<String>) -> ParseError {
        ParseError {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.line_rune,
            message: message.into(),
        }
    }

    fn eof(&self) -> bool {
        self.pos.byte >= self.data.len()
    }

    /// Decodes the rune at the read position: `Ok(None)` at EOF, `Err(())` on invalid UTF-8.
    fn decode(&self) -> Result<Option<(char, usize)>, ()> {
        let rest = &self.data[self.pos.byte.min(self.data.len())..];
        let Some(&b) = rest.first() else {
            return Ok(None);
        };
        if b < 0x80 {
            return Ok(Some((b as char, 1)));
        }
        let window = &rest[..rest.len().min(4)];
        let valid = match std::str::from_utf8(window) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&window[..e.valid_up_to()]).map_err(|_| ())?,
        };
        let c = valid.chars().next().ok_or(())?;
        Ok(Some((c, c.len_utf8())))
    }

    /// The next rune without consuming it; `'\0'` at EOF (x/mod `peekRune`).
    fn peek_rune(&self) -> Result<char, ParseError> {
        match self.decode() {
            Ok(c) => Ok(c.map_or('\0', |(c, _)| c)),
            Err(()) => Err(self.error("invalid UTF-8 encoding")),
        }
    }

    fn peek_prefix(&self, prefix: &str) -> bool {
        self.data[self.pos.byte.min(self.data.len())..].starts_with(prefix.as_bytes())
    }

    /// Consumes one rune; an invalid byte counts as one rune, as in Go.
    fn advance(&mut self) {
        let size = match self.decode() {
            Ok(Some((_, n))) => n,
            Ok(None) => return,
            Err(()) => 1,
        };
        if self.data[self.pos.byte] == b'\n' {
            self.pos.line += 1;
            self.pos.line_rune = 1;
        } else {
            self.pos.line_rune += 1;
        }
        self.pos.byte += size;
    }

    fn read_rune(&mut self) -> Result<char, ParseError> {
        let c = self.peek_rune()?;
        self.advance();
        Ok(c)
    }

    fn finish(&mut self, kind: TokenKind, start: Position) {
        let mut raw = &self.data[start.byte..self.pos.byte];
        if matches!(kind, TokenKind::Comment | TokenKind::EolComment) {
            raw = raw
                .strip_suffix(b"\r\n")
                .or_else(|| raw.strip_suffix(b"\n"))
                .unwrap_or(raw);
        }
        // `from_utf8` first: `from_utf8_lossy` walks the bytes chunk by chunk even when valid.
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t.to_owned(),
            Err(_) => String::from_utf8_lossy(raw).into_owned(),
        };
        self.token = Token {
            kind,
            pos: start,
            end_pos: self.pos,
            text,
        };
    }

    fn read_token(&mut self) -> Result<(), ParseError> {
        // Skip spaces; hand comments to the parser.
        while !self.eof() {
            let c = self.peek_rune()?;
            if c == ' ' || c == '\t' || c == '\r' {
                self.advance();
                continue;
            }
            if self.peek_prefix("//") {
                self.read_comment();
                return Ok(());
            }
            if self.peek_prefix("/*") {
                return Err(self.error("mod files must use // comments (not /* */ comments)"));
            }
            break;
        }
        let start = self.pos;
        if self.eof() {
            self.finish(TokenKind::Eof, start);
            return Ok(());
        }
        let c = self.peek_rune()?;
        match c {
            '\n' | '(' | ')' | '[' | ']' | '{' | '}' | ',' => {
                self.advance();
                let kind = if c == '\n' {
                    TokenKind::Newline
                } else {
                    TokenKind::Punct(c as u8)
                };
                self.finish(kind, start);
                return Ok(());
            }
            '"' | '`' => return self.read_string(c, start),
            _ => {}
        }
        if !is_ident(c) {
            return Err(self.error(format!("unexpected input character {}", go_quote_rune(c))));
        }
        loop {
            // ASCII, nearly every byte of a go.mod, without decoding a rune (twice) per byte.
            let c = match self.data.get(self.pos.byte) {
                Some(&b) if b.is_ascii() => char::from(b),
                _ => self.peek_rune()?,
            };
            if !is_ident(c) {
                break;
            }
            if c == '/' && self.peek_prefix("//") {
                break;
            }
            if c == '/' && self.peek_prefix("/*") {
                return Err(self.error("mod files must use // comments (not /* */ comments)"));
            }
            if c.is_ascii() {
                // An identifier rune is never a newline: only the column moves.
                self.pos.byte += 1;
                self.pos.line_rune += 1;
            } else {
                self.advance();
            }
        }
        self.finish(TokenKind::Ident, start);
        Ok(())
    }

    fn read_comment(&mut self) {
        let start = self.pos;
        // The comment is a suffix comment if anything but spaces precedes it on its line.
        let line_start = self.data[..start.byte]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let suffix = !String::from_utf8_lossy(&self.data[line_start..start.byte])
            .trim()
            .is_empty();
        while !self.eof() {
            let nl = self.data[self.pos.byte] == b'\n';
            self.advance();
            if nl {
                break;
            }
        }
        if !suffix {
            self.finish(TokenKind::Comment, start);
            return;
        }
        self.finish(TokenKind::EolComment, start);
        self.comments.push(Comment {
            start,
            token: self.token.text.clone(),
            suffix: true,
        });
    }

    fn read_string(&mut self, quote: char, start: Position) -> Result<(), ParseError> {
        self.advance();
        loop {
            if self.eof() {
                return Err(self.error_at(start, "unexpected EOF in string"));
            }
            if self.peek_rune()? == '\n' {
                return Err(self.error("unexpected newline in string"));
            }
            let c = self.read_rune()?;
            if c == quote {
                break;
            }
            if c == '\\' && quote != '`' {
                if self.eof() {
                    return Err(self.error_at(start, "unexpected EOF in string"));
                }
                self.read_rune()?;
            }
        }
        self.finish(TokenKind::String, start);
        Ok(())
    }
}

/// x/mod `isIdent`: printable, non-space runes other than `( ) [ ] { } ,`.
fn is_ident(c: char) -> bool {
    !matches!(c, ' ' | '(' | ')' | '[' | ']' | '{' | '}' | ',') && !c.is_whitespace() && is_print(c)
}

#[cfg(test)]
mod tests;
