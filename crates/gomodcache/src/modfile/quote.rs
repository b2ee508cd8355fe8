//! Go string quoting helpers: `strconv.Unquote` (double-quoted form), `strconv.Quote` (the `%q` verb)
//! and an approximation of `unicode.IsPrint`, as used by x/mod `modfile`.

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
///
/// Rust's standard library has no general-category tables, so this rejects the categories that
/// can be listed compactly (Cc, Cf, Co, Z* other than U+0020, noncharacters). Unassigned code
/// points (Cn) are treated as printable, where Go would not.
pub(crate) fn is_print(c: char) -> bool {
    // Nearly every rune in a go.mod is ASCII, where printable means ' '..='~'.
    if c.is_ascii() {
        return c == ' ' || c.is_ascii_graphic();
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format = matches!(
        u,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    );
    let private_use = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let nonchar = matches!(u, 0xFDD0..=0xFDEF) || (u & 0xFFFE) == 0xFFFE;
    !(format || private_use || nonchar)
}

/// Go's `strconv.Quote` (what `fmt`'s `%q` prints for a string).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune` (what `fmt`'s `%q` prints for a rune).
pub(crate) fn go_quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        _ if c == quote || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        _ if is_print(c) => out.push(c),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
        _ if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        _ => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// x/mod `MustQuote`: whether `s` has to be quoted to survive as one go.mod / go.work token
/// (it is empty, holds a space, a quote or a non-printable rune, is a multi-rune string with
/// a `( ) [ ] { } ,`, or contains `//` or `/*`).
pub(crate) fn must_quote(s: &str) -> bool {
    let multi = s.len() > 1;
    s.chars().any(|c| match c {
        ' ' | '"' | '\'' | '`' => true,
        '(' | ')' | '[' | ']' | '{' | '}' | ',' => multi,
        _ => !is_print(c),
    }) || s.is_empty()
        || s.contains("//")
        || s.contains("/*")
}

/// x/mod `AutoQuote`: `s` itself, or its Go quotation when [`must_quote`] says so.
pub(crate) fn auto_quote(s: &str) -> std::borrow::Cow<'_, str> {
    if must_quote(s) {
        std::borrow::Cow::Owned(go_quote(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Why [`unquote`] failed; `Display` gives Go's error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnquoteError {
    /// `strconv.ErrSyntax`.
    Syntax,
    /// The decoded bytes are not UTF-8 (Go would accept them; a Rust `String` cannot hold them).
    NotUtf8,
}

impl std::fmt::Display for UnquoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnquoteError::Syntax => f.write_str("invalid syntax"),
            UnquoteError::NotUtf8 => f.write_str("escapes produce invalid UTF-8"),
        }
    }
}

/// Go's `strconv.Unquote` for a double-quoted string literal (`"..."` with Go escapes).
pub(crate) fn unquote(s: &str) -> Result<String, UnquoteError> {
    let inner = s
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .ok_or(UnquoteError::Syntax)?;
    if s.len() < 2 {
        return Err(UnquoteError::Syntax);
    }
    let b = inner.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\n' {
            return Err(UnquoteError::Syntax);
        }
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = *b.get(i + 1).ok_or(UnquoteError::Syntax)?;
        i += 2;
        let simple = match e {
            b'a' => Some(7),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            b'\\' => Some(b'\\'),
            b'"' => Some(b'"'),
            _ => None,
        };
        if let Some(v) = simple {
            out.push(v);
            continue;
        }
        match e {
            b'x' | b'u' | b'U' => {
                let n = match e {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let digits = b.get(i..i + n).ok_or(UnquoteError::Syntax)?;
                let mut v: u32 = 0;
                for &d in digits {
                    v = v * 16 + (d as char).to_digit(16).ok_or(UnquoteError::Syntax)?;
                }
                i += n;
                if e == b'x' {
                    out.push(v as u8);
                } else {
                    let ch = char::from_u32(v).ok_or(UnquoteError::Syntax)?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
            }
            b'0'..=b'7' => {
                let digits = b.get(i - 1..i + 2).ok_or(UnquoteError::Syntax)?;
                let mut v: u32 = 0;
                for &d in digits {
                    if !(b'0'..=b'7').contains(&d) {
                        return Err(UnquoteError::Syntax);
                    }
                    v = v * 8 + u32::from(d - b'0');
                }
                if v > 255 {
                    return Err(UnquoteError::Syntax);
                }
                i += 2;
                out.push(v as u8);
            }
            _ => return Err(UnquoteError::Syntax),
        }
    }
    String::from_utf8(out).map_err(|_| UnquoteError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unquote_go_escapes() {
        assert_eq!(unquote(r#""a\tb""#).unwrap(), "a\tb");
        assert_eq!(unquote(r#""\x41\u00e9\U0001F600\101""#).unwrap(), "Aé😀A");
        assert_eq!(unquote(r#""\"q\\""#).unwrap(), "\"q\\");
        assert_eq!(unquote(r#""""#).unwrap(), "");
        assert_eq!(unquote(r#""\'""#), Err(UnquoteError::Syntax));
        assert_eq!(unquote(r#""\400""#), Err(UnquoteError::Syntax));
        assert_eq!(unquote(r#""\ud800""#), Err(UnquoteError::Syntax));
        assert_eq!(unquote(r#""\x""#), Err(UnquoteError::Syntax));
        assert_eq!(unquote(r#""\xff""#), Err(UnquoteError::NotUtf8));
        assert_eq!(unquote("\"a"), Err(UnquoteError::Syntax));
        assert_eq!(unquote("\""), Err(UnquoteError::Syntax));
    }

    #[test]
    fn quote_like_go() {
        assert_eq!(go_quote("v1.0\"x\\"), r#""v1.0\"x\\""#);
        assert_eq!(go_quote("a\u{0}\u{a0}é\n"), r#""a\x00\u00a0é\n""#);
        assert_eq!(go_quote_rune('\u{b}'), r"'\v'");
        assert_eq!(go_quote_rune('\u{feff}'), r"'\ufeff'");
        assert!(is_print('é') && is_print('~') && !is_print('\u{200b}') && !is_print('\u{3000}'));
    }

    #[test]
    fn must_quote_like_x_mod() {
        for plain in [
            "example.com/m",
            "v1.2.3",
            "(",
            ",",
            "=>",
            "a\\b",
            "é",
            "../x",
        ] {
            assert!(!must_quote(plain), "{plain}");
        }
        for quoted in [
            "", "a b", "a\"b", "x'", "`", "a(", "[]", "a//b", "a/*b", "a\tb", "\u{a0}",
        ] {
            assert!(must_quote(quoted), "{quoted:?}");
        }
        assert_eq!(auto_quote("./dir with space"), "\"./dir with space\"");
        assert_eq!(auto_quote("example.com/m"), "example.com/m");
    }

    /// One piece of a Go double-quoted literal and the text it decodes to.
    fn literal_piece() -> impl Strategy<Value = (String, String)> {
        let plain = any::<char>()
            .prop_filter("not a quote, backslash or newline", |c| {
                !matches!(c, '"' | '\\' | '\n')
            })
            .prop_map(|c| (c.to_string(), c.to_string()));
        let simple = prop::sample::select(vec![
            ("\\a", "\x07"),
            ("\\b", "\x08"),
            ("\\f", "\x0c"),
            ("\\n", "\n"),
            ("\\r", "\r"),
            ("\\t", "\t"),
            ("\\v", "\x0b"),
            ("\\\\", "\\"),
            ("\\\"", "\""),
        ])
        .prop_map(|(l, v)| (l.to_string(), v.to_string()));
        let hex =
            (0u32..0x80).prop_map(|b| (format!("\\x{b:02x}"), char::from(b as u8).to_string()));
        let hex_upper =
            (0u32..0x80).prop_map(|b| (format!("\\x{b:02X}"), char::from(b as u8).to_string()));
        let octal =
            (0u32..0x80).prop_map(|b| (format!("\\{b:03o}"), char::from(b as u8).to_string()));
        let u4 = any::<char>()
            .prop_filter("BMP", |c| (*c as u32) < 0x10000)
            .prop_map(|c| (format!("\\u{:04x}", c as u32), c.to_string()));
        let u8 = any::<char>().prop_map(|c| (format!("\\U{:08X}", c as u32), c.to_string()));
        prop_oneof![4 => plain, 1 => simple, 1 => hex, 1 => hex_upper, 1 => octal, 1 => u4, 1 => u8]
    }

    proptest! {
        /// `strconv.Unquote(strconv.Quote(s)) == s` for every string.
        #[test]
        fn quote_then_unquote_is_identity(s in any::<String>()) {
            prop_assert_eq!(unquote(&go_quote(&s)), Ok(s));
        }

        /// Every literal Go's strconv accepts (and that decodes to UTF-8) unquotes to the text it
        /// spells, and quoting that text gives a literal with the same value.
        #[test]
        fn valid_literals_unquote_and_requote(
            pieces in prop::collection::vec(literal_piece(), 0..12),
        ) {
            let body: String = pieces.iter().map(|p| p.0.as_str()).collect();
            let literal = format!("\"{body}\"");
            let value: String = pieces.iter().map(|p| p.1.as_str()).collect();
            prop_assert_eq!(unquote(&literal), Ok(value.clone()));
            let requoted = go_quote(&value);
            prop_assert_eq!(unquote(&requoted), Ok(value));
        }

        /// `AutoQuote(s)` is one go.mod token whose value (x/mod `parseString`) is `s` again.
        #[test]
        fn auto_quoted_strings_lex_as_one_token(s in any::<String>()) {
            use crate::modfile::lexer::{Lexer, TokenKind};
            let tok = auto_quote(&s).into_owned();
            let src = format!("x {tok}\n");
            let mut lx = Lexer::new("f", src.as_bytes()).unwrap();
            prop_assert_eq!(lx.lex().unwrap().text, "x");
            let t = lx.lex().unwrap();
            prop_assert_eq!(&t.text, &tok);
            prop_assert_eq!(lx.lex().unwrap().kind, TokenKind::Newline);
            prop_assert_eq!(crate::modfile::directives::parse_string(&tok), Ok(s));
        }
    }
}
