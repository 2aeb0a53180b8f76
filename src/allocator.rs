//! The allocator of the `bartizan` binary, the desktop app and the benchmarks: mimalloc, told
//! to keep the memory a run frees.

use std::ffi::{c_int, c_long};

pub use mimalloc::MiMalloc;

/// mimalloc hands freed memory back to the kernel 10 ms after it is freed, and a check of a
/// large model frees and takes memory again faster than that: the kernel then zeroes every
/// page taken back, which was a third of the CPU time on a 100,000-node model. A run of the
/// command line is short, so it keeps what it frees until it exits; the desktop app analyses
/// the model at every edit, so it keeps what its largest analysis took and reuses it.
pub fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc's `mimalloc.h` (the same number in its v2 and v3
    // headers; the Rust bindings' constants follow v2's older list); -1 never purges.
    const MI_OPTION_PURGE_DELAY: c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: c_int, value: c_long);
    }
    // SAFETY: mimalloc is linked (this crate's allocator), and setting an option is safe at
    // any time; an option number it does not know is ignored.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}
