//! index.yaml on the pages branch: read it from the remote, add what was
//! released, commit, and push it (or push a branch and open a pull request).
//!
//! The branch is edited in a temporary worktree, so the user's checkout and
//! index are never touched. A push that loses a race with another writer is
//! redone on top of the new remote branch, up to three times.

use std::path::{Path, PathBuf};

use crate::build;
use crate::git::Git;
use crate::github::GitHub;
use crate::releaser::{file_name, unix_now, Log, Package, ReleaseError, Result};

#[derive(Debug, Clone)]
pub struct PagesOptions {
    pub remote: String,
    pub branch: String,
    /// index.yaml's path inside the pages branch.
    pub index_path: String,
    /// Archives are committed beside index.yaml and indexed by relative URL.
    pub packages_with_index: bool,
    pub push: bool,
    pub pr: bool,
    /// A local copy of the new index.yaml, relative to the repository.
    pub local_index: PathBuf,
    /// Put into an https push URL, as chart-releaser does.
    pub token: String,
}

impl Default for PagesOptions {
    fn default() -> Self {
        PagesOptions {
            remote: "origin".into(),
            branch: "gh-pages".into(),
            index_path: "index.yaml".into(),
            packages_with_index: false,
            push: false,
            pr: false,
            local_index: PathBuf::from(".cr-index/index.yaml"),
            token: String::new(),
        }
    }
}

#[derive(Debug, Default)]
pub struct IndexOutcome {
    pub updated: bool,
    pub pushed: bool,
    pub pull_request: Option<String>,
}

const ATTEMPTS: usize = 3;

/// Adds each `(package, download URL)` to the pages branch's index.
pub fn update_index(git: &Git, urls: &[(Package, String)], opts: &PagesOptions, gh: &GitHub, log: Log) -> Result<IndexOutcome> {
    let mut last_error = None;
    for attempt in 1..=ATTEMPTS {
        match try_update(git, urls, opts, gh, log) {
            Ok(outcome) => return Ok(outcome),
            Err(Attempt::Lost(e)) if attempt < ATTEMPTS => {
                log(&format!("The {} branch moved while we wrote it ({e}); trying again", opts.branch));
                last_error = Some(e);
            }
            Err(Attempt::Lost(e)) | Err(Attempt::Failed(e)) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| ReleaseError("index update failed".into())))
}

enum Attempt {
    /// Another writer pushed first; worth redoing.
    Lost(ReleaseError),
    Failed(ReleaseError),
}

impl<E: Into<ReleaseError>> From<E> for Attempt {
    fn from(e: E) -> Self {
        Attempt::Failed(e.into())
    }
}

fn try_update(git: &Git, urls: &[(Package, String)], opts: &PagesOptions, gh: &GitHub, log: Log) -> std::result::Result<IndexOutcome, Attempt> {
    check_index_path(&opts.index_path)?;
    let tree = Worktree::of_remote_branch(git, &opts.remote, &opts.branch)?;
    let index_file = tree.dir.join(&opts.index_path);
    log(&format!("Loading index file from git repository {}/{}:{}", opts.remote, opts.branch, opts.index_path));
    let mut index = build::load_or_new_index(&index_file)?;
    let mut updated = false;
    for (pkg, url) in urls {
        let (name, version) = (&pkg.metadata.name, &pkg.metadata.version);
        if build::index_has(&index, name, version) {
            log(&format!("Index already has {name} {version}"));
            continue;
        }
        let file = file_name(&pkg.archive);
        log(&format!("Found {file}"));
        let base = match url.rsplit_once('/') {
            Some((base, _)) if !opts.packages_with_index => base.to_string(),
            _ => String::new(),
        };
        build::index_add(&mut index, &pkg.archive, &base)?;
        if opts.packages_with_index {
            let dest_dir = index_file.parent().unwrap_or(&tree.dir).to_path_buf();
            copy(&pkg.archive, &dest_dir.join(&file))?;
            let prov = PathBuf::from(format!("{}.prov", pkg.archive.display()));
            if prov.is_file() {
                copy(&prov, &dest_dir.join(format!("{file}.prov")))?;
            }
        }
        updated = true;
    }
    if !updated {
        log(&format!("Index {} did not change", opts.index_path));
        return Ok(IndexOutcome::default());
    }
    log(&format!("Updating index {}", opts.index_path));
    build::write_index(&mut index, &index_file)?;
    let local = git.dir().join(&opts.local_index);
    if let Some(parent) = local.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ReleaseError(format!("creating {}: {e}", parent.display())))?;
    }
    copy(&index_file, &local)?;
    if !opts.push && !opts.pr {
        log(&format!("Index written to {} (neither --push nor --pr: the pages branch is unchanged)", local.display()));
        return Ok(IndexOutcome { updated: true, ..IndexOutcome::default() });
    }
    let wt = Git::at(&tree.dir).with_secret(Some(opts.token.clone()));
    wt.run(&["add", "--all", "--", "."])?;
    commit(&wt, &format!("Update {}", opts.index_path))?;
    let target = push_target(git, opts)?;
    if opts.push {
        log(&format!("Pushing to branch {:?}", opts.branch));
        push(&wt, &target, &opts.branch)?;
        return Ok(IndexOutcome { updated: true, pushed: true, pull_request: None });
    }
    let branch = format!("rhelm-release-{}-{}", unix_now(), std::process::id());
    log(&format!("Pushing to branch {branch:?}"));
    push(&wt, &target, &branch)?;
    log(&format!("Creating pull request against branch {:?}", opts.branch));
    let body = format!("Adds {} to {}.", urls.iter().map(|(p, _)| p.tag.as_str()).collect::<Vec<_>>().join(", "), opts.index_path);
    let url = gh.create_pull_request(&format!("Update {}", opts.index_path), &body, &branch, &opts.branch)?;
    log(&format!("Pull request created: {url}"));
    Ok(IndexOutcome { updated: true, pushed: true, pull_request: Some(url) })
}

fn check_index_path(p: &str) -> Result<()> {
    let path = Path::new(p);
    let inside = path.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside || path.file_name().is_none_or(|n| n != "index.yaml") {
        return Err(ReleaseError(format!("pages index path {p:?} must be a relative path to a file called index.yaml")));
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ReleaseError(format!("creating {}: {e}", parent.display())))?;
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| ReleaseError(format!("copying {} to {}: {e}", from.display(), to.display())))
}

/// Commits as the configured user, or as rhelm when the runner has none
/// (a fresh Actions runner has no git identity).
fn commit(wt: &Git, message: &str) -> Result<()> {
    let has_identity = wt.succeeds(&["config", "user.email"]);
    let mut args: Vec<String> = Vec::new();
    if !has_identity {
        args.extend(["-c", "user.name=rhelm release", "-c", "user.email=rhelm-release@users.noreply.github.com"].map(String::from));
    }
    args.extend(["commit", "--quiet", "--signoff", "--message", message].map(String::from));
    wt.run(&args)?;
    Ok(())
}

/// The remote name, or for an https remote with a token, its URL carrying
/// the token as chart-releaser does (Actions' `GITHUB_TOKEN` works so).
fn push_target(git: &Git, opts: &PagesOptions) -> Result<String> {
    let url = git.remote_url(&opts.remote)?;
    if opts.token.is_empty() {
        return Ok(opts.remote.clone());
    }
    match url.strip_prefix("https://") {
        Some(rest) if !rest.split('/').next().unwrap_or_default().contains('@') => {
            Ok(format!("https://x-access-token:{}@{rest}", opts.token))
        }
        _ => Ok(opts.remote.clone()),
    }
}

fn push(wt: &Git, target: &str, branch: &str) -> std::result::Result<(), Attempt> {
    match wt.run(&["push", "--quiet", target, &format!("HEAD:refs/heads/{branch}")]) {
        Ok(_) => Ok(()),
        Err(e) if e.0.contains("[rejected]") || e.0.contains("non-fast-forward") || e.0.contains("fetch first") => {
            Err(Attempt::Lost(e.into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// A temporary worktree of the remote pages branch (or, when the remote has
/// none yet, of a new empty history), removed when dropped.
struct Worktree {
    repo: Git,
    dir: PathBuf,
    orphan_branch: Option<String>,
}

impl Worktree {
    fn of_remote_branch(git: &Git, remote: &str, branch: &str) -> Result<Worktree> {
        let dir = std::env::temp_dir().join(format!("rhelm-pages-{}-{}", std::process::id(), unix_nanos()));
        let path = dir.to_string_lossy().into_owned();
        if git.remote_has_branch(remote, branch)? {
            let tracking = format!("refs/remotes/{remote}/{branch}");
            git.run(&["fetch", "--quiet", remote, &format!("+refs/heads/{branch}:{tracking}")])?;
            git.run(&["worktree", "add", "--quiet", "--detach", &path, &tracking])?;
            return Ok(Worktree { repo: git.clone(), dir, orphan_branch: None });
        }
        let orphan = format!("rhelm-new-pages-{}", unix_nanos());
        git.run(&["worktree", "add", "--quiet", "--detach", &path])?;
        let tree = Worktree { repo: git.clone(), dir: dir.clone(), orphan_branch: Some(orphan.clone()) };
        let wt = Git::at(&dir);
        wt.run(&["checkout", "--quiet", "--orphan", &orphan])?;
        wt.run(&["rm", "-r", "--quiet", "--force", "--ignore-unmatch", "."])?;
        Ok(tree)
    }
}

impl Drop for Worktree {
    fn drop(&mut self) {
        let path = self.dir.to_string_lossy().into_owned();
        let _ = self.repo.run(&["worktree", "remove", "--force", &path]);
        if let Some(b) = &self.orphan_branch {
            let _ = self.repo.run(&["branch", "-D", "--quiet", b]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unix_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}
