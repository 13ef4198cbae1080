//! The `newsgraph` command line: a thin layer over the library.

mod cli;

/// jemalloc instead of the system allocator: the analysis allocates on
/// every core and the graph builder frees on another, which jemalloc's
/// per-thread caches handle with less work (BENCHMARKS.md: 8 to 15 % less
/// wall time on the 1000 MB corpus, peak memory within a few per cent).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
