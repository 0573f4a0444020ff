//! Writing objects: server-side apply with Helm's field manager, create,
//! get and delete.

use std::time::{Duration, Instant};

use kube::api::{DeleteParams, Patch, PatchParams, PostParams, PropagationPolicy, ValidationDirective};
use serde_json::Value;

use crate::connect::Kube;
use crate::error::KubeError;
use crate::resource::Resource;

/// How a server-side apply is sent.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Helm's is `helm`; fields it owns must stay owned by the same name.
    pub field_manager: String,
    /// `--force-conflicts`: take fields other managers own.
    pub force: bool,
    /// `--dry-run=server`: the server checks, nothing is stored.
    pub dry_run: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions { field_manager: "helm".into(), force: false, dry_run: false }
    }
}

/// Deletion propagation (`--cascade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

impl Kube {
    /// Server-side apply of one object; the live object comes back.
    pub fn apply(&self, r: &Resource, o: &ApplyOptions) -> Result<Value, KubeError> {
        self.block_on(apply_one(self, r, o))
    }

    /// Applies objects concurrently, one result per object in order.
    pub fn apply_all(&self, rs: &[Resource], o: &ApplyOptions) -> Vec<Result<Value, KubeError>> {
        self.block_on(crate::concurrent(rs.iter().map(|r| apply_one(self, r, o))))
    }

    /// Creates an object (POST); an existing one is an `AlreadyExists` error.
    pub fn create(&self, r: &Resource) -> Result<Value, KubeError> {
        let obj: kube::api::DynamicObject =
            serde_json::from_value(r.object.clone()).map_err(|e| KubeError::new(e.to_string()))?;
        let live = self.block_on(r.api(self).create(&PostParams::default(), &obj))?;
        serde_json::to_value(live).map_err(|e| KubeError::new(e.to_string()))
    }

    /// The live object, `None` when it does not exist.
    pub fn get(&self, r: &Resource) -> Result<Option<Value>, KubeError> {
        let live = self.block_on(r.api(self).get_opt(&r.name))?;
        live.map(|l| serde_json::to_value(l).map_err(|e| KubeError::new(e.to_string()))).transpose()
    }

    /// Gets objects concurrently.
    pub fn get_all(&self, rs: &[Resource]) -> Vec<Result<Option<Value>, KubeError>> {
        self.block_on(crate::concurrent(rs.iter().map(|r| async move {
            let live = r.api(self).get_opt(&r.name).await?;
            live.map(|l| serde_json::to_value(l).map_err(|e| KubeError::new(e.to_string()))).transpose()
        })))
    }

    /// Deletes an object; `false` when it was already gone.
    pub fn delete(&self, r: &Resource, propagation: Propagation) -> Result<bool, KubeError> {
        self.block_on(delete_one(self, r, propagation))
    }

    /// Deletes objects concurrently, one result per object in order.
    pub fn delete_all(&self, rs: &[Resource], propagation: Propagation) -> Vec<Result<bool, KubeError>> {
        self.block_on(crate::concurrent(rs.iter().map(|r| delete_one(self, r, propagation))))
    }

    /// Waits until none of the objects exists any more.
    pub fn wait_deleted(&self, rs: &[Resource], timeout: Duration) -> Result<(), KubeError> {
        let end = Instant::now() + timeout;
        let mut left: Vec<&Resource> = rs.iter().collect();
        while !left.is_empty() {
            let mut still = Vec::new();
            for r in left {
                if self.block_on(r.api(self).get_opt(&r.name))?.is_some() {
                    still.push(r);
                }
            }
            left = still;
            if left.is_empty() {
                break;
            }
            if Instant::now() >= end {
                return Err(KubeError::new(format!(
                    "timed out waiting for the deletion of {}",
                    left.iter().map(|r| r.kind_name()).collect::<Vec<_>>().join(", ")
                )));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Ok(())
    }

    /// Creates a namespace (with Helm's `name` label) unless it exists.
    pub fn ensure_namespace(&self, name: &str) -> Result<(), KubeError> {
        let obj = serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"name": name}}
        });
        let rs = self.build(&serde_json::to_string(&obj).unwrap_or_default(), "")?;
        for r in &rs {
            match self.block_on(r.api(self).get_opt(&r.name))? {
                Some(_) => {}
                None => {
                    if let Err(e) = self.apply(r, &ApplyOptions::default()) {
                        if !e.is_already_exists() {
                            return Err(e);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

async fn apply_one(kube: &Kube, r: &Resource, o: &ApplyOptions) -> Result<Value, KubeError> {
    let mut pp = PatchParams::apply(&o.field_manager);
    pp.force = o.force;
    pp.dry_run = o.dry_run;
    pp.field_validation = Some(ValidationDirective::Strict);
    let live = r.api(kube).patch(&r.name, &pp, &Patch::Apply(&r.object)).await.map_err(|e| {
        KubeError::from(e).context(format!("failed to apply {} {:?}", r.kind, r.name))
    })?;
    serde_json::to_value(live).map_err(|e| KubeError::new(e.to_string()))
}

async fn delete_one(kube: &Kube, r: &Resource, propagation: Propagation) -> Result<bool, KubeError> {
    let policy = match propagation {
        Propagation::Background => PropagationPolicy::Background,
        Propagation::Foreground => PropagationPolicy::Foreground,
        Propagation::Orphan => PropagationPolicy::Orphan,
    };
    let dp = DeleteParams { propagation_policy: Some(policy), ..DeleteParams::default() };
    match r.api(kube).delete(&r.name, &dp).await {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
        Err(e) => Err(e.into()),
    }
}
