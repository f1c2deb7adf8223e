#[global_allocator]
static ALLOC: hybridready::hugepages::HugePageAlloc = hybridready::hugepages::HugePageAlloc;

fn main() -> std::process::ExitCode {
    hybridready::cli::main()
}
