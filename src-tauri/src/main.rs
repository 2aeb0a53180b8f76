// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The engine's allocator, as in the `bartizan` binary: every edit runs an analysis, and the
// system allocator hands the memory of each back to the kernel, which zeroes it again for the
// next (src/allocator.rs).
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

fn main() {
    bartizan::allocator::keep_freed_memory();
    bartizan_desktop::run();
}
