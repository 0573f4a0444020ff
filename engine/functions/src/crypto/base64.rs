//! Go's `base64.StdEncoding`: padded, lenient about trailing bits, and
//! skipping `\r` and `\n` anywhere in the input. Errors carry Go's byte
//! offsets (`illegal base64 data at input byte N`) because templates print
//! them.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let v = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `CorruptInputError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CorruptInput(pub usize);

impl std::fmt::Display for CorruptInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "illegal base64 data at input byte {}", self.0)
    }
}

fn decode_char(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn skip_newlines(src: &[u8], mut si: usize) -> usize {
    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
        si += 1;
    }
    si
}

/// `StdEncoding.DecodeString`. On error Go also returns the bytes decoded so
/// far, which no caller here uses.
pub(crate) fn decode(src: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    // One quantum (up to four symbols) per iteration, as Go's decodeQuantum.
    loop {
        let mut buf = [0u8; 4];
        let mut len = 4;
        let mut j = 0;
        let mut trailing: Option<CorruptInput> = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // A partial quantum needs padding in StdEncoding.
                return Err(CorruptInput(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = decode_char(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(CorruptInput(si - 1));
            }
            // Padding: only after two or three symbols.
            match j {
                0 | 1 => return Err(CorruptInput(si - 1)),
                2 => {
                    si = skip_newlines(src, si);
                    if si == src.len() {
                        return Err(CorruptInput(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(CorruptInput(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            si = skip_newlines(src, si);
            if si < src.len() {
                trailing = Some(CorruptInput(si));
            }
            len = j;
            break;
        }
        let v = u32::from(buf[0]) << 18 | u32::from(buf[1]) << 12 | u32::from(buf[2]) << 6 | u32::from(buf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if let Some(e) = trailing {
            return Err(e);
        }
        if len < 4 {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for n in 0..10 {
            let data: Vec<u8> = (0..n).map(|i: u8| i.wrapping_mul(37)).collect();
            assert_eq!(decode(encode(&data).as_bytes()).unwrap(), data);
        }
        assert_eq!(encode(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn go_error_offsets() {
        assert_eq!(decode(b"abc"), Err(CorruptInput(0)));
        assert_eq!(decode(&[b'A'; 94]), Err(CorruptInput(92)));
        assert_eq!(decode(b"YQ="), Err(CorruptInput(3)));
        assert_eq!(decode(b"YQ==YQ=="), Err(CorruptInput(4)));
        assert_eq!(decode(b"=AAA"), Err(CorruptInput(0)));
        assert_eq!(decode(b"YW\nJj\r\n").unwrap(), b"abc");
        assert_eq!(decode(b"YR==").unwrap(), b"a", "trailing bits are not checked");
    }
}
