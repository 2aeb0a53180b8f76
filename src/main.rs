#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

fn main() -> std::process::ExitCode {
    bartizan::allocator::keep_freed_memory();
    bartizan::cli::main()
}
