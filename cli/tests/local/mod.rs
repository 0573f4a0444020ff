//! What the tests that need no cluster share: the two binaries, throw-away
//! directories, and small file helpers.

#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The real helm 4.3.1, from `HELM` (scripts/test sets it).
pub fn helm() -> PathBuf {
    std::env::var_os("HELM")
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no helm oracle: set HELM to helm 4.3.1 (scripts/get-helm-oracle fetches it)"))
}

/// The rhelm binary under test.
pub fn rhelm() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rhelm"))
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory under the system's temporary one, canonical so paths
/// read as the tools print them.
pub fn temp_dir(name: &str) -> TempDir {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let p = std::env::temp_dir().join(format!("rhelm-{name}-{}-{nanos}", std::process::id()));
    fs::create_dir_all(&p).unwrap();
    TempDir(p.canonicalize().unwrap())
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The decompressed contents of a gzip file (a chart archive's tar stream).
pub fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(fs::File::open(path).unwrap()).read_to_end(&mut out).unwrap();
    out
}
