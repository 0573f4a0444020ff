//! `rhelm release`: chart-releaser's whole job in one command, and each of
//! its steps alone (`changed`, `package`, `upload`, `index`).
//!
//! Owner, repository and token come from flags, else from `CR_*` (what
//! chart-releaser reads), else from what GitHub Actions provides
//! (`GITHUB_REPOSITORY`, `GITHUB_TOKEN`, `GITHUB_API_URL`). In Actions the
//! outputs `changed_charts` and `chart_version` go to `GITHUB_OUTPUT`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use rhelm_publish::git::Git;
use rhelm_publish::github::DEFAULT_API_URL;
use rhelm_publish::pages::PagesOptions;
use rhelm_publish::releaser::{self, GitHubOptions, Options, Report};

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    step: Option<Step>,
    #[command(flatten)]
    flags: Flags,
}

#[derive(Subcommand)]
enum Step {
    /// list the charts changed since the last release tag
    Changed,
    /// package the changed charts into the package directory
    Package,
    /// create a GitHub release for each package in the package directory
    Upload,
    /// add the released packages to index.yaml on the pages branch
    Index,
}

#[derive(ClapArgs)]
struct Flags {
    /// directory whose subdirectories are charts
    #[arg(long, global = true, default_value = "charts", env = "CR_CHARTS_DIR")]
    charts_dir: String,
    /// GitHub user or organisation owning the repository (default: from GITHUB_REPOSITORY)
    #[arg(short = 'o', long, global = true, env = "CR_OWNER")]
    owner: Option<String>,
    /// GitHub repository name (default: from GITHUB_REPOSITORY)
    #[arg(short = 'r', long, global = true, env = "CR_GIT_REPO")]
    git_repo: Option<String>,
    /// GitHub token (default: CR_TOKEN, then GITHUB_TOKEN)
    #[arg(short = 't', long, global = true, hide_env_values = true, env = "CR_TOKEN")]
    token: Option<String>,
    /// GitHub API URL; for GitHub Enterprise https://HOST/api/v3/ (default: GITHUB_API_URL, then https://api.github.com/)
    #[arg(long, visible_alias = "git-base-url", global = true)]
    github_api_url: Option<String>,
    /// git remote of the pages branch
    #[arg(long, global = true, default_value = "origin")]
    remote: String,
    /// branch GitHub Pages publishes
    #[arg(long, global = true, default_value = "gh-pages")]
    pages_branch: String,
    /// path of index.yaml inside the pages branch
    #[arg(long, global = true, default_value = "index.yaml")]
    pages_index_path: String,
    /// where packages are written
    #[arg(short = 'p', long, global = true, default_value = ".cr-release-packages")]
    package_path: PathBuf,
    /// local copy of the updated index
    #[arg(short = 'i', long, global = true, default_value = ".cr-index/index.yaml")]
    index_path: PathBuf,
    /// release name template: {name}, {version}, {appVersion}, or a Go template over the chart metadata
    #[arg(short = 'n', long, global = true, default_value = "{name}-{version}")]
    release_name_template: String,
    /// skip charts whose release already exists
    #[arg(long, global = true)]
    skip_existing: bool,
    /// mark the created releases as the repository's latest
    #[arg(long, global = true, default_value_t = true, action = clap::ArgAction::Set)]
    make_release_latest: bool,
    /// let GitHub generate the release notes
    #[arg(long, global = true)]
    generate_release_notes: bool,
    /// file inside each chart whose text is the release notes (default: the chart's description)
    #[arg(long, global = true)]
    release_notes_file: Option<String>,
    /// commit the release tags point to (default: HEAD)
    #[arg(short = 'c', long, global = true)]
    commit: Option<String>,
    /// keep the archives beside index.yaml on the pages branch
    #[arg(long, global = true)]
    packages_with_index: bool,
    /// open a pull request against the pages branch instead of pushing to it
    #[arg(long, global = true)]
    pr: bool,
    /// write the index locally only; leave the pages branch alone
    #[arg(long, global = true, conflicts_with = "pr")]
    no_push: bool,
    /// also push every package to this OCI registry path (oci://host/path)
    #[arg(long, global = true)]
    oci: Option<String>,
    /// use plain HTTP for the OCI registry
    #[arg(long, global = true)]
    plain_http: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn options(f: &Flags) -> Options {
    let (repo_owner, repo_name) = env("GITHUB_REPOSITORY")
        .and_then(|r| r.split_once('/').map(|(o, n)| (o.to_string(), n.to_string())))
        .unzip();
    let token = f.token.clone().or_else(|| env("GITHUB_TOKEN")).unwrap_or_default();
    Options {
        charts_dir: f.charts_dir.clone(),
        package_dir: f.package_path.clone(),
        skip_existing: f.skip_existing,
        release_name_template: f.release_name_template.clone(),
        make_latest: f.make_release_latest,
        generate_release_notes: f.generate_release_notes,
        release_notes_file: f.release_notes_file.clone(),
        commit: f.commit.clone().unwrap_or_default(),
        pages: PagesOptions {
            remote: f.remote.clone(),
            branch: f.pages_branch.clone(),
            index_path: f.pages_index_path.clone(),
            packages_with_index: f.packages_with_index,
            push: !f.pr && !f.no_push,
            pr: f.pr,
            local_index: f.index_path.clone(),
            token: token.clone(),
        },
        oci: f.oci.clone(),
        oci_plain_http: f.plain_http,
        github: GitHubOptions {
            api_url: f.github_api_url.clone().or_else(|| env("GITHUB_API_URL")).unwrap_or_else(|| DEFAULT_API_URL.into()),
            owner: f.owner.clone().or(repo_owner).unwrap_or_default(),
            repo: f.git_repo.clone().or(repo_name).unwrap_or_default(),
            token,
        },
    }
}

pub fn run(args: &Args) -> ExitCode {
    match run_step(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_step(args: &Args) -> Result<(), String> {
    let opts = options(&args.flags);
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let git = Git::discover(&cwd).map_err(|e| e.to_string())?;
    let mut log = |line: &str| println!("{line}");
    let err = |e: releaser::ReleaseError| e.to_string();
    match args.step {
        None => {
            let report = releaser::release(&git, &opts, &mut log).map_err(err)?;
            summarize(&report);
            write_outputs(&report)
        }
        Some(Step::Changed) => {
            let changed = releaser::changed(&git, &opts, &mut |l| eprintln!("{l}")).map_err(err)?;
            for c in &changed.charts {
                println!("{}", c.display());
            }
            Ok(())
        }
        Some(Step::Package) => {
            let changed = releaser::changed(&git, &opts, &mut log).map_err(err)?;
            releaser::package(&git, &changed.charts, &opts, &mut log).map_err(err)?;
            Ok(())
        }
        Some(Step::Upload) => {
            let packages = releaser::packages_in(&git, &opts).map_err(err)?;
            releaser::upload(&git, &packages, &opts, &mut log).map_err(err)?;
            Ok(())
        }
        Some(Step::Index) => {
            let packages = releaser::packages_in(&git, &opts).map_err(err)?;
            releaser::index(&git, &packages, &opts, &mut log).map_err(err)?;
            Ok(())
        }
    }
}

fn summarize(r: &Report) {
    if !r.released.is_empty() {
        println!("Released: {}", r.released.join(", "));
    }
    if !r.oci_pushed.is_empty() {
        println!("Pushed to OCI: {}", r.oci_pushed.join(", "));
    }
}

/// The Action's outputs: which chart directories changed, and the versions released.
fn write_outputs(r: &Report) -> Result<(), String> {
    let Some(path) = env("GITHUB_OUTPUT") else { return Ok(()) };
    let charts: Vec<String> = r.changed.charts.iter().map(|c| c.display().to_string()).collect();
    let versions: Vec<&str> = r.packages.iter().map(|p| p.metadata.version.as_str()).collect();
    let text = format!("changed_charts={}\nchart_version={}\n", charts.join(","), versions.join(","));
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("writing the outputs to {path}: {e}"))
}
