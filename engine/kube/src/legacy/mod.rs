//! `--wait=legacy`: Helm 4's `legacyWaiter`, the Helm 3 waiter kept beside
//! the kstatus one (`pkg/kube/wait.go`). It polls every 2 s, checks the
//! objects in order and stops at the first that is not ready, and on a
//! timeout says only the context's `context deadline exceeded`; the rules
//! for each kind are in [`ready`]. Hooks are awaited differently (only
//! Jobs and Pods, to completion; [`hook`]), and so are deletions.

mod hook;
mod ready;

use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use serde_json::Value;

use crate::connect::Kube;
use crate::error::KubeError;
use crate::resource::Resource;
use crate::wait::{go_duration, DebugLog};

/// `wait.PollUntilContextCancel`'s interval in the legacy waiter.
const POLL: Duration = Duration::from_secs(2);

/// How many failed checks in a row of one object the waiter lets pass
/// (`waitRetries`) before giving up with the check's error.
const RETRIES: u32 = 30;

/// What `context.DeadlineExceeded` prints.
const DEADLINE: &str = "context deadline exceeded";

/// One pass over the objects.
enum Pass {
    Ready,
    NotYet,
}

/// `watchtools.ContextWithOptionalTimeout`: a zero timeout waits forever.
fn deadline(timeout: Duration) -> Option<Instant> {
    (!timeout.is_zero()).then(|| Instant::now() + timeout)
}

/// Sleeps until the next poll; `false` when the deadline comes first.
fn sleep_until_next(pause: Duration, end: Option<Instant>) -> bool {
    let now = Instant::now();
    match end {
        Some(end) if now + pause >= end => {
            std::thread::sleep(end.saturating_duration_since(now));
            false
        }
        _ => {
            std::thread::sleep(pause);
            true
        }
    }
}

/// `isRetryableError`: an API status is retried when the server may answer
/// differently later (no code, 429, 5xx but 501); any other error (a
/// failed Job among them) is assumed to be passing. Logs what it decided.
fn retryable(e: &KubeError, r: &Resource, log: &mut DebugLog) -> bool {
    log("error received when checking resource status", &[("resource", &r.name), ("error", &e.to_string())]);
    match e.code {
        Some(code) => {
            let retry = code == 0 || code == 429 || (code >= 500 && code != 501);
            let attrs =
                [("resource", r.name.as_str()), ("statusCode", &code.to_string()), ("retryable", &retry.to_string())];
            log("status code received", &attrs);
            retry
        }
        None => {
            log("retryable error assumed", &[("resource", &r.name)]);
            true
        }
    }
}

impl Kube {
    /// `legacyWaiter.Wait`/`WaitWithJobs`: polls until every object is ready
    /// by Helm 3's rules or `timeout` passes (zero: no limit). A paused
    /// Deployment counts as ready; Jobs are checked only with `jobs`.
    /// `log` hears the waiter's debug lines (message and attributes): the
    /// start, each check's verdict and the retries. Helm polls here too, so
    /// the lines come once a poll, as Helm's do.
    pub fn wait_ready_legacy(
        &self,
        rs: &[Resource],
        jobs: bool,
        timeout: Duration,
        log: &mut DebugLog,
    ) -> Result<(), KubeError> {
        log("beginning wait for resources", &[("count", &rs.len().to_string()), ("timeout", &go_duration(timeout))]);
        let end = deadline(timeout);
        let mut errors = vec![0u32; rs.len()];
        loop {
            if end.is_some_and(|e| Instant::now() >= e) {
                return Err(KubeError::new(DEADLINE));
            }
            if let Pass::Ready = self.block_on(self.legacy_pass(rs, jobs, &mut errors, log))? {
                return Ok(());
            }
            if !sleep_until_next(POLL, end) {
                return Err(KubeError::new(DEADLINE));
            }
        }
    }

    async fn legacy_pass(
        &self,
        rs: &[Resource],
        jobs: bool,
        errors: &mut [u32],
        log: &mut DebugLog<'_>,
    ) -> Result<Pass, KubeError> {
        for (i, r) in rs.iter().enumerate() {
            match self.legacy_ready(r, jobs, log).await {
                Err(e) if retryable(&e, r, log) => {
                    errors[i] += 1;
                    if errors[i] > RETRIES {
                        log(
                            "max number of retries reached",
                            &[("resource", &r.name), ("retries", &errors[i].to_string())],
                        );
                        return Err(e);
                    }
                    let attrs = [
                        ("resource", r.name.as_str()),
                        ("currentRetries", &(errors[i] - 1).to_string()),
                        ("maxRetries", &RETRIES.to_string()),
                    ];
                    log("retrying resource readiness", &attrs);
                    return Ok(Pass::NotYet);
                }
                Err(e) => return Err(e),
                Ok(ready) => {
                    errors[i] = 0;
                    if !ready {
                        return Ok(Pass::NotYet);
                    }
                }
            }
        }
        Ok(Pass::Ready)
    }

    /// `ReadyChecker.IsReady`: only the kinds it knows, in the API versions
    /// it decodes, are fetched and judged; everything else is ready.
    async fn legacy_ready(&self, r: &Resource, jobs: bool, log: &mut DebugLog<'_>) -> Result<bool, KubeError> {
        let checked = matches!(
            (r.api_version.as_str(), r.kind.as_str()),
            ("v1", "Pod" | "PersistentVolumeClaim" | "Service" | "ReplicationController")
                | ("batch/v1", "Job")
                | ("apps/v1", "Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet")
                | ("apiextensions.k8s.io/v1" | "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition")
        );
        if !checked || (r.kind == "Job" && !jobs) {
            return Ok(true);
        }
        let live = serde_json::to_value(r.api(self).get(&r.name).await?).unwrap_or_default();
        let ns = r.namespace.as_deref().unwrap_or("");
        Ok(match r.kind.as_str() {
            "Pod" => ready::pod(&live, log),
            "Job" => ready::job(&live, log).map_err(KubeError::new)?,
            "Deployment" => {
                if live.pointer("/spec/paused") == Some(&Value::Bool(true)) {
                    return Ok(true);
                }
                match self.new_replica_set(ns, &live).await? {
                    Some(rs) => ready::deployment(&rs, &live, log),
                    None => false,
                }
            }
            "PersistentVolumeClaim" => ready::volume(&live, log),
            "Service" => ready::service(&live, log),
            "DaemonSet" => ready::daemon_set(&live, log),
            "CustomResourceDefinition" => ready::crd(&live),
            "StatefulSet" => ready::stateful_set(&live, log),
            "ReplicationController" => {
                let selector = ready::set_selector(live.pointer("/spec/selector"));
                ready::replicas_observed(&live, "ReplicationController", log)
                    && self.pods_ready(ns, Some(selector), log).await?
            }
            "ReplicaSet" => {
                let selector = ready::label_selector(live.pointer("/spec/selector"));
                ready::replicas_observed(&live, "ReplicaSet", log) && self.pods_ready(ns, selector, log).await?
            }
            _ => true,
        })
    }

    /// `deploymentutil.GetNewReplicaSet`: the ReplicaSets the Deployment's
    /// selector lists and the Deployment controls, then the one with its
    /// template.
    async fn new_replica_set(&self, ns: &str, dep: &Value) -> Result<Option<Value>, KubeError> {
        let Some(selector) = ready::label_selector(dep.pointer("/spec/selector")) else {
            return Ok(None);
        };
        // Untyped, so the templates compare as the server sent them, fields
        // newer than this client's types included.
        let api: Api<DynamicObject> =
            Api::namespaced_with(self.client.clone(), ns, &ApiResource::erase::<ReplicaSet>(&()));
        let list = api.list(&ListParams::default().labels(&selector)).await?;
        let uid = dep.pointer("/metadata/uid").and_then(Value::as_str).unwrap_or("");
        let all: Vec<Value> = list.items.iter().filter_map(|rs| serde_json::to_value(rs).ok()).collect();
        let owned: Vec<&Value> = all.iter().filter(|rs| ready::controlled_by(rs, uid)).collect();
        Ok(ready::new_replica_set(dep, owned).cloned())
    }

    /// `podsReadyForObject`: every pod the selector lists is ready (a
    /// selector that selects nothing lists none).
    async fn pods_ready(&self, ns: &str, selector: Option<String>, log: &mut DebugLog<'_>) -> Result<bool, KubeError> {
        let Some(selector) = selector else {
            return Ok(true);
        };
        let api: Api<Pod> = Api::namespaced(self.client.clone(), ns);
        let list = api
            .list(&ListParams::default().labels(&selector))
            .await
            .map_err(|e| KubeError::from(e).context("failed to list pods"))?;
        Ok(list.items.iter().filter_map(|p| serde_json::to_value(p).ok()).all(|p| ready::pod(&p, log)))
    }

    /// `legacyWaiter.WaitForDelete`: polls every 2 s until none of the
    /// objects exists; an error other than not-found ends the wait with it,
    /// a timeout with `context deadline exceeded` alone.
    /// `log` hears the waiter's debug lines: the start, and the outcome with
    /// the time taken in whole seconds.
    pub fn wait_deleted_legacy(&self, rs: &[Resource], timeout: Duration, log: &mut DebugLog) -> Result<(), KubeError> {
        log(
            "beginning wait for resources to be deleted",
            &[("count", &rs.len().to_string()), ("timeout", &go_duration(timeout))],
        );
        let start = Instant::now();
        let res = self.poll_deleted_legacy(rs, timeout);
        // Go's Duration.Round(time.Second): halves round away from zero.
        let elapsed = go_duration(Duration::from_secs((start.elapsed().as_millis() as u64 + 500) / 1000));
        match &res {
            Err(e) => log("wait for resources failed", &[("elapsed", &elapsed), ("error", &e.to_string())]),
            Ok(()) => log("wait for resources succeeded", &[("elapsed", &elapsed)]),
        }
        res
    }

    fn poll_deleted_legacy(&self, rs: &[Resource], timeout: Duration) -> Result<(), KubeError> {
        let end = deadline(timeout);
        loop {
            if end.is_some_and(|e| Instant::now() >= e) {
                return Err(KubeError::new(DEADLINE));
            }
            let gone = self.block_on(async {
                for r in rs {
                    if r.api(self).get_opt(&r.name).await?.is_some() {
                        return Ok::<bool, KubeError>(false);
                    }
                }
                Ok(true)
            })?;
            if gone {
                return Ok(());
            }
            if !sleep_until_next(POLL, end) {
                return Err(KubeError::new(DEADLINE));
            }
        }
    }
}
