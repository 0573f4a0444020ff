//! Chart dependencies as `helm dependency list|update|build` handle them
//! (Helm's `pkg/action/dependency.go`, `pkg/downloader/manager.go` and
//! `internal/resolver`): resolving Chart.yaml's constraints against the
//! repositories, Chart.lock with Helm's digest, and filling `charts/`.
//!
//! `charts/` changes only once everything is fetched: archives are gathered
//! in a temporary directory beside it and moved in at the end, as Helm does.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rhelm_chart::metadata::{Dependency, Lock};
use rhelm_chart::Chart;
use rhelm_functions::semver::{Constraints, Version};

use crate::http::{self, HttpOptions};
use crate::index::{digest, IndexFile};
use crate::json_out::J;
use crate::repo_file::{Entry, RepoFile};
use crate::settings::Settings;

mod list;
mod paths;

pub use list::{list, ListRow, Listing};
use paths::{is_request_uri, local_path, url_equal};

/// Prefix of the cache names Helm gives repositories a chart names by URL only.
const MANAGER_KEY_PREFIX: &str = "helm-manager-";

/// `resolver.HashReq`: sha256 over the JSON of the requested and the locked
/// dependencies (Go's `json.Marshal([2][]*Dependency{req, lock})`).
pub fn hash_req(req: &[Dependency], lock: &[Dependency]) -> String {
    let list = |deps: &[Dependency]| J::List(deps.iter().map(crate::json_out::dependency).collect());
    let json = J::List(vec![list(req), list(lock)]).compact();
    format!("sha256:{}", digest(json.as_bytes()))
}

/// What `dependency update`/`build` need besides the chart.
#[derive(Debug, Clone)]
pub struct Manager {
    pub chart_path: PathBuf,
    pub settings: Settings,
    /// `--skip-refresh`: use the cached indexes as they are.
    pub skip_update: bool,
    pub source_date_epoch: Option<SystemTime>,
    /// `--plain-http` for OCI registries.
    pub plain_http: bool,
    /// Lines printed so far (Helm's `Out`).
    pub out: String,
}

impl Manager {
    pub fn new(chart_path: &Path, settings: Settings) -> Manager {
        Manager { chart_path: chart_path.to_path_buf(), settings, skip_update: false, source_date_epoch: None, plain_http: false, out: String::new() }
    }

    fn say(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn load_chart_dir(&self) -> Result<Chart, String> {
        let meta = std::fs::metadata(&self.chart_path).map_err(|e| format!("could not find {}: stat {}: {}", self.chart_path.display(), self.chart_path.display(), crate::go_io_error(&e)))?;
        if !meta.is_dir() {
            return Err("only unpacked charts can be updated".into());
        }
        rhelm_chart::load::load_dir(&self.chart_path).map_err(|e| e.to_string())
    }

    fn oci_options(&self) -> crate::oci::OciOptions {
        crate::oci::OciOptions { registry_config: self.settings.registry_config.clone(), plain_http: self.plain_http, ..Default::default() }
    }

    /// `helm dependency build`: fetch what Chart.lock names (update when
    /// there is no lock).
    pub fn build(&mut self) -> Result<(), String> {
        let chart = self.load_chart_dir()?;
        let Some(lock) = chart.lock.clone() else { return self.update() };
        let mut req = chart.metadata.dependencies.clone();
        self.resolve_repo_names(&mut req)?;
        if hash_req(&req, &lock.dependencies) != lock.digest {
            if chart.metadata.api_version == "v1" {
                return Err("the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies".into());
            }
            return Err("the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies with 'helm dependency update'".into());
        }
        self.has_all_repos(&lock.dependencies)?;
        if !self.skip_update {
            self.update_repositories()?;
        }
        let mut deps = lock.dependencies.clone();
        self.download_all(&mut deps)
    }

    /// `helm dependency update`: resolve, fetch, and write the lock.
    pub fn update(&mut self) -> Result<(), String> {
        let chart = self.load_chart_dir()?;
        let mut req = chart.metadata.dependencies.clone();
        if req.is_empty() {
            return Ok(());
        }
        let mut repo_names = self.resolve_repo_names(&mut req)?;
        self.ensure_missing_repos(&mut repo_names, &req)?;
        if !self.skip_update {
            self.update_repositories()?;
        }
        let mut lock = self.resolve(&req, &repo_names)?;
        self.download_all(&mut lock.dependencies)?;
        lock.digest = hash_req(&req, &lock.dependencies);
        if chart.lock.as_ref().is_some_and(|old| old.digest == lock.digest) {
            return Ok(());
        }
        self.write_lock(&lock, chart.metadata.api_version == "v1")
    }

    /// `--dependency-update` of `install`, `upgrade` and `template`: when
    /// `chart` (loaded from `chart_path`) lacks dependencies, an update
    /// fetches them. What the manager printed, which Helm writes to stdout
    /// before the command's own output; `None` when nothing was missing.
    pub fn update_if_missing(
        chart: &Chart,
        chart_path: &Path,
        settings: Settings,
        source_date_epoch: Option<SystemTime>,
    ) -> Result<Option<String>, String> {
        if chart.metadata.dependencies.is_empty() || rhelm_chart::load::check_dependencies(chart).is_ok() {
            return Ok(None);
        }
        let mut m = Manager::new(chart_path, settings);
        m.source_date_epoch = source_date_epoch;
        m.update()?;
        Ok(Some(m.out))
    }

    /// `resolveRepoNames`: which added repository serves each dependency
    /// (`@name`/`alias:name` rewritten to its URL).
    fn resolve_repo_names(&mut self, deps: &mut [Dependency]) -> Result<BTreeMap<String, String>, String> {
        let rf = RepoFile::load(&self.settings.repository_config)?;
        let mut names = BTreeMap::new();
        let mut missing = Vec::new();
        for d in deps.iter_mut() {
            if d.repository.is_empty() {
                continue;
            }
            if d.repository.starts_with("file://") {
                local_path(&d.repository, &self.chart_path)?;
                names.insert(d.name.clone(), d.repository.clone());
                continue;
            }
            if d.repository.starts_with("oci://") {
                names.insert(d.name.clone(), d.repository.clone());
                continue;
            }
            let alias = d.repository.strip_prefix('@').or_else(|| d.repository.strip_prefix("alias:"));
            let found = rf.repositories.iter().find(|r| match alias {
                Some(a) => a == r.name,
                None => url_equal(&r.url, &d.repository),
            });
            match found {
                Some(r) => {
                    if alias.is_some() {
                        d.repository = r.url.clone();
                    }
                    names.insert(d.name.clone(), r.name.clone());
                }
                None if is_request_uri(&d.repository) => {
                    names.insert(d.repository.clone(), d.repository.clone());
                }
                None => missing.push(d.repository.clone()),
            }
        }
        if !missing.is_empty() {
            let mut msg = format!("no repository definition for {}. Please add them via 'helm repo add'", missing.join(", "));
            if missing.iter().any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:")) {
                msg.push_str("\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add').");
            }
            return Err(msg);
        }
        Ok(names)
    }

    /// Repositories named only by URL get a cache of their own
    /// (`helm-manager-<sha256 of the URL>`).
    fn ensure_missing_repos(&mut self, names: &mut BTreeMap<String, String>, deps: &[Dependency]) -> Result<(), String> {
        let mut unmanaged = Vec::new();
        for d in deps {
            if d.repository.is_empty() || names.contains_key(&d.name) {
                continue;
            }
            let name = format!("{MANAGER_KEY_PREFIX}{}", digest(d.repository.as_bytes()));
            names.insert(d.name.clone(), name.clone());
            unmanaged.push(Entry { name, url: d.repository.clone(), ..Entry::default() });
        }
        if !self.skip_update && !unmanaged.is_empty() {
            self.say("Getting updates for unmanaged Helm repositories...");
            self.parallel_repo_update(&unmanaged);
        }
        Ok(())
    }

    fn update_repositories(&mut self) -> Result<(), String> {
        let rf = RepoFile::load(&self.settings.repository_config)?;
        if !rf.repositories.is_empty() {
            self.say("Hang tight while we grab the latest from your chart repositories...");
            self.parallel_repo_update(&rf.repositories);
            self.say("Update Complete. ⎈Happy Helming!⎈");
        }
        Ok(())
    }

    fn parallel_repo_update(&mut self, repos: &[Entry]) {
        let mut seen = HashSet::new();
        let unique: Vec<&Entry> = repos.iter().filter(|r| seen.insert(r.url.trim_end_matches('/').to_string())).collect();
        let settings = &self.settings;
        let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = unique.iter().map(|e| scope.spawn(|| crate::cache::download_index(e, &settings.repository_cache))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("download failed".into()))).collect()
        });
        for (e, r) in unique.iter().zip(results) {
            let label = if e.name.starts_with(MANAGER_KEY_PREFIX) { format!("{:?}", e.url) } else { format!("{:?}", e.name) };
            match r {
                Ok(()) => self.say(&format!("...Successfully got an update from the {label} chart repository")),
                Err(err) if e.name.starts_with(MANAGER_KEY_PREFIX) => {
                    self.say(&format!("...Unable to get an update from the {label} chart repository:\n\t{err}"))
                }
                Err(err) => self.say(&format!("...Unable to get an update from the {label} chart repository ({}):\n\t{err}", e.url)),
            }
        }
    }

    fn has_all_repos(&self, deps: &[Dependency]) -> Result<(), String> {
        let rf = RepoFile::load(&self.settings.repository_config)?;
        let missing: Vec<&str> = deps
            .iter()
            .filter(|d| !d.repository.is_empty() && !d.repository.starts_with("file://") && !d.repository.starts_with("oci://"))
            .filter(|d| !rf.repositories.iter().any(|r| url_equal(&r.url, d.repository.trim_end_matches('/'))))
            .map(|d| d.repository.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(format!("no repository definition for {}", missing.join(", ")));
        }
        Ok(())
    }

    /// `resolver.Resolve`: the version each constraint picks.
    fn resolve(&self, req: &[Dependency], names: &BTreeMap<String, String>) -> Result<Lock, String> {
        let mut locked = Vec::new();
        let mut missing = Vec::new();
        for d in req {
            let constraint = Constraints::parse(&d.version)
                .map_err(|e| format!("dependency {:?} has an invalid version/constraint format: {}", d.name, e.message()))?;
            let base = Dependency { name: d.name.clone(), repository: d.repository.clone(), ..Dependency::default() };
            if d.repository.is_empty() {
                local_path(&format!("charts/{}", d.name), &self.chart_path)?;
                locked.push(Dependency { version: d.version.clone(), ..base });
                continue;
            }
            if d.repository.starts_with("file://") {
                let path = local_path(&d.repository, &self.chart_path)?;
                let ch = rhelm_chart::load::load_dir(&path).map_err(|e| e.to_string())?;
                let Ok(v) = Version::parse(&ch.metadata.version) else { continue };
                if !constraint.check(&v) {
                    missing.push(format!("{:?} (repository {:?}, version {:?})", d.name, d.repository, d.version));
                    continue;
                }
                locked.push(Dependency { version: ch.metadata.version.clone(), ..base });
                continue;
            }
            if d.repository.starts_with("oci://") {
                // A registry's versions are its tags.
                let repo = format!("{}/{}", d.repository.trim_end_matches('/'), d.name);
                let version = if Version::parse_strict(&d.version).is_ok() {
                    Some(d.version.clone())
                } else {
                    let tags = crate::oci::tags(&repo, &self.oci_options())
                        .map_err(|e| format!("could not retrieve list of tags for repository {}: {e}", d.repository))?;
                    crate::oci::newest_tag(tags, &constraint).map(|(v, _)| v.original().to_string())
                };
                match version {
                    Some(v) => locked.push(Dependency { version: v, ..base }),
                    None => missing.push(format!("{:?} (repository {:?}, version {:?})", d.name, d.repository, d.version)),
                }
                continue;
            }
            let repo_name = names.get(&d.name).cloned().unwrap_or_default();
            if repo_name.is_empty() {
                locked.push(Dependency { version: d.version.clone(), ..base });
                continue;
            }
            let path = crate::cache::index_path(&self.settings.repository_cache, &repo_name);
            let (index, _) = IndexFile::load(&path).map_err(|e| format!("no cached repository for {repo_name} found. (try 'helm repo update'): {e}"))?;
            let versions = index.entries.get(&d.name).ok_or_else(|| format!("{} chart not found in repo {}", d.name, d.repository))?;
            let picked = versions.iter().find(|cv| !cv.urls.is_empty() && Version::parse(cv.version()).is_ok_and(|v| constraint.check(&v)));
            match picked {
                Some(cv) => locked.push(Dependency { version: cv.version().to_string(), ..base }),
                None => missing.push(format!("{:?} (repository {:?}, version {:?})", d.name, d.repository, d.version)),
            }
        }
        if !missing.is_empty() {
            return Err(format!(
                "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
                missing.len(),
                missing.join(", ")
            ));
        }
        Ok(Lock { generated: self.now_rfc3339(), digest: String::new(), dependencies: locked })
    }

    /// Helm stamps the lock with the current time even under
    /// SOURCE_DATE_EPOCH (which only the archives follow).
    fn now_rfc3339(&self) -> String {
        crate::index::now_rfc3339()
    }

    /// `downloadAll`: every dependency into a temporary directory, then
    /// moved into charts/ only if all succeeded.
    fn download_all(&mut self, deps: &mut [Dependency]) -> Result<(), String> {
        let dest = self.chart_path.join("charts");
        match std::fs::metadata(&dest) {
            Ok(m) if !m.is_dir() => return Err(format!("{:?} is not a directory", dest.display().to_string())),
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?,
        }
        let tmp = self.chart_path.join(format!("tmpcharts-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        let result = self.fetch_into(deps, &dest, &tmp);
        let result = result.and_then(|()| self.safe_move(deps, &tmp, &dest));
        let _ = std::fs::remove_dir_all(&tmp);
        result
    }

    fn fetch_into(&mut self, deps: &mut [Dependency], dest: &Path, tmp: &Path) -> Result<(), String> {
        let rf = RepoFile::load(&self.settings.repository_config)?;
        self.say(&format!("Saving {} charts", deps.len()));
        let mut fetched = HashSet::new();
        for dep in deps.iter_mut() {
            let step = if dep.repository.is_empty() {
                self.say(&format!("Dependency {} did not declare a repository. Assuming it exists in the charts directory", dep.name));
                check_unpacked(dep, dest)
            } else if dep.repository.starts_with("file://") {
                self.archive_local(dep, tmp)
            } else if dep.repository.starts_with("oci://") {
                let reference = format!("{}/{}:{}", dep.repository.trim_end_matches('/'), dep.name, dep.version.replace('+', "_"));
                self.say(&format!("Downloading {} from repo {}", dep.name, dep.repository));
                match crate::oci::pull(&reference, None, &self.oci_options()) {
                    Ok(p) => {
                        let report = p.report();
                        self.out.push_str(&report);
                        crate::atomic_write(&tmp.join(&p.file_name), &p.data, 0o644)
                    }
                    Err(e) => Err(format!("could not download {reference}: {e}")),
                }
            } else {
                match self.find_chart_url(dep, &rf) {
                    Err(e) => Err(e),
                    Ok((url, _, _)) if fetched.contains(&url) => {
                        self.say(&format!("Already downloaded {} from repo {}", dep.name, dep.repository));
                        Ok(())
                    }
                    Ok((url, want_digest, http_opts)) => {
                        self.say(&format!("Downloading {} from repo {}", dep.name, dep.repository));
                        let r = fetch_archive(&url, &want_digest, &http_opts, tmp).map_err(|e| format!("could not download {url}: {e}"));
                        fetched.insert(url);
                        r
                    }
                }
            };
            if let Err(e) = step {
                self.say(&format!("Save error occurred:  {e}"));
                return Err(e);
            }
        }
        Ok(())
    }

    /// `tarFromLocalDir`: a `file://` dependency packaged into `tmp`.
    fn archive_local(&self, dep: &mut Dependency, tmp: &Path) -> Result<(), String> {
        let path = local_path(&dep.repository, &self.chart_path)?;
        let mut ch = rhelm_chart::load::load_dir(&path).map_err(|e| e.to_string())?;
        if let Some(t) = self.source_date_epoch {
            rhelm_chart::package::stamp_mod_times(&mut ch, t);
        }
        let constraint = Constraints::parse(&dep.version)
            .map_err(|e| format!("dependency {} has an invalid version/constraint format: {}", dep.name, e.message()))?;
        let v = Version::parse(&ch.metadata.version).map_err(|e| e.message().to_string())?;
        if !constraint.check(&v) {
            return Err(format!("can't get a valid version for dependency {}", dep.name));
        }
        rhelm_chart::package::save(&ch, tmp).map_err(|e| e.to_string())?;
        dep.version = ch.metadata.version.clone();
        Ok(())
    }

    /// The archive URL (and index digest and credentials) of a dependency
    /// from its repository's cached index.
    fn find_chart_url(&self, dep: &Dependency, rf: &RepoFile) -> Result<(String, String, HttpOptions), String> {
        let owner = rf.repositories.iter().find(|r| url_equal(&dep.repository, &r.url));
        let (name, http_opts) = match owner {
            Some(e) => (e.name.clone(), HttpOptions::from_entry(e)),
            None => (
                format!("{MANAGER_KEY_PREFIX}{}", digest(dep.repository.as_bytes())),
                HttpOptions { credentials_url: dep.repository.clone(), ..HttpOptions::default() },
            ),
        };
        let path = crate::cache::index_path(&self.settings.repository_cache, &name);
        let not_found = |why: &str| format!("could not find : chart {} not found in {}: {why}", dep.name, dep.repository);
        let (index, _) = IndexFile::load(&path).map_err(|e| not_found(&e.to_string()))?;
        let versions = index.entries.get(&dep.name).ok_or_else(|| not_found("entry not found"))?;
        let cv = versions
            .iter()
            .find(|cv| !cv.urls.is_empty() && (dep.version.is_empty() || version_equals(&dep.version, cv.version())))
            .ok_or_else(|| not_found("no matching version"))?;
        let url = http::resolve_reference(&dep.repository, &cv.urls[0])?;
        Ok((url, cv.digest.clone(), http_opts))
    }

    /// `safeMoveDeps`: new archives into charts/, then archives no longer
    /// wanted removed (directories and local dependencies stay).
    fn safe_move(&mut self, deps: &[Dependency], tmp: &Path, dest: &Path) -> Result<(), String> {
        let local: HashSet<&str> = deps.iter().filter(|d| d.repository.is_empty()).map(|d| d.name.as_str()).collect();
        let mut moved = HashSet::new();
        let mut sources: Vec<PathBuf> = std::fs::read_dir(tmp).map_err(|e| e.to_string())?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
        sources.sort();
        let existing: Vec<PathBuf> = std::fs::read_dir(dest).map_err(|e| e.to_string())?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        for src in sources {
            let name = src.file_name().unwrap_or_default().to_os_string();
            moved.insert(name.clone());
            if let Err(e) = rhelm_chart::load::load(&src) {
                self.out.push_str(&format!("Could not verify {} for moving: {} (Skipping)", src.display(), e));
                continue;
            }
            if let Err(e) = std::fs::rename(&src, dest.join(&name)) {
                self.out.push_str(&format!("Unable to move {} to charts dir {} (Skipping)", src.display(), e));
            }
        }
        self.say("Deleting outdated charts");
        let mut existing = existing;
        existing.sort();
        for f in existing {
            if f.is_dir() || f.file_name().is_some_and(|n| moved.contains(n)) {
                continue;
            }
            match rhelm_chart::load::load(&f) {
                Err(e) => self.say(&format!("Could not verify {} for deletion: {} (Skipping)", f.display(), e)),
                Ok(c) if local.contains(c.name()) => {}
                Ok(_) => {
                    if let Err(e) = std::fs::remove_file(&f) {
                        self.out.push_str(&format!("Could not delete {}: {} (Skipping)", f.display(), e));
                    }
                }
            }
        }
        Ok(())
    }

    fn write_lock(&self, lock: &Lock, legacy: bool) -> Result<(), String> {
        let text = rhelm_chart::show::lock_yaml(lock)?;
        let name = if legacy { "requirements.lock" } else { "Chart.lock" };
        crate::atomic_write(&self.chart_path.join(name), text.as_bytes(), 0o644)
    }
}

/// A dependency without a repository must already sit in charts/.
fn check_unpacked(dep: &Dependency, dest: &Path) -> Result<(), String> {
    let path = dest.join(&dep.name);
    let ch = rhelm_chart::load::load_dir(&path).map_err(|e| format!("unable to load chart '{}': {e}", path.display()))?;
    let constraint = Constraints::parse(&dep.version)
        .map_err(|e| format!("dependency {} has an invalid version/constraint format: {}", dep.name, e.message()))?;
    let v = Version::parse(&ch.metadata.version).map_err(|e| format!("invalid version {} for dependency {}: {}", dep.version, dep.name, e.message()))?;
    if !constraint.check(&v) {
        return Err(format!("dependency {} at version {} does not satisfy the constraint {}", dep.name, ch.metadata.version, dep.version));
    }
    Ok(())
}

/// Downloads an archive into `dir`, refusing one whose sha256 is not the index's.
fn fetch_archive(url: &str, want: &str, opts: &HttpOptions, dir: &Path) -> Result<(), String> {
    let data = http::get(url, opts)?;
    let want = want.trim_start_matches("sha256:");
    if !want.is_empty() && !digest(&data).eq_ignore_ascii_case(want) {
        return Err(format!("the archive's sha256 {} does not match the repository index ({want})", digest(&data)));
    }
    let file = http::file_name(url);
    if file.is_empty() || file == ".." || file == "." {
        return Err(format!("cannot name a file after {url}"));
    }
    crate::atomic_write(&dir.join(file), &data, 0o644)
}

fn version_equals(a: &str, b: &str) -> bool {
    match (Version::parse(a), Version::parse(b)) {
        (Ok(x), Ok(y)) => x.compare(&y) == std::cmp::Ordering::Equal,
        (Err(_), _) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_as_helm() {
        assert!(url_equal("https://charts.example.com/", "https://charts.example.com"));
        assert!(url_equal("http://h/a/", "http://h/a"));
        assert!(!url_equal("http://h/a", "http://h/b"));
    }

    #[test]
    fn hash_req_is_over_both_lists() {
        let d = Dependency { name: "a".into(), version: "1.0.0".into(), repository: "file://../a".into(), ..Dependency::default() };
        let h1 = hash_req(std::slice::from_ref(&d), std::slice::from_ref(&d));
        let h2 = hash_req(&[d.clone()], &[]);
        assert!(h1.starts_with("sha256:") && h1 != h2);
    }
}
