//! Link settings for the `rhelm` executable.

use std::path::PathBuf;

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    // A position-dependent executable: the dynamic loader then has no
    // relocations to apply to the binary's 700 KiB of relocated read-only
    // data, which took a fifth of the run time of a small `template` (0.8M
    // instructions and 160 page faults). Helm's Go binary is linked the
    // same way. The code is still compiled position-independent, which a
    // fixed-address executable links as well.
    if target.contains("linux") {
        println!("cargo:rustc-link-arg-bin=rhelm=-no-pie");
    }
    // The hot functions first, in the order a run calls them (written by
    // scripts/gen-symbol-order), so a run faults in fewer pages of code.
    // That is an LLD option: Rust links x86_64 glibc binaries with its own
    // LLD already; for musl, gcc is pointed at the same LLD, when the
    // toolchain has it.
    let lld = if target == "x86_64-unknown-linux-gnu" {
        true
    } else if target.contains("linux-musl") {
        match rust_lld_dir() {
            Some(dir) => {
                println!("cargo:rustc-link-arg-bin=rhelm=-B{}", dir.display());
                println!("cargo:rustc-link-arg-bin=rhelm=-fuse-ld=lld");
                true
            }
            None => false,
        }
    } else {
        false
    };
    if lld {
        let order = concat!(env!("CARGO_MANIFEST_DIR"), "/symbol-order.txt");
        println!("cargo:rustc-link-arg-bin=rhelm=-Wl,--symbol-ordering-file={order}");
        println!("cargo:rustc-link-arg-bin=rhelm=-Wl,--no-warn-symbol-ordering");
        println!("cargo:rerun-if-changed=symbol-order.txt");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// The directory of the toolchain's `ld.lld` wrapper for gcc's `-fuse-ld`
/// (`<sysroot>/lib/rustlib/<host>/bin/gcc-ld`), which runs its rust-lld.
fn rust_lld_dir() -> Option<PathBuf> {
    let rustc = std::env::var("RUSTC").ok()?;
    let host = std::env::var("HOST").ok()?;
    let out = std::process::Command::new(rustc).args(["--print", "sysroot"]).output().ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let dir = PathBuf::from(sysroot.trim()).join("lib/rustlib").join(host).join("bin/gcc-ld");
    dir.join("ld.lld").is_file().then_some(dir)
}
