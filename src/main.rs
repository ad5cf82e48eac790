//! The `proctl` binary: everything happens in the library.
//!
//! It starts at the C `main` (`no_main`): see `proctl::startup` for why and
//! for what is done in place of Rust's runtime start-up.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    proctl::startup::prepare();
    let exit = proctl::main_with_args(std::env::args_os().collect());
    // Flushes stdout, as returning from Rust's `main` would.
    std::process::exit(exit.code().into())
}
