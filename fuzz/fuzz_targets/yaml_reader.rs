#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bartizan::robustness::yaml_reader(data));
