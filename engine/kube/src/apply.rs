//! Writing objects: server-side apply with Helm's field manager, create,
//! get and delete (client-side updates are in `client_side`).

use std::time::{Duration, Instant};

use kube::api::{DeleteParams, Patch, PatchParams, PropagationPolicy, ValidationDirective};
use serde_json::Value;

use crate::connect::{in_order, Kube};
use crate::error::KubeError;
use crate::resource::Resource;
use crate::status::Status;

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
        self.block_on(in_order(rs.iter().map(|r| apply_one(self, r, o))))
    }

    /// Creates an object (POST) under Helm's field manager; an existing one
    /// is an `AlreadyExists` error.
    pub fn create(&self, r: &Resource) -> Result<Value, KubeError> {
        self.block_on(crate::client_side::create_one(self, r))
    }

    /// Merges `status` into the object's status subresource (what a
    /// controller or kubelet writes; tests play that part on a cluster
    /// without them).
    pub fn patch_status(&self, r: &Resource, status: &Value) -> Result<Value, KubeError> {
        let patch = serde_json::json!({ "status": status });
        let live = self.block_on(r.api(self).patch_status(&r.name, &PatchParams::default(), &Patch::Merge(&patch)))?;
        serde_json::to_value(live).map_err(|e| KubeError::new(e.to_string()))
    }

    /// The live object, `None` when it does not exist.
    pub fn get(&self, r: &Resource) -> Result<Option<Value>, KubeError> {
        let live = self.block_on(r.api(self).get_opt(&r.name))?;
        live.map(|l| serde_json::to_value(l).map_err(|e| KubeError::new(e.to_string()))).transpose()
    }

    /// Gets objects concurrently.
    pub fn get_all(&self, rs: &[Resource]) -> Vec<Result<Option<Value>, KubeError>> {
        self.block_on(in_order(rs.iter().map(|r| async move {
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
        self.block_on(in_order(rs.iter().map(|r| delete_one(self, r, propagation))))
    }

    /// Waits until none of the objects exists any more. On a timeout the
    /// error is Helm's: each survivor as `resource Kind/ns/name still exists.
    /// status: S, message: M`, then `context deadline exceeded`. `log`
    /// hears the status waiter's debug lines (message and attributes).
    pub fn wait_deleted(
        &self,
        rs: &[Resource],
        timeout: Duration,
        log: &mut crate::wait::DebugLog,
    ) -> Result<(), KubeError> {
        // Helm's DefaultStatusWatcherTimeout stands in for a zero timeout.
        let timeout = if timeout.is_zero() { Duration::from_secs(30) } else { timeout };
        log(
            "waiting for resources to be deleted",
            &[("count", &rs.len().to_string()), ("timeout", &crate::wait::go_duration(timeout))],
        );
        let mut observed = crate::wait::Observer::new(Status::NotFound);
        // What each object was at the last poll; `None` until seen, and for
        // one gone before the wait began (Helm's watcher calls that Unknown).
        let mut statuses: Vec<Option<Status>> = vec![None; rs.len()];
        let mut first = true;
        let end = Instant::now() + timeout;
        let mut left: Vec<usize> = (0..rs.len()).collect();
        let mut pause = Duration::from_millis(100);
        loop {
            let lives = self
                .block_on(in_order(left.iter().map(|&i| async move { rs[i].api(self).get_opt(&rs[i].name).await })));
            let mut still = Vec::new();
            for (&i, live) in left.iter().zip(lives) {
                let r = &rs[i];
                match live? {
                    Some(obj) => {
                        let live = serde_json::to_value(obj).unwrap_or_default();
                        statuses[i] = Some(crate::status::compute(r.group(), &r.kind, &live).status);
                        still.push((r, live, i));
                    }
                    None if first => statuses[i] = None,
                    None => statuses[i] = Some(Status::NotFound),
                }
            }
            first = false;
            observed.observe(rs.iter().zip(statuses.iter().copied()).collect(), log);
            if still.is_empty() {
                return Ok(());
            }
            if Instant::now() >= end {
                let mut lines: Vec<String> = still
                    .iter()
                    .map(|(r, live, _)| {
                        let j = crate::status::compute(r.group(), &r.kind, live);
                        format!(
                            "resource {}/{}/{} still exists. status: {}, message: {}",
                            r.kind,
                            r.namespace.as_deref().unwrap_or(""),
                            r.name,
                            j.status.as_str(),
                            j.message
                        )
                    })
                    .collect();
                lines.push("context deadline exceeded".into());
                return Err(KubeError::new(lines.join("\n")));
            }
            left = still.into_iter().map(|(_, _, i)| i).collect();
            std::thread::sleep(pause.min(end.saturating_duration_since(Instant::now())));
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }

    /// `--create-namespace`: applies the namespace with Helm's `name` label,
    /// as Helm does whether or not it exists (so an existing namespace gains
    /// the label, owned by the field manager).
    pub fn ensure_namespace(&self, name: &str) -> Result<(), KubeError> {
        for r in &self.namespace_object(name)? {
            match self.apply(r, &ApplyOptions::default()) {
                Err(e) if !e.is_already_exists() => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// `--create-namespace` with client-side apply: Helm creates the same
    /// namespace with a POST and ignores `AlreadyExists`, so an existing
    /// namespace is left as it is.
    pub fn create_namespace(&self, name: &str) -> Result<(), KubeError> {
        for r in &self.namespace_object(name)? {
            match self.create(r) {
                Err(e) if !e.is_already_exists() => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    fn namespace_object(&self, name: &str) -> Result<Vec<Resource>, KubeError> {
        let obj = serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"name": name}}
        });
        self.build(&obj.to_string(), "")
    }
}

pub(crate) async fn apply_one(kube: &Kube, r: &Resource, o: &ApplyOptions) -> Result<Value, KubeError> {
    let mut pp = PatchParams::apply(&o.field_manager);
    pp.force = o.force;
    pp.dry_run = o.dry_run;
    pp.field_validation = Some(ValidationDirective::Strict);
    let live = r.api(kube).patch(&r.name, &pp, &Patch::Apply(&r.object)).await.map_err(|e| {
        let e = KubeError::from(e);
        // Helm's wording, with client-go's `group/version, Kind=K` spelling.
        let what = if e.is_conflict() { "conflict occurred while applying" } else { "server-side apply failed for" };
        let ns = r.namespace.as_deref().unwrap_or("");
        e.context(format!("{what} object {ns}/{} {}/{}, Kind={}", r.name, r.api.group, r.api.version, r.kind))
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
