//! `archive.EnsureArchive`: a friendly error when a chart file is not gzip,
//! naming what Go's `http.DetectContentType` takes it for.

/// `Err(message)` unless the first bytes are a gzip header.
pub(crate) fn ensure_archive(name: &str, data: &[u8]) -> Result<(), String> {
    // Helm sniffs a zeroed 512-byte buffer, so a short file looks binary.
    let mut head = [0u8; 512];
    let n = data.len().min(512);
    head[..n].copy_from_slice(&data[..n]);
    let head = &head[..];
    if head.starts_with(b"\x1f\x8b\x08") {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(format!("file '{name}' seems to be a YAML file, but expected a gzipped archive"));
    }
    Err(format!("file '{name}' does not appear to be a gzipped archive; got '{}'", content_type(head)))
}

/// The common cases of `http.DetectContentType` (the WHATWG sniffing
/// table); anything unlisted is text when it has no binary bytes.
fn content_type(head: &[u8]) -> &'static str {
    const EXACT: &[(&[u8], &str)] = &[
        (b"\xFE\xFF", "text/plain; charset=utf-16be"),
        (b"\xFF\xFE", "text/plain; charset=utf-16le"),
        (b"\xEF\xBB\xBF", "text/plain; charset=utf-8"),
        (b"%PDF-", "application/pdf"),
        (b"%!PS-Adobe-", "application/postscript"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"\x89PNG\x0D\x0A\x1A\x0A", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"BM", "image/bmp"),
        (b"PK\x03\x04", "application/zip"),
        (b"Rar!\x1A\x07\x00", "application/x-rar-compressed"),
        (b"Rar!\x1A\x07\x01\x00", "application/x-rar-compressed"),
        (b"\x00asm", "application/wasm"),
        (b"\x7FELF", "application/octet-stream"),
    ];
    for (sig, ty) in EXACT {
        if head.starts_with(sig) {
            return ty;
        }
    }
    let trimmed: &[u8] = {
        let start =
            head.iter().position(|b| !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')).unwrap_or(head.len());
        &head[start..]
    };
    if trimmed.starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    for tag in [&b"<!DOCTYPE HTML"[..], b"<HTML", b"<HEAD", b"<SCRIPT", b"<BODY", b"<TITLE", b"<DIV", b"<P", b"<!--"] {
        if trimmed.len() > tag.len()
            && trimmed[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(trimmed[tag.len()], b' ' | b'>')
        {
            return "text/html; charset=utf-8";
        }
    }
    let binary =
        head.iter().any(|&b| b <= 0x08 || b == 0x0B || (0x0E..=0x1A).contains(&b) || (0x1C..=0x1F).contains(&b));
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}
