//! `toolchain.Select` (cmd/go/internal/toolchain/select.go): which toolchain GOTOOLCHAIN and
//! the go/toolchain lines of go.work or go.mod ask for.

use crate::version::gover;

/// `toolchain.Select`: the toolchain go would run (`go<local>` for the installed one) and
/// whether only PATH may provide it (`+path`), or go's error for a bad setting.
pub fn select(
    gotoolchain: &str,
    local: &str,
    go_line: Option<&str>,
    tc_line: Option<&str>,
    file: &str,
) -> Result<(String, bool), String> {
    let local_tc = format!("go{local}");
    if gotoolchain.is_empty() {
        return Ok((local_tc, false));
    }
    let (min_tc, mut min_v, mode) = match gotoolchain {
        "auto" | "path" => (local_tc.clone(), local.to_string(), gotoolchain),
        _ => {
            let (min, suffix) = match gotoolchain.split_once('+') {
                Some((m, s)) => (m, Some(s)),
                None => (gotoolchain, None),
            };
            if let Some(s) = suffix.filter(|s| *s != "auto" && *s != "path") {
                return Err(format!(
                    "go: invalid GOTOOLCHAIN {gotoolchain:?}: only version suffixes are +auto and +path (not +{s})"
                ));
            }
            let (tc, v) = if min == "local" {
                (local_tc.clone(), local.to_string())
            } else {
                let v = gover::from_toolchain(min)
                    .ok_or_else(|| format!("go: invalid GOTOOLCHAIN {gotoolchain:?}"))?;
                (min.to_string(), v)
            };
            (tc, v, suffix.unwrap_or(""))
        }
    };
    let mut chosen = min_tc;
    if (mode == "auto" || mode == "path") && tc_line != Some("default") {
        if let Some(tc) = tc_line {
            let tv = gover::from_toolchain(tc)
                .filter(|_| tc.starts_with("go") || tc.contains("-go"))
                .ok_or_else(|| format!("go: invalid toolchain {tc:?} in {file}"))?;
            if gover::compare(&tv, &min_v).is_gt() {
                chosen = tc.to_string();
                min_v = tv;
            }
        }
        if let Some(g) = go_line
            && gover::compare(g, &min_v).is_gt()
        {
            chosen = format!("go{g}");
            if gover::is_lang(g) && gover::compare(g, "1.21").is_ge() {
                chosen.push_str(".0");
            }
        }
    }
    if chosen != local_tc && !chosen.starts_with("go1") && !chosen.contains("-go1") {
        return Err(format!("go: invalid GOTOOLCHAIN {chosen:?}"));
    }
    Ok((chosen, mode == "path"))
}
