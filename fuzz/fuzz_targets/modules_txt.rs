#![no_main]
//! vendor/modules.txt never fails; every module has a path, and the printed model parses back
//! to the same modules.
use libfuzzer_sys::fuzz_target;
use gomodcache::modfile::print_modules_txt;
use gomodcache::modfile::vendor::{ModulesTxt, parse_modules_txt};

fn without_lines(mut t: ModulesTxt) -> ModulesTxt {
    t.modules.iter_mut().for_each(|m| m.line = 0);
    t.problems.clear();
    t
}

fuzz_target!(|data: &[u8]| {
    let txt = parse_modules_txt("modules.txt", data);
    for m in &txt.modules {
        assert!(!m.path.is_empty());
    }
    let text = print_modules_txt(&txt);
    let back = parse_modules_txt("modules.txt", text.as_bytes());
    assert_eq!(without_lines(back), without_lines(txt), "{text}");
});
