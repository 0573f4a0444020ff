//! A tar writer producing the bytes Go's archive/tar writes for Helm's
//! headers (regular files, mode 0644, no owner): USTAR when the name fits
//! (splitting long paths into prefix and name), PAX records otherwise, and
//! two zero blocks at the end with no padding to a 10 KiB record.

use std::io::{self, Write};

const BLOCK: usize = 512;

pub struct TarWriter<W: Write> {
    out: W,
}

impl<W: Write> TarWriter<W> {
    pub fn new(out: W) -> TarWriter<W> {
        TarWriter { out }
    }

    /// A regular file; `mtime` is whole seconds since the epoch.
    pub fn append(&mut self, name: &str, data: &[u8], mtime: i64) -> io::Result<()> {
        match ustar_split(name) {
            Some((prefix, short)) => self.header(short, prefix, data.len() as u64, mtime, b'0', true)?,
            None => {
                let records = pax_record("path", name);
                // Go writes the extended header with every number zero
                // but its size, and no device fields.
                self.header(&pax_header_name(name), "", records.len() as u64, 0, b'x', false)?;
                self.body(records.as_bytes())?;
                // The real header keeps what of the name USTAR can hold.
                self.header(&truncate_ascii(name, 100), "", data.len() as u64, mtime, b'0', true)?;
            }
        }
        self.body(data)
    }

    /// Ends the archive with two zero blocks.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&[0; 2 * BLOCK])?;
        Ok(self.out)
    }

    fn body(&mut self, data: &[u8]) -> io::Result<()> {
        self.out.write_all(data)?;
        let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
        self.out.write_all(&[0; BLOCK][..pad])
    }

    fn header(&mut self, name: &str, prefix: &str, size: u64, mtime: i64, typeflag: u8, file: bool) -> io::Result<()> {
        let mut h = [0u8; BLOCK];
        put(&mut h[0..100], name.as_bytes());
        octal(&mut h[100..108], if file { 0o644 } else { 0 });
        octal(&mut h[108..116], 0);
        octal(&mut h[116..124], 0);
        octal(&mut h[124..136], size);
        octal(&mut h[136..148], mtime.max(0) as u64);
        h[156] = typeflag;
        put(&mut h[257..263], b"ustar\0");
        put(&mut h[263..265], b"00");
        if file {
            octal(&mut h[329..337], 0);
            octal(&mut h[337..345], 0);
        }
        put(&mut h[345..500], prefix.as_bytes());
        // The checksum counts its own field as spaces; Go writes six digits,
        // a NUL, and leaves the last space.
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        octal(&mut h[148..155], sum);
        self.out.write_all(&h)
    }
}

fn put(field: &mut [u8], bytes: &[u8]) {
    let n = bytes.len().min(field.len());
    field[..n].copy_from_slice(&bytes[..n]);
}

/// Zero-padded octal filling the field but its last byte, which is NUL.
fn octal(field: &mut [u8], v: u64) {
    let digits = field.len() - 1;
    let text = format!("{v:0digits$o}");
    let start = text.len().saturating_sub(digits);
    field[..digits].copy_from_slice(&text.as_bytes()[start..]);
    field[digits] = 0;
}

/// Where a USTAR header can hold `name`: directly (100 bytes), or split at
/// a `/` into a prefix of up to 155 bytes and a name of up to 100.
/// Non-ASCII names need PAX, as Go decides.
fn ustar_split(name: &str) -> Option<(&str, &str)> {
    if !name.is_ascii() || name.bytes().any(|b| b == 0) {
        return None;
    }
    if name.len() <= 100 {
        return Some(("", name));
    }
    let len = name.len();
    // The split point: the last '/' leaving a prefix of at most 155 bytes.
    let mut i = len.min(156);
    while i > 0 {
        i -= 1;
        if name.as_bytes()[i] == b'/' {
            let (prefix, rest) = (&name[..i], &name[i + 1..]);
            if prefix.len() <= 155 && !rest.is_empty() && rest.len() <= 100 && !prefix.is_empty() {
                return Some((prefix, rest));
            }
            return None;
        }
    }
    None
}

/// `%d key=value\n`, the length counting itself.
fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut n = body.len() + 1;
    loop {
        let total = n.to_string().len() + body.len();
        if total == n {
            return format!("{n}{body}");
        }
        n = total;
    }
}

/// Go names a PAX header `dir/PaxHeaders.0/base`, cut to 100 bytes.
fn pax_header_name(name: &str) -> String {
    let (dir, base) = match name.rsplit_once('/') {
        Some((d, b)) => (d, b),
        None => (".", name),
    };
    let joined = if dir == "." { format!("PaxHeaders.0/{base}") } else { format!("{dir}/PaxHeaders.0/{base}") };
    truncate_ascii(&joined, 100).trim_end_matches('/').to_string()
}

/// The first `max` bytes, dropping non-ASCII as Go's USTAR fallback does.
fn truncate_ascii(s: &str, max: usize) -> String {
    s.chars().filter(char::is_ascii).take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_split_at_a_slash() {
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(30));
        assert_eq!(ustar_split(&long), Some((&long[..120], &long[121..])));
        assert_eq!(ustar_split("short"), Some(("", "short")));
        assert_eq!(ustar_split(&"x".repeat(101)), None);
        assert_eq!(ustar_split("é"), None);
    }

    #[test]
    fn pax_records_count_their_own_length() {
        assert_eq!(pax_record("path", "a"), "9 path=a\n");
        let r = pax_record("path", &"x".repeat(95));
        assert_eq!(r.len(), r.split(' ').next().unwrap().parse::<usize>().unwrap());
    }

    #[test]
    fn headers_are_blocks_with_a_valid_checksum() {
        let mut w = TarWriter::new(Vec::new());
        w.append("a/b.txt", b"hi", 1_700_000_000).unwrap();
        let out = w.finish().unwrap();
        assert_eq!(out.len(), 512 * 4);
        assert_eq!(&out[100..108], b"0000644\0");
        assert_eq!(&out[124..136], b"00000000002\0");
        assert_eq!(&out[156], &b'0');
        let mut h = out[..512].to_vec();
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        assert_eq!(&out[148..156], format!("{sum:06o}\0 ").as_bytes());
    }
}
