//! The `proctl` binary: everything happens in the library.

fn main() -> std::process::ExitCode {
    proctl::main_with_args(std::env::args_os().collect())
}
