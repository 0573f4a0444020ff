//! Waiting for objects: readiness as kstatus judges it (`--wait`), hook
//! Jobs and Pods running to completion, and CRDs becoming established.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::connect::Kube;
use crate::error::KubeError;
use crate::resource::Resource;

const POLL: Duration = Duration::from_millis(250);

/// Which objects a readiness wait covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitKind {
    /// `--wait`: workloads, PVCs, Services; Jobs only with `--wait-for-jobs`.
    Resources { jobs: bool },
    /// A hook: only Jobs (complete) and Pods (succeeded) are waited on.
    Hook,
}

/// What one object's status says, as kstatus names it: Current,
/// InProgress, Failed or NotFound, with kstatus's message (Helm prints both
/// for every object that did not become ready).
enum State {
    Ready,
    Waiting(&'static str, String),
    Failed(String),
}

fn in_progress(message: String) -> State {
    State::Waiting("InProgress", message)
}
impl Kube {
    /// Waits until every object is ready or `timeout` passes; `progress`
    /// hears each change of what is still awaited.
    pub fn wait_ready(
        &self,
        rs: &[Resource],
        kind: WaitKind,
        timeout: Duration,
        progress: &mut dyn FnMut(&str),
    ) -> Result<(), KubeError> {
        let end = Instant::now() + timeout;
        let mut last = String::new();
        let left: Vec<&Resource> = rs.iter().filter(|r| watched(r, kind)).collect();
        loop {
            let lives = self.block_on(futures::future::join_all(
                left.iter().map(|r| async move { r.api(self).get_opt(&r.name).await }),
            ));
            // statusWaiter.wait: it stops once every object is Current or
            // Failed, then reports each one that is not Current.
            let mut waiting = Vec::new();
            let mut not_ready = Vec::new();
            for (r, live) in left.iter().zip(lives) {
                let live = live?.map(|l| serde_json::to_value(l).unwrap_or_default());
                let state = match live {
                    None => State::Waiting("NotFound", "Resource not found".into()),
                    Some(v) => state_of(r, &v, kind),
                };
                let (status, message, done) = match state {
                    State::Ready => continue,
                    State::Waiting(status, message) => (status, message, false),
                    State::Failed(message) => ("Failed", message, true),
                };
                if !done {
                    waiting.push(format!("{} {}: {message}", r.kind, r.name));
                }
                not_ready.push(format!(
                    "resource {}/{}/{} not ready. status: {status}, message: {message}",
                    r.kind,
                    r.namespace.as_deref().unwrap_or(""),
                    r.name
                ));
            }
            if waiting.is_empty() {
                return if not_ready.is_empty() { Ok(()) } else { Err(KubeError::new(not_ready.join("\n"))) };
            }
            let now = waiting.join("; ");
            if now != last {
                progress(&now);
                last = now;
            }
            if Instant::now() >= end {
                not_ready.push("context deadline exceeded".into());
                return Err(KubeError::new(not_ready.join("\n")));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for a CRD (by name) to be Established and NamesAccepted.
    pub fn wait_established(&self, crds: &[Resource], timeout: Duration) -> Result<(), KubeError> {
        let end = Instant::now() + timeout;
        for crd in crds {
            loop {
                let live = self.get(crd)?;
                if live.as_ref().is_some_and(|v| condition(v, "Established") == Some("True")) {
                    break;
                }
                if Instant::now() >= end {
                    return Err(KubeError::new(format!(
                        "context deadline exceeded: CustomResourceDefinition {} is not established",
                        crd.name
                    )));
                }
                std::thread::sleep(POLL);
            }
        }
        self.invalidate_discovery();
        Ok(())
    }

    /// The logs of a pod's containers, as `helm test --logs` prints them.
    pub fn pod_logs(&self, namespace: &str, pod: &str) -> Result<Vec<(String, String)>, KubeError> {
        use k8s_openapi::api::core::v1::Pod;
        use kube::api::{Api, LogParams};
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let p = self.block_on(api.get(pod))?;
        let containers: Vec<String> =
            p.spec.map(|s| s.containers.into_iter().map(|c| c.name).collect()).unwrap_or_default();
        let mut out = Vec::new();
        for c in containers {
            let lp = LogParams { container: Some(c.clone()), ..LogParams::default() };
            let text = self.block_on(api.logs(pod, &lp))?;
            out.push((c, text));
        }
        Ok(out)
    }
}

fn watched(r: &Resource, kind: WaitKind) -> bool {
    match kind {
        WaitKind::Hook => matches!((r.group(), r.kind.as_str()), ("batch", "Job") | ("", "Pod")),
        WaitKind::Resources { jobs } => match (r.group(), r.kind.as_str()) {
            ("batch", "Job") => jobs,
            _ => true,
        },
    }
}

fn condition<'a>(v: &'a Value, kind: &str) -> Option<&'a str> {
    v.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))?
        .get("status")?
        .as_str()
}

fn int(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

/// kstatus's judgement of one object (sigs.k8s.io/cli-utils kstatus, with
/// Helm's own readers for Jobs, and for Pods of hooks).
fn state_of(r: &Resource, v: &Value, kind: WaitKind) -> State {
    if let Some(g) = generation_not_observed(r, v) {
        return g;
    }
    let spec_int = |ptr: &str, default: i64| v.pointer(ptr).and_then(Value::as_i64).unwrap_or(default);
    match (r.group(), r.kind.as_str()) {
        ("apps", "Deployment") => deployment(v),
        ("apps", "StatefulSet") => {
            let want = spec_int("/spec/replicas", 1);
            let (replicas, ready) = (int(v, "/status/replicas"), int(v, "/status/readyReplicas"));
            let current = int(v, "/status/currentReplicas");
            if want > replicas {
                return in_progress(format!("Replicas: {replicas}/{want}"));
            }
            if want > ready {
                return in_progress(format!("Ready: {ready}/{want}"));
            }
            if replicas > want {
                return in_progress(format!("Pending termination: {}", replicas - want));
            }
            if want > current && v.pointer("/status/updateRevision") != v.pointer("/status/currentRevision") {
                return in_progress(format!("current: {current}/{want}"));
            }
            State::Ready
        }
        ("apps", "ReplicaSet") => {
            let want = spec_int("/spec/replicas", 1);
            let (replicas, ready) = (int(v, "/status/replicas"), int(v, "/status/readyReplicas"));
            let available = int(v, "/status/availableReplicas");
            if want > ready {
                return in_progress(format!("Ready: {ready}/{want}"));
            }
            if want > available {
                return in_progress(format!("Available: {available}/{want}"));
            }
            if replicas > want {
                return in_progress(format!("Pending termination: {}", replicas - want));
            }
            State::Ready
        }
        ("apps", "DaemonSet") => {
            let want = int(v, "/status/desiredNumberScheduled");
            let scheduled = int(v, "/status/currentNumberScheduled");
            let updated = int(v, "/status/updatedNumberScheduled");
            let available = int(v, "/status/numberAvailable");
            let ready = int(v, "/status/numberReady");
            if v.pointer("/status/desiredNumberScheduled").is_none() {
                return in_progress("Missing .status.desiredNumberScheduled".into());
            }
            if want > scheduled {
                return in_progress(format!("Current: {scheduled}/{want}"));
            }
            if want > updated {
                return in_progress(format!("Updated: {updated}/{want}"));
            }
            if want > available {
                return in_progress(format!("Available: {available}/{want}"));
            }
            if want > ready {
                return in_progress(format!("Ready: {ready}/{want}"));
            }
            State::Ready
        }
        ("batch", "Job") => {
            let parallelism = spec_int("/spec/parallelism", 1);
            let completions = spec_int("/spec/completions", parallelism);
            if condition(v, "Complete") == Some("True") {
                return State::Ready;
            }
            if condition(v, "Failed") == Some("True") {
                return State::Failed(format!("Job Failed. failed: {}/{completions}", int(v, "/status/failed")));
            }
            in_progress("Job in progress".into())
        }
        ("", "Pod") if kind == WaitKind::Hook => match v.pointer("/status/phase").and_then(Value::as_str) {
            Some("Succeeded") => State::Ready,
            Some("Failed") => State::Failed(format!("pod {} failed", r.name)),
            _ => in_progress("Pod in progress".into()),
        },
        ("", "Pod") => match v.pointer("/status/phase").and_then(Value::as_str) {
            Some("Succeeded") => State::Ready,
            Some("Failed") => State::Failed("Pod has completed, but not successfully".into()),
            Some("Running") if condition(v, "Ready") == Some("True") && !is_hook_pod(v) => State::Ready,
            Some("Running") => in_progress("Pod is running but is not Ready".into()),
            _ => in_progress("Pod phase not available".into()),
        },
        ("", "PersistentVolumeClaim") => match v.pointer("/status/phase").and_then(Value::as_str) {
            Some("Bound") => State::Ready,
            _ => in_progress("PVC is not Bound".into()),
        },
        ("", "Service") => {
            let lb = v.pointer("/spec/type").and_then(Value::as_str) == Some("LoadBalancer");
            let ingress = v.pointer("/status/loadBalancer/ingress").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
            if lb && !ingress {
                return in_progress("Pending external IP".into());
            }
            State::Ready
        }
        _ => State::Ready,
    }
}

/// kstatus's first check: a status that has not caught up with the spec.
fn generation_not_observed(r: &Resource, v: &Value) -> Option<State> {
    let generation = v.pointer("/metadata/generation")?.as_i64()?;
    let observed = v.pointer("/status/observedGeneration")?.as_i64()?;
    (observed != generation).then(|| {
        in_progress(format!("{} generation is {generation}, but latest observed generation is {observed}", r.kind))
    })
}

/// kstatus `deploymentConditions`.
fn deployment(v: &Value) -> State {
    let mut progressing = v.pointer("/spec/progressDeadlineSeconds").and_then(Value::as_i64).is_none();
    let mut available = false;
    for c in v.pointer("/status/conditions").and_then(Value::as_array).into_iter().flatten() {
        let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
        match field("type") {
            "Progressing" if field("reason") == "ProgressDeadlineExceeded" => {
                return State::Failed("Progress deadline exceeded".into());
            }
            "Progressing" if field("status") == "True" && field("reason") == "NewReplicaSetAvailable" => {
                progressing = true
            }
            "Available" if field("status") == "True" => available = true,
            _ => {}
        }
    }
    let want = v.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let replicas = int(v, "/status/replicas");
    let updated = int(v, "/status/updatedReplicas");
    let ready = int(v, "/status/readyReplicas");
    let avail = int(v, "/status/availableReplicas");
    if want > replicas {
        return in_progress(format!("Replicas: {replicas}/{want}"));
    }
    if want > updated {
        return in_progress(format!("Updated: {updated}/{want}"));
    }
    if replicas > want {
        return in_progress(format!("Pending termination: {}", replicas - want));
    }
    if updated > avail {
        return in_progress(format!("Available: {avail}/{updated}"));
    }
    if want > ready {
        return in_progress(format!("Ready: {ready}/{want}"));
    }
    if !progressing {
        return in_progress("ReplicaSet not Available".into());
    }
    if !available {
        return in_progress("Deployment not Available".into());
    }
    State::Ready
}

/// Hook pods must run to completion; being Ready is not enough.
fn is_hook_pod(v: &Value) -> bool {
    v.pointer("/metadata/annotations/helm.sh~1hook").is_some()
}
