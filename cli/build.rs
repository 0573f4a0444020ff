//! Link settings for the `rhelm` executable.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    // A position-dependent executable: the dynamic loader then has no
    // relocations to apply to the binary's 700 KiB of relocated read-only
    // data, which took a fifth of the run time of a small `template` (0.8M
    // instructions and 160 page faults). Helm's Go binary is linked the
    // same way. The code is still compiled position-independent, which a
    // fixed-address executable links as well.
    if target.contains("linux") && target.contains("gnu") {
        println!("cargo:rustc-link-arg-bin=rhelm=-no-pie");
        let order = concat!(env!("CARGO_MANIFEST_DIR"), "/symbol-order.txt");
        println!("cargo:rustc-link-arg-bin=rhelm=-Wl,--symbol-ordering-file={order}");
        println!("cargo:rustc-link-arg-bin=rhelm=-Wl,--no-warn-symbol-ordering");
        println!("cargo:rerun-if-changed=symbol-order.txt");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
