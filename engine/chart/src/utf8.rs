//! Bytes as text the way Go's `string(b)` conversions end up printed.

use std::borrow::Cow;
use std::sync::Arc;

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

/// [`lossy`] as a shared string: valid UTF-8 is the same memory, not a copy.
pub fn lossy_shared(data: &Arc<[u8]>) -> Arc<str> {
    if std::str::from_utf8(data).is_err() {
        return Arc::from(String::from_utf8_lossy(data));
    }
    let raw = Arc::into_raw(data.clone()) as *const str;
    // SAFETY: the bytes are valid UTF-8 (checked above) and `str` has the
    // layout of `[u8]`, so the allocation is a valid `Arc<str>`.
    unsafe { Arc::from_raw(raw) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lossy_shared_keeps_valid_text_in_place() {
        let valid: std::sync::Arc<[u8]> = std::sync::Arc::from("héllo".as_bytes());
        let shared = super::lossy_shared(&valid);
        assert_eq!(&*shared, "héllo");
        assert!(std::ptr::eq(shared.as_ptr(), valid.as_ptr()));
        let invalid: std::sync::Arc<[u8]> = std::sync::Arc::from(&b"a\xffb"[..]);
        assert_eq!(&*super::lossy_shared(&invalid), "a\u{fffd}b");
    }

    use super::lossy;

    #[test]
    fn valid_text_is_borrowed_and_invalid_bytes_are_replaced() {
        assert!(matches!(lossy("héllo".as_bytes()), std::borrow::Cow::Borrowed("héllo")));
        assert_eq!(lossy(b"a\xffb"), "a\u{fffd}b");
    }
}
