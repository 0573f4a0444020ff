//! The C library's memory functions, written for the sizes Rust code asks
//! for: a few bytes to a few hundred, copied and compared by the million.
//!
//! rhelm's Linux release binary links musl statically. musl's `memcmp` is a
//! byte loop and its `memcpy` a `rep movsq` with byte loops around it,
//! which were 5% of a `template` run's samples, against 1.3% for glibc's
//! vector versions. glibc itself costs more at start-up than that: it
//! probes the CPU's caches with 43 `cpuid` instructions, each a trap to the
//! hypervisor on a virtual machine (5.5 µs here).
//!
//! Each function uses overlapping unaligned loads and stores instead of
//! byte loops, SSE2 (part of x86-64) for 16 bytes at a time, and the
//! `rep movsb` / `rep stosb` string instructions for large blocks, which
//! CPUs with "enhanced rep movsb" run at full width.
//!
//! The crate is `no_builtins`: LLVM would otherwise see a copy loop in
//! `memcpy` and compile it to a call to `memcpy`. The C names are exported
//! only where they replace musl's (`target_env = "musl"`); the functions
//! are tested under their own names everywhere.
#![no_std]
#![no_builtins]

#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "x86_64")]
pub use x86_64::{compare, copy, fill};

/// The C entry points. `memcpy` is `memmove`: telling the two apart saves
/// one comparison.
#[cfg(all(target_arch = "x86_64", target_env = "musl"))]
mod exports {
    use core::ffi::{c_int, c_void};

    #[no_mangle]
    unsafe extern "C" fn memcpy(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void {
        super::copy(dst.cast(), src.cast(), n);
        dst
    }

    #[no_mangle]
    unsafe extern "C" fn memmove(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void {
        super::copy(dst.cast(), src.cast(), n);
        dst
    }

    #[no_mangle]
    unsafe extern "C" fn memset(dst: *mut c_void, c: c_int, n: usize) -> *mut c_void {
        super::fill(dst.cast(), c as u8, n);
        dst
    }

    #[no_mangle]
    unsafe extern "C" fn memcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
        super::compare(a.cast(), b.cast(), n)
    }

    #[no_mangle]
    unsafe extern "C" fn bcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
        super::compare(a.cast(), b.cast(), n)
    }
}
