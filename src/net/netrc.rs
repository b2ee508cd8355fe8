//! Credentials for a proxy's host from `.netrc`, as go's `GOAUTH=netrc` (the default) reads
//! them (cmd/go/internal/auth `parseNetrc`): `$NETRC`, else `~/.netrc`; `machine`, `login`,
//! `password` in any order on any lines, `macdef` bodies skipped, nothing after `default`. A
//! credential is only ever sent to its host and never printed.

/// `(login, password)` for `machine`, the first complete entry naming it.
pub fn credentials_for(netrc: &str, machine: &str) -> Option<(String, String)> {
    entries(netrc)
        .into_iter()
        .find(|(m, _, _)| m == machine)
        .map(|(_, l, p)| (l, p))
}

/// go's parser: `(machine, login, password)` of every complete entry, in file order.
pub fn entries(data: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let (mut machine, mut login, mut password) = (String::new(), String::new(), String::new());
    let mut in_macro = false;
    for line in data.split('\n') {
        if in_macro {
            in_macro = !line.is_empty();
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let mut i = 0;
        while i + 1 < f.len() {
            match f[i] {
                "machine" => {
                    (machine, login, password) =
                        (f[i + 1].to_string(), String::new(), String::new())
                }
                "login" => login = f[i + 1].to_string(),
                "password" => password = f[i + 1].to_string(),
                "macdef" => in_macro = true,
                _ => {}
            }
            if !machine.is_empty() && !login.is_empty() && !password.is_empty() {
                out.push((machine.clone(), login.clone(), password.clone()));
                (machine, login, password) = (String::new(), String::new(), String::new());
            }
            i += 2;
        }
        if f.get(i) == Some(&"default") {
            break;
        }
    }
    out
}

/// The `.netrc` go's `netrc` method reads: `$NETRC`, else `$HOME/.netrc`.
pub fn read_netrc(vars: &[(String, String)]) -> Option<String> {
    let get = |k: &str| {
        vars.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let path = match get("NETRC") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::Path::new(get("HOME")?).join(".netrc"),
    };
    let data = gomodcache::fs::read::read_regular_file(&path, 1 << 20).ok()?;
    String::from_utf8(data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_as_go_reads_them() {
        let netrc = "machine a.example login u1 password p1\n\
                     machine b.example\n  login u2\n  password p2\n\
                     macdef init\nmachine c.example login x password y\n\n\
                     machine d.example login u4 password p4\n\
                     default login anon password anon\n\
                     machine e.example login u5 password p5\n\
                     default\n\
                     machine f.example login u6 password p6\n";
        assert_eq!(
            credentials_for(netrc, "a.example"),
            Some(("u1".into(), "p1".into()))
        );
        assert_eq!(
            credentials_for(netrc, "b.example"),
            Some(("u2".into(), "p2".into()))
        );
        // Inside the macro's body: not an entry.
        assert_eq!(credentials_for(netrc, "c.example"), None);
        assert_eq!(
            credentials_for(netrc, "d.example"),
            Some(("u4".into(), "p4".into()))
        );
        // go stops at `default` only when it ends a line's tokens: after the one-line
        // `default login anon password anon` it reads on, after a lone `default` it stops.
        assert_eq!(
            credentials_for(netrc, "e.example"),
            Some(("u5".into(), "p5".into()))
        );
        assert_eq!(credentials_for(netrc, "f.example"), None);
        assert_eq!(credentials_for(netrc, "unknown.example"), None);
    }
}
