#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bartizan::robustness::pdf_writer(data));
