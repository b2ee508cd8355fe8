//! Module path patterns as GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE use them: a port of
//! x/mod `module.MatchPrefixPatterns` and of Go's `path.Match` (spec §9.3).

/// Decodes one UTF-8 rune like Go's `utf8.DecodeRune`: `(U+FFFD, 1)` for a bad byte.
fn decode_rune(b: &[u8]) -> (u32, usize) {
    for n in 1..=b.len().min(4) {
        if let Ok(s) = std::str::from_utf8(&b[..n]) {
            return (s.chars().next().map_or(0xFFFD, |c| c as u32), n);
        }
    }
    (0xFFFD, 1)
}

#[derive(Debug, PartialEq, Eq)]
pub struct BadPattern;

/// `scanChunk`: leading stars, then the chunk up to the next star outside a class.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut p = pattern;
    let mut star = false;
    while let [b'*', rest @ ..] = p {
        p = rest;
        star = true;
    }
    let (mut inrange, mut i) = (false, 0);
    while i < p.len() {
        match p[i] {
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => inrange = true,
            b']' => inrange = false,
            b'*' if !inrange => break,
            _ => {}
        }
        i += 1;
    }
    (star, &p[..i], &p[i..])
}

fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut c = chunk;
    if c.is_empty() || c[0] == b'-' || c[0] == b']' {
        return Err(BadPattern);
    }
    if c[0] == b'\\' {
        c = &c[1..];
        if c.is_empty() {
            return Err(BadPattern);
        }
    }
    let (r, n) = decode_rune(c);
    let bad_rune = r == 0xFFFD && n == 1 && c[0] >= 0x80;
    let rest = &c[n..];
    if bad_rune || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// `matchChunk`: the rest of `s` after `chunk` matched its start, `None` on mismatch.
fn match_chunk<'s>(chunk: &[u8], s: &'s [u8]) -> Result<Option<&'s [u8]>, BadPattern> {
    let (mut chunk, mut s) = (chunk, s);
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = 0;
                if !failed {
                    let (rr, n) = decode_rune(s);
                    r = rr;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let (mut matched, mut nrange) = (false, 0);
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let c = if c == b'\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or(BadPattern)?
                } else {
                    c
                };
                if !failed {
                    if c != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok((!failed).then_some(s))
}

/// Go's `path.Match`.
pub fn path_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let (mut pattern, mut name) = (pattern.as_bytes(), name.as_bytes());
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let first = match_chunk(chunk, name);
        if let Ok(Some(t)) = first
            && (t.is_empty() || !pattern.is_empty())
        {
            name = t;
            continue;
        }
        first?;
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                i += 1;
            }
        }
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// The glob of `globs` (comma-separated) that matches `target`, as x/mod's
/// `MatchPrefixPatterns` decides it: a glob with N slashes is matched against the first N+1
/// path elements of the target; one trailing slash is ignored; a malformed glob never matches.
pub fn matching_pattern<'g>(globs: &'g str, target: &str) -> Option<&'g str> {
    for raw in globs.split(',') {
        let glob = raw.strip_suffix('/').unwrap_or(raw);
        if glob.is_empty() {
            continue;
        }
        let mut n = glob.matches('/').count();
        let mut prefix = target;
        for (i, b) in target.bytes().enumerate() {
            if b == b'/' {
                if n == 0 {
                    prefix = &target[..i];
                    break;
                }
                n -= 1;
            }
        }
        if n > 0 {
            continue;
        }
        if path_match(glob, prefix) == Ok(true) {
            return Some(raw);
        }
    }
    None
}

/// x/mod `module.MatchPrefixPatterns`.
pub fn match_prefix_patterns(globs: &str, target: &str) -> bool {
    matching_pattern(globs, target).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_match_agrees_with_go() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a?b", "a/b", Ok(false)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
        ];
        for (p, n, want) in cases {
            assert_eq!(&path_match(p, n), want, "Match({p:?}, {n:?})");
        }
    }

    #[test]
    fn prefix_patterns_match_leading_elements() {
        let m = match_prefix_patterns;
        assert!(m("example.com", "example.com/a/b"));
        assert!(m("*.corp.example.com", "git.corp.example.com/x"));
        assert!(!m("*.corp.example.com", "corp.example.com/x"));
        assert!(m("github.com/acme/*", "github.com/acme/tool/v2"));
        assert!(!m("github.com/acme/*", "github.com/acme"));
        assert!(m("github.com/acme/", "github.com/acme/tool"));
        assert!(m(",,example.com,", "example.com"));
        assert!(!m("example.co", "example.com/a"));
        assert!(!m("[", "example.com"), "a bad pattern never matches");
        assert!(!m(" example.com", "example.com"), "no trimming");
        assert_eq!(
            matching_pattern("x.org,example.com/", "example.com/a"),
            Some("example.com/")
        );
    }
}
