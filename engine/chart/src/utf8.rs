//! Bytes as text the way Go's `string(b)` conversions end up printed.

use std::borrow::Cow;

/// `String::from_utf8_lossy`, with the valid case first: std's lossy
/// conversion walks the bytes in chunks without the word-at-a-time ASCII
/// path `str::from_utf8` has, which made it ~7 instructions a byte on
/// megabytes of CRDs.
pub fn lossy(data: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(data) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(data),
    }
}

#[cfg(test)]
mod tests {
    use super::lossy;

    #[test]
    fn valid_text_is_borrowed_and_invalid_bytes_are_replaced() {
        assert!(matches!(lossy("héllo".as_bytes()), std::borrow::Cow::Borrowed("héllo")));
        assert_eq!(lossy(b"a\xffb"), "a\u{fffd}b");
    }
}
