//! Chart archives as `helm package` (Helm's `chartutil.Save`) writes them:
//! a gzip stream with Helm's extra field and comment, holding a tar of
//! regular files under `<name>/` in Helm's order: Chart.yaml re-serialised,
//! Chart.lock, values.yaml as written, values.schema.json, templates, the
//! other files, then each subchart expanded as a directory.
//!
//! The same chart gives the same bytes: every entry carries its source
//! file's modification time (or `SOURCE_DATE_EPOCH`), and nothing else
//! varies. The gzip stream is Go's default-level deflate (goflate, a port
//! of go1.27's compress/flate), so the archive is byte for byte Helm
//! 4.3.1's, and so is its sha256.

mod epoch;
mod tar;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::chart::Chart;
use crate::metadata::Lock;

pub use epoch::{format_rfc3339_utc, normalize_rfc3339, source_date_epoch, source_date_epoch_from};

/// Helm's gzip extra field: one RFC 1952 subfield `rr` of 40 bytes.
const GZIP_EXTRA: &[u8] = b"rr\x28\x00aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";

#[derive(Debug)]
pub struct PackageError(pub String);

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PackageError {}

type Result<T> = std::result::Result<T, PackageError>;

/// What `helm package` takes beyond the chart directory.
#[derive(Debug, Clone, Default)]
pub struct PackageOptions {
    /// `--version`: replaces the chart's version.
    pub version: Option<String>,
    /// `--app-version`: replaces the chart's appVersion.
    pub app_version: Option<String>,
    /// `--destination`; empty means the current directory.
    pub destination: PathBuf,
    /// `SOURCE_DATE_EPOCH`, already parsed (see [`source_date_epoch`]).
    pub source_date_epoch: Option<SystemTime>,
}

/// `helm package DIR`: loads the chart, applies the overrides, checks its
/// dependencies and writes `<destination>/<name>-<version>.tgz`.
pub fn package(chart_dir: &Path, opts: &PackageOptions) -> Result<PathBuf> {
    // The generic loader, as `helm package` uses: it dispatches on
    // apiVersion, and a v3 chart is then refused.
    let mut chart = crate::load::load_any_version(chart_dir, &mut Vec::new()).map_err(|e| PackageError(e.message().to_string()))?;
    crate::load::check_api_version(&chart).map_err(PackageError)?;
    if let Some(v) = opts.version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.version = v.to_string();
    }
    if let Err(e) = rhelm_functions::semver::Version::parse(&chart.metadata.version) {
        return Err(PackageError(e.message().to_string()));
    }
    if let Some(v) = opts.app_version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.app_version = v.to_string();
    }
    if let Some(t) = opts.source_date_epoch {
        stamp_mod_times(&mut chart, t);
    }
    if let Some(missing) = crate::load::missing_dependencies(&chart) {
        return Err(PackageError(missing));
    }
    let dest = if opts.destination.as_os_str().is_empty() || opts.destination == Path::new(".") {
        std::env::current_dir().map_err(|e| PackageError(e.to_string()))?
    } else {
        opts.destination.clone()
    };
    save(&chart, &dest).map_err(|e| PackageError(format!("failed to save: {e}")))
}



/// Writes `<dest_dir>/<name>-<version>.tgz` (creating `dest_dir`) and
/// returns its path. The archive appears whole or not at all.
pub fn save(chart: &Chart, dest_dir: &Path) -> Result<PathBuf> {
    chart.metadata.validate().map_err(|e| PackageError(format!("chart validation: {e}")))?;
    let name = format!("{}-{}.tgz", chart.name(), chart.metadata.version);
    match std::fs::metadata(dest_dir) {
        Ok(m) if !m.is_dir() => return Err(PackageError(format!("is not a directory: {}", dest_dir.display()))),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dest_dir).map_err(|e| PackageError(format!("{}: {e}", dest_dir.display())))?
        }
        Err(e) => return Err(PackageError(format!("stat {}: {e}", dest_dir.display()))),
    }
    let path = dest_dir.join(&name);
    let mut bytes = Vec::new();
    write_archive(chart, &mut bytes)?;
    write_atomically(&path, &bytes)?;
    Ok(path)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("chart"),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(PackageError(format!("{}: {e}", path.display())));
    }
    Ok(())
}

/// The gzip-compressed tar of `chart`, as Helm writes it.
pub fn write_archive(chart: &Chart, out: impl Write) -> Result<()> {
    // Helm's gzip.NewWriter: default level, no mtime, OS 255.
    let header = goflate::GzipHeader { extra: Some(GZIP_EXTRA.to_vec()), comment: "Helm".into(), ..Default::default() };
    let gz = goflate::GzipWriter::new(out, goflate::DEFAULT_COMPRESSION, &header).map_err(io_error)?;
    let mut tar = tar::TarWriter::new(gz);
    write_chart(&mut tar, chart, "")?;
    let gz = tar.finish().map_err(io_error)?;
    gz.finish().map_err(io_error)?;
    Ok(())
}

fn io_error(e: std::io::Error) -> PackageError {
    PackageError(e.to_string())
}

fn write_chart<W: Write>(tar: &mut tar::TarWriter<W>, chart: &Chart, prefix: &str) -> Result<()> {
    let name = chart.name();
    if name.is_empty() || name.contains('/') || name.contains('\\') || name == "." || name == ".." {
        return Err(PackageError(format!("chart name \"{name}\" is invalid")));
    }
    let base = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
    let mut entry = |file: &str, data: &[u8], mtime: Option<SystemTime>| -> Result<()> {
        tar.append(&format!("{base}/{file}"), data, mtime_seconds(mtime)).map_err(io_error)
    };

    let mut meta = chart.metadata.clone();
    if meta.api_version == "v1" {
        // v1 charts keep their dependencies in requirements.yaml.
        meta.dependencies.clear();
    }
    let chart_yaml = crate::show::metadata_yaml(&meta).map_err(PackageError)?;
    entry("Chart.yaml", chart_yaml.as_bytes(), chart.modtime)?;

    if meta.api_version == "v2" {
        if let Some(lock) = &chart.lock {
            let (text, generated) = lock_yaml(lock)?;
            entry("Chart.lock", text.as_bytes(), generated)?;
        }
    }
    if let Some(values) = chart.raw.iter().find(|f| f.name == "values.yaml") {
        entry("values.yaml", &values.data, values.modtime)?;
    }
    if let Some(schema) = &chart.schema {
        if serde_json::from_slice::<serde_json::Value>(schema).is_err() {
            return Err(PackageError("invalid JSON in values.schema.json".into()));
        }
        entry("values.schema.json", schema, chart.schema_modtime)?;
    }
    for f in chart.templates.iter().chain(chart.files.iter()) {
        entry(&f.name, &f.data, f.modtime)?;
    }
    let sub_prefix = format!("{base}/charts");
    for dep in &chart.dependencies {
        write_chart(tar, dep, &sub_prefix)?;
    }
    Ok(())
}

/// Chart.lock as `yaml.Marshal(Lock)` writes it, and the time its entry
/// carries (Helm uses `lock.Generated` as the file's mtime).
fn lock_yaml(lock: &Lock) -> Result<(String, Option<SystemTime>)> {
    let generated = epoch::parse_rfc3339(&lock.generated);
    let text = crate::show::lock_yaml(lock).map_err(PackageError)?;
    Ok((text, generated))
}

/// Go's tar writer rounds to the second; a missing time is "now" as in Helm.
fn mtime_seconds(t: Option<SystemTime>) -> i64 {
    let t = t.unwrap_or_else(SystemTime::now);
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64 + i64::from(d.subsec_nanos() >= 500_000_000),
        Err(e) => {
            let d = e.duration();
            -(d.as_secs() as i64) - i64::from(d.subsec_nanos() > 500_000_000)
        }
    }
}

/// `Chart.StampModTimes`: every file of the chart and its subcharts gets
/// time `t` (truncated to seconds), and Chart.lock's `generated` too.
pub fn stamp_mod_times(chart: &mut Chart, t: SystemTime) {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let t = UNIX_EPOCH + std::time::Duration::from_secs(secs);
    chart.modtime = Some(t);
    chart.schema_modtime = Some(t);
    for f in chart.templates.iter_mut().chain(chart.files.iter_mut()).chain(chart.raw.iter_mut()) {
        f.modtime = Some(t);
    }
    if let Some(lock) = &mut chart.lock {
        lock.generated = epoch::format_rfc3339_utc(secs as i64);
    }
    for dep in &mut chart.dependencies {
        stamp_mod_times(dep, t);
    }
}
