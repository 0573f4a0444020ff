//! The repository cache, in Helm's layout: `<cache>/<name>-index.yaml` (the
//! index as downloaded) and `<cache>/<name>-charts.txt` (its chart names).

use std::path::{Path, PathBuf};

pub fn index_path(cache: &Path, repo: &str) -> PathBuf {
    cache.join(format!("{repo}-index.yaml"))
}

pub fn charts_path(cache: &Path, repo: &str) -> PathBuf {
    cache.join(format!("{repo}-charts.txt"))
}

/// Stores a downloaded index. The bytes are checked first, so a bad
/// download leaves the previous cache as it was.
pub fn store_index(cache: &Path, repo: &str, data: &[u8], source: &str) -> Result<(), String> {
    let (index, _warnings) = crate::index::IndexFile::parse(data, source).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    // Go ranges over a map: the order of names is random there; ours is sorted.
    let names: String = index.entries.keys().map(|n| format!("{n}\n")).collect();
    crate::atomic_write(&charts_path(cache, repo), names.as_bytes(), 0o644)?;
    crate::atomic_write(&index_path(cache, repo), data, 0o644)
}

/// Helm's `DownloadIndexFile`: fetches `<url>/index.yaml` with the
/// repository's credentials and TLS settings, checks it, and caches it.
pub fn download_index(e: &crate::repo_file::Entry, cache: &Path) -> Result<(), String> {
    let url = crate::http::resolve_reference(&e.url, "index.yaml")?;
    let data = crate::http::get(&url, &crate::http::HttpOptions::from_entry(e))?;
    store_index(cache, &e.name, &data, &e.url)
}

/// Removes a repository's cache files (`repo remove`).
pub fn remove(cache: &Path, repo: &str) -> Result<(), String> {
    for p in [index_path(cache, repo), charts_path(cache, repo)] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", p.display())),
        }
    }
    Ok(())
}
