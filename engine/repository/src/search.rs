//! `helm search repo` (Helm's `pkg/cmd/search`): a line per chart of every
//! cached repository index, `name \v repo/name \v description \v keywords`,
//! searched case-insensitively (or by regular expression); the score is the
//! field the match starts in, and results sort by score, then name, then
//! version (newest first).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rhelm_functions::semver::{Constraints, Version};

use crate::index::{ChartVersion, IndexFile};
use crate::repo_file::RepoFile;

/// Matches beyond this field (past the description) do not count.
const MAX_SCORE: usize = 25;
const SEP: char = '\u{0b}';

#[derive(Debug, Clone)]
pub struct SearchResult {
    /// `repo/chart`.
    pub name: String,
    pub score: usize,
    pub chart: ChartVersion,
}

#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub regexp: bool,
    pub versions: bool,
    pub devel: bool,
    /// A semver constraint; empty means `>0.0.0` (or `>0.0.0-0` with devel).
    pub version: String,
}

/// The lines of the search index, keyed as Helm keys them.
struct SearchIndex {
    lines: BTreeMap<String, (String, ChartVersion)>,
}

impl SearchIndex {
    fn add_repo(&mut self, repo: &str, index: &IndexFile, all: bool) {
        for (name, versions) in &index.entries {
            let Some(first) = versions.first() else { continue };
            let fname = format!("{repo}/{name}");
            let chosen: Vec<&ChartVersion> = if all { versions.iter().collect() } else { vec![first] };
            for cv in chosen {
                let key = if all { format!("{fname}$${}", cv.version()) } else { fname.clone() };
                let line = format!(
                    "{}{SEP}{repo}/{}{SEP}{}{SEP}{}",
                    cv.name(),
                    cv.name(),
                    cv.metadata.description,
                    cv.metadata.keywords.join(" ")
                );
                self.lines.insert(key, (line, cv.clone()));
            }
        }
    }

    fn score(pos: usize, line: &str) -> usize {
        line.char_indices().filter(|(_, c)| *c == SEP).map(|(i, _)| i).position(|sep| pos <= sep).unwrap_or_else(|| line.matches(SEP).count())
    }

    fn all(&self) -> Vec<SearchResult> {
        self.lines.iter().map(|(k, (_, cv))| SearchResult { name: strip_version(k), score: 0, chart: cv.clone() }).collect()
    }

    fn search(&self, term: &str, regexp: bool) -> Result<Vec<SearchResult>, String> {
        let matcher = if regexp { Some(regex::Regex::new(term).map_err(|e| go_regexp_error(term, &e))?) } else { None };
        let lower = term.to_lowercase();
        let mut out = Vec::new();
        for (k, (line, cv)) in &self.lines {
            let pos = match &matcher {
                Some(re) => re.find(line).map(|m| m.start()),
                None => line.to_lowercase().find(&lower),
            };
            let Some(pos) = pos else { continue };
            let score = SearchIndex::score(pos, line);
            if score < MAX_SCORE {
                out.push(SearchResult { name: strip_version(k), score, chart: cv.clone() });
            }
        }
        Ok(out)
    }
}

fn strip_version(key: &str) -> String {
    key.split("$$").next().unwrap_or(key).to_string()
}

fn go_regexp_error(term: &str, e: &regex::Error) -> String {
    format!("error parsing regexp: {e}: `{term}`")
}

/// Searches the cached indexes of every repository in `repo_file`.
/// Returns the results and warnings for repositories whose cache is unusable.
pub fn search_repo(repo_file: &Path, cache: &Path, terms: &[String], opts: &SearchOptions) -> Result<(Vec<SearchResult>, Vec<String>), String> {
    let rf = RepoFile::load_existing(repo_file).ok().filter(|f| !f.repositories.is_empty()).ok_or("no repositories configured")?;
    let version = if !opts.version.is_empty() {
        opts.version.clone()
    } else if opts.devel {
        ">0.0.0-0".to_string()
    } else {
        ">0.0.0".to_string()
    };
    let mut index = SearchIndex { lines: BTreeMap::new() };
    let mut warnings = Vec::new();
    for repo in &rf.repositories {
        let path = crate::cache::index_path(cache, &repo.name);
        match IndexFile::load(&path) {
            // Helm sets the default constraint before building the index, so
            // every version is indexed and the constraint picks per chart.
            Ok((idx, _)) => index.add_repo(&repo.name, &idx, opts.versions || !version.is_empty()),
            Err(e) => warnings.push(format!("repo is corrupt or missing repo={} error={:?}", repo.name, e.to_string())),
        }
    }
    let mut results = if terms.is_empty() { index.all() } else { index.search(&terms.join(" "), opts.regexp)? };
    sort_results(&mut results);
    let constraint = Constraints::parse(&version).map_err(|e| format!("an invalid version/constraint format: {}", e.message()))?;
    let mut seen = HashSet::new();
    let mut kept = Vec::new();
    for r in results {
        if !opts.versions && seen.contains(&r.name) {
            continue;
        }
        let Ok(v) = Version::parse(r.chart.version()) else { continue };
        if constraint.check(&v) {
            seen.insert(r.name.clone());
            kept.push(r);
        }
    }
    Ok((kept, warnings))
}

fn sort_results(r: &mut [SearchResult]) {
    r.sort_by(|a, b| {
        a.score.cmp(&b.score).then_with(|| {
            if a.name == b.name {
                match (Version::parse(a.chart.version()), Version::parse(b.chart.version())) {
                    (Ok(x), Ok(y)) => y.cmp(&x),
                    _ => std::cmp::Ordering::Equal,
                }
            } else {
                a.name.cmp(&b.name)
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_the_field_of_the_match() {
        let line = format!("nginx{SEP}bitnami/nginx{SEP}web server{SEP}http");
        assert_eq!(SearchIndex::score(0, &line), 0);
        assert_eq!(SearchIndex::score(7, &line), 1);
        assert_eq!(SearchIndex::score(line.find("web").unwrap(), &line), 2);
        assert_eq!(SearchIndex::score(line.find("http").unwrap(), &line), 3);
    }
}
