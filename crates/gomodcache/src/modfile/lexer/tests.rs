use super::*;

fn kinds(src: &str) -> Vec<(TokenKind, String)> {
    let mut lx = Lexer::new("f", src.as_bytes()).unwrap();
    let mut out = Vec::new();
    loop {
        let t = lx.lex().unwrap();
        if t.kind == TokenKind::Eof {
            return out;
        }
        out.push((t.kind, t.text));
    }
}

#[test]
fn tokens_and_comments() {
    use TokenKind::*;
    let got = kinds("// top\r\nrequire (\n\tx v1 // c\r\n)\n\"a b\" `r` => a//b\n");
    let want = [
        (Comment, "// top"),
        (Ident, "require"),
        (Punct(b'('), "("),
        (Newline, "\n"),
        (Ident, "x"),
        (Ident, "v1"),
        (EolComment, "// c"),
        (Punct(b')'), ")"),
        (Newline, "\n"),
        (String, "\"a b\""),
        (String, "`r`"),
        (Ident, "=>"),
        (Ident, "a"),
        (EolComment, "//b"),
    ];
    let want: Vec<_> = want.iter().map(|(k, s)| (*k, s.to_string())).collect();
    assert_eq!(got, want);
}

fn err(src: &[u8]) -> (usize, usize, String) {
    let mut lx = match Lexer::new("f", src) {
        Ok(lx) => lx,
        Err(e) => return (e.line, e.column, e.message),
    };
    loop {
        match lx.lex() {
            Ok(t) if t.kind == TokenKind::Eof => panic!("no error"),
            Ok(_) => {}
            Err(e) => return (e.line, e.column, e.message),
        }
    }
}

#[test]
fn lexer_errors_with_positions() {
    assert_eq!(
        err(b"module \"x\ny\"\n"),
        (1, 10, "unexpected newline in string".into())
    );
    assert_eq!(
        err(b"module\n  `abc"),
        (2, 3, "unexpected EOF in string".into())
    );
    assert_eq!(
        err(b"go 1.2 /* x */"),
        (
            1,
            8,
            "mod files must use // comments (not /* */ comments)".into()
        )
    );
    assert_eq!(
        err(b"a\x0bb"),
        (1, 2, "unexpected input character '\\v'".into())
    );
    assert_eq!(
        err("é\u{a0}".as_bytes()),
        (1, 2, "unexpected input character '\\u00a0'".into())
    );
    assert_eq!(
        err(b"module ex\xffample"),
        (1, 10, "invalid UTF-8 encoding".into())
    );
}

#[test]
fn invalid_utf8_in_comment_is_fine() {
    let got = kinds("// a\u{e9}\n");
    assert_eq!(got.len(), 1);
    let mut lx = Lexer::new("f", b"x // \xff\xfe\n").unwrap();
    assert_eq!(lx.lex().unwrap().text, "x");
    assert_eq!(lx.lex().unwrap().text, "// \u{fffd}\u{fffd}");
}
