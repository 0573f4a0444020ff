//! Helm's in-memory driver (pkg/storage/driver/memory.go), including its
//! quirk that `create` and `update` switch the driver to the release's
//! namespace, and the HELM_MEMORY_DRIVER_DATA loader of pkg/cmd/root.go.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{Driver, Labels, StorageError, HELM_STORAGE_TYPE};
use crate::model::Release;

struct Record {
    key: String,
    labels: Labels,
    rls: Release,
}

#[derive(Default)]
struct Inner {
    /// "" means every namespace (for `list`).
    namespace: String,
    /// namespace → release name → records sorted by version.
    cache: BTreeMap<String, BTreeMap<String, Vec<Record>>>,
}

pub struct Memory {
    inner: Mutex<Inner>,
}

impl Default for Memory {
    fn default() -> Memory {
        Memory::new()
    }
}

fn record(key: &str, rls: &Release) -> Record {
    let mut labels = Labels::new();
    labels.insert("name".into(), rls.name.clone());
    labels.insert("owner".into(), "helm".into());
    labels.insert("status".into(), rls.status().to_string());
    labels.insert("version".into(), rls.version.to_string());
    Record { key: key.to_string(), labels, rls: rls.clone() }
}

/// `NAME` and `REV` of `sh.helm.release.v1.NAME.vREV`, as the memory
/// driver splits keys (on ".v", so a name containing ".v" is invalid).
fn split_key(key: &str) -> Result<(&str, &str), StorageError> {
    let rest = key.strip_prefix(&format!("{HELM_STORAGE_TYPE}.")[..]).unwrap_or(key);
    let parts: Vec<&str> = rest.split(".v").collect();
    if parts.len() != 2 || parts[1].parse::<i64>().is_err() {
        return Err(StorageError::InvalidKey);
    }
    Ok((parts[0], parts[1]))
}

impl Memory {
    pub fn new() -> Memory {
        Memory { inner: Mutex::new(Inner { namespace: "default".into(), cache: BTreeMap::new() }) }
    }

    /// The namespace reads use; "" reads all namespaces.
    pub fn set_namespace(&self, ns: &str) {
        self.lock().namespace = ns.to_string();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn scan(&self, mut f: impl FnMut(&Record)) {
        let inner = self.lock();
        let namespaces: Vec<&String> = if inner.namespace.is_empty() {
            inner.cache.keys().collect()
        } else {
            vec![&inner.namespace]
        };
        for ns in namespaces {
            if let Some(rels) = inner.cache.get(ns) {
                for recs in rels.values() {
                    for r in recs {
                        f(r);
                    }
                }
            }
        }
    }

    fn store_namespace(inner: &mut Inner, rls: &Release) -> String {
        let ns = if rls.namespace.is_empty() { "default".to_string() } else { rls.namespace.clone() };
        inner.namespace = ns.clone();
        ns
    }
}

impl Driver for Memory {
    fn name(&self) -> &'static str {
        "Memory"
    }

    fn get(&self, key: &str) -> Result<Release, StorageError> {
        let (name, _) = split_key(key)?;
        let inner = self.lock();
        inner
            .cache
            .get(&inner.namespace)
            .and_then(|rels| rels.get(name))
            .and_then(|recs| recs.iter().find(|r| r.key == key))
            .map(|r| r.rls.clone())
            .ok_or(StorageError::NotFound)
    }

    fn list(&self, filter: &dyn Fn(&Release) -> bool) -> Result<Vec<Release>, StorageError> {
        let mut out = Vec::new();
        self.scan(|r| {
            if filter(&r.rls) {
                out.push(r.rls.clone());
            }
        });
        Ok(out)
    }

    fn query(&self, labels: &Labels) -> Result<Vec<Release>, StorageError> {
        let mut out = Vec::new();
        self.scan(|r| {
            if labels.iter().all(|(k, v)| r.labels.get(k).map(String::as_str).unwrap_or("") == v) {
                out.push(r.rls.clone());
            }
        });
        if out.is_empty() {
            return Err(StorageError::NotFound);
        }
        Ok(out)
    }

    fn create(&self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let mut inner = self.lock();
        let ns = Memory::store_namespace(&mut inner, rls);
        let recs = inner.cache.entry(ns).or_default().entry(rls.name.clone()).or_default();
        if recs.iter().any(|r| r.key == key) {
            return Err(StorageError::AlreadyExists);
        }
        recs.push(record(key, rls));
        recs.sort_by_key(|r| r.rls.version);
        Ok(())
    }

    fn update(&self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let mut inner = self.lock();
        let ns = Memory::store_namespace(&mut inner, rls);
        let slot = inner
            .cache
            .get_mut(&ns)
            .and_then(|rels| rels.get_mut(&rls.name))
            .and_then(|recs| recs.iter_mut().find(|r| r.key == key));
        match slot {
            Some(r) => {
                *r = record(key, rls);
                Ok(())
            }
            None => Err(StorageError::NotFound),
        }
    }

    fn delete(&self, key: &str) -> Result<Release, StorageError> {
        let (name, _) = split_key(key)?;
        let mut inner = self.lock();
        let ns = inner.namespace.clone();
        let recs = inner.cache.get_mut(&ns).and_then(|rels| rels.get_mut(name)).ok_or(StorageError::NotFound)?;
        let i = recs.iter().position(|r| r.key == key).ok_or(StorageError::NotFound)?;
        Ok(recs.remove(i).rls)
    }
}

/// Reads one HELM_MEMORY_DRIVER_DATA file: a YAML (or JSON) list of release
/// records, as `yaml.Unmarshal` into `[]*release.Release` reads it.
pub fn read_memory_data(text: &str) -> Result<Vec<Release>, String> {
    let doc = rhelm_functions::yaml::from_str(text).map_err(|e| e.to_string())?;
    // sigs.k8s.io/yaml turns the YAML into JSON and decodes that; going
    // through our Go JSON codec gives the same number and string handling.
    let json = rhelm_functions::json::to_string(&doc, false).map_err(|e| e.to_string())?;
    let v = rhelm_functions::json::from_str(&json).map_err(|e| e.to_string())?;
    match v {
        rhelm_template::Value::Nil => Ok(Vec::new()),
        rhelm_template::Value::List(l) => {
            l.items.iter().filter(|i| !i.is_nil()).map(Release::from_value).collect()
        }
        _ => Err("error unmarshaling JSON: json: cannot unmarshal object into Go value of type []*v1.Release".into()),
    }
}

impl Memory {
    /// `loadReleasesInMemory`: every file of the colon-separated list is
    /// read and its releases created through `store` (so pruning rules
    /// apply), then the driver is pointed back at `namespace`.
    pub fn load_files(&self, paths: &str, namespace: &str) -> Result<(), String> {
        for path in paths.split(':') {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("Unable to read memory driver data{}", go_path_error("open", path, &e)))?;
            let releases = read_memory_data(&text).map_err(|e| format!("Unable to unmarshal memory driver data: {e}"))?;
            for rls in releases {
                self.create(&super::make_key(&rls.name, rls.version), &rls).map_err(|e| e.to_string())?;
            }
        }
        self.set_namespace(namespace);
        Ok(())
    }
}

/// An `*fs.PathError` as Go prints it: `open PATH: no such file or directory`.
fn go_path_error(op: &str, path: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => return format!("read {path}: is a directory"),
        ErrorKind::InvalidData => return format!("Unable to unmarshal memory driver data: {e}"),
        _ => e.to_string(),
    };
    format!("{op} {path}: {why}")
}
