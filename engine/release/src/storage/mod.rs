//! Release storage as Helm's pkg/storage: drivers that keep one object per
//! revision, and `Storage` with history, last, deployed and pruning on top.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Release;

mod kube;
mod memory;
mod sql;
mod store;

pub use kube::{ConfigMaps, KubeDriver, ObjectKind, Secrets};
pub use memory::Memory;
pub use sql::Sql;
pub use store::Storage;

/// `storage.HelmStorageType`, the prefix of every key.
pub const HELM_STORAGE_TYPE: &str = "sh.helm.release.v1";

/// Labels the drivers own; user labels may not use these names.
pub const SYSTEM_LABELS: &[&str] = &["name", "owner", "status", "version", "createdAt", "modifiedAt"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// `release: not found`
    NotFound,
    /// `release: already exists`: another writer created this revision
    /// first. Claiming a revision relies on this being reported reliably.
    AlreadyExists,
    /// The same as `AlreadyExists`, told in the driver's own words: helm's
    /// SQL driver passes lib/pq's unique-violation error through.
    Claimed(String),
    /// `release: invalid key`
    InvalidKey,
    /// `"NAME" has no deployed releases`
    NoDeployedReleases(String),
    Other(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::NotFound => f.write_str("release: not found"),
            StorageError::AlreadyExists => f.write_str("release: already exists"),
            StorageError::InvalidKey => f.write_str("release: invalid key"),
            StorageError::NoDeployedReleases(name) => write!(f, "{name:?} has no deployed releases"),
            StorageError::Claimed(s) | StorageError::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for StorageError {}

pub type Labels = BTreeMap<String, String>;

/// One storage backend (Helm's `driver.Driver`). Keys are
/// `sh.helm.release.v1.NAME.vREV`.
pub trait Driver: Send + Sync {
    /// "Secret", "ConfigMap" or "Memory".
    fn name(&self) -> &'static str;
    /// The release stored under `key`, its labels without the system ones.
    fn get(&self, key: &str) -> Result<Release, StorageError>;
    /// Every release the filter accepts, with its object's full labels.
    fn list(&self, filter: &dyn Fn(&Release) -> bool) -> Result<Vec<Release>, StorageError>;
    /// Releases whose labels match all of `labels`; `NotFound` when none do.
    fn query(&self, labels: &Labels) -> Result<Vec<Release>, StorageError>;
    /// Stores a new revision. Fails with `AlreadyExists` when the key is
    /// taken, atomically: of two concurrent creators exactly one succeeds.
    fn create(&self, key: &str, rls: &Release) -> Result<(), StorageError>;
    /// Replaces a stored revision.
    fn update(&self, key: &str, rls: &Release) -> Result<(), StorageError>;
    /// Removes a revision and returns it.
    fn delete(&self, key: &str) -> Result<Release, StorageError>;
}

pub fn make_key(name: &str, version: i64) -> String {
    format!("{HELM_STORAGE_TYPE}.{name}.v{version}")
}

pub fn is_system_label(key: &str) -> bool {
    SYSTEM_LABELS.contains(&key)
}

pub fn filter_system_labels(lbs: &Labels) -> Labels {
    lbs.iter().filter(|(k, _)| !is_system_label(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

pub fn contains_system_labels(lbs: &Labels) -> bool {
    lbs.keys().any(|k| is_system_label(k))
}

/// The error Helm gives for `--labels` naming a system label.
pub fn system_label_error() -> String {
    format!("user supplied labels contains system reserved label name. System labels: [{}]", SYSTEM_LABELS.join(" "))
}

/// `mergeCustomLabels` (pkg/action/upgrade.go): `new` over `current`, and a
/// value of the literal text "null" removes the label.
pub fn merge_custom_labels(current: &Labels, new: &Labels) -> Labels {
    let mut out = current.clone();
    for (k, v) in new {
        if v == "null" {
            out.remove(k);
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// The labels a Secret or ConfigMap gets (`newSecretsObject`): the release's
/// labels, the create/modify stamp, the release's labels again (so an
/// inherited `modifiedAt` wins over the fresh stamp, as in Helm), then the
/// system labels.
pub fn object_labels(rls: &Release, stamp: (&str, i64)) -> Labels {
    let mut lbs = rls.labels.clone();
    lbs.insert(stamp.0.to_string(), stamp.1.to_string());
    for (k, v) in &rls.labels {
        lbs.insert(k.clone(), v.clone());
    }
    lbs.insert("name".into(), rls.name.clone());
    lbs.insert("owner".into(), "helm".into());
    lbs.insert("status".into(), rls.status().to_string());
    lbs.insert("version".into(), rls.version.to_string());
    lbs
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Picks the driver as `action.Configuration.Init` does from `HELM_DRIVER`.
/// `Ok(None)` is the unknown-driver case: Helm logs
/// `level=INFO msg="unknown driver \"x\""` and exits 1 without an error line.
pub enum DriverChoice {
    Secrets,
    ConfigMaps,
    Memory,
    Sql,
    Unknown(String),
}

pub fn choose_driver(helm_driver: &str) -> DriverChoice {
    match helm_driver {
        "secret" | "secrets" | "" => DriverChoice::Secrets,
        "configmap" | "configmaps" => DriverChoice::ConfigMaps,
        "memory" => DriverChoice::Memory,
        "sql" => DriverChoice::Sql,
        other => DriverChoice::Unknown(other.to_string()),
    }
}
