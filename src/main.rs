fn main() -> std::process::ExitCode {
    hybridready::cli::main()
}
