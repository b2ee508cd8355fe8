#![no_main]
//! go.sum never fails; every kept line is three fields, lookups agree with the line list, and
//! the printed lines parse back to the same lines.
use libfuzzer_sys::fuzz_target;
use gomodcache::modfile::go_sum::parse_go_sum;
use gomodcache::modfile::print_go_sum;

fuzz_target!(|data: &[u8]| {
    let sum = parse_go_sum("go.sum", data);
    for line in &sum.lines {
        if line.hash.starts_with("h1:") {
            let first = if line.go_mod {
                sum.go_mod_hash(&line.path, &line.version)
            } else {
                sum.zip_hash(&line.path, &line.version)
            };
            let first = first.expect("an h1 line is found by lookup");
            assert!(first.line <= line.line, "the first line wins");
        }
    }
    let text = print_go_sum(&sum.lines);
    let back = parse_go_sum("go.sum", text.as_bytes());
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.lines.len(), sum.lines.len());
    for (i, (a, b)) in back.lines.iter().zip(&sum.lines).enumerate() {
        assert_eq!(a.line, i + 1);
        assert_eq!(
            (&a.path, &a.version, a.go_mod, &a.hash),
            (&b.path, &b.version, b.go_mod, &b.hash)
        );
    }
});
