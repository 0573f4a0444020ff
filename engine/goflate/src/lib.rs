//! A port of Go's `compress/flate` compressor and `compress/gzip` writer as
//! of go1.27, producing the same bytes.
//!
//! Why: Helm 4.3.1 (built with go1.27.2) gzips chart packages at the default
//! level and release records at `BestCompression`. Deflate has many valid
//! encodings of the same data, and zlib (flate2) picks different ones, so
//! with flate2 rhelm's `.tgz` files had other sha256 digests than Helm's
//! (repository index digests, provenance files, OCI layers) and its release
//! Secrets other payload strings. With this crate they are byte-identical.
//!
//! Go 1.26 replaced the old compressor with Klaus Post's: levels 1-6 use
//! table-driven block encoders (`fast`), levels 7-9 hash chains with lazy
//! matching (`lazy`), and both feed a block writer (`bitwriter`) that picks
//! stored, fixed or dynamic Huffman coding per block and can keep a dynamic
//! table open across blocks. Ported levels: -2 (Huffman only), 0, -1/6, and
//! 7-9. Levels 1-5 are not ported (nothing here needs them) and are
//! rejected with [`UnsupportedLevel`].
//!
//! Only compression lives here; decompressing is any inflater's job.
//!
//! ```
//! let gz = goflate::gzip(b"hello, hello, hello", goflate::BEST_COMPRESSION, &goflate::GzipHeader::default()).unwrap();
//! assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
//! ```

mod bitwriter;
mod deflate;
mod fast;
mod gzip;
mod huffman;
mod lazy;
mod token;

pub use deflate::{
    Compressor, UnsupportedLevel, BEST_COMPRESSION, BEST_SPEED, DEFAULT_COMPRESSION, HUFFMAN_ONLY, NO_COMPRESSION,
};
pub use gzip::{gzip, GzipHeader, GzipWriter};

/// Raw deflate (RFC 1951) of `data` as Go's `flate.NewWriter(w, level)`,
/// one `Write` and `Close` produce it.
pub fn deflate(data: &[u8], level: i32) -> Result<Vec<u8>, UnsupportedLevel> {
    let mut c = Compressor::new(level)?;
    c.write(data);
    c.close();
    Ok(c.take_output())
}
