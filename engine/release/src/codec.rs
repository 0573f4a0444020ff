//! The `release` payload of a storage object (pkg/storage/driver/util.go):
//! Go JSON, gzip at best compression, standard padded base64. The gzip
//! stream is Go's (goflate: header with no name, mtime 0, XFL 2, OS 255, and
//! go1.27's level 9 deflate), so the stored string is byte for byte what
//! Helm 4.3.1 stores for the same JSON.

use std::io::Read;

use base64::Engine;

use crate::model::Release;

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

pub fn encode(rls: &Release) -> Result<String, String> {
    let json = rls.to_json()?;
    let header = goflate::GzipHeader::default();
    let bytes = goflate::gzip(json.as_bytes(), goflate::BEST_COMPRESSION, &header).map_err(|e| e.to_string())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The JSON text inside a payload: gunzipped when it carries the gzip magic,
/// else taken as the raw JSON of records written before compression.
pub fn decode_json(data: &str) -> Result<String, String> {
    let b = base64::engine::general_purpose::STANDARD
        .decode(data.trim_end().as_bytes())
        .map_err(|e| format!("illegal base64 data: {e}"))?;
    let raw = if b.len() > 3 && b[..3] == GZIP_MAGIC {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&b[..]).read_to_end(&mut out).map_err(|e| e.to_string())?;
        out
    } else {
        b
    };
    String::from_utf8(raw).map_err(|e| format!("release payload is not UTF-8: {e}"))
}

pub fn decode(data: &str) -> Result<Release, String> {
    Release::from_json(&decode_json(data)?)
}
