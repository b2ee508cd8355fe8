#![no_main]
//! go.sum never fails; every kept line is three fields and lookups agree with the line list.
use libfuzzer_sys::fuzz_target;
use modscope::core::files::go_sum::parse_go_sum;

fuzz_target!(|data: &[u8]| {
    let sum = parse_go_sum("go.sum", data);
    for line in &sum.lines {
        if line.hash.starts_with("h1:") {
            let first = if line.go_mod { sum.go_mod_hash(&line.path, &line.version) } else { sum.zip_hash(&line.path, &line.version) };
            let first = first.expect("an h1 line is found by lookup");
            assert!(first.line <= line.line, "the first line wins");
        }
    }
});
