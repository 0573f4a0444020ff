//! Go's `encoding/pem`: `Encode` and the forgiving `Decode`, which skips
//! text before a block, ignores headers it cannot use and passes over
//! malformed blocks to the next one.

use super::base64;

/// A decoded PEM block (headers are not needed by any caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub kind: String,
    pub bytes: Vec<u8>,
}

/// `pem.EncodeToMemory` of a block without headers: 64-column base64 lines.
pub(crate) fn encode(kind: &str, bytes: &[u8]) -> String {
    let b64 = base64::encode(bytes);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * kind.len() + 32);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    let mut rest = b64.as_str();
    while !rest.is_empty() {
        // base64 output is ASCII, so any byte index is a char boundary.
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

const PEM_START: &[u8] = b"\n-----BEGIN ";
const PEM_END: &[u8] = b"\n-----END ";
const PEM_END_OF_LINE: &[u8] = b"-----";

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_right_spaces(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Go's `getLine`: the line without its `\n` / `\r\n` and trailing blanks.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut i, j) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (i, i + 1),
        None => (data.len(), data.len()),
    };
    if j > i && i > 0 && data[i - 1] == b'\r' {
        i -= 1;
    }
    (trim_right_spaces(&data[..i]), &data[j..])
}

/// `pem.Decode`: the first well-formed block anywhere in `data`.
pub(crate) fn decode(data: &[u8]) -> Option<Block> {
    let mut rest = data;
    loop {
        if rest.starts_with(&PEM_START[1..]) {
            rest = &rest[PEM_START.len() - 1..];
        } else if let Some(i) = find(rest, PEM_START) {
            rest = &rest[i + PEM_START.len()..];
        } else {
            return None;
        }

        let (type_line, after) = get_line(rest);
        rest = after;
        let Some(kind) = type_line.strip_suffix(PEM_END_OF_LINE) else { continue };

        // Header lines ("Key: value") until the first line without a colon.
        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            if !line.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }

        let (end_index, end_trailer_index) = if !has_headers && rest.starts_with(&PEM_END[1..]) {
            (0, PEM_END.len() - 1)
        } else {
            match find(rest, PEM_END) {
                Some(i) => (i, i + PEM_END.len()),
                None => continue,
            }
        };

        // The END line must repeat the type and end in five dashes and blanks.
        let end_trailer = &rest[end_trailer_index..];
        let trailer_len = kind.len() + PEM_END_OF_LINE.len();
        if end_trailer.len() < trailer_len {
            continue;
        }
        let (trailer, rest_of_end_line) = end_trailer.split_at(trailer_len);
        if !trailer.starts_with(kind) || !trailer.ends_with(PEM_END_OF_LINE) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }

        let body: Vec<u8> = rest[..end_index].iter().copied().filter(|&b| b != b' ' && b != b'\t').collect();
        let Ok(bytes) = base64::decode(&body) else { continue };
        return Some(Block { kind: String::from_utf8_lossy(kind).into_owned(), bytes });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_go() {
        assert_eq!(encode("X", b""), "-----BEGIN X-----\n-----END X-----\n");
        let long = encode("K", &[7u8; 60]);
        assert_eq!(long.lines().nth(1).unwrap().len(), 64);
        assert_eq!(decode(long.as_bytes()).unwrap().bytes, vec![7u8; 60]);
    }

    #[test]
    fn decodes_like_go() {
        let b = decode(b"junk\n-----BEGIN A B-----\nYWJj\n-----END A B-----\n").unwrap();
        assert_eq!((b.kind.as_str(), b.bytes.as_slice()), ("A B", &b"abc"[..]));
        // Headers are skipped; CRLF and blanks are tolerated.
        let b = decode(b"-----BEGIN T-----\r\nProc-Type: 4\r\n\r\nYW Jj\t\r\n-----END T----- \r\n").unwrap();
        assert_eq!(b.bytes, b"abc");
        // A mismatched END type skips to the next block.
        let b =
            decode(b"-----BEGIN A-----\nYQ==\n-----END B-----\n-----BEGIN C-----\nYg==\n-----END C-----\n").unwrap();
        assert_eq!(b.kind, "C");
        assert!(decode(b"-----BEGIN A-----\n!!!!\n-----END A-----\n").is_none());
        assert!(decode(b"no pem").is_none());
        assert!(decode(b"-----BEGIN A-----\n").is_none());
        // Empty block right after the BEGIN line.
        assert_eq!(decode(b"-----BEGIN A-----\n-----END A-----").unwrap().bytes, b"");
    }
}
