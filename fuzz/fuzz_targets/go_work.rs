#![no_main]
use libfuzzer_sys::fuzz_target;
use modscope::core::files::go_work::{parse_go_work, to_go_work_edit_json};

fuzz_target!(|data: &[u8]| {
    if let Ok(w) = parse_go_work("go.work", data) {
        let _ = to_go_work_edit_json(&w);
    }
});
