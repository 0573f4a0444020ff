//! The release steps, each usable alone as in chart-releaser (`package`,
//! `upload`, `index`) and chained by [`release`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rhelm_chart::metadata::Metadata;

use crate::changed::{self, Changed};
use crate::git::Git;
use crate::github::{GitHub, NewRelease};
use crate::name_template;
use crate::pages::{self, PagesOptions};

#[derive(Debug)]
pub struct ReleaseError(pub String);

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReleaseError {}

macro_rules! from_error {
    ($($t:ty),*) => {$(
        impl From<$t> for ReleaseError {
            fn from(e: $t) -> Self {
                ReleaseError(e.to_string())
            }
        }
    )*};
}
from_error!(crate::git::GitError, crate::github::GitHubError);

pub type Result<T> = std::result::Result<T, ReleaseError>;

/// Where releases are created.
#[derive(Debug, Clone, Default)]
pub struct GitHubOptions {
    pub api_url: String,
    pub owner: String,
    pub repo: String,
    pub token: String,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The directory whose subdirectories are charts, relative to the repository.
    pub charts_dir: String,
    /// Where packages are written, relative to the repository top level.
    pub package_dir: PathBuf,
    pub skip_existing: bool,
    pub release_name_template: String,
    pub make_latest: bool,
    pub generate_release_notes: bool,
    /// A file inside each chart whose text is the release body (else the chart's description).
    pub release_notes_file: Option<String>,
    /// The commit releases tag; empty means the current HEAD.
    pub commit: String,
    pub pages: PagesOptions,
    /// `oci://host/path`: also push every package there.
    pub oci: Option<String>,
    pub oci_plain_http: bool,
    pub github: GitHubOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            charts_dir: "charts".into(),
            package_dir: PathBuf::from(".cr-release-packages"),
            skip_existing: false,
            release_name_template: name_template::DEFAULT.into(),
            make_latest: true,
            generate_release_notes: false,
            release_notes_file: None,
            commit: String::new(),
            pages: PagesOptions::default(),
            oci: None,
            oci_plain_http: false,
            github: GitHubOptions::default(),
        }
    }
}

/// A chart packaged for release.
#[derive(Debug, Clone)]
pub struct Package {
    pub chart_dir: PathBuf,
    pub archive: PathBuf,
    pub metadata: Metadata,
    /// The release (and tag) name.
    pub tag: String,
}

/// What a whole run did, for the summary and the Action's outputs.
#[derive(Debug, Default)]
pub struct Report {
    pub changed: Changed,
    pub packages: Vec<Package>,
    /// Release names skipped because they exist (`--skip-existing`).
    pub skipped: Vec<String>,
    pub released: Vec<String>,
    pub index_updated: bool,
    pub pull_request: Option<String>,
    pub oci_pushed: Vec<String>,
}

pub type Log<'a> = &'a mut dyn FnMut(&str);

fn github(opts: &Options) -> Result<GitHub> {
    let g = &opts.github;
    for (what, v) in [("owner", &g.owner), ("repository", &g.repo), ("token", &g.token)] {
        if v.is_empty() {
            return Err(ReleaseError(format!(
                "no GitHub {what}: pass --owner/--git-repo/--token or set GITHUB_REPOSITORY and GITHUB_TOKEN (or CR_OWNER, CR_GIT_REPO, CR_TOKEN)"
            )));
        }
    }
    Ok(GitHub::new(&g.api_url, &g.owner, &g.repo, &g.token)?)
}

fn release_name(opts: &Options, meta: &Metadata) -> Result<String> {
    name_template::release_name(&opts.release_name_template, meta).map_err(ReleaseError)
}

/// Step 1: the charts that changed since the last release tag.
pub fn changed(git: &Git, opts: &Options, log: Log) -> Result<Changed> {
    log("Looking up latest tag...");
    // Release tags are made on GitHub: bring them in first.
    if let Err(e) = git.run(&["fetch", "--quiet", "--tags", &opts.pages.remote]) {
        log(&format!("WARNING: could not fetch tags from {}: {e}", opts.pages.remote));
    }
    let ch = changed::changed_charts(git, &opts.charts_dir)?;
    match &ch.since {
        Some(tag) => log(&format!("Discovering changed charts since '{tag}'...")),
        None => log("No release tag yet: every chart is new."),
    }
    for w in &ch.warnings {
        log(&format!("WARNING: {w}"));
    }
    Ok(ch)
}

/// Step 2: packages `charts` into the package directory, which starts empty.
/// With `skip_existing`, a chart whose release exists is not packaged.
pub fn package(git: &Git, charts: &[PathBuf], opts: &Options, log: Log) -> Result<(Vec<Package>, Vec<String>)> {
    let dest = git.dir().join(&opts.package_dir);
    if dest.exists() {
        std::fs::remove_dir_all(&dest).map_err(|e| ReleaseError(format!("clearing {}: {e}", dest.display())))?;
    }
    std::fs::create_dir_all(&dest).map_err(|e| ReleaseError(format!("creating {}: {e}", dest.display())))?;
    let gh = if opts.skip_existing { Some(github(opts)?) } else { None };
    let (mut packages, mut skipped) = (Vec::new(), Vec::new());
    for rel in charts {
        let dir = git.dir().join(rel);
        let chart = rhelm_chart::load::load_dir(&dir).map_err(|e| ReleaseError(format!("{}: {}", rel.display(), e.message())))?;
        let tag = release_name(opts, &chart.metadata)?;
        if let Some(gh) = &gh {
            if gh.release_by_tag(&tag)?.is_some() {
                log(&format!("Release {tag} exists: skipping {}", rel.display()));
                skipped.push(tag);
                continue;
            }
        }
        log(&format!("Packaging chart '{}'...", rel.display()));
        let archive = crate::build::package_chart(&dir, &dest)?;
        log(&format!("Successfully packaged chart in {} and saved it to: {}", dir.display(), archive.display()));
        packages.push(Package { chart_dir: rel.clone(), archive, metadata: chart.metadata, tag });
    }
    Ok((packages, skipped))
}

/// The packages already in the package directory (for `upload` and `index` alone).
pub fn packages_in(git: &Git, opts: &Options) -> Result<Vec<Package>> {
    let dir = git.dir().join(&opts.package_dir);
    let mut archives: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| ReleaseError(format!("no packages: {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tgz"))
        .collect();
    archives.sort();
    if archives.is_empty() {
        return Err(ReleaseError(format!("no charts found at {}", dir.display())));
    }
    archives
        .into_iter()
        .map(|archive| {
            let metadata = crate::build::archive_metadata(&archive)?;
            let tag = release_name(opts, &metadata)?;
            Ok(Package { chart_dir: PathBuf::new(), archive, metadata, tag })
        })
        .collect()
}

fn release_notes(pkg: &Package, opts: &Options, log: Log) -> Result<String> {
    if let Some(file) = &opts.release_notes_file {
        let chart = crate::build::archive_chart(&pkg.archive)?;
        if let Some(f) = chart.files.iter().chain(chart.raw.iter()).find(|f| &f.name == file) {
            return Ok(String::from_utf8_lossy(&f.data).into_owned());
        }
        log(&format!("The release note file {file:?}, is not present in the chart package"));
    }
    Ok(pkg.metadata.description.clone())
}

/// Step 3: a GitHub release per package, with the archive (and its
/// provenance file, if any) as assets.
pub fn upload(git: &Git, packages: &[Package], opts: &Options, log: Log) -> Result<Vec<String>> {
    let gh = github(opts)?;
    let commit = if opts.commit.is_empty() { git.head()? } else { opts.commit.clone() };
    let mut released = Vec::new();
    for pkg in packages {
        if opts.skip_existing && gh.release_by_tag(&pkg.tag)?.is_some() {
            log(&format!("Release {} exists: skipping", pkg.tag));
            continue;
        }
        log(&format!("Creating release {}", pkg.tag));
        let new = NewRelease {
            tag_name: pkg.tag.clone(),
            name: pkg.tag.clone(),
            body: release_notes(pkg, opts, log)?,
            target_commitish: commit.clone(),
            generate_release_notes: opts.generate_release_notes,
            make_latest: opts.make_latest,
        };
        let release = gh
            .create_release(&new)
            .map_err(|e| ReleaseError(format!("error creating GitHub release {}: {e}", pkg.tag)))?;
        let prov = PathBuf::from(format!("{}.prov", pkg.archive.display()));
        for asset in std::iter::once(pkg.archive.clone()).chain(prov.is_file().then_some(prov)) {
            gh.upload_asset(&release, &asset)?;
        }
        released.push(pkg.tag.clone());
    }
    Ok(released)
}

/// Step 4: index.yaml on the pages branch gains the released versions.
pub fn index(git: &Git, packages: &[Package], opts: &Options, log: Log) -> Result<pages::IndexOutcome> {
    let gh = github(opts)?;
    let mut urls = Vec::new();
    for pkg in packages {
        let file = pkg.archive.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let url = if opts.pages.packages_with_index {
            // The archive sits beside index.yaml, so its URL is relative.
            String::new()
        } else {
            let release = gh
                .release_by_tag(&pkg.tag)?
                .ok_or_else(|| ReleaseError(format!("release {} not found: upload it before indexing", pkg.tag)))?;
            let asset = release
                .assets
                .iter()
                .find(|a| a.name == file)
                .ok_or_else(|| ReleaseError(format!("release {} has no asset {file}", pkg.tag)))?;
            asset.browser_download_url.clone()
        };
        urls.push((pkg.clone(), url));
    }
    pages::update_index(git, &urls, &opts.pages, &gh, log)
}

/// Step 5: the same archives pushed to an OCI registry.
pub fn push_oci(packages: &[Package], opts: &Options, log: Log) -> Result<Vec<String>> {
    let Some(remote) = &opts.oci else { return Ok(Vec::new()) };
    let mut pushed = Vec::new();
    for pkg in packages {
        let reference = crate::build::push_oci(&pkg.archive, remote, opts.oci_plain_http)?;
        log(&format!("Pushed: {reference}"));
        pushed.push(reference);
    }
    Ok(pushed)
}

/// The whole job: changed → package → upload → index → OCI.
pub fn release(git: &Git, opts: &Options, log: Log) -> Result<Report> {
    let changed = changed(git, opts, log)?;
    let mut report = Report::default();
    if changed.charts.is_empty() {
        log("Nothing to do. No chart changes detected.");
        report.changed = changed;
        return Ok(report);
    }
    let (packages, skipped) = package(git, &changed.charts, opts, log)?;
    report.changed = changed;
    report.skipped = skipped;
    if packages.is_empty() {
        log("Nothing to do. Every changed chart is already released.");
        return Ok(report);
    }
    report.released = upload(git, &packages, opts, log)?;
    let outcome = index(git, &packages, opts, log)?;
    report.index_updated = outcome.updated;
    report.pull_request = outcome.pull_request;
    report.oci_pushed = push_oci(&packages, opts, log)?;
    report.packages = packages;
    Ok(report)
}

/// Now as Go's `time.Now()` prints in index.yaml (RFC 3339, nanoseconds, UTC).
pub(crate) fn now() -> SystemTime {
    SystemTime::now()
}

pub(crate) fn unix_now() -> u64 {
    now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

pub(crate) fn file_name(p: &Path) -> String {
    p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string()
}
