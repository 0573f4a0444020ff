//! The chart-level work of a release, done by rhelm's own libraries:
//! packaging, reading archives, index.yaml entries and OCI pushes.

use std::path::{Path, PathBuf};

use rhelm_chart::metadata::Metadata;
use rhelm_chart::Chart;
use rhelm_repository::index::IndexFile;

use crate::releaser::{ReleaseError, Result};

/// Packages the chart in `dir` into `dest`, first building its dependencies
/// from Chart.lock as chart-releaser does.
pub fn package_chart(dir: &Path, dest: &Path) -> Result<PathBuf> {
    let opts = rhelm_chart::package::PackageOptions {
        destination: dest.to_path_buf(),
        ..Default::default()
    };
    rhelm_chart::package::package(dir, &opts).map_err(|e| ReleaseError(format!("packaging {}: {e}", dir.display())))
}

pub fn archive_chart(archive: &Path) -> Result<Chart> {
    rhelm_chart::load::load(archive).map_err(|e| ReleaseError(format!("{} is not a chart package: {}", archive.display(), e.message())))
}

pub fn archive_metadata(archive: &Path) -> Result<Metadata> {
    Ok(archive_chart(archive)?.metadata)
}

pub fn load_or_new_index(path: &Path) -> Result<IndexFile> {
    if !path.exists() {
        return Ok(IndexFile::new());
    }
    IndexFile::load(path).map(|(index, _warnings)| index).map_err(|e| ReleaseError(e.to_string()))
}

pub fn index_has(index: &IndexFile, name: &str, version: &str) -> bool {
    index.has(name, version)
}

/// Adds the archive with the sha256 of its bytes; `base_url` empty makes the
/// entry's URL the bare file name.
pub fn index_add(index: &mut IndexFile, archive: &Path, base_url: &str) -> Result<()> {
    let meta = archive_metadata(archive)?;
    let data = std::fs::read(archive).map_err(|e| ReleaseError(format!("reading {}: {e}", archive.display())))?;
    let digest = rhelm_repository::index::digest(&data);
    let file = archive.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    index.add(&meta, file, base_url, &digest).map_err(|e| ReleaseError(format!("adding {file} to the index: {e}")))
}

pub fn write_index(index: &mut IndexFile, path: &Path) -> Result<()> {
    index.sort_entries();
    index.touch_generated();
    index.write_yaml(path).map_err(|e| ReleaseError(format!("writing {}: {e}", path.display())))
}

/// Pushes `archive` to `remote` (`oci://host/path`); returns the reference pushed.
pub fn push_oci(archive: &Path, remote: &str, plain_http: bool) -> Result<String> {
    let settings = rhelm_repository::settings::Settings::from_env();
    let opts = rhelm_repository::oci::OciOptions { plain_http, registry_config: settings.registry_config, ..Default::default() };
    let pushed = rhelm_repository::oci::push(archive, remote, &opts).map_err(|e| ReleaseError(format!("pushing {} to {remote}: {e}", archive.display())))?;
    Ok(pushed.reference)
}
