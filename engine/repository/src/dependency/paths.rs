//! Paths and URLs of dependency repositories, compared as Helm compares them.

use std::path::{Path, PathBuf};

/// `resolver.GetLocalPath`: `file://` paths relative to the chart.
pub(super) fn local_path(repo: &str, chart_path: &Path) -> Result<PathBuf, String> {
    let p = repo.trim_start_matches("file://");
    let dep = if p.starts_with('/') { PathBuf::from(p) } else { chart_path.join(p) };
    let dep = clean(&dep);
    if !dep.exists() {
        return Err(format!("directory {} not found", dep.display()));
    }
    Ok(dep)
}

/// `filepath.Clean` of an absolute-or-relative path, lexically.
pub(super) fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `urlutil.Equal`: the same URL up to a trailing slash on the path.
pub(super) fn url_equal(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim();
        match reqwest::Url::parse(s) {
            Ok(mut u) => {
                let path = u.path().trim_end_matches('/').to_string();
                u.set_path(if path.is_empty() { "/" } else { &path });
                u.to_string().trim_end_matches('/').to_string()
            }
            Err(_) => s.trim_end_matches('/').to_string(),
        }
    };
    norm(a) == norm(b)
}

/// Go's `url.ParseRequestURI` accepting it: an absolute URL or an absolute path.
pub(super) fn is_request_uri(s: &str) -> bool {
    s.starts_with('/') || reqwest::Url::parse(s).is_ok_and(|u| !u.cannot_be_a_base() || u.scheme().len() > 1)
}

