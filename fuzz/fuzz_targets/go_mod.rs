#![no_main]
//! go.mod in both modes: never panics; a file that parses strictly also parses laxly, its
//! `go mod edit -json` rendering and `go mod edit -fmt` formatting do not panic, and the model
//! printer's text parses back to the same model.
use libfuzzer_sys::fuzz_target;
use gomodcache::modfile::go_mod::{GoMod, Strictness, parse_go_mod};
use gomodcache::modfile::edit_json::to_go_mod_edit_json;
use gomodcache::modfile::{format_go_mod, print_go_mod};

/// The model without positions (the printed file has its own line numbers).
fn without_lines(mut m: GoMod) -> GoMod {
    if let Some(d) = &mut m.module {
        d.line = 0;
    }
    m.require.iter_mut().for_each(|r| r.line = 0);
    m.replace.iter_mut().for_each(|r| r.line = 0);
    m
}

fuzz_target!(|data: &[u8]| {
    let strict = parse_go_mod("go.mod", data, Strictness::Strict);
    let lax = parse_go_mod("go.mod", data, Strictness::Lax);
    if let Ok(f) = &strict {
        let _ = to_go_mod_edit_json(f);
        assert!(lax.is_ok(), "strict accepted what lax refused");
        assert!(
            format_go_mod("go.mod", data).is_ok(),
            "a valid go.mod formats"
        );
        let text = print_go_mod(f);
        let back = parse_go_mod("go.mod", text.as_bytes(), Strictness::Strict)
            .unwrap_or_else(|e| panic!("printed go.mod does not parse: {e}\n{text}"));
        assert_eq!(without_lines(back), without_lines(f.clone()), "{text}");
    }
    if let Err(e) = strict {
        assert!(e.line >= 1 && e.column >= 1, "positions are 1-based: {e}");
    }
});
