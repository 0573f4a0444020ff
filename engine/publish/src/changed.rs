//! Which charts need a release: those under the charts directory with a
//! change since the newest release tag.
//!
//! chart-releaser-action diffs against the newest tag reachable from
//! `HEAD~`; we ask from `HEAD`, which is the same for a new commit and, for a
//! commit that is itself already tagged (a re-run), correctly finds nothing.
//! With no tag at all every chart is new, where the action would diff against
//! the first commit and miss charts that commit added.

use std::path::{Component, Path, PathBuf};

use crate::git::{Git, GitError};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// The tag compared against, None when the repository has no tag.
    pub since: Option<String>,
    /// Chart directories relative to the repository's top level, in order.
    pub charts: Vec<PathBuf>,
    /// Changed directories that are not charts.
    pub warnings: Vec<String>,
}

/// `charts_dir` relative to the top level, as `a/b` (no `./`, no trailing `/`).
pub fn normalize_dir(charts_dir: &str) -> Result<String, GitError> {
    let mut parts = Vec::new();
    for c in Path::new(charts_dir).components() {
        match c {
            Component::CurDir => {}
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => return Err(GitError(format!("charts directory {charts_dir:?} must be a relative path inside the repository"))),
        }
    }
    if parts.is_empty() {
        return Err(GitError(format!("charts directory {charts_dir:?} names no directory")));
    }
    Ok(parts.join("/"))
}

pub fn changed_charts(git: &Git, charts_dir: &str) -> Result<Changed, GitError> {
    let dir = normalize_dir(charts_dir)?;
    let since = git.latest_tag("HEAD");
    let candidates = match &since {
        Some(tag) => {
            let depth = dir.split('/').count() + 1;
            let mut dirs: Vec<String> = Vec::new();
            for path in git.changed_paths(tag, &dir)? {
                let parts: Vec<&str> = path.split('/').collect();
                if parts.len() < depth + 1 {
                    // A file directly in the charts directory is no chart.
                    continue;
                }
                let chart = parts[..depth].join("/");
                if !dirs.contains(&chart) {
                    dirs.push(chart);
                }
            }
            dirs
        }
        None => every_chart_dir(&git.dir().join(&dir))
            .into_iter()
            .map(|name| format!("{dir}/{name}"))
            .collect(),
    };
    let mut changed = Changed { since, ..Changed::default() };
    for rel in candidates {
        let abs = git.dir().join(&rel);
        if !abs.is_dir() {
            // Deleted since the tag: nothing to release.
            continue;
        }
        if abs.join("Chart.yaml").is_file() {
            changed.charts.push(PathBuf::from(rel));
        } else {
            changed.warnings.push(format!("{rel}/Chart.yaml is missing, assuming that '{rel}' is not a Helm chart. Skipping."));
        }
    }
    Ok(changed)
}

fn every_chart_dir(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("Chart.yaml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_dir_is_normalized() {
        assert_eq!(normalize_dir("./charts/").unwrap(), "charts");
        assert_eq!(normalize_dir("deploy/charts").unwrap(), "deploy/charts");
        assert!(normalize_dir("../x").is_err());
        assert!(normalize_dir("/abs").is_err());
        assert!(normalize_dir(".").is_err());
    }
}
