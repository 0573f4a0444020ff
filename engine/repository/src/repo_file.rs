//! repositories.yaml (Helm's `repo.File`): the user's named chart
//! repositories with their credentials and TLS settings.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rhelm_template::Value;

/// One repository (`repo.Entry`). Every field is always written, as Helm's
/// struct tags have no `omitempty`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub url: String,
    pub username: String,
    pub password: String,
    pub cert_file: String,
    pub key_file: String,
    pub ca_file: String,
    pub insecure_skip_tls_verify: bool,
    pub pass_credentials_all: bool,
}

#[derive(Debug, Clone)]
pub struct RepoFile {
    pub api_version: String,
    /// As written; a file Helm created by `repo add` has Go's zero time.
    pub generated: String,
    pub repositories: Vec<Entry>,
}

/// Go's zero `time.Time`, as a repositories.yaml that `repo add` created says.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

impl Default for RepoFile {
    fn default() -> Self {
        RepoFile { api_version: String::new(), generated: ZERO_TIME.into(), repositories: Vec::new() }
    }
}

impl RepoFile {
    /// The file at `path`; a missing file is an empty one (as `repo add` reads it).
    pub fn load(path: &Path) -> Result<RepoFile, String> {
        match std::fs::read(path) {
            Ok(data) => RepoFile::parse(&data),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(RepoFile::default()),
            Err(e) => Err(format!("couldn't load repositories file ({}): {}", path.display(), crate::go_io_error(&e))),
        }
    }

    /// `LoadFile` as `repo list`/`update`/`remove` use it: a missing file is an error.
    pub fn load_existing(path: &Path) -> Result<RepoFile, String> {
        match std::fs::read(path) {
            Ok(data) => RepoFile::parse(&data),
            Err(e) => Err(format!("couldn't load repositories file ({}): open {}: {}", path.display(), path.display(), crate::go_io_error(&e))),
        }
    }

    pub fn parse(data: &[u8]) -> Result<RepoFile, String> {
        let text = std::str::from_utf8(data).map_err(|_| "error converting YAML to JSON: yaml: invalid UTF-8".to_string())?;
        let v = rhelm_functions::yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut f = RepoFile::default();
        let Value::Map(m) = v else { return Ok(f) };
        for (k, v) in m.entries.iter() {
            match &**k {
                "apiVersion" => f.api_version = text_of(v),
                "generated" => f.generated = text_of(v),
                "repositories" => {
                    if let Value::List(l) = v {
                        f.repositories = l.items.iter().filter_map(entry).collect();
                    }
                }
                _ => {}
            }
        }
        Ok(f)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.repositories.iter().find(|e| e.name == name)
    }

    /// Replaces the entry of the same name, or appends it.
    pub fn update(&mut self, e: Entry) {
        match self.repositories.iter_mut().find(|x| x.name == e.name) {
            Some(slot) => *slot = e,
            None => self.repositories.push(e),
        }
    }

    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.repositories.len();
        self.repositories.retain(|e| e.name != name);
        before != self.repositories.len()
    }

    /// The YAML Helm writes (`yaml.Marshal`, keys sorted).
    pub fn to_yaml(&self) -> String {
        let mut top: BTreeMap<Arc<str>, Value> = BTreeMap::new();
        top.insert(Arc::from("apiVersion"), Value::str(&self.api_version));
        top.insert(Arc::from("generated"), Value::str(&self.generated));
        top.insert(Arc::from("repositories"), Value::list(self.repositories.iter().map(entry_value).collect()));
        rhelm_functions::yaml::to_string_v2(&Value::map(top)).unwrap_or_default()
    }

    /// Writes the file atomically with mode 0600 (it holds passwords).
    pub fn write(&self, path: &Path) -> Result<(), String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        crate::atomic_write(path, self.to_yaml().as_bytes(), 0o600)
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Nil => String::new(),
        other => rhelm_template::fmt::sprint(std::slice::from_ref(other)),
    }
}

fn entry(v: &Value) -> Option<Entry> {
    let Value::Map(m) = v else { return None };
    let s = |k: &str| m.entries.get(k).map(text_of).unwrap_or_default();
    let b = |k: &str| matches!(m.entries.get(k), Some(Value::Bool(true)));
    Some(Entry {
        name: s("name"),
        url: s("url"),
        username: s("username"),
        password: s("password"),
        cert_file: s("certFile"),
        key_file: s("keyFile"),
        ca_file: s("caFile"),
        insecure_skip_tls_verify: b("insecure_skip_tls_verify"),
        pass_credentials_all: b("pass_credentials_all"),
    })
}

fn entry_value(e: &Entry) -> Value {
    let pairs = [
        ("name", Value::str(&e.name)),
        ("url", Value::str(&e.url)),
        ("username", Value::str(&e.username)),
        ("password", Value::str(&e.password)),
        ("certFile", Value::str(&e.cert_file)),
        ("keyFile", Value::str(&e.key_file)),
        ("caFile", Value::str(&e.ca_file)),
        ("insecure_skip_tls_verify", Value::Bool(e.insecure_skip_tls_verify)),
        ("pass_credentials_all", Value::Bool(e.pass_credentials_all)),
    ];
    Value::map(pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect())
}

/// The lock file Helm takes while editing repositories.yaml
/// (`repositories.lock` beside it).
pub fn lock_path(repo_file: &Path) -> std::path::PathBuf {
    repo_file.with_extension("lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes helm 4.3.1 wrote after `repo add t1 http://127.0.0.1:18931`
    /// into an empty HELM_CONFIG_HOME.
    const HELM_WROTE: &str = "apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- caFile: \"\"\n  certFile: \"\"\n  insecure_skip_tls_verify: false\n  keyFile: \"\"\n  name: t1\n  pass_credentials_all: false\n  password: \"\"\n  url: http://127.0.0.1:18931\n  username: \"\"\n";

    #[test]
    fn writes_the_bytes_helm_writes() {
        let mut f = RepoFile::default();
        f.update(Entry { name: "t1".into(), url: "http://127.0.0.1:18931".into(), ..Entry::default() });
        assert_eq!(f.to_yaml(), HELM_WROTE);
    }

    #[test]
    fn helm_file_round_trips() {
        let f = RepoFile::parse(HELM_WROTE.as_bytes()).unwrap();
        assert_eq!(f.repositories.len(), 1);
        assert_eq!(f.get("t1").unwrap().url, "http://127.0.0.1:18931");
        assert_eq!(f.to_yaml(), HELM_WROTE);
    }

    #[test]
    fn update_replaces_in_place_and_remove_reports() {
        let mut f = RepoFile::default();
        f.update(Entry { name: "a".into(), url: "u1".into(), ..Entry::default() });
        f.update(Entry { name: "b".into(), url: "u2".into(), ..Entry::default() });
        f.update(Entry { name: "a".into(), url: "u3".into(), ..Entry::default() });
        let names: Vec<_> = f.repositories.iter().map(|e| (e.name.as_str(), e.url.as_str())).collect();
        assert_eq!(names, [("a", "u3"), ("b", "u2")]);
        assert!(f.remove("a"));
        assert!(!f.remove("a"));
        assert!(!f.has("a") && f.has("b"));
    }

    #[test]
    fn missing_file_is_empty_for_load_and_an_error_for_load_existing() {
        let dir = std::env::temp_dir().join(format!("rhelm-repofile-{}", std::process::id()));
        let path = dir.join("none.yaml");
        assert!(RepoFile::load(&path).unwrap().repositories.is_empty());
        let err = RepoFile::load_existing(&path).unwrap_err();
        assert!(err.contains("no such file or directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn write_is_0600_and_creates_the_directory() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("rhelm-repofile-w-{}", std::process::id()));
        let path = dir.join("sub/repositories.yaml");
        let mut f = RepoFile::default();
        f.update(Entry { name: "t1".into(), url: "http://127.0.0.1:18931".into(), ..Entry::default() });
        f.write(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), HELM_WROTE);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
