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

/// What one object's status says.
enum State {
    Ready,
    Waiting(String),
    Failed(String),
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
        let mut left: Vec<&Resource> = rs.iter().filter(|r| watched(r, kind)).collect();
        loop {
            let lives = self.block_on(crate::concurrent(
                left.iter().map(|r| async move { r.api(self).get_opt(&r.name).await }),
            ));
            let mut still = Vec::new();
            let mut waiting = Vec::new();
            for (r, live) in left.iter().zip(lives) {
                let live = live?.map(|l| serde_json::to_value(l).unwrap_or_default());
                let state = match live {
                    None => State::Waiting(format!("{} {} does not exist yet", r.kind, r.name)),
                    Some(v) => state_of(r, &v),
                };
                match state {
                    State::Ready => {}
                    State::Waiting(why) => {
                        still.push(*r);
                        waiting.push(why);
                    }
                    State::Failed(why) => return Err(KubeError::new(why)),
                }
            }
            left = still;
            if left.is_empty() {
                return Ok(());
            }
            let now = waiting.join("; ");
            if now != last {
                progress(&now);
                last = now;
            }
            if Instant::now() >= end {
                return Err(KubeError::new(format!("context deadline exceeded: {last}")));
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

/// kstatus's judgement of one object, reduced to what Helm waits for.
fn state_of(r: &Resource, v: &Value) -> State {
    let name = format!("{}/{}", r.namespace.as_deref().unwrap_or(""), r.name);
    let generation = int(v, "/metadata/generation");
    let observed = int(v, "/status/observedGeneration");
    let stale = v.pointer("/status/observedGeneration").is_some() && observed < generation;
    match (r.group(), r.kind.as_str()) {
        ("apps", "Deployment") | ("apps", "StatefulSet") | ("apps", "ReplicaSet") => {
            let want = v.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
            let ready = int(v, "/status/readyReplicas");
            let updated = int(v, "/status/updatedReplicas");
            let available = if r.kind == "Deployment" { int(v, "/status/availableReplicas") } else { ready };
            if stale || v.pointer("/status/observedGeneration").is_none() {
                return State::Waiting(format!("{} {name}: the controller has not observed the latest generation", r.kind));
            }
            if updated < want || available < want || ready < want {
                return State::Waiting(format!(
                    "{} {name}: {available} of {want} replicas are available, {updated} updated",
                    r.kind
                ));
            }
            State::Ready
        }
        ("apps", "DaemonSet") => {
            let want = int(v, "/status/desiredNumberScheduled");
            let available = int(v, "/status/numberAvailable");
            let updated = int(v, "/status/updatedNumberScheduled");
            if stale || v.pointer("/status/observedGeneration").is_none() || available < want || updated < want {
                return State::Waiting(format!("DaemonSet {name}: {available} of {want} pods are available"));
            }
            State::Ready
        }
        ("batch", "Job") => {
            if condition(v, "Failed") == Some("True") {
                let reason = v
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .and_then(|cs| cs.iter().find(|c| c.get("type").and_then(Value::as_str) == Some("Failed")))
                    .and_then(|c| c.get("reason").and_then(Value::as_str))
                    .unwrap_or("");
                return State::Failed(format!("job {} failed: {reason}", r.name));
            }
            if condition(v, "Complete") == Some("True") {
                return State::Ready;
            }
            State::Waiting(format!("Job {name}: not complete"))
        }
        ("", "Pod") => match v.pointer("/status/phase").and_then(Value::as_str) {
            Some("Succeeded") => State::Ready,
            Some("Failed") => State::Failed(format!("pod {} failed", r.name)),
            Some("Running") if condition(v, "Ready") == Some("True") && !is_hook_pod(v) => State::Ready,
            phase => State::Waiting(format!("Pod {name}: phase {}", phase.unwrap_or("Pending"))),
        },
        ("", "PersistentVolumeClaim") => match v.pointer("/status/phase").and_then(Value::as_str) {
            Some("Bound") => State::Ready,
            phase => State::Waiting(format!("PersistentVolumeClaim {name}: {}", phase.unwrap_or("Pending"))),
        },
        ("", "Service") => {
            let lb = v.pointer("/spec/type").and_then(Value::as_str) == Some("LoadBalancer");
            let ingress = v.pointer("/status/loadBalancer/ingress").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
            if lb && !ingress {
                return State::Waiting(format!("Service {name}: no load balancer address yet"));
            }
            State::Ready
        }
        _ => State::Ready,
    }
}

/// Hook pods must run to completion; being Ready is not enough.
fn is_hook_pod(v: &Value) -> bool {
    v.pointer("/metadata/annotations/helm.sh~1hook").is_some()
}
