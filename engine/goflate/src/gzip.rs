//! Go's `compress/gzip` writer: the RFC 1952 header Go writes, the deflate
//! body, and the CRC-32/size trailer.

use std::io::{self, Write};

use crate::deflate::{Compressor, UnsupportedLevel, BEST_COMPRESSION, BEST_SPEED};

/// The gzip header fields Go's `gzip.Header` carries.
///
/// `Default` is what `gzip.NewWriter` starts with: no extra, name or
/// comment, no modification time, OS 255 ("unknown").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GzipHeader {
    /// FEXTRA payload, written after its 2-byte length. `Some(vec![])` still
    /// sets the flag, as a non-nil empty slice does in Go.
    pub extra: Option<Vec<u8>>,
    /// FNAME; empty means absent. Latin-1 only (U+0001..U+00FF).
    pub name: String,
    /// FCOMMENT; empty means absent. Latin-1 only (U+0001..U+00FF).
    pub comment: String,
    /// MTIME in Unix seconds; 0 means unset.
    pub mtime: u32,
    /// OS byte.
    pub os: u8,
}

impl Default for GzipHeader {
    fn default() -> Self {
        GzipHeader { extra: None, name: String::new(), comment: String::new(), mtime: 0, os: 255 }
    }
}

impl GzipHeader {
    /// The header bytes Go writes for this header at `level`.
    fn encode(&self, level: i32) -> io::Result<Vec<u8>> {
        let mut b = vec![0x1f, 0x8b, 8, 0];
        if self.extra.is_some() {
            b[3] |= 0x04;
        }
        if !self.name.is_empty() {
            b[3] |= 0x08;
        }
        if !self.comment.is_empty() {
            b[3] |= 0x10;
        }
        b.extend_from_slice(&self.mtime.to_le_bytes());
        // XFL: Go marks only its best and fastest levels.
        b.push(match level {
            BEST_COMPRESSION => 2,
            BEST_SPEED => 4,
            _ => 0,
        });
        b.push(self.os);
        if let Some(extra) = &self.extra {
            if extra.len() > 0xffff {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, "gzip.Write: Extra data is too large"));
            }
            b.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            b.extend_from_slice(extra);
        }
        for s in [&self.name, &self.comment] {
            if s.is_empty() {
                continue;
            }
            for c in s.chars() {
                if c == '\0' || c as u32 > 0xff {
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, "gzip.Write: non-Latin-1 header string"));
                }
                b.push(c as u32 as u8);
            }
            b.push(0);
        }
        Ok(b)
    }
}

/// Compresses `data` into a gzip member exactly as Go's
/// `gzip.NewWriterLevel(w, level)` with header `header`, one `Write` and
/// `Close` would.
pub fn gzip(data: &[u8], level: i32, header: &GzipHeader) -> io::Result<Vec<u8>> {
    let mut w = GzipWriter::new(Vec::new(), level, header)?;
    w.write_all(data)?;
    w.finish()
}

/// A streaming gzip writer with Go's exact output. Call `finish` at the end
/// (dropping it without `finish` leaves the stream unterminated).
pub struct GzipWriter<W: Write> {
    inner: Option<W>,
    c: Compressor,
    crc: Crc32,
    size: u32,
}

impl<W: Write> GzipWriter<W> {
    /// Writes the header at once; Go writes it on the first `Write` or at
    /// `Close`, which gives the same bytes.
    pub fn new(mut inner: W, level: i32, header: &GzipHeader) -> io::Result<GzipWriter<W>> {
        let c = Compressor::new(level).map_err(|e: UnsupportedLevel| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        inner.write_all(&header.encode(level)?)?;
        Ok(GzipWriter { inner: Some(inner), c, crc: Crc32::new(), size: 0 })
    }

    fn drain(&mut self) -> io::Result<()> {
        if !self.c.output().is_empty() {
            self.inner.as_mut().expect("not finished").write_all(self.c.output())?;
            self.c.clear_output();
        }
        Ok(())
    }

    /// Ends the stream (final block and trailer) and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.c.close();
        self.drain()?;
        let mut inner = self.inner.take().expect("not finished");
        let mut trailer = [0u8; 8];
        trailer[..4].copy_from_slice(&self.crc.sum().to_le_bytes());
        trailer[4..].copy_from_slice(&self.size.to_le_bytes());
        inner.write_all(&trailer)?;
        Ok(inner)
    }
}

impl<W: Write> Write for GzipWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.size = self.size.wrapping_add(buf.len() as u32);
        self.crc.update(buf);
        self.c.write(buf);
        self.drain()?;
        Ok(buf.len())
    }

    /// Only flushes the inner writer. A deflate sync flush would change the
    /// output, and Helm never flushes; use `sync_flush` for Go's `Flush`.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.as_mut().expect("not finished").flush()
    }
}

impl<W: Write> GzipWriter<W> {
    /// Go's `gzip.Writer.Flush`: a deflate sync flush, then flushes the inner writer.
    pub fn sync_flush(&mut self) -> io::Result<()> {
        self.c.flush();
        self.drain()?;
        self.inner.as_mut().expect("not finished").flush()
    }
}

/// CRC-32 (IEEE), the gzip trailer checksum.
struct Crc32 {
    crc: u32,
}

static CRC_TABLE: [[u32; 256]; 8] = {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    // Slicing-by-8 tables: t[k][i] is the CRC of byte i followed by k zeros.
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            i += 1;
        }
        k += 1;
    }
    t
};

impl Crc32 {
    fn new() -> Crc32 {
        Crc32 { crc: !0 }
    }

    fn update(&mut self, mut b: &[u8]) {
        let t = &CRC_TABLE;
        let mut c = self.crc;
        while b.len() >= 8 {
            let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            c = t[7][(lo & 0xff) as usize]
                ^ t[6][((lo >> 8) & 0xff) as usize]
                ^ t[5][((lo >> 16) & 0xff) as usize]
                ^ t[4][(lo >> 24) as usize]
                ^ t[3][b[4] as usize]
                ^ t[2][b[5] as usize]
                ^ t[1][b[6] as usize]
                ^ t[0][b[7] as usize];
            b = &b[8..];
        }
        for &x in b {
            c = t[0][((c ^ x as u32) & 0xff) as usize] ^ (c >> 8);
        }
        self.crc = c;
    }

    fn sum(&self) -> u32 {
        !self.crc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        let mut c = Crc32::new();
        c.update(b"123456789");
        assert_eq!(c.sum(), 0xcbf4_3926);
        let mut c = Crc32::new();
        c.update(b"1234");
        c.update(b"56789");
        assert_eq!(c.sum(), 0xcbf4_3926);
    }
}
