//! Checks goflate against gzip files written by a Go program (Helm): each
//! file is gunzipped, compressed again with goflate at the given level and
//! the same header, and compared byte for byte.
//!
//!     cargo run --release -p goflate --example regzip -- 6 /tmp/pkgs/*.tgz
//!
//! Prints one line per file and the offset of the first differing byte.

use std::io::Read;

/// The header of a gzip member (flags, mtime, OS, extra, name, comment).
fn parse_header(b: &[u8]) -> goflate::GzipHeader {
    assert_eq!(&b[..3], &[0x1f, 0x8b, 8], "not gzip");
    let flags = b[3];
    let mut h =
        goflate::GzipHeader { mtime: u32::from_le_bytes(b[4..8].try_into().unwrap()), os: b[9], ..Default::default() };
    let mut p = 10;
    if flags & 0x04 != 0 {
        let n = u16::from_le_bytes([b[p], b[p + 1]]) as usize;
        h.extra = Some(b[p + 2..p + 2 + n].to_vec());
        p += 2 + n;
    }
    let cstr = |p: &mut usize| {
        let end = *p + b[*p..].iter().position(|&c| c == 0).unwrap();
        let s: String = b[*p..end].iter().map(|&c| c as char).collect();
        *p = end + 1;
        s
    };
    if flags & 0x08 != 0 {
        h.name = cstr(&mut p);
    }
    if flags & 0x10 != 0 {
        h.comment = cstr(&mut p);
    }
    h
}

fn main() {
    let mut args = std::env::args().skip(1);
    let level: i32 = args.next().expect("usage: regzip LEVEL FILE...").parse().expect("level");
    let (mut same, mut differ) = (0, 0);
    for path in args {
        let gz = std::fs::read(&path).expect("read");
        let header = parse_header(&gz);
        let mut data = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut data).expect("gunzip");
        let ours = goflate::gzip(&data, level, &header).expect("gzip");
        if ours == gz {
            same += 1;
            println!("same   {path} ({} -> {} bytes)", data.len(), gz.len());
        } else {
            differ += 1;
            let at = ours.iter().zip(&gz).position(|(a, b)| a != b).unwrap_or(ours.len().min(gz.len()));
            println!(
                "DIFFER {path} ({} bytes in; go {} bytes, ours {}; first difference at byte {at})",
                data.len(),
                gz.len(),
                ours.len()
            );
        }
    }
    println!("{same} same, {differ} different");
    if differ > 0 {
        std::process::exit(1);
    }
}
