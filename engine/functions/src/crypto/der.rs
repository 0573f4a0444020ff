//! DER: a writer for what Go's `encoding/asn1` marshals, and a reader with
//! the checks of `golang.org/x/crypto/cryptobyte` (used by Go's certificate
//! parser), which reports failure as `false`/`None` and leaves the wording of
//! errors to the caller.

pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const PRINTABLE_STRING: u8 = 0x13;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;

/// Context-specific tag `[n]`, constructed or primitive.
pub(crate) const fn context(n: u8, constructed: bool) -> u8 {
    0x80 | if constructed { 0x20 } else { 0 } | n
}

// ---------------------------------------------------------------- writing

pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// A non-negative integer from big-endian magnitude bytes, minimally encoded.
pub(crate) fn uint(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    let m = &magnitude[skip..];
    let mut content = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(m);
    tlv(INTEGER, &content)
}

pub(crate) fn small_int(v: i64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    // Drop redundant sign bytes.
    let mut start = 0;
    while start < 7
        && ((bytes[start] == 0 && bytes[start + 1] & 0x80 == 0)
            || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0))
    {
        start += 1;
    }
    tlv(INTEGER, &bytes[start..])
}

pub(crate) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    let first = arcs[0] * 40 + arcs.get(1).copied().unwrap_or(0);
    for arc in std::iter::once(first).chain(arcs.iter().skip(2).copied()) {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            groups.push((v & 0x7f) as u8 | 0x80);
            v >>= 7;
        }
        content.extend(groups.iter().rev());
    }
    tlv(OID, &content)
}

/// A BIT STRING holding whole bytes.
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(BIT_STRING, &content)
}

pub(crate) fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(OCTET_STRING, bytes)
}

// ---------------------------------------------------------------- reading

/// A cursor over DER bytes with cryptobyte's `String` methods.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The next element: (tag, header length, whole element).
    fn element(&self) -> Option<(u8, usize, &'a [u8])> {
        let s = self.0;
        if s.len() < 2 {
            return None;
        }
        let (tag, len_byte) = (s[0], s[1]);
        if tag & 0x1f == 0x1f {
            return None; // high tag numbers are not supported
        }
        let (header, length) = if len_byte & 0x80 == 0 {
            (2, usize::from(len_byte))
        } else {
            let len_len = usize::from(len_byte & 0x7f);
            if len_len == 0 || len_len > 4 || s.len() < 2 + len_len {
                return None;
            }
            let len32 = s[2..2 + len_len].iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            // DER: minimal length encodings only.
            if len32 < 128 || len32 >> ((len_len - 1) * 8) == 0 {
                return None;
            }
            (2 + len_len, len32 as usize)
        };
        let total = header.checked_add(length)?;
        if s.len() < total {
            return None;
        }
        Some((tag, header, &s[..total]))
    }

    pub fn peek_tag(&self, tag: u8) -> bool {
        self.0.first() == Some(&tag)
    }

    /// `ReadAnyASN1Element`: the whole element, header included.
    pub fn read_any_element(&mut self) -> Option<(u8, &'a [u8])> {
        let (tag, _, whole) = self.element()?;
        self.0 = &self.0[whole.len()..];
        Some((tag, whole))
    }

    /// `ReadAnyASN1`: the contents of the next element.
    pub fn read_any(&mut self) -> Option<(u8, &'a [u8])> {
        let (tag, header, whole) = self.element()?;
        self.0 = &self.0[whole.len()..];
        Some((tag, &whole[header..]))
    }

    /// `ReadASN1`: the contents of an element with this tag.
    pub fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.read_any()? {
            (t, content) if t == tag => Some(content),
            _ => None,
        }
    }

    /// `ReadASN1Element`: an element with this tag, header included.
    pub fn read_element(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.read_any_element()? {
            (t, whole) if t == tag => Some(whole),
            _ => None,
        }
    }

    /// `ReadOptionalASN1`: `Some(None)` when absent, `None` when malformed.
    pub fn read_optional(&mut self, tag: u8) -> Option<Option<&'a [u8]>> {
        if self.peek_tag(tag) {
            self.read(tag).map(Some)
        } else {
            Some(None)
        }
    }

    /// `SkipOptionalASN1`.
    pub fn skip_optional(&mut self, tag: u8) -> bool {
        !self.peek_tag(tag) || self.read_any().is_some()
    }

    /// `ReadASN1Integer` into a big integer: the two's-complement bytes.
    pub fn read_big_int(&mut self) -> Option<&'a [u8]> {
        let bytes = self.read(INTEGER)?;
        valid_integer(bytes).then_some(bytes)
    }

    /// `ReadASN1Integer` into an `int64`.
    pub fn read_i64(&mut self) -> Option<i64> {
        let bytes = self.read_big_int()?;
        int64_of(bytes)
    }

    pub fn read_bool(&mut self) -> Option<bool> {
        match self.read(BOOLEAN)? {
            [0] => Some(false),
            [0xff] => Some(true),
            _ => None,
        }
    }

    /// `ReadASN1BitString`: (bytes, bit length).
    pub fn read_bit_string(&mut self) -> Option<(&'a [u8], usize)> {
        let bytes = self.read(BIT_STRING)?;
        let (&padding, rest) = bytes.split_first()?;
        if padding > 7
            || (rest.is_empty() && padding != 0)
            || rest.last().is_some_and(|&b| b & ((1u8 << padding) - 1) != 0)
        {
            return None;
        }
        Some((rest, rest.len() * 8 - usize::from(padding)))
    }

    pub fn read_oid(&mut self) -> Option<Vec<u64>> {
        parse_oid_strict(self.read(OID)?)
    }
}

/// cryptobyte's integer check: non-empty and minimally encoded.
pub(crate) fn valid_integer(bytes: &[u8]) -> bool {
    match bytes {
        [] => false,
        [_] => true,
        [0, b, ..] if b & 0x80 == 0 => false,
        [0xff, b, ..] if b & 0x80 != 0 => false,
        _ => true,
    }
}

/// A two's-complement integer of at most 8 bytes.
pub(crate) fn int64_of(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    let mut v: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
    for &b in bytes {
        v = v << 8 | i64::from(b);
    }
    Some(v)
}

/// Whether two's-complement integer bytes are zero or negative.
pub(crate) fn non_positive(bytes: &[u8]) -> bool {
    bytes.first().is_none_or(|&b| b & 0x80 != 0) || bytes.iter().all(|&b| b == 0)
}

/// The magnitude of a non-negative two's-complement integer, without leading zeros.
pub(crate) fn magnitude(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[skip..]
}

/// cryptobyte's OID parser: each arc in base 128, at most 31 bits,
/// minimally encoded.
fn parse_oid_strict(bytes: &[u8]) -> Option<Vec<u64>> {
    if bytes.is_empty() {
        return None;
    }
    let mut arcs = Vec::new();
    let mut rest = bytes;
    let mut first = true;
    while !rest.is_empty() {
        let mut v: u64 = 0;
        let mut i = 0;
        loop {
            if i == 5 || v >= 1 << (31 - 7) {
                return None;
            }
            let (&b, tail) = rest.split_first()?;
            rest = tail;
            if i == 0 && b == 0x80 {
                return None;
            }
            v = v << 7 | u64::from(b & 0x7f);
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        if first {
            if v < 80 {
                arcs.extend([v / 40, v % 40]);
            } else {
                arcs.extend([2, v - 80]);
            }
            first = false;
        } else {
            arcs.push(v);
        }
    }
    Some(arcs)
}

/// An OID in Go's dotted form (`ObjectIdentifier.String`).
pub(crate) fn oid_string(arcs: &[u64]) -> String {
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_minimal_der() {
        assert_eq!(uint(&[0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(uint(&[0, 0, 1]), vec![2, 1, 1]);
        assert_eq!(uint(&[]), vec![2, 1, 0]);
        assert_eq!(small_int(0), vec![2, 1, 0]);
        assert_eq!(small_int(-1), vec![2, 1, 0xff]);
        assert_eq!(small_int(128), vec![2, 2, 0, 0x80]);
        assert_eq!(oid(&[1, 2, 840, 113549, 1, 1, 11]), vec![6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]);
        assert_eq!(tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
    }

    #[test]
    fn reads_strict_der() {
        let mut r = Reader(&[0x30, 0x03, 0x02, 0x01, 0x05]);
        let mut inner = Reader(r.read(SEQUENCE).unwrap());
        assert_eq!(inner.read_i64(), Some(5));
        assert!(r.is_empty());
        assert!(Reader(&[0x30, 0x81, 0x03, 1, 2, 3]).read(SEQUENCE).is_none(), "non-minimal length");
        assert!(Reader(&[0x02, 0x02, 0x00, 0x01]).read_big_int().is_none(), "non-minimal integer");
        assert_eq!(Reader(&oid(&[2, 5, 29, 19])).read_oid(), Some(vec![2, 5, 29, 19]));
    }
}
