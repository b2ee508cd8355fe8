#![no_main]
//! go.mod in both modes: never panics; a file that parses strictly also parses laxly, and its
//! `go mod edit -json` rendering does not panic either.
use libfuzzer_sys::fuzz_target;
use modscope::core::files::go_mod::{Strictness, parse_go_mod, to_go_mod_edit_json};

fuzz_target!(|data: &[u8]| {
    let strict = parse_go_mod("go.mod", data, Strictness::Strict);
    let lax = parse_go_mod("go.mod", data, Strictness::Lax);
    if let Ok(f) = &strict {
        let _ = to_go_mod_edit_json(f);
        assert!(lax.is_ok(), "strict accepted what lax refused");
    }
    if let Err(e) = strict {
        assert!(e.line >= 1 && e.column >= 1, "positions are 1-based: {e}");
    }
});
