//! Compression time of goflate against flate2 (zlib-rs/miniz) at the levels
//! rhelm uses, on the files given (release JSON, package tars, ...):
//!
//!     cargo run --release -p goflate --example speed -- FILE...

use std::io::Write;
use std::time::{Duration, Instant};

/// Best of several runs, in milliseconds.
fn time(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = Duration::MAX;
    let mut size = 0;
    let start = Instant::now();
    let mut runs = 0;
    while runs < 3 || (start.elapsed() < Duration::from_secs(1) && runs < 50) {
        let t = Instant::now();
        size = f();
        best = best.min(t.elapsed());
        runs += 1;
    }
    (best.as_secs_f64() * 1000.0, size)
}

fn main() {
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).expect("read");
        println!("{path}: {} bytes", data.len());
        for (go_level, z_level) in [(goflate::DEFAULT_COMPRESSION, 6), (goflate::BEST_COMPRESSION, 9)] {
            let (g_ms, g_size) =
                time(|| goflate::gzip(&data, go_level, &goflate::GzipHeader::default()).unwrap().len());
            let (z_ms, z_size) = time(|| {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(z_level));
                e.write_all(&data).unwrap();
                e.finish().unwrap().len()
            });
            println!(
                "  level {z_level}: goflate {g_ms:8.2} ms {g_size:8} bytes | flate2 {z_ms:8.2} ms {z_size:8} bytes | x{:.2}",
                g_ms / z_ms
            );
        }
    }
}
