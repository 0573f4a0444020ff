//! Reading a gzipped tar chart into memory (`archive.LoadArchiveFiles`),
//! with Helm's path checks and its size limit. Helm 4.3.1 has no limit per
//! file (later sources add one of 5 MiB; the 4.3.1 binary accepts bigger files). Nothing is written to disk, so
//! link entries are harmless: like Helm we keep them as empty files.

use std::fmt;
use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

use super::gopath;
use crate::chart::File;

/// Helm's `MaxDecompressedChartSize`: all files of an archive together.
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why an archive was refused; `Display` is Go's error text.
#[derive(Debug)]
pub(crate) enum ArchiveError {
    /// `gzip.ErrHeader`: the top-level loader words this one specially.
    GzipHeader,
    Other(String),
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::GzipHeader => f.write_str("gzip: invalid header"),
            ArchiveError::Other(m) => f.write_str(m),
        }
    }
}

fn other(msg: impl Into<String>) -> ArchiveError {
    ArchiveError::Other(msg.into())
}

pub(crate) fn load_archive_files(data: &[u8]) -> Result<Vec<File>, ArchiveError> {
    // gzip.NewReader checks the magic and the method byte before anything else.
    if data.is_empty() {
        return Err(other("EOF"));
    }
    if data.len() < 10 {
        if data[0] != 0x1f || data.get(1).is_some_and(|&b| b != 0x8b) || data.get(2).is_some_and(|&b| b != 8) {
            return Err(ArchiveError::GzipHeader);
        }
        return Err(other("unexpected EOF"));
    }
    if data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err(ArchiveError::GzipHeader);
    }

    let mut tar = tar::Archive::new(MultiGzDecoder::new(data));
    let entries = tar.entries().map_err(|e| io_error(&e))?;
    let mut files = Vec::new();
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE as i64;
    for entry in entries {
        let mut entry = entry.map_err(|e| io_error(&e))?;
        let header = entry.header();
        let kind = header.entry_type();
        let mode = header.mode().unwrap_or(0);
        // hd.FileInfo().IsDir(): the type flag or the mode's type bits; Go
        // also reads an old-style '\0' entry whose name ends in `/` as a dir.
        let old_style_dir = header.as_bytes()[156] == 0 && entry.path_bytes().ends_with(b"/");
        if kind.is_dir() || mode & 0o170000 == 0o040000 || old_style_dir {
            continue;
        }
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.size() as i64;
        let modtime = header.mtime().ok().map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));

        // An archive made on Windows may use `\`.
        let delimiter = if raw_name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw_name.split(delimiter).collect();
        let n = parts[1..].join(&delimiter.to_string()).replace(delimiter, "/");

        if n.starts_with('/') {
            return Err(other("chart illegally contains absolute paths"));
        }
        let n = gopath::clean(&n);
        if n == "." {
            return Err(other(format!(
                "chart illegally contains content outside the base directory: {}",
                rhelm_template::strconv::quote(&raw_name)
            )));
        }
        if n.starts_with("..") {
            return Err(other("chart illegally references parent directory"));
        }
        if is_drive_path(&n) {
            return Err(other("chart contains illegally named files"));
        }
        if parts[0] == "Chart.yaml" {
            return Err(other("chart yaml not in base directory"));
        }
        if size > remaining {
            return Err(too_large());
        }
        let mut buf = Vec::with_capacity(size.clamp(0, 1 << 20) as usize);
        (&mut entry).take(remaining.max(0) as u64).read_to_end(&mut buf).map_err(|e| io_error(&e))?;
        let written = buf.len() as i64;
        remaining -= written;
        if written < size || remaining <= 0 {
            return Err(too_large());
        }
        let data = match buf.strip_prefix(UTF8_BOM) {
            Some(rest) => rest.to_vec(),
            None => buf,
        };
        files.push(File { name: n, data: data.into(), modtime });
    }
    if files.is_empty() {
        return Err(other("no files in chart archive"));
    }
    Ok(files)
}

fn too_large() -> ArchiveError {
    other(format!("decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"))
}

/// `^[a-zA-Z]:/`
fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Go's words for what can go wrong under the tar reader: a cut stream is
/// `unexpected EOF`, a damaged gzip stream `gzip: invalid checksum` or
/// `flate: corrupt input` (Go adds ` before offset N`, which flate2 does not
/// tell us), a damaged tar header `archive/tar: invalid tar header`.
fn io_error(e: &io::Error) -> ArchiveError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    if e.kind() == io::ErrorKind::UnexpectedEof || lower.contains("unexpected eof") || lower.contains("failed to fill")
    {
        return other("unexpected EOF");
    }
    if lower.contains("gzip") && lower.contains("checksum") {
        return other("gzip: invalid checksum");
    }
    if lower.contains("invalid gzip header") || lower.contains("gzip header") {
        return ArchiveError::GzipHeader;
    }
    if lower.contains("deflate") || lower.contains("corrupt") || lower.contains("invalid") && lower.contains("stream") {
        return other("flate: corrupt input");
    }
    other("archive/tar: invalid tar header")
}
