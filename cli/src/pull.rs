//! `rhelm pull`: download a chart from a repository (and unpack it).

use std::path::{Path, PathBuf};

use rhelm_repository::chart_ref::{self, ChartOptions};

use crate::releases::{self, Global};

#[derive(clap::Args)]
pub struct Args {
    #[arg(required = true, value_name = "chart URL | repo/chartname")]
    charts: Vec<String>,
    #[command(flatten)]
    chart: ChartFlags,
    /// if set to true, will untar the chart after downloading it
    #[arg(long)]
    untar: bool,
    /// if untar is specified, this flag specifies the name of the directory into which the chart is expanded
    #[arg(long, default_value = ".")]
    untardir: PathBuf,
    /// location to write the chart. If this and untardir are specified, untardir is appended to this
    #[arg(short = 'd', long, default_value = ".")]
    destination: PathBuf,
    /// fetch the provenance file, but don't perform verification
    #[arg(long)]
    prov: bool,
    #[command(flatten)]
    global: Global,
}

/// The chart-locating flags Helm's install, upgrade, template, show and pull share.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ChartFlags {
    /// specify a version constraint for the chart version to use
    #[arg(long = "version", default_value = "")]
    pub version: String,
    /// use development versions, too. Equivalent to version '>0.0.0-0'
    #[arg(long)]
    pub devel: bool,
    /// chart repository url where to locate the requested chart
    #[arg(long = "repo", default_value = "")]
    pub repo: String,
    /// chart repository username where to locate the requested chart
    #[arg(long, default_value = "")]
    pub username: String,
    /// chart repository password where to locate the requested chart
    #[arg(long, default_value = "")]
    pub password: String,
    /// pass credentials to all domains
    #[arg(long)]
    pub pass_credentials: bool,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long, default_value = "")]
    pub ca_file: String,
    /// identify HTTPS client using this SSL certificate file
    #[arg(long, default_value = "")]
    pub cert_file: String,
    /// identify HTTPS client using this SSL key file
    #[arg(long, default_value = "")]
    pub key_file: String,
    /// skip tls certificate checks for the chart download
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,
    /// use insecure HTTP connections for the chart download
    #[arg(long)]
    pub plain_http: bool,
    /// verify the package before using it
    #[arg(long)]
    pub verify: bool,
    /// location of public keys used for verification
    #[arg(long, default_value_t = crate::package::default_keyring())]
    pub keyring: String,
}

impl ChartFlags {
    pub fn options(&self) -> ChartOptions {
        ChartOptions {
            version: self.version.clone(),
            devel: self.devel,
            repo_url: self.repo.clone(),
            username: self.username.clone(),
            password: self.password.clone(),
            pass_credentials_all: self.pass_credentials,
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            plain_http: self.plain_http,
        }
    }
}

/// A chart argument as a local path: remote references are downloaded to
/// Helm's content cache first.
pub fn locate(name: &str, flags: &ChartFlags, global: &Global) -> Result<String, String> {
    locate_reporting(name, flags, global, false)
}

/// [`locate`]; registry pulls are reported on stdout when `to_stdout` (as
/// install and upgrade do), else on stderr (template and show).
pub fn locate_reporting(name: &str, flags: &ChartFlags, global: &Global, to_stdout: bool) -> Result<String, String> {
    let opts = flags.options();
    if !chart_ref::is_remote(name, &opts) {
        if flags.verify {
            let abs = std::path::absolute(name).map_err(|e| e.to_string())?;
            verify_chart(&abs, &PathBuf::from(format!("{}.prov", abs.display())), &flags.keyring)?;
        }
        return Ok(name.to_string());
    }
    let settings = releases::repo_settings(global);
    let path = chart_ref::locate_chart_reporting(name, &opts, &settings, &mut |line| {
        if to_stdout {
            print!("{line}")
        } else {
            eprint!("{line}")
        }
    })?;
    if flags.verify {
        let (prov, published) = chart_ref::fetch_provenance(name, &opts, &settings)?;
        let prov_path = PathBuf::from(format!("{}.prov", path.display()));
        std::fs::write(&prov_path, prov).map_err(|e| format!("{}: {e}", prov_path.display()))?;
        verify_file_named(&path, &prov_path, &flags.keyring, &published)?;
    }
    Ok(path.to_string_lossy().into_owned())
}

/// Helm's `VerifyChart`: a local archive against its `.prov`.
fn verify_chart(archive: &Path, prov: &Path, keyring: &str) -> Result<rhelm_provenance::Verification, String> {
    match std::fs::metadata(archive) {
        Err(_) => return Err(format!("stat {}: no such file or directory", archive.display())),
        Ok(m) if m.is_dir() => return Err("unpacked charts cannot be verified".into()),
        Ok(_) => {}
    }
    if std::fs::metadata(prov).is_err() {
        return Err(format!("could not load provenance file {}: stat {}: no such file or directory", prov.display(), prov.display()));
    }
    rhelm_provenance::verify(archive, prov, Path::new(keyring)).map_err(|e| e.to_string())
}

/// Verification of a downloaded archive whose cache name is not the
/// archive's own: the provenance names the file as published.
fn verify_file_named(archive: &Path, prov: &Path, keyring: &str, published: &str) -> Result<rhelm_provenance::Verification, String> {
    let dir = std::env::temp_dir().join(format!("rhelm-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let named = dir.join(published);
    let copy = std::fs::copy(archive, &named).map_err(|e| e.to_string());
    let result = copy.and_then(|_| verify_chart(&named, prov, keyring));
    let _ = std::fs::remove_dir_all(&dir);
    result
}


pub fn run(args: &Args) -> Result<String, String> {
    let settings = releases::repo_settings(&args.global);
    let opts = args.chart.options();
    let mut out = String::new();
    for chart in &args.charts {
        if rhelm_repository::oci::is_oci(chart) {
            let pulled = rhelm_repository::oci::pull(chart, Some(opts.version.as_str()), &opts.oci(&settings))?;
            // Helm reports the pull before it writes the file.
            print!("{}", pulled.report());
            let tmp;
            let dest = if args.untar {
                tmp = tempdir(&args.destination)?;
                tmp.0.clone()
            } else {
                args.destination.clone()
            };
            let saved = dest.join(&pulled.file_name);
            if !dest.is_dir() {
                return Err(format!("open {}: no such file or directory", saved.display()));
            }
            std::fs::write(&saved, &pulled.data).map_err(|e| format!("{}: {e}", saved.display()))?;
            if args.untar {
                let dir = if args.untardir.is_absolute() { args.untardir.clone() } else { clean_join(&args.destination, &args.untardir) };
                expand(&saved, &dir)?;
            }
            continue;
        }
        let tmp;
        let dest = if args.untar {
            tmp = tempdir(&args.destination)?;
            tmp.0.clone()
        } else {
            args.destination.clone()
        };
        let saved = chart_ref::download_to(chart, &opts, &settings, &dest)?;
        if args.chart.verify || args.prov {
            let (prov, _) = chart_ref::fetch_provenance(chart, &opts, &settings)?;
            let prov_path = PathBuf::from(format!("{}.prov", saved.display()));
            std::fs::write(&prov_path, prov).map_err(|e| format!("{}: {e}", prov_path.display()))?;
            if args.chart.verify {
                let v = verify_chart(&saved, &prov_path, &args.chart.keyring)?;
                out.push_str(&v.report());
            }
        }
        if args.untar {
            let dir = if args.untardir.is_absolute() { args.untardir.clone() } else { clean_join(&args.destination, &args.untardir) };
            expand(&saved, &dir)?;
        }
    }
    out.push_str("");
    Ok(out)
}

/// `filepath.Join`: `.` components dropped.
fn clean_join(a: &Path, b: &Path) -> PathBuf {
    a.join(b).components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir(near: &Path) -> Result<TempDir, String> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let p = std::env::temp_dir().join(format!("rhelm-pull-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&p).map_err(|e| format!("{}: {e} (near {})", p.display(), near.display()))?;
    Ok(TempDir(p))
}

/// `chartutil.ExpandFile`: the archive's files under `dir/<chart name>/`,
/// read through the safe archive reader (no `..`, no links, size limits).
fn expand(archive: &Path, dir: &Path) -> Result<(), String> {
    if dir.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return Err("root path provided to SecureJoin contains '..' components".into());
    }
    let data = std::fs::read(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    let files = rhelm_chart::load::archive_files(&data).map_err(|e| e.to_string())?;
    let chart = rhelm_chart::load::load_files(files.clone()).map_err(|e| e.to_string())?;
    let name = chart.name().to_string();
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(format!("chart name {name:?} is invalid"));
    }
    let target = dir.join(&name);
    if target.exists() {
        return Err(format!("failed to untar: a file or directory with the name {} already exists", target.display()));
    }
    for f in files {
        let path = target.join(&f.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &*f.data).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
