//! Base64 and base32 (b64enc, b64dec, b32enc, b32dec) and the hashes
//! (sha1sum, sha256sum, sha512sum, adler32sum).
//!
//! Encoding is data-encoding's; decoding is written out here because Sprig
//! returns the decoder's error text as the result, so the exact rules of
//! Go's `encoding/base64` and `encoding/base32` decoders (newlines skipped,
//! padding checks, the offset each error names) decide the output.

use rhelm_template::{FuncMap, Function, Type, Value};
use sha1::Digest;

use crate::strings::go_string;

const B64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const INVALID: u8 = 0xFF;

/// A decoding table: byte → digit value, `INVALID` for the rest.
const fn decode_map<const N: usize>(alphabet: &[u8; N]) -> [u8; 256] {
    let mut map = [INVALID; 256];
    let mut i = 0;
    while i < N {
        map[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    map
}

const B64_DECODE: [u8; 256] = decode_map(B64_ALPHABET);
const B32_DECODE: [u8; 256] = decode_map(B32_ALPHABET);

fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Go's base64 `CorruptInputError`.
fn b64_error(at: usize) -> String {
    format!("illegal base64 data at input byte {at}")
}

/// `base64.StdEncoding.DecodeString` (padded, not strict): `\r` and `\n`
/// are skipped anywhere; the error names the offending byte's offset in
/// the original input.
fn b64_decode(src: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let (next, end) = b64_quantum(src, si, &mut out)?;
        si = next;
        if end {
            break;
        }
    }
    Ok(out)
}

/// One 4-digit quantum from `si`: appends its bytes and returns where the
/// next one starts and whether padding ended the input.
fn b64_quantum(src: &[u8], mut si: usize, out: &mut Vec<u8>) -> Result<(usize, bool), String> {
    let mut digits = [0u8; 4];
    let mut j = 0;
    let mut len = 4;
    while j < 4 {
        if si == src.len() {
            // Input ended inside a quantum: padding was required.
            return if j == 0 { Ok((si, true)) } else { Err(b64_error(si - j)) };
        }
        let c = src[si];
        si += 1;
        let d = B64_DECODE[c as usize];
        if d != INVALID {
            digits[j] = d;
            j += 1;
            continue;
        }
        if is_newline(c) {
            continue;
        }
        if c != b'=' || j < 2 {
            return Err(b64_error(si - 1));
        }
        // Padding: after two digits a second '=' must follow.
        if j == 2 {
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            if si == src.len() {
                return Err(b64_error(src.len()));
            }
            if src[si] != b'=' {
                return Err(b64_error(si - 1));
            }
            si += 1;
        }
        while si < src.len() && is_newline(src[si]) {
            si += 1;
        }
        if si < src.len() {
            // Trailing garbage after the padding.
            return Err(b64_error(si));
        }
        len = j;
        break;
    }
    let val = (digits[0] as u32) << 18 | (digits[1] as u32) << 12 | (digits[2] as u32) << 6 | digits[3] as u32;
    let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
    out.extend_from_slice(&bytes[..len - 1]);
    Ok((si, len < 4))
}

/// Go's base32 `CorruptInputError`.
fn b32_error(at: usize) -> String {
    format!("illegal base32 data at input byte {at}")
}

/// `base32.StdEncoding.DecodeString`: newlines are removed first, so error
/// offsets count the input without them. Padding ends decoding, and
/// whatever follows valid padding is ignored, as in Go.
fn b32_decode(input: &[u8]) -> Result<Vec<u8>, String> {
    let src: Vec<u8> = input.iter().copied().filter(|&b| !is_newline(b)).collect();
    let olen = src.len();
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut pos = 0;
    let mut end = false;
    while pos < olen && !end {
        let mut digits = [0u8; 8];
        let mut len = 8;
        let mut j = 0;
        while j < 8 {
            if pos == olen {
                return Err(b32_error(olen - j));
            }
            let c = src[pos];
            pos += 1;
            let left = olen - pos;
            if c == b'=' && j >= 2 && left < 8 {
                if left + j < 7 {
                    return Err(b32_error(olen));
                }
                for k in 0..7 - j {
                    if left > k && src[pos + k] != b'=' {
                        return Err(b32_error(pos + k - 1));
                    }
                }
                len = j;
                end = true;
                // Two, five and seven '=' are not valid padding lengths.
                if matches!(len, 1 | 3 | 6) {
                    return Err(b32_error(pos - 1));
                }
                break;
            }
            let d = B32_DECODE[c as usize];
            if d == INVALID {
                return Err(b32_error(pos - 1));
            }
            digits[j] = d;
            j += 1;
        }
        out.extend_from_slice(&b32_pack(&digits)[..b32_bytes(len)]);
    }
    Ok(out)
}

/// Eight 5-bit digits as five bytes.
fn b32_pack(d: &[u8; 8]) -> [u8; 5] {
    let v = d.iter().fold(0u64, |acc, &x| acc << 5 | x as u64);
    let b = v.to_be_bytes();
    [b[3], b[4], b[5], b[6], b[7]]
}

/// Bytes carried by a quantum of `digits` base32 digits.
fn b32_bytes(digits: usize) -> usize {
    match digits {
        8 => 5,
        7 => 4,
        5 => 3,
        4 => 2,
        2 => 1,
        _ => 0,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// A `func(string) string`.
fn string_fn(f: fn(&str) -> String) -> Function {
    Function::new(&[Type::String], None, move |a| Ok(Value::string(f(s(&a[0])))))
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("b64enc", string_fn(|v| data_encoding::BASE64.encode(v.as_bytes())));
    // Decode errors are returned as the text, as Sprig does.
    m.insert("b64dec", string_fn(|v| b64_decode(v.as_bytes()).map(|d| go_string(&d)).unwrap_or_else(|e| e)));
    m.insert("b32enc", string_fn(|v| data_encoding::BASE32.encode(v.as_bytes())));
    m.insert("b32dec", string_fn(|v| b32_decode(v.as_bytes()).map(|d| go_string(&d)).unwrap_or_else(|e| e)));
    m.insert("sha1sum", string_fn(|v| hex(&sha1::Sha1::digest(v.as_bytes()))));
    m.insert("sha256sum", string_fn(|v| hex(&sha2::Sha256::digest(v.as_bytes()))));
    m.insert("sha512sum", string_fn(|v| hex(&sha2::Sha512::digest(v.as_bytes()))));
    // adler32.Checksum, printed in decimal.
    m.insert("adler32sum", string_fn(|v| adler2::adler32_slice(v.as_bytes()).to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> Result<String, String> {
        b64_decode(s.as_bytes()).map(|d| go_string(&d))
    }

    fn b32(s: &str) -> Result<String, String> {
        b32_decode(s.as_bytes()).map(|d| go_string(&d))
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(b64("aGVsbG8="), Ok("hello".into()));
        assert_eq!(b64("aGVs\nbG8="), Ok("hello".into()));
        assert_eq!(b64(""), Ok("".into()));
        assert_eq!(b64("aGVsbG8"), Err(b64_error(4)));
        assert_eq!(b64("aGVsbG8=x"), Err(b64_error(8)));
        assert_eq!(b64("a==="), Err(b64_error(1)));
        assert_eq!(b64("aG=="), Ok("h".into()));
        assert_eq!(b64("aG="), Err(b64_error(3)));
        assert_eq!(b64("!!!!"), Err(b64_error(0)));
    }

    #[test]
    fn base32_like_go() {
        assert_eq!(b32("NBSWY3DP"), Ok("hello".into()));
        assert_eq!(b32("MY======"), Ok("f".into()));
        assert_eq!(b32("MY======AB"), Ok("f".into()));
        assert_eq!(b32("MY=====AB"), Err(b32_error(6)));
        assert_eq!(b32("MY======A"), Ok("f".into()));
        assert_eq!(b32("MZXW6==="), Ok("foo".into()));
        assert_eq!(b32("MZXW6"), Err(b32_error(0)));
        assert_eq!(b32("1"), Err(b32_error(0)));
    }

    #[test]
    fn round_trips() {
        for v in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "日本語"] {
            assert_eq!(b64(&data_encoding::BASE64.encode(v.as_bytes())), Ok(v.to_owned()));
            assert_eq!(b32(&data_encoding::BASE32.encode(v.as_bytes())), Ok(v.to_owned()));
        }
    }
}
