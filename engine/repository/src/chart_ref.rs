//! Resolving a chart argument to an archive on disk, as Helm's
//! `LocateChart` and `ChartDownloader` do: a local path as is; `repo/chart`
//! through the cached index of an added repository; an `http(s)://` URL
//! (with the credentials of the added repository it belongs to); a chart
//! name with `--repo URL`. Downloads land in Helm 4's content cache
//! (`<content-cache>/<xx>/<sha256>.chart`).
//!
//! Unlike Helm, an archive whose sha256 differs from the index's `digest`
//! is refused and nothing of it is kept.

use std::path::{Path, PathBuf};

use crate::http::{self, HttpOptions};
use crate::index::{digest, IndexFile};
use crate::repo_file::{Entry, RepoFile};
use crate::settings::Settings;

/// The chart flags of install/upgrade/template/show/pull.
#[derive(Debug, Clone, Default)]
pub struct ChartOptions {
    /// `--version`: an exact version or a constraint; empty means latest.
    pub version: String,
    /// `--devel`: with no version, allow pre-releases.
    pub devel: bool,
    /// `--repo`: a repository URL to find the chart in without adding it.
    pub repo_url: String,
    pub username: String,
    pub password: String,
    pub pass_credentials_all: bool,
    pub ca_file: String,
    pub cert_file: String,
    pub key_file: String,
    pub insecure_skip_tls_verify: bool,
    /// `--plain-http`: reach OCI registries over HTTP.
    pub plain_http: bool,
}

impl ChartOptions {
    pub fn oci(&self, settings: &Settings) -> crate::oci::OciOptions {
        crate::oci::OciOptions {
            plain_http: self.plain_http,
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
            registry_config: settings.registry_config.clone(),
            username: self.username.clone(),
            password: self.password.clone(),
        }
    }

    fn effective_version(&self) -> String {
        let v = self.version.trim();
        if v.is_empty() && self.devel {
            ">0.0.0-0".into()
        } else {
            v.to_string()
        }
    }

    fn http(&self, credentials_url: &str) -> HttpOptions {
        HttpOptions {
            username: self.username.clone(),
            password: self.password.clone(),
            credentials_url: credentials_url.to_string(),
            pass_credentials_all: self.pass_credentials_all,
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            timeout: None,
        }
    }
}

/// Whether `name` is something only a repository can resolve (not a path).
pub fn is_remote(name: &str, opts: &ChartOptions) -> bool {
    let name = name.trim();
    if !opts.repo_url.is_empty() {
        return true;
    }
    if Path::new(name).exists() || Path::new(name).is_absolute() || name.starts_with('.') {
        return false;
    }
    true
}

/// Where a chart can be downloaded from, and the digest to check it against.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub url: String,
    pub digest: String,
    pub http: HttpOptions,
}

/// `LocateChart` for a remote reference: the path of the archive in the
/// content cache, downloaded if needed.
pub fn locate_chart(name: &str, opts: &ChartOptions, settings: &Settings) -> Result<PathBuf, String> {
    locate_chart_reporting(name, opts, settings, &mut |_| {})
}

/// [`locate_chart`], telling `report` what Helm prints on the way
/// (`Pulled: REF` and `Digest: ...` for registries).
pub fn locate_chart_reporting(name: &str, opts: &ChartOptions, settings: &Settings, report: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
    if crate::oci::is_oci(name.trim()) {
        let pulled = crate::oci::pull(name.trim(), Some(opts.effective_version().as_str()), &opts.oci(settings))?;
        report(&pulled.report());
        let key = digest(&pulled.data);
        let path = settings.content_cache.join(&key[..2]).join(format!("{key}.chart"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        crate::atomic_write(&path, &pulled.data, 0o644)?;
        return Ok(path);
    }
    let resolved = resolve(name.trim(), opts, settings)?;
    let data = fetch_checked(&resolved, settings)?;
    let key = if resolved.digest.is_empty() { digest(&data) } else { resolved.digest.to_ascii_lowercase() };
    let path = settings.content_cache.join(&key[..2.min(key.len())]).join(format!("{key}.chart"));
    if !path.is_file() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        crate::atomic_write(&path, &data, 0o644)?;
    }
    Ok(path)
}

/// `helm pull`: the archive written to `dest` under the URL's file name.
pub fn download_to(name: &str, opts: &ChartOptions, settings: &Settings, dest: &Path) -> Result<PathBuf, String> {
    let resolved = resolve(name.trim(), opts, settings)?;
    let data = fetch_checked(&resolved, settings)?;
    let file = http::file_name(&resolved.url).to_string();
    if file.is_empty() || file == "." || file == ".." {
        return Err(format!("cannot name a file after {}", resolved.url));
    }
    let path = dest.join(file);
    if !dest.is_dir() {
        // Helm writes into the destination as it is, never creating it.
        return Err(format!("open {}: no such file or directory", path.display()));
    }
    crate::atomic_write(&path, &data, 0o644)?;
    Ok(path)
}

/// The provenance file published beside a chart (the archive's URL plus
/// `.prov`, fetched as the archive was) and the archive's published file name.
pub fn fetch_provenance(name: &str, opts: &ChartOptions, settings: &Settings) -> Result<(Vec<u8>, String), String> {
    let resolved = resolve(name.trim(), opts, settings)?;
    let url = format!("{}.prov", resolved.url);
    let data = http::get(&url, &resolved.http).map_err(|_| format!("failed to fetch provenance {url:?}"))?;
    Ok((data, http::file_name(&resolved.url).to_string()))
}

/// The cached archive when its digest is known and present, else a download
/// checked against the digest.
fn fetch_checked(r: &Resolved, settings: &Settings) -> Result<Vec<u8>, String> {
    if !r.digest.is_empty() {
        let key = r.digest.to_ascii_lowercase();
        let cached = settings.content_cache.join(&key[..2.min(key.len())]).join(format!("{key}.chart"));
        if let Ok(data) = std::fs::read(&cached) {
            if digest(&data) == key {
                return Ok(data);
            }
        }
    }
    let data = http::get(&r.url, &r.http)?;
    if !r.digest.is_empty() && !digest(&data).eq_ignore_ascii_case(r.digest.trim_start_matches("sha256:")) {
        return Err(format!(
            "chart archive {} does not match the repository index: its sha256 is {}, the index says {}",
            r.url,
            digest(&data),
            r.digest
        ));
    }
    Ok(data)
}

/// `ResolveChartVersion` (with `FindChartInRepoURL` for `--repo`).
pub fn resolve(name: &str, opts: &ChartOptions, settings: &Settings) -> Result<Resolved, String> {
    let version = opts.effective_version();
    if !opts.repo_url.is_empty() {
        return find_in_repo_url(name, &version, opts);
    }
    let rf = RepoFile::load(&settings.repository_config)?;
    if let Some(rest) = name.strip_prefix("http://").or_else(|| name.strip_prefix("https://")) {
        if rest.contains('/') {
            // A URL inside an added repository gets that repository's credentials and TLS settings.
            let owner = rf.repositories.iter().find(|e| !e.url.is_empty() && name.starts_with(e.url.trim_end_matches('/')));
            let http = match owner {
                Some(e) => HttpOptions::from_entry(e),
                None => opts.http(name),
            };
            return Ok(Resolved { url: name.to_string(), digest: String::new(), http });
        }
    }
    let Some((repo_name, chart)) = name.split_once('/') else {
        return Err(format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"));
    };
    let entry = rf.get(repo_name).ok_or_else(|| format!("repo {repo_name} not found"))?;
    let index_file = crate::cache::index_path(&settings.repository_cache, &entry.name);
    let (index, _) = IndexFile::load(&index_file).map_err(|e| format!("no cached repo found. (try 'helm repo update'): {e}"))?;
    let cv = index.get(chart, &version).map_err(|e| {
        format!("chart {chart:?} matching {version} not found in {} index. (try 'helm repo update'): {e}", entry.name)
    })?;
    let first = cv.urls.first().ok_or_else(|| format!("chart {name:?} has no downloadable URLs"))?;
    let url = http::resolve_reference(&entry.url, first).map_err(|_| format!("invalid chart URL format: {name}"))?;
    Ok(Resolved { url, digest: cv.digest.clone(), http: entry_http(entry, opts) })
}

/// The repository's own credentials and TLS files, or the flags'.
fn entry_http(e: &Entry, opts: &ChartOptions) -> HttpOptions {
    let mut h = HttpOptions::from_entry(e);
    if h.username.is_empty() && h.password.is_empty() {
        h.username = opts.username.clone();
        h.password = opts.password.clone();
    }
    if h.ca_file.is_empty() && h.cert_file.is_empty() && h.key_file.is_empty() {
        h.ca_file = opts.ca_file.clone();
        h.cert_file = opts.cert_file.clone();
        h.key_file = opts.key_file.clone();
    }
    h.insecure_skip_tls_verify |= opts.insecure_skip_tls_verify;
    h
}

fn find_in_repo_url(chart: &str, version: &str, opts: &ChartOptions) -> Result<Resolved, String> {
    let http_opts = opts.http(&opts.repo_url);
    let index_url = http::resolve_reference(&opts.repo_url, "index.yaml")?;
    let data = http::get(&index_url, &http_opts).map_err(|e| format!("looks like {:?} is not a valid chart repository or cannot be reached: {e}", opts.repo_url))?;
    let (index, _) = IndexFile::parse(&data, &opts.repo_url).map_err(|e| format!("looks like {:?} is not a valid chart repository or cannot be reached: {e}", opts.repo_url))?;
    let cv = index.get(chart, version).map_err(|_| {
        if version.is_empty() {
            format!("chart {chart:?} not found in {} repository", opts.repo_url)
        } else {
            format!("chart {chart:?} version {version:?} not found in {} repository", opts.repo_url)
        }
    })?;
    let first = cv.urls.first().ok_or_else(|| format!("chart {chart:?} has no downloadable URLs"))?;
    let url = http::resolve_reference(&opts.repo_url, first)?;
    // Credentials go to the chart's host only if it is the repository's.
    let mut h = opts.http(&opts.repo_url);
    if !opts.pass_credentials_all && !url.starts_with(opts.repo_url.trim_end_matches('/')) {
        h.username.clear();
        h.password.clear();
    }
    Ok(Resolved { url, digest: cv.digest.clone(), http: h })
}
