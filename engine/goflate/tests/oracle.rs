//! goflate against gzip streams written by the real Helm 4.3.1 (go1.27.2):
//! each fixture is gunzipped and must compress back to the same bytes.
//! testdata/goflate/README.md says how the fixtures were made.

use std::io::Read;
use std::path::PathBuf;

fn fixtures(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/goflate").join(sub)
}

fn gunzip(gz: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).read_to_end(&mut out).unwrap();
    out
}

/// Standard base64, as Go's `base64.StdEncoding` (padded).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    } as u32;
    let mut out = Vec::new();
    for q in s.trim_end().as_bytes().chunks(4) {
        let pad = q.iter().filter(|&&c| c == b'=').count();
        let n = q[..4 - pad].iter().fold(0u32, |acc, &c| acc << 6 | val(c)) << (6 * pad);
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    out
}

fn base64_encode(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The header fields of a gzip stream Helm wrote.
fn header_of(gz: &[u8]) -> goflate::GzipHeader {
    let flags = gz[3];
    let mut h = goflate::GzipHeader {
        mtime: u32::from_le_bytes(gz[4..8].try_into().unwrap()),
        os: gz[9],
        ..Default::default()
    };
    let mut p = 10;
    if flags & 0x04 != 0 {
        let n = u16::from_le_bytes([gz[p], gz[p + 1]]) as usize;
        h.extra = Some(gz[p + 2..p + 2 + n].to_vec());
        p += 2 + n;
    }
    assert_eq!(flags & 0x08, 0, "helm writes no file name");
    if flags & 0x10 != 0 {
        let end = p + gz[p..].iter().position(|&c| c == 0).unwrap();
        h.comment = gz[p..end].iter().map(|&c| c as char).collect();
    }
    h
}

#[test]
fn helm_packages_level_6() {
    let mut n = 0;
    for entry in std::fs::read_dir(fixtures("package")).unwrap() {
        let path = entry.unwrap().path();
        let gz = std::fs::read(&path).unwrap();
        let header = header_of(&gz);
        assert_eq!(header.comment, "Helm");
        let tar = gunzip(&gz);
        let ours = goflate::gzip(&tar, goflate::DEFAULT_COMPRESSION, &header).unwrap();
        assert!(ours == gz, "{}: goflate's gzip differs from helm's", path.display());
        // The level Helm asks for is -1; 6 is the same thing.
        assert_eq!(goflate::gzip(&tar, 6, &header).unwrap(), gz);
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn helm_package_is_chunking_independent() {
    use std::io::Write;
    let gz = std::fs::read(fixtures("package/pkg-multiblock-0.1.0.tgz")).unwrap();
    let header = header_of(&gz);
    let tar = gunzip(&gz);
    // As rhelm's tar writer and Go's archive/tar both write: 512-byte headers
    // and file contents as separate writes.
    for chunk in [1, 512, 4096, 65535, 65536, 100_000] {
        let mut w = goflate::GzipWriter::new(Vec::new(), goflate::DEFAULT_COMPRESSION, &header).unwrap();
        for c in tar.chunks(chunk) {
            w.write_all(c).unwrap();
        }
        assert!(w.finish().unwrap() == gz, "chunks of {chunk}");
    }
}

#[test]
fn helm_release_record_level_9() {
    let payload = std::fs::read_to_string(fixtures("release/hello.payload")).unwrap();
    let json = std::fs::read(fixtures("release/hello.json")).unwrap();
    let gz = goflate::gzip(&json, goflate::BEST_COMPRESSION, &goflate::GzipHeader::default()).unwrap();
    assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
    assert_eq!(base64_encode(&gz), payload);
}

#[test]
fn helm_large_release_record_level_9() {
    let payload = std::fs::read_to_string(fixtures("release/rel-large.payload")).unwrap();
    let gz = base64_decode(&payload);
    assert_eq!(base64_encode(&gz), payload);
    let json = gunzip(&gz);
    assert!(json.len() > 64 << 10, "the fixture must exceed the 64 KiB window");
    let ours = goflate::gzip(&json, goflate::BEST_COMPRESSION, &goflate::GzipHeader::default()).unwrap();
    assert!(ours == gz, "goflate's level 9 gzip differs from helm's release record");
    assert_eq!(base64_encode(&ours), payload);
}
