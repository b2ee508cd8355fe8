#![no_main]
use libfuzzer_sys::fuzz_target;
use modscope::core::files::vendor::parse_modules_txt;

fuzz_target!(|data: &[u8]| {
    let txt = parse_modules_txt("modules.txt", data);
    for m in &txt.modules {
        assert!(!m.path.is_empty());
    }
});
