#![no_main]
//! go.work: never panics; a valid file renders as `go work edit -json`, formats as
//! `go work edit -fmt`, and the model printer's text parses back to the same model.
use libfuzzer_sys::fuzz_target;
use gomodcache::modfile::go_work::{GoWork, parse_go_work};
use gomodcache::modfile::edit_json::to_go_work_edit_json;
use gomodcache::modfile::{format_go_work, print_go_work};

fn without_lines(mut w: GoWork) -> GoWork {
    w.use_dirs.iter_mut().for_each(|u| u.line = 0);
    w.replace.iter_mut().for_each(|r| r.line = 0);
    w
}

fuzz_target!(|data: &[u8]| {
    if let Ok(w) = parse_go_work("go.work", data) {
        let _ = to_go_work_edit_json(&w);
        assert!(
            format_go_work("go.work", data).is_ok(),
            "a valid go.work formats"
        );
        let text = print_go_work(&w);
        let back = parse_go_work("go.work", text.as_bytes())
            .unwrap_or_else(|e| panic!("printed go.work does not parse: {e}\n{text}"));
        assert_eq!(without_lines(back), without_lines(w), "{text}");
    }
});
