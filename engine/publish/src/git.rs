//! The git operations of a release, through the `git` program.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug)]
pub struct GitError(pub String);

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

type Result<T> = std::result::Result<T, GitError>;

/// A git work tree, where every command runs.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    /// Text never shown in an error (a token inside a push URL).
    secret: Option<String>,
}

impl Git {
    /// The repository that contains `dir`, at its top level.
    pub fn discover(dir: &Path) -> Result<Git> {
        let probe = Git { dir: dir.to_path_buf(), secret: None };
        let top = probe.text(["rev-parse", "--show-toplevel"])?;
        Ok(Git { dir: PathBuf::from(top), secret: None })
    }

    pub fn at(dir: &Path) -> Git {
        Git { dir: dir.to_path_buf(), secret: None }
    }

    pub fn with_secret(mut self, secret: Option<String>) -> Git {
        self.secret = secret.filter(|s| !s.is_empty());
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn output<I, S>(&self, args: I) -> Result<Output>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_os_string()).collect();
        Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(&args)
            // Never wait for a password prompt in CI.
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(|e| GitError(format!("cannot run git: {e}")))
    }

    fn describe(&self, args: &[impl AsRef<OsStr>]) -> String {
        let shown: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        self.mask(&format!("git {}", shown.join(" ")))
    }

    fn mask(&self, text: &str) -> String {
        match &self.secret {
            Some(s) => text.replace(s.as_str(), "***"),
            None => text.to_string(),
        }
    }

    /// Runs git and fails with its own message when it does.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<String> {
        let out = self.output(args)?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(GitError(format!("{} (in {}): {}", self.describe(args), self.dir.display(), self.mask(stderr.trim()))));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn text<const N: usize>(&self, args: [&str; N]) -> Result<String> {
        Ok(self.run(&args)?.trim().to_string())
    }

    /// Runs git, reporting only whether it succeeded.
    pub fn succeeds<S: AsRef<OsStr>>(&self, args: &[S]) -> bool {
        self.output(args).map(|o| o.status.success()).unwrap_or(false)
    }

    /// The newest tag reachable from `rev`, if any.
    pub fn latest_tag(&self, rev: &str) -> Option<String> {
        let out = self.output(["describe", "--tags", "--abbrev=0", rev]).ok()?;
        let tag = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !tag.is_empty()).then_some(tag)
    }

    /// Paths (relative to the top level) changed between `since` and the
    /// work tree, under `pathspec`.
    pub fn changed_paths(&self, since: &str, pathspec: &str) -> Result<Vec<String>> {
        let out = self.run(&["diff", "--find-renames", "--name-only", since, "--", pathspec])?;
        Ok(out.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
    }

    pub fn head(&self) -> Result<String> {
        self.text(["rev-parse", "HEAD"])
    }

    pub fn remote_url(&self, remote: &str) -> Result<String> {
        self.text(["remote", "get-url", "--push", remote])
    }

    /// Whether `remote` has `branch`.
    pub fn remote_has_branch(&self, remote: &str, branch: &str) -> Result<bool> {
        let out = self.run(&["ls-remote", "--heads", remote, &format!("refs/heads/{branch}")])?;
        Ok(!out.trim().is_empty())
    }
}
