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
        let lists = futures::future::join_all(gvs.iter().map(|gv| async move {
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
    pub fn api_versions(&self) -> Result<Vec<String>, KubeError> {
        self.ensure_discovery(false)?;
        let guard = self.discovery.lock().unwrap();
        Ok(guard.as_ref().map(|d| d.versions.iter().cloned().collect()).unwrap_or_default())
    }

    fn ensure_discovery(&self, refresh: bool) -> Result<(), KubeError> {
        let mut guard = self.discovery.lock().unwrap();
        if guard.is_none() || refresh {
            *guard = Some(self.block_on(self.discover())?);
        }
        Ok(())
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

