//! Chart repositories as Helm's `pkg/repo`, `pkg/downloader` and
//! `pkg/registry` see them: the index format, the user's repositories.yaml
//! and its cache, HTTP and OCI transports, search, resolving a chart
//! reference (`repo/chart`, URL, archive, `oci://`) to an archive, and chart
//! dependencies (Chart.lock).
//!
//! Knows charts (through rhelm-chart) but nothing of releases or clusters.

pub mod cache;
pub mod chart_ref;
pub mod dependency;
pub mod http;
pub mod index;
mod json_out;
pub mod oci;
pub mod repo_file;
pub mod search;
pub mod settings;

use std::io::Write;
use std::path::Path;

/// Go's wording of the common file errors (`no such file or directory`).
pub(crate) fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Writes through a temporary file in the same directory and renames it
/// over `path`, so readers see the old file or the new one, never a part.
pub(crate) fn atomic_write(path: &Path, data: &[u8], mode: u32) -> Result<(), String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
        }
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}
