//! Every ported level must produce a stream any inflater reads back, for
//! inputs exercising each block kind (stored, literal-only, fixed, dynamic,
//! reused tables) and the window and history sliding.

use std::io::{Read, Write};

const LEVELS: [i32; 6] = [goflate::HUFFMAN_ONLY, goflate::NO_COMPRESSION, goflate::DEFAULT_COMPRESSION, 7, 8, 9];

/// A deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 56) as u8).collect()
    }
}

fn text(n: usize) -> Vec<u8> {
    let words = ["apiVersion", "kind:", "metadata", "name", "labels", "app.kubernetes.io/name", "{{", "}}", "\n", "  "];
    let mut rng = Rng(7);
    let mut out = Vec::new();
    while out.len() < n {
        out.extend_from_slice(words[(rng.next() % words.len() as u64) as usize].as_bytes());
        out.push(b' ');
    }
    out.truncate(n);
    out
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut mixed = Vec::new();
    for i in 0..40 {
        match i % 4 {
            0 => mixed.extend(text(30_000 + i * 1000)),
            1 => mixed.extend(rng.bytes(20_000)),
            2 => mixed.extend(vec![b'z'; 50_000]),
            _ => mixed.extend(text(5_000).iter().rev()),
        }
    }
    vec![
        ("empty", vec![]),
        ("one byte", vec![b'x']),
        ("three bytes", b"abc".to_vec()),
        ("small", b"hello hello hello hello".to_vec()),
        ("32 bytes", text(32)),
        ("33 bytes", text(33)),
        ("127 bytes", text(127)),
        ("128 bytes", text(128)),
        ("repetitive", b"abcabcabd".repeat(200_000)),
        ("zeros", vec![0; 300_000]),
        ("random", rng.bytes(200_000)),
        ("text", text(500_000)),
        ("window edges", text(65535 * 3 + 1)),
        ("over 1 MiB mixed", mixed),
    ]
}

fn inflate(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(raw).read_to_end(&mut out).unwrap();
    out
}

#[test]
fn deflate_round_trips() {
    for (name, data) in inputs() {
        for level in LEVELS {
            let raw = goflate::deflate(&data, level).unwrap();
            assert!(inflate(&raw) == data, "{name} at level {level}");
            let lz77 = level != goflate::NO_COMPRESSION && level != goflate::HUFFMAN_ONLY;
            if lz77 && data.len() > 100_000 && name != "random" {
                assert!(raw.len() < data.len() / 2, "{name} at level {level} hardly compresses: {}", raw.len());
            }
        }
    }
}

#[test]
fn gzip_round_trips_with_header() {
    let header = goflate::GzipHeader {
        extra: Some(b"rr\x03\x00abc".to_vec()),
        name: "f.txt".into(),
        comment: "Helm".into(),
        mtime: 1_700_000_000,
        os: 255,
    };
    for (name, data) in inputs() {
        for level in [goflate::DEFAULT_COMPRESSION, goflate::BEST_COMPRESSION] {
            let gz = goflate::gzip(&data, level, &header).unwrap();
            let mut d = flate2::read::GzDecoder::new(&gz[..]);
            let mut out = Vec::new();
            d.read_to_end(&mut out).unwrap();
            assert!(out == data, "{name} at level {level}");
            let h = d.header().unwrap();
            assert_eq!(h.extra(), Some(&b"rr\x03\x00abc"[..]));
            assert_eq!(h.filename(), Some(&b"f.txt"[..]));
            assert_eq!(h.comment(), Some(&b"Helm"[..]));
            assert_eq!(h.mtime(), 1_700_000_000);
            assert_eq!(gz[8], if level == 9 { 2 } else { 0 });
        }
    }
}

#[test]
fn output_does_not_depend_on_write_chunks() {
    // Text, random bytes and a long run, over several windows.
    let (_, mut data) = inputs().pop().unwrap();
    data.truncate(400_000);
    for level in LEVELS {
        let whole = goflate::deflate(&data, level).unwrap();
        for chunk in [1usize, 7, 512, 65535, 65536, 70_000] {
            let mut c = goflate::Compressor::new(level).unwrap();
            for part in data.chunks(chunk) {
                c.write(part);
            }
            c.close();
            assert!(c.take_output() == whole, "level {level}, chunks of {chunk}");
        }
    }
}

#[test]
fn flushes_decode() {
    let data = text(300_000);
    for level in LEVELS {
        let mut c = goflate::Compressor::new(level).unwrap();
        for part in data.chunks(40_000) {
            c.write(part);
            c.flush();
            // A sync flush ends on a byte boundary with an empty stored block.
            assert!(c.output().ends_with(&[0, 0, 0xff, 0xff]));
        }
        c.close();
        assert!(inflate(&c.take_output()) == data, "level {level}");
    }
}

#[test]
fn gzip_writer_sync_flush() {
    let mut w = goflate::GzipWriter::new(Vec::new(), 9, &goflate::GzipHeader::default()).unwrap();
    w.write_all(b"first ").unwrap();
    w.sync_flush().unwrap();
    w.write_all(b"second").unwrap();
    let gz = w.finish().unwrap();
    let mut out = String::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut out).unwrap();
    assert_eq!(out, "first second");
}

#[test]
fn unported_levels_are_refused() {
    for level in [1, 2, 3, 4, 5, 10, -3] {
        assert!(goflate::Compressor::new(level).is_err(), "level {level}");
    }
    assert!(goflate::gzip(b"x", 3, &goflate::GzipHeader::default()).is_err());
}

#[test]
fn empty_input_is_one_empty_final_block() {
    // Close writes an empty fixed-code final block: 3 header bits and a 7-bit EOB.
    for level in LEVELS {
        assert_eq!(goflate::deflate(b"", level).unwrap(), vec![0x03, 0x00], "level {level}");
    }
}

#[test]
fn non_latin1_header_strings_are_refused() {
    let header = goflate::GzipHeader { comment: "ħ".into(), ..Default::default() };
    assert!(goflate::gzip(b"x", 9, &header).is_err());
    let header = goflate::GzipHeader { name: "é".into(), ..Default::default() };
    let gz = goflate::gzip(b"x", 9, &header).unwrap();
    assert_eq!(&gz[10..12], &[0xe9, 0]);
}
