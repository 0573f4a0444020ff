//! Readiness as Helm 4 judges it: kstatus (`sigs.k8s.io/cli-utils`
//! `status.Compute`) for `--wait`, and Helm's own Job and Pod readers for
//! hooks and `--wait-for-jobs`. The messages are kstatus's, because Helm
//! prints them in its wait errors.

use serde_json::Value;

/// kstatus's status of one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Failed,
    Current,
    Terminating,
    NotFound,
}

impl Status {
    /// The name kstatus prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "InProgress",
            Status::Failed => "Failed",
            Status::Current => "Current",
            Status::Terminating => "Terminating",
            Status::NotFound => "NotFound",
        }
    }
}

/// A status with kstatus's explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub status: Status,
    pub message: String,
}

fn judge(status: Status, message: impl Into<String>) -> Judgement {
    Judgement { status, message: message.into() }
}

fn in_progress(message: impl Into<String>) -> Judgement {
    judge(Status::InProgress, message)
}

fn current(message: impl Into<String>) -> Judgement {
    judge(Status::Current, message)
}

/// What a missing object reports.
pub fn not_found() -> Judgement {
    judge(Status::NotFound, "Resource not found")
}

/// kstatus `GetIntField`: a missing or non-integer field is the default.
fn int(v: &Value, path: &str, default: i64) -> i64 {
    v.pointer(path).and_then(Value::as_i64).unwrap_or(default)
}

fn string<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    v.pointer(path).and_then(Value::as_str)
}

fn conditions(v: &Value) -> impl Iterator<Item = &Value> {
    v.pointer("/status/conditions").and_then(Value::as_array).into_iter().flatten()
}

fn cond_field<'a>(c: &'a Value, field: &str) -> &'a str {
    c.get(field).and_then(Value::as_str).unwrap_or("")
}

fn has_condition(v: &Value, kind: &str, status: &str) -> bool {
    conditions(v).any(|c| cond_field(c, "type") == kind && cond_field(c, "status") == status)
}

/// kstatus `Compute`: generic properties first, then the built-in kind's rules;
/// any other kind is current.
pub fn compute(group: &str, kind: &str, v: &Value) -> Judgement {
    if let Some(j) = generic(v) {
        return j;
    }
    match (group, kind) {
        ("", "Service") => service(v),
        ("", "Pod") => pod(v),
        ("", "PersistentVolumeClaim") => match string(v, "/status/phase").unwrap_or("unknown") {
            "Bound" => current("PVC is Bound"),
            phase => in_progress(format!("PVC is not Bound. phase: {phase}")),
        },
        ("apps", "StatefulSet") => stateful_set(v),
        ("apps" | "extensions", "DaemonSet") => daemon_set(v),
        ("apps" | "extensions", "Deployment") => deployment(v),
        ("apps" | "extensions", "ReplicaSet") => replica_set(v),
        ("policy", "PodDisruptionBudget") => current("AllowedDisruptions has been computed."),
        ("batch", "Job") => job_started(v),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crd(v),
        ("", "Secret" | "ConfigMap") | ("batch", "CronJob") => current("Resource is always ready"),
        _ => current("Resource is current"),
    }
}

/// Helm's hook readers (`WatchUntilReady`): Jobs must complete, Pods must
/// succeed, anything else is ready at once.
pub fn hook(group: &str, kind: &str, v: &Value) -> Judgement {
    match (group, kind) {
        ("batch", "Job") => job_complete(v),
        ("", "Pod") => match string(v, "/status/phase").unwrap_or("") {
            "Succeeded" => current(format!("pod {} succeeded", name(v))),
            "Failed" => judge(Status::Failed, format!("pod {} failed", name(v))),
            _ => in_progress("Pod in progress"),
        },
        _ => current("Resource is current"),
    }
}

fn name(v: &Value) -> &str {
    string(v, "/metadata/name").unwrap_or("")
}

fn generic(v: &Value) -> Option<Judgement> {
    if string(v, "/metadata/deletionTimestamp").is_some_and(|t| !t.is_empty()) {
        return Some(judge(Status::Terminating, "Resource scheduled for deletion"));
    }
    if let (Some(generation), Some(observed)) = (
        v.pointer("/metadata/generation").and_then(Value::as_i64),
        v.pointer("/status/observedGeneration").and_then(Value::as_i64),
    ) {
        if generation != observed {
            let kind = string(v, "/kind").unwrap_or("");
            return Some(in_progress(format!(
                "{kind} generation is {generation}, but latest observed generation is {observed}"
            )));
        }
    }
    for c in conditions(v) {
        if cond_field(c, "status") != "True" {
            continue;
        }
        match cond_field(c, "type") {
            "Reconciling" => return Some(in_progress(cond_field(c, "message"))),
            "Stalled" => return Some(judge(Status::Failed, cond_field(c, "message"))),
            _ => {}
        }
    }
    None
}

fn service(v: &Value) -> Judgement {
    let lb = string(v, "/spec/type") == Some("LoadBalancer");
    if lb && string(v, "/spec/clusterIP").unwrap_or("").is_empty() {
        return in_progress("ClusterIP not set. Service type: LoadBalancer");
    }
    current("Service is ready")
}

fn pod(v: &Value) -> Judgement {
    match string(v, "/status/phase").unwrap_or("") {
        "Succeeded" => current("Pod has completed successfully"),
        "Failed" => current("Pod has completed, but not successfully"),
        "Running" => {
            if has_condition(v, "Ready", "True") {
                return current("Pod is Ready");
            }
            let looping: Vec<&str> = v
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|cs| string(cs, "/state/waiting/reason") == Some("CrashLoopBackOff"))
                .filter_map(|cs| string(cs, "/name"))
                .collect();
            if !looping.is_empty() {
                return judge(Status::Failed, format!("Containers in CrashLoop state: {}", looping.join(",")));
            }
            in_progress("Pod is running but is not Ready")
        }
        "Pending" => {
            let unschedulable = conditions(v).any(|c| {
                cond_field(c, "type") == "PodScheduled"
                    && cond_field(c, "status") == "False"
                    && cond_field(c, "reason") == "Unschedulable"
            });
            if unschedulable {
                // kstatus allows 15 s before calling it a failure; without a
                // clock on the object's age here, it stays in progress.
                return in_progress("Pod has not been scheduled");
            }
            in_progress("Pod is in the Pending phase")
        }
        "" => in_progress("Pod phase not available"),
        other => judge(Status::Failed, format!("unknown phase {other}")),
    }
}

fn stateful_set(v: &Value) -> Judgement {
    if string(v, "/spec/updateStrategy/type") == Some("OnDelete") {
        return current("StatefulSet is using the ondelete update strategy");
    }
    let spec = int(v, "/spec/replicas", 1);
    let ready = int(v, "/status/readyReplicas", 0);
    let current_replicas = int(v, "/status/currentReplicas", 0);
    let updated = int(v, "/status/updatedReplicas", 0);
    let status = int(v, "/status/replicas", 0);
    let partition = int(v, "/spec/updateStrategy/rollingUpdate/partition", -1);
    if spec > status {
        return in_progress(format!("Replicas: {status}/{spec}"));
    }
    if spec > ready {
        return in_progress(format!("Ready: {ready}/{spec}"));
    }
    if status > spec {
        return in_progress(format!("Pending termination: {}", status - spec));
    }
    if partition != -1 {
        if updated < spec - partition {
            return in_progress(format!("updated: {updated}/{}", spec - partition));
        }
        return current(format!("Partition rollout complete. updated: {updated}"));
    }
    if spec > current_replicas {
        return in_progress(format!("current: {current_replicas}/{spec}"));
    }
    if string(v, "/status/currentRevision").unwrap_or("") != string(v, "/status/updateRevision").unwrap_or("") {
        return in_progress("Waiting for updated revision to match current");
    }
    current(format!("All replicas scheduled as expected. Replicas: {status}"))
}

fn deployment(v: &Value) -> Judgement {
    // Without progressDeadlineSeconds the controller never sets Progressing.
    let mut progressing = int(v, "/spec/progressDeadlineSeconds", i64::from(i32::MAX)) == i64::from(i32::MAX);
    let mut available = false;
    for c in conditions(v) {
        match cond_field(c, "type") {
            "Progressing" => {
                if cond_field(c, "reason") == "ProgressDeadlineExceeded" {
                    return judge(Status::Failed, "Progress deadline exceeded");
                }
                if cond_field(c, "status") == "True" && cond_field(c, "reason") == "NewReplicaSetAvailable" {
                    progressing = true;
                }
            }
            "Available" if cond_field(c, "status") == "True" => available = true,
            _ => {}
        }
    }
    let spec = int(v, "/spec/replicas", 1);
    let status = int(v, "/status/replicas", 0);
    let updated = int(v, "/status/updatedReplicas", 0);
    let ready = int(v, "/status/readyReplicas", 0);
    let avail = int(v, "/status/availableReplicas", 0);
    if spec > status {
        return in_progress(format!("Replicas: {status}/{spec}"));
    }
    if spec > updated {
        return in_progress(format!("Updated: {updated}/{spec}"));
    }
    if status > spec {
        return in_progress(format!("Pending termination: {}", status - spec));
    }
    if updated > avail {
        return in_progress(format!("Available: {avail}/{updated}"));
    }
    if spec > ready {
        return in_progress(format!("Ready: {ready}/{spec}"));
    }
    if !progressing {
        return in_progress("ReplicaSet not Available");
    }
    if !available {
        return in_progress("Deployment not Available");
    }
    current(format!("Deployment is available. Replicas: {status}"))
}

fn replica_set(v: &Value) -> Judgement {
    if has_condition(v, "ReplicaFailure", "True") {
        return in_progress("Replica Failure condition. Check Pods");
    }
    let spec = int(v, "/spec/replicas", 1);
    let status = int(v, "/status/replicas", 0);
    let ready = int(v, "/status/readyReplicas", 0);
    let available = int(v, "/status/availableReplicas", 0);
    let labelled = int(v, "/status/fullyLabeledReplicas", 0);
    if spec > labelled {
        return in_progress(format!("Labelled: {labelled}/{spec}"));
    }
    if spec > available {
        return in_progress(format!("Available: {available}/{spec}"));
    }
    if spec > ready {
        return in_progress(format!("Ready: {ready}/{spec}"));
    }
    if status > spec {
        return in_progress(format!("Pending termination: {}", status - spec));
    }
    current(format!("ReplicaSet is available. Replicas: {status}"))
}

fn daemon_set(v: &Value) -> Judgement {
    let kind = string(v, "/kind").unwrap_or("DaemonSet");
    if v.pointer("/metadata/generation").and_then(Value::as_i64).is_none() {
        return in_progress(format!("{kind} metadata.generation not found"));
    }
    if v.pointer("/status/observedGeneration").and_then(Value::as_i64).is_none() {
        return in_progress(format!("{kind} status.observedGeneration not found"));
    }
    let desired = int(v, "/status/desiredNumberScheduled", -1);
    let current_n = int(v, "/status/currentNumberScheduled", 0);
    let updated = int(v, "/status/updatedNumberScheduled", 0);
    let available = int(v, "/status/numberAvailable", 0);
    let ready = int(v, "/status/numberReady", 0);
    if desired == -1 {
        return in_progress("Missing .status.desiredNumberScheduled");
    }
    if desired > current_n {
        return in_progress(format!("Current: {current_n}/{desired}"));
    }
    if desired > updated {
        return in_progress(format!("Updated: {updated}/{desired}"));
    }
    if desired > available {
        return in_progress(format!("Available: {available}/{desired}"));
    }
    if desired > ready {
        return in_progress(format!("Ready: {ready}/{desired}"));
    }
    current(format!("All replicas scheduled as expected. Replicas: {desired}"))
}

/// kstatus's Job rule: current once started (plain `--wait`).
fn job_started(v: &Value) -> Judgement {
    let parallelism = int(v, "/spec/parallelism", 1);
    let completions = int(v, "/spec/completions", parallelism);
    let succeeded = int(v, "/status/succeeded", 0);
    let active = int(v, "/status/active", 0);
    let failed = int(v, "/status/failed", 0);
    for c in conditions(v) {
        if cond_field(c, "status") != "True" {
            continue;
        }
        match cond_field(c, "type") {
            "Complete" => return current(format!("Job Completed. succeeded: {succeeded}/{completions}")),
            "Failed" => return judge(Status::Failed, format!("Job Failed. failed: {failed}/{completions}")),
            "Suspended" => return current("Job is suspended"),
            _ => {}
        }
    }
    if string(v, "/status/startTime").unwrap_or("").is_empty() {
        return in_progress("Job not started");
    }
    current(format!("Job in progress. success:{succeeded}, active: {active}, failed: {failed}"))
}

/// Helm's Job rule (hooks, `--wait-for-jobs`): current only when complete.
pub fn job_complete(v: &Value) -> Judgement {
    let parallelism = int(v, "/spec/parallelism", 1);
    let completions = int(v, "/spec/completions", parallelism);
    let succeeded = int(v, "/status/succeeded", 0);
    let failed = int(v, "/status/failed", 0);
    for c in conditions(v) {
        if cond_field(c, "status") != "True" {
            continue;
        }
        match cond_field(c, "type") {
            "Complete" => return current(format!("Job Completed. succeeded: {succeeded}/{completions}")),
            "Failed" => return judge(Status::Failed, format!("Job Failed. failed: {failed}/{completions}")),
            _ => {}
        }
    }
    in_progress("Job in progress")
}

fn crd(v: &Value) -> Judgement {
    for c in conditions(v) {
        let (kind, status) = (cond_field(c, "type"), cond_field(c, "status"));
        if kind == "NamesAccepted" && status == "False" {
            return judge(Status::Failed, cond_field(c, "message"));
        }
        if kind == "Established" {
            if status == "False" && cond_field(c, "reason") != "Installing" {
                return judge(Status::Failed, cond_field(c, "message"));
            }
            if status == "True" {
                return current("CRD is established");
            }
        }
    }
    in_progress("Install in progress")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deployment_needs_counts_and_conditions() {
        let mut d = json!({"kind": "Deployment", "metadata": {"generation": 2}, "spec": {"replicas": 2},
            "status": {"observedGeneration": 1}});
        assert_eq!(compute("apps", "Deployment", &d).message, "Deployment generation is 2, but latest observed generation is 1");
        d["status"] = json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 1});
        assert_eq!(compute("apps", "Deployment", &d).message, "Updated: 1/2");
        d["status"] = json!({"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2});
        // The API server defaults progressDeadlineSeconds, so Progressing matters.
        d["spec"]["progressDeadlineSeconds"] = json!(600);
        assert_eq!(compute("apps", "Deployment", &d).message, "ReplicaSet not Available");
        d["status"]["conditions"] = json!([
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
            {"type": "Available", "status": "True"}]);
        assert_eq!(compute("apps", "Deployment", &d), current("Deployment is available. Replicas: 2"));
    }

    #[test]
    fn jobs_for_wait_and_for_hooks() {
        let started = json!({"spec": {}, "status": {"startTime": "2026-01-01T00:00:00Z", "active": 1}});
        assert_eq!(compute("batch", "Job", &started).status, Status::Current);
        assert_eq!(job_complete(&started), in_progress("Job in progress"));
        let failed = json!({"spec": {"completions": 1}, "status": {"failed": 1,
            "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]}});
        assert_eq!(job_complete(&failed), judge(Status::Failed, "Job Failed. failed: 1/1"));
    }

    #[test]
    fn pods_services_pvcs_and_others() {
        let p = json!({"metadata": {"name": "p"}, "status": {"phase": "Failed"}});
        assert_eq!(compute("", "Pod", &p).status, Status::Current);
        assert_eq!(hook("", "Pod", &p), judge(Status::Failed, "pod p failed"));
        let lb = json!({"spec": {"type": "LoadBalancer"}});
        assert_eq!(compute("", "Service", &lb).status, Status::InProgress);
        let pvc = json!({"status": {"phase": "Pending"}});
        assert_eq!(compute("", "PersistentVolumeClaim", &pvc).message, "PVC is not Bound. phase: Pending");
        assert_eq!(compute("example.com", "Thing", &json!({})).status, Status::Current);
        let deleting = json!({"metadata": {"deletionTimestamp": "x"}});
        assert_eq!(compute("", "ConfigMap", &deleting).status, Status::Terminating);
    }
}
