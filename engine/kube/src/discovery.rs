//! One discovery pass per run: every group version the server serves and
//! its kinds, which gives both Helm's capability list (`GetVersionSet`) and
//! the REST mapping of each kind. A kind missing from the map triggers one
//! refresh, for CRDs created since.

use std::collections::{BTreeSet, HashMap};

use kube::discovery::ApiResource;

use crate::connect::Kube;
use crate::error::KubeError;

#[derive(Clone, Debug)]
pub(crate) struct Mapping {
    pub resource: ApiResource,
    pub namespaced: bool,
}

#[derive(Default)]
pub(crate) struct Discovery {
    /// `group/version` (or `v1`) and `group/version/Kind`, as Helm lists them.
    pub versions: BTreeSet<String>,
    /// (apiVersion, kind) → mapping.
    pub kinds: HashMap<(String, String), Mapping>,
}

impl Kube {
    async fn discover(&self) -> Result<Discovery, KubeError> {
        let client = &self.client;
        let mut gvs: Vec<String> = Vec::new();
        let core = client.list_core_api_versions().await.map_err(|e| unreachable(e.into()))?;
        gvs.extend(core.versions);
        let groups = client.list_api_groups().await.map_err(|e| unreachable(e.into()))?;
        for g in &groups.groups {
            gvs.extend(g.versions.iter().map(|v| v.group_version.clone()));
        }
        let lists = crate::concurrent(gvs.iter().map(|gv| async move {
            let res = if gv.contains('/') {
                client.list_api_group_resources(gv).await
            } else {
                client.list_core_api_resources(gv).await
            };
            (gv.clone(), res)
        }))
        .await;
        let mut d = Discovery::default();
        for (gv, res) in lists {
            d.versions.insert(gv.clone());
            // An aggregated API that does not answer is skipped, as client-go's
            // ErrGroupDiscoveryFailed lets Helm go on.
            let Ok(list) = res else { continue };
            let (group, version) = match gv.split_once('/') {
                Some((g, v)) => (g.to_string(), v.to_string()),
                None => (String::new(), gv.clone()),
            };
            for r in list.resources {
                d.versions.insert(format!("{gv}/{}", r.kind));
                if r.name.contains('/') {
                    continue;
                }
                let resource = ApiResource {
                    group: group.clone(),
                    version: version.clone(),
                    api_version: gv.clone(),
                    kind: r.kind.clone(),
                    plural: r.name.clone(),
                };
                d.kinds
                    .entry((gv.clone(), r.kind.clone()))
                    .or_insert(Mapping { resource, namespaced: r.namespaced });
            }
        }
        Ok(d)
    }

    /// Helm's capability API list for templates (`.Capabilities.APIVersions`).
    /// Always asked of the server, as Helm invalidates its cache for it.
    pub fn api_versions(&self) -> Result<Vec<String>, KubeError> {
        self.ensure_discovery(true)?;
        let guard = self.discovery.lock().unwrap();
        Ok(guard.as_ref().map(|d| d.versions.iter().cloned().collect()).unwrap_or_default())
    }

    fn ensure_discovery(&self, refresh: bool) -> Result<(), KubeError> {
        let mut guard = self.discovery.lock().unwrap();
        if guard.is_none() && !refresh {
            *guard = self.cache_path().and_then(|p| disk::read(&p));
        }
        if guard.is_none() || refresh {
            let d = self.block_on(self.discover())?;
            if let Some(p) = self.cache_path() {
                disk::write(&p, &d);
            }
            *guard = Some(d);
        }
        Ok(())
    }

    /// Where discovery is cached between runs for this server, as kubectl
    /// and Helm keep theirs (a mapping read from it is refreshed on a miss).
    fn cache_path(&self) -> Option<std::path::PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))?;
        let server: String = self
            .server
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
            .collect();
        Some(base.join("rhelm").join("discovery").join(format!("{server}.json")))
    }

    /// Forgets what discovery found (after CRDs were created).
    pub fn invalidate_discovery(&self) {
        *self.discovery.lock().unwrap() = None;
    }

    /// The REST mapping of a kind, refreshing discovery once if unknown.
    pub(crate) fn mapping(&self, api_version: &str, kind: &str) -> Result<Option<Mapping>, KubeError> {
        let key = (api_version.to_string(), kind.to_string());
        self.ensure_discovery(false)?;
        if let Some(m) = self.discovery.lock().unwrap().as_ref().and_then(|d| d.kinds.get(&key).cloned()) {
            return Ok(Some(m));
        }
        self.ensure_discovery(true)?;
        Ok(self.discovery.lock().unwrap().as_ref().and_then(|d| d.kinds.get(&key).cloned()))
    }
}

fn unreachable(e: KubeError) -> KubeError {
    e.context("kubernetes cluster unreachable")
}


/// The on-disk discovery cache: a JSON file per server, trusted for six
/// hours (kubectl's default), written atomically.
mod disk {
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    use kube::discovery::ApiResource;
    use serde_json::{json, Value};

    use super::{Discovery, Mapping};

    const TTL: Duration = Duration::from_secs(6 * 3600);

    pub(super) fn read(path: &Path) -> Option<Discovery> {
        let age = std::fs::metadata(path).ok()?.modified().ok()?.elapsed().ok()?;
        if age > TTL {
            return None;
        }
        let v: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        let mut d = Discovery::default();
        for s in v.get("versions")?.as_array()? {
            d.versions.insert(s.as_str()?.to_string());
        }
        for k in v.get("kinds")?.as_array()? {
            let s = |f: &str| k.get(f).and_then(Value::as_str).map(str::to_string);
            let resource = ApiResource {
                group: s("group")?,
                version: s("version")?,
                api_version: s("apiVersion")?,
                kind: s("kind")?,
                plural: s("plural")?,
            };
            let namespaced = k.get("namespaced")?.as_bool()?;
            d.kinds.insert((resource.api_version.clone(), resource.kind.clone()), Mapping { resource, namespaced });
        }
        Some(d)
    }

    pub(super) fn write(path: &Path, d: &Discovery) {
        let kinds: Vec<Value> = d
            .kinds
            .values()
            .map(|m| {
                json!({"group": m.resource.group, "version": m.resource.version, "apiVersion": m.resource.api_version,
                       "kind": m.resource.kind, "plural": m.resource.plural, "namespaced": m.namespaced})
            })
            .collect();
        let v = json!({"versions": d.versions.iter().collect::<Vec<_>>(), "kinds": kinds});
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let tmp = dir.join(format!(".{}.{stamp}", std::process::id()));
        if std::fs::write(&tmp, v.to_string()).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
