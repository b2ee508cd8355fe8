//! Property tests: no input makes the parser panic, and printed requirements parse back.

use super::*;
use proptest::prelude::*;

fn print_requires(reqs: &[(String, String, bool)]) -> String {
    let mut s = String::from("module example.com/m\n\nrequire (\n");
    for (p, v, ind) in reqs {
        s.push_str(&format!(
            "\t{p} {v}{}\n",
            if *ind { " // indirect" } else { "" }
        ));
    }
    s.push_str(")\n");
    s
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_go_mod("f", &data, Strictness::Strict);
        let _ = parse_go_mod("f", &data, Strictness::Lax);
        let _ = crate::modfile::parse_go_work("f", &data);
    }

    #[test]
    fn never_panics_on_go_mod_like_text(s in "(module|require|replace|retract|go|//|\\(|\\)|\\[|\\]|,|=>|\"|`|\\\\|v1\\.2|x\\.com/a|\n| |\t|\r|é){0,60}") {
        let _ = parse_go_mod("f", s.as_bytes(), Strictness::Strict);
        let _ = parse_go_mod("f", s.as_bytes(), Strictness::Lax);
    }

    #[test]
    fn printed_requires_round_trip(
        reqs in proptest::collection::vec(("[a-z]{1,8}\\.com/[a-u][a-z0-9_.~-]{0,9}", 0u32..30, 0u32..30, 0u32..30, any::<bool>()), 0..20)
    ) {
        let reqs: Vec<(String, String, bool)> =
            reqs.into_iter().map(|(p, a, b, c, i)| (p, format!("v{}.{b}.{c}", a % 2), i)).collect();
        let f = parse_go_mod("go.mod", print_requires(&reqs).as_bytes(), Strictness::Strict).unwrap();
        let got: Vec<(String, String, bool)> = f.require.into_iter().map(|r| (r.path, r.version, r.indirect)).collect();
        prop_assert_eq!(got, reqs);
    }
}
