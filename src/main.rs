fn main() -> std::process::ExitCode {
    modscope::cli::main()
}
