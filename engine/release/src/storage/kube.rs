//! The Secrets and ConfigMaps drivers (pkg/storage/driver/secrets.go and
//! cfgmaps.go) on kube-rs. One object per revision, named by its key, in the
//! release namespace; the payload is `codec::encode`'s base64 string (for a
//! Secret, `data.release` holds those bytes, so the wire shows it base64'd
//! again).
//!
//! kube-rs is async; the drivers are called from synchronous code, so each
//! call runs on the runtime the caller hands in.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use tokio::runtime::Runtime;

use super::{object_labels, unix_now, Driver, Labels, StorageError};
use crate::codec;
use crate::model::Release;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Secret,
    ConfigMap,
}

/// A Secrets or ConfigMaps driver.
pub struct KubeDriver {
    kind: ObjectKind,
    client: kube::Client,
    runtime: Arc<Runtime>,
    /// "" addresses every namespace (reads only).
    namespace: String,
}

pub type Secrets = KubeDriver;
pub type ConfigMaps = KubeDriver;

/// What a stored object yields: its name, labels and payload.
struct Stored {
    name: String,
    labels: Labels,
    payload: String,
}

fn api_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

fn kube_err(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) if !s.message.is_empty() => s.message.clone(),
        other => other.to_string(),
    }
}

/// `validation.IsValidLabelValue`, as Query checks its selector values.
fn check_label_value(v: &str) -> Result<(), StorageError> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let b = v.as_bytes();
    let ok_char = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.');
    let valid = b.is_empty()
        || (b[0].is_ascii_alphanumeric() && b[b.len() - 1].is_ascii_alphanumeric() && b.iter().all(ok_char));
    if !valid {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(StorageError::Other(format!("invalid label value: {v:?}: {}", errs.join("; "))))
    }
}

/// A label selector as `labels.Set.AsSelector().String()` writes it (sorted).
fn selector(labels: &Labels) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

impl KubeDriver {
    pub fn secrets(client: kube::Client, runtime: Arc<Runtime>, namespace: &str) -> KubeDriver {
        KubeDriver { kind: ObjectKind::Secret, client, runtime, namespace: namespace.to_string() }
    }

    pub fn config_maps(client: kube::Client, runtime: Arc<Runtime>, namespace: &str) -> KubeDriver {
        KubeDriver { kind: ObjectKind::ConfigMap, client, runtime, namespace: namespace.to_string() }
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    fn secrets_api(&self) -> Api<Secret> {
        if self.namespace.is_empty() {
            Api::all(self.client.clone())
        } else {
            Api::namespaced(self.client.clone(), &self.namespace)
        }
    }

    fn cm_api(&self) -> Api<ConfigMap> {
        if self.namespace.is_empty() {
            Api::all(self.client.clone())
        } else {
            Api::namespaced(self.client.clone(), &self.namespace)
        }
    }

    fn from_secret(s: Secret) -> Stored {
        let payload = s
            .data
            .as_ref()
            .and_then(|d| d.get("release"))
            .map(|b| String::from_utf8_lossy(&b.0).into_owned())
            .unwrap_or_default();
        Stored { name: s.metadata.name.unwrap_or_default(), labels: s.metadata.labels.unwrap_or_default(), payload }
    }

    fn from_cm(c: ConfigMap) -> Stored {
        let payload = c.data.as_ref().and_then(|d| d.get("release")).cloned().unwrap_or_default();
        Stored { name: c.metadata.name.unwrap_or_default(), labels: c.metadata.labels.unwrap_or_default(), payload }
    }

    fn get_raw(&self, key: &str) -> Result<Option<Stored>, kube::Error> {
        match self.kind {
            ObjectKind::Secret => match self.block_on(self.secrets_api().get(key)) {
                Ok(s) => Ok(Some(KubeDriver::from_secret(s))),
                Err(e) if api_code(&e) == Some(404) => Ok(None),
                Err(e) => Err(e),
            },
            ObjectKind::ConfigMap => match self.block_on(self.cm_api().get(key)) {
                Ok(c) => Ok(Some(KubeDriver::from_cm(c))),
                Err(e) if api_code(&e) == Some(404) => Ok(None),
                Err(e) => Err(e),
            },
        }
    }

    fn list_raw(&self, selector: &str) -> Result<Vec<Stored>, kube::Error> {
        let lp = ListParams::default().labels(selector);
        Ok(match self.kind {
            ObjectKind::Secret => {
                self.block_on(self.secrets_api().list(&lp))?.items.into_iter().map(KubeDriver::from_secret).collect()
            }
            ObjectKind::ConfigMap => {
                self.block_on(self.cm_api().list(&lp))?.items.into_iter().map(KubeDriver::from_cm).collect()
            }
        })
    }

    /// Creates (`replace` false) or replaces the object for `rls`.
    fn write(&self, key: &str, rls: &Release, labels: Labels, replace: bool) -> Result<(), kube::Error> {
        let payload = codec::encode(rls).map_err(|e| kube::Error::Service(e.into()))?;
        let meta = ObjectMeta { name: Some(key.to_string()), labels: Some(labels), ..Default::default() };
        let pp = PostParams::default();
        match self.kind {
            ObjectKind::Secret => {
                let obj = Secret {
                    metadata: meta,
                    type_: Some("helm.sh/release.v1".into()),
                    data: Some(BTreeMap::from([("release".to_string(), ByteString(payload.into_bytes()))])),
                    ..Default::default()
                };
                let api = self.secrets_api();
                if replace {
                    self.block_on(api.replace(key, &pp, &obj))?;
                } else {
                    self.block_on(api.create(&pp, &obj))?;
                }
            }
            ObjectKind::ConfigMap => {
                let obj = ConfigMap {
                    metadata: meta,
                    data: Some(BTreeMap::from([("release".to_string(), payload)])),
                    ..Default::default()
                };
                let api = self.cm_api();
                if replace {
                    self.block_on(api.replace(key, &pp, &obj))?;
                } else {
                    self.block_on(api.create(&pp, &obj))?;
                }
            }
        }
        Ok(())
    }

    fn decode_all(items: Vec<Stored>, filter: &dyn Fn(&Release) -> bool) -> Vec<Release> {
        let mut out = Vec::new();
        for item in items {
            // Helm skips records it cannot decode (logging them at debug level).
            let Ok(mut rls) = codec::decode(&item.payload) else { continue };
            rls.labels = item.labels;
            if filter(&rls) {
                out.push(rls);
            }
        }
        out
    }
}

impl Driver for KubeDriver {
    fn name(&self) -> &'static str {
        match self.kind {
            ObjectKind::Secret => "Secret",
            ObjectKind::ConfigMap => "ConfigMap",
        }
    }

    fn get(&self, key: &str) -> Result<Release, StorageError> {
        let stored = match self.get_raw(key) {
            Ok(Some(s)) => s,
            Ok(None) => return Err(StorageError::NotFound),
            Err(e) if self.kind == ObjectKind::Secret => {
                return Err(StorageError::Other(format!("get: failed to get {key:?}: {}", kube_err(&e))))
            }
            Err(e) => return Err(StorageError::Other(kube_err(&e))),
        };
        let mut rls = codec::decode(&stored.payload).map_err(|e| match self.kind {
            ObjectKind::Secret => StorageError::Other(format!("get: failed to decode data {key:?}: {e}")),
            ObjectKind::ConfigMap => StorageError::Other(e),
        })?;
        rls.labels = super::filter_system_labels(&stored.labels);
        let _ = stored.name;
        Ok(rls)
    }

    fn list(&self, filter: &dyn Fn(&Release) -> bool) -> Result<Vec<Release>, StorageError> {
        let items = self.list_raw("owner=helm").map_err(|e| match self.kind {
            ObjectKind::Secret => StorageError::Other(format!("list: failed to list: {}", kube_err(&e))),
            ObjectKind::ConfigMap => StorageError::Other(kube_err(&e)),
        })?;
        Ok(KubeDriver::decode_all(items, filter))
    }

    fn query(&self, labels: &Labels) -> Result<Vec<Release>, StorageError> {
        for v in labels.values() {
            check_label_value(v)?;
        }
        let items = self.list_raw(&selector(labels)).map_err(|e| match self.kind {
            ObjectKind::Secret => {
                StorageError::Other(format!("query: failed to query with labels: {}", kube_err(&e)))
            }
            ObjectKind::ConfigMap => StorageError::Other(kube_err(&e)),
        })?;
        if items.is_empty() {
            return Err(StorageError::NotFound);
        }
        Ok(KubeDriver::decode_all(items, &|_| true))
    }

    fn create(&self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let labels = object_labels(rls, ("createdAt", unix_now()));
        match self.write(key, rls, labels, false) {
            Ok(()) => Ok(()),
            Err(e) if api_code(&e) == Some(409) => Err(StorageError::AlreadyExists),
            Err(e) => Err(StorageError::Other(format!("create: failed to create: {}", kube_err(&e)))),
        }
    }

    fn update(&self, key: &str, rls: &Release) -> Result<(), StorageError> {
        let labels = object_labels(rls, ("modifiedAt", unix_now()));
        self.write(key, rls, labels, true)
            .map_err(|e| StorageError::Other(format!("update: failed to update: {}", kube_err(&e))))
    }

    fn delete(&self, key: &str) -> Result<Release, StorageError> {
        let rls = self.get(key)?;
        let dp = DeleteParams::default();
        let res = match self.kind {
            ObjectKind::Secret => self.block_on(self.secrets_api().delete(key, &dp)).map(|_| ()),
            ObjectKind::ConfigMap => self.block_on(self.cm_api().delete(key, &dp)).map(|_| ()),
        };
        res.map_err(|e| StorageError::Other(kube_err(&e)))?;
        Ok(rls)
    }
}
