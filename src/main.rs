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
    // A panic cannot unwind out of this C function (that aborts with
    // SIGABRT): it is caught here and ends with Rust's usual status, 101,
    // its message already printed by the panic hook.
    let code = std::panic::catch_unwind(|| {
        proctl::main_with_args(std::env::args_os().collect())
            .code()
            .into()
    })
    .unwrap_or(101);
    // Flushes stdout, as returning from Rust's `main` would.
    std::process::exit(code)
}

// The unwinder is linked in from libgcc_eh.a (GCC's `-static-libgcc`)
// instead of loading libgcc_s.so.1, whose start-up runs CPUID repeatedly:
// each one traps to the hypervisor on a virtual machine, and together they
// cost `proctl spawn` about 0.1 ms per start. Listed here, before std's
// `-lgcc_s`, the archive provides the unwinder and the linker (--as-needed)
// drops libgcc_s.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[link(name = "gcc_eh", kind = "static", modifiers = "-bundle")]
unsafe extern "C" {}
