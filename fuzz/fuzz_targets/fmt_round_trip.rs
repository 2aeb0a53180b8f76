#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bartizan::robustness::fmt_round_trip(data));
