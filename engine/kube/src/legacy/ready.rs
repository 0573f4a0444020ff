//! Readiness as Helm 3 judged it and Helm 4 still does for `--wait=legacy`
//! (`pkg/kube/ready.go`, `ReadyChecker`). Each rule reads the live object
//! as JSON; missing fields read as Go's zero values, because Helm decodes
//! into typed structs. Unlike kstatus there is no message: the legacy
//! waiter only knows ready or not, and times out with the context's error.
//!
//! Each rule also says what it logs under `--debug`, in helm 4.3.1's words
//! (its binary, not ready.go at HEAD, which still spells some of the
//! observedGeneration messages "doest not").

use serde_json::Value;

use crate::wait::DebugLog;

/// `deployment.kubernetes.io`'s label that ReplicaSets add to the template.
const POD_TEMPLATE_HASH: &str = "pod-template-hash";

/// A Go zero-valued integer field.
fn int(v: &Value, path: &str) -> i64 {
    v.pointer(path).and_then(Value::as_i64).unwrap_or(0)
}

fn string<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or("")
}

fn conditions(v: &Value) -> impl Iterator<Item = (&str, &str)> {
    v.pointer("/status/conditions").and_then(Value::as_array).into_iter().flatten().map(|c| {
        (c.get("type").and_then(Value::as_str).unwrap_or(""), c.get("status").and_then(Value::as_str).unwrap_or(""))
    })
}

/// `metadata.generation` against `status.observedGeneration`, which every
/// controller-backed kind checks first.
fn observed(v: &Value) -> bool {
    int(v, "/status/observedGeneration") == int(v, "/metadata/generation")
}

/// `GetNamespace()` and `GetName()`, which every line starts with.
fn who(v: &Value) -> [(&'static str, &str); 2] {
    [("namespace", string(v, "/metadata/namespace")), ("name", string(v, "/metadata/name"))]
}

/// Logs `msg` for `v` with the further attributes `more`.
fn say(log: &mut DebugLog, msg: &str, v: &Value, more: &[(&str, String)]) {
    let mut attrs: Vec<(&str, &str)> = who(v).to_vec();
    attrs.extend(more.iter().map(|(k, x)| (*k, x.as_str())));
    log(msg, &attrs);
}

/// [`observed`], logging `KIND is not ready, ...` when it fails; the
/// observed generation's attribute is `observedGeneration` for a DaemonSet
/// and `actualGeneration` for the others.
fn observed_or_say(v: &Value, kind: &str, log: &mut DebugLog) -> bool {
    if observed(v) {
        return true;
    }
    let key = if kind == "DaemonSet" { "observedGeneration" } else { "actualGeneration" };
    let msg = format!("{kind} is not ready, observedGeneration does not match spec generation");
    let more = [
        (key, int(v, "/status/observedGeneration").to_string()),
        ("expectedGeneration", int(v, "/metadata/generation").to_string()),
    ];
    say(log, &msg, v, &more);
    false
}

/// A `[]string` as slog's text handler prints it (`%+v`): `[a b]`, and
/// `[]` for none.
fn go_strings(v: &Value, path: &str) -> String {
    let items: Vec<&str> =
        v.pointer(path).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    format!("[{}]", items.join(" "))
}

/// `isPodReady`: the Ready condition is True.
pub fn pod(v: &Value, log: &mut DebugLog) -> bool {
    if conditions(v).any(|(t, s)| t == "Ready" && s == "True") {
        return true;
    }
    say(log, "Pod is not ready", v, &[]);
    false
}

/// `jobReady` (only with `--wait-for-jobs`): more failures than the backoff
/// limit is an error the waiter retries like any other, then reports; the
/// job is ready once it has its completions (none asked for: at once).
pub fn job(v: &Value, log: &mut DebugLog) -> Result<bool, String> {
    if int(v, "/status/failed") > int(v, "/spec/backoffLimit") {
        say(log, "Job is failed", v, &[]);
        return Err(format!("job is failed: {}/{}", string(v, "/metadata/namespace"), string(v, "/metadata/name")));
    }
    if v.pointer("/spec/completions").and_then(Value::as_i64).is_some_and(|c| int(v, "/status/succeeded") < c) {
        say(log, "Job is not completed", v, &[]);
        return Ok(false);
    }
    say(log, "Job is completed", v, &[]);
    Ok(true)
}

/// `serviceReady`: ExternalName is never checked; others need a cluster IP;
/// a LoadBalancer needs an external IP or an ingress entry in its status
/// (an empty list counts, as a non-nil slice does in Go).
pub fn service(v: &Value, log: &mut DebugLog) -> bool {
    let kind = string(v, "/spec/type");
    if kind == "ExternalName" {
        return true;
    }
    if string(v, "/spec/clusterIP").is_empty() {
        say(log, "Service does not have cluster IP address", v, &[]);
        return false;
    }
    let ips = go_strings(v, "/spec/externalIPs");
    if kind == "LoadBalancer" {
        if v.pointer("/spec/externalIPs").and_then(Value::as_array).is_some_and(|ips| !ips.is_empty()) {
            say(log, "Service has external IP addresses", v, &[("externalIPs", ips)]);
            return true;
        }
        if !v.pointer("/status/loadBalancer/ingress").is_some_and(|i| !i.is_null()) {
            say(log, "Service does not have load balancer ingress IP address", v, &[]);
            return false;
        }
    }
    let ip = string(v, "/spec/clusterIP").to_string();
    say(log, "Service is ready", v, &[("clusterIP", ip), ("externalIPs", ips)]);
    true
}

/// `volumeReady`: the claim is Bound.
pub fn volume(v: &Value, log: &mut DebugLog) -> bool {
    if string(v, "/status/phase") != "Bound" {
        say(log, "PersistentVolumeClaim is not bound", v, &[]);
        return false;
    }
    say(log, "PersistentVolumeClaim is bound", v, &[("phase", "Bound".into())]);
    true
}

/// `replicaSetReady` and `replicationControllerReady`: the controller has
/// seen the latest spec (their pods are checked separately). `kind` names
/// it in the log line.
pub fn replicas_observed(v: &Value, kind: &str, log: &mut DebugLog) -> bool {
    observed_or_say(v, kind, log)
}

/// `deploymentReady`, given the Deployment's new ReplicaSet: enough of the
/// new ReplicaSet's pods are ready, which with `maxUnavailable` can be fewer
/// than all of them.
pub fn deployment(rs: &Value, dep: &Value, log: &mut DebugLog) -> bool {
    if !observed_or_say(rs, "ReplicaSet", log) || !observed_or_say(dep, "Deployment", log) {
        return false;
    }
    let expected = int(dep, "/spec/replicas") - max_unavailable(dep);
    let ready = int(rs, "/status/readyReplicas");
    let counts = [("readyPods", ready.to_string()), ("totalPods", expected.to_string())];
    if ready < expected {
        say(log, "Deployment does not have enough pods ready", dep, &counts);
        return false;
    }
    say(log, "Deployment is ready", dep, &counts);
    true
}

/// `deploymentutil.MaxUnavailable`: zero unless rolling out with replicas;
/// both fenceposts resolving to zero means one; never more than replicas.
fn max_unavailable(dep: &Value) -> i64 {
    let replicas = int(dep, "/spec/replicas");
    if string(dep, "/spec/strategy/type") != "RollingUpdate" || replicas == 0 {
        return 0;
    }
    let zero = Value::from(0);
    let rolling = dep.pointer("/spec/strategy/rollingUpdate");
    let field = |name: &str| rolling.and_then(|r| r.get(name)).filter(|v| !v.is_null()).unwrap_or(&zero);
    // An invalid value makes ResolveFenceposts fail, and MaxUnavailable
    // ignores the error and its zero results.
    let (Ok(surge), Ok(mut unavailable)) =
        (scaled(field("maxSurge"), replicas, true), scaled(field("maxUnavailable"), replicas, false))
    else {
        return 0;
    };
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    unavailable.min(replicas)
}

/// `intstr.GetScaledValueFromIntOrPercent`: an integer as is, `N%` of
/// `total` rounded up or down.
fn scaled(v: &Value, total: i64, round_up: bool) -> Result<i64, ()> {
    match v {
        Value::Number(n) => n.as_i64().ok_or(()),
        Value::String(s) => {
            let percent: i64 = s.strip_suffix('%').ok_or(())?.parse().map_err(|_| ())?;
            let product = percent * total;
            Ok(if round_up { (product + 99).div_euclid(100) } else { product.div_euclid(100) })
        }
        _ => Err(()),
    }
}

/// `daemonSetReady`: only a RollingUpdate is waited for; every updated pod
/// scheduled, and ready ones up to `maxUnavailable` short (rounded up; an
/// unreadable value allows all of them to be unavailable).
pub fn daemon_set(v: &Value, log: &mut DebugLog) -> bool {
    if !observed_or_say(v, "DaemonSet", log) {
        return false;
    }
    if string(v, "/spec/updateStrategy/type") != "RollingUpdate" {
        return true;
    }
    let desired = int(v, "/status/desiredNumberScheduled");
    let updated = int(v, "/status/updatedNumberScheduled");
    if updated != desired {
        let counts = [("scheduledPods", updated.to_string()), ("totalPods", desired.to_string())];
        say(log, "DaemonSet does not have enough Pods scheduled", v, &counts);
        return false;
    }
    let max = v
        .pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable")
        .filter(|m| !m.is_null())
        .and_then(|m| scaled(m, desired, true).ok())
        .unwrap_or(desired);
    let (ready, expected) = (int(v, "/status/numberReady"), desired - max);
    let counts = [("readyPods", ready.to_string()), ("totalPods", expected.to_string())];
    if ready < expected {
        say(log, "DaemonSet does not have enough Pods ready", v, &counts);
        return false;
    }
    say(log, "DaemonSet is ready", v, &counts);
    true
}

/// `statefulSetReady`: only a RollingUpdate is waited for; the updated pods
/// past the partition, every replica ready, and without a partition the
/// current revision caught up with the update revision.
pub fn stateful_set(v: &Value, log: &mut DebugLog) -> bool {
    if !observed_or_say(v, "StatefulSet", log) {
        return false;
    }
    let strategy = string(v, "/spec/updateStrategy/type");
    if strategy != "RollingUpdate" {
        say(log, "StatefulSet skipped ready check", v, &[("updateStrategy", strategy.to_string())]);
        return true;
    }
    let partition = int(v, "/spec/updateStrategy/rollingUpdate/partition");
    let replicas = v.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let updated = int(v, "/status/updatedReplicas");
    if updated < replicas - partition {
        let counts = [("readyPods", updated.to_string()), ("totalPods", (replicas - partition).to_string())];
        say(log, "StatefulSet does not have enough Pods scheduled", v, &counts);
        return false;
    }
    let ready = int(v, "/status/readyReplicas");
    let counts = [("readyPods", ready.to_string()), ("totalPods", replicas.to_string())];
    if ready != replicas {
        say(log, "StatefulSet does not have enough Pods ready", v, &counts);
        return false;
    }
    let (current, update) = (string(v, "/status/currentRevision"), string(v, "/status/updateRevision"));
    if partition == 0 && current != update {
        let revisions = [("currentRevision", current.to_string()), ("updateRevision", update.to_string())];
        say(log, "StatefulSet is not ready, currentRevision does not match updateRevision", v, &revisions);
        return false;
    }
    say(log, "StatefulSet is ready", v, &counts);
    true
}

/// `crdReady` (v1 and v1beta1 alike): the first decisive condition wins;
/// Established=True is ready, and so is NamesAccepted=False, which Helm
/// lets pass rather than fail on a naming conflict.
pub fn crd(v: &Value) -> bool {
    conditions(v).any(|(t, s)| (t == "Established" && s == "True") || (t == "NamesAccepted" && s == "False"))
}

/// `metav1.IsControlledBy`: a controller owner reference with this uid.
pub fn controlled_by(obj: &Value, owner_uid: &str) -> bool {
    obj.pointer("/metadata/ownerReferences").and_then(Value::as_array).into_iter().flatten().any(|r| {
        r.get("controller").and_then(Value::as_bool) == Some(true)
            && r.get("uid").and_then(Value::as_str) == Some(owner_uid)
    })
}

/// `FindNewReplicaSet`: of the Deployment's ReplicaSets, the oldest (then
/// first by name) whose pod template is the Deployment's, the hash label
/// aside.
pub fn new_replica_set<'a>(dep: &Value, mut owned: Vec<&'a Value>) -> Option<&'a Value> {
    owned.sort_by(|a, b| {
        (string(a, "/metadata/creationTimestamp"), string(a, "/metadata/name"))
            .cmp(&(string(b, "/metadata/creationTimestamp"), string(b, "/metadata/name")))
    });
    let want = template(dep);
    owned.into_iter().find(|rs| template(rs) == want)
}

/// A pod template for `EqualIgnoreHash`: without the hash label, and with
/// nulls and empty lists and maps dropped, since `apiequality.Semantic`
/// treats nil and empty alike.
fn template(v: &Value) -> Value {
    let mut t = v.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
        labels.remove(POD_TEMPLATE_HASH);
    }
    prune(&mut t);
    t
}

fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(prune);
            m.retain(|_, x| !is_empty(x));
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// `metav1.LabelSelectorAsSelector` as a list request's `labelSelector`:
/// `None` when it selects nothing (no selector at all).
pub fn label_selector(sel: Option<&Value>) -> Option<String> {
    let sel = sel.filter(|s| !s.is_null())?;
    let mut parts: Vec<(String, String)> = Vec::new();
    if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in m {
            parts.push((k.clone(), format!("{k}={}", v.as_str().unwrap_or(""))));
        }
    }
    for e in sel.get("matchExpressions").and_then(Value::as_array).into_iter().flatten() {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let mut values: Vec<&str> =
            e.get("values").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        values.sort_unstable();
        let req = match e.get("operator").and_then(Value::as_str).unwrap_or("") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => return None,
        };
        parts.push((key.to_string(), req));
    }
    parts.sort();
    Some(parts.into_iter().map(|(_, p)| p).collect::<Vec<_>>().join(","))
}

/// `labels.SelectorFromSet` for a ReplicationController's map selector.
pub fn set_selector(sel: Option<&Value>) -> String {
    let mut parts: Vec<String> = sel
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    parts.sort();
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dep(replicas: i64, rolling: Value) -> Value {
        json!({"metadata": {"generation": 1}, "status": {"observedGeneration": 1},
            "spec": {"replicas": replicas, "strategy": {"type": "RollingUpdate", "rollingUpdate": rolling}}})
    }

    #[test]
    fn max_unavailable_follows_deploymentutil() {
        // The API server's default, 25%/25%: 4 replicas may lose one; 2
        // replicas round down to none.
        assert_eq!(max_unavailable(&dep(4, json!({"maxSurge": "25%", "maxUnavailable": "25%"}))), 1);
        assert_eq!(max_unavailable(&dep(2, json!({"maxSurge": "25%", "maxUnavailable": "25%"}))), 0);
        // Both fenceposts zero: one.
        assert_eq!(max_unavailable(&dep(2, json!({"maxSurge": 0, "maxUnavailable": "10%"}))), 1);
        assert_eq!(max_unavailable(&dep(2, json!({"maxSurge": 1, "maxUnavailable": 5}))), 2);
        let mut recreate = dep(3, json!(null));
        recreate["spec"]["strategy"] = json!({"type": "Recreate"});
        assert_eq!(max_unavailable(&recreate), 0);
    }

    #[test]
    fn deployment_counts_the_new_replica_set() {
        let d = dep(2, json!({"maxSurge": 1, "maxUnavailable": 1}));
        let rs = |ready: i64| json!({"metadata": {"generation": 1}, "status": {"observedGeneration": 1, "readyReplicas": ready}});
        assert!(!deployment(&rs(0), &d, &mut |_, _| {}));
        assert!(deployment(&rs(1), &d, &mut |_, _| {}));
        let stale = json!({"metadata": {"generation": 2}, "status": {"observedGeneration": 1, "readyReplicas": 2}});
        assert!(!deployment(&stale, &d, &mut |_, _| {}));
    }

    #[test]
    fn services_and_jobs() {
        assert!(service(&json!({"spec": {"type": "ExternalName"}}), &mut |_, _| {}));
        assert!(!service(&json!({"spec": {"type": "ClusterIP"}}), &mut |_, _| {}));
        let lb = json!({"spec": {"type": "LoadBalancer", "clusterIP": "10.0.0.1"}, "status": {"loadBalancer": {}}});
        assert!(!service(&lb, &mut |_, _| {}));
        let mut with_ingress = lb.clone();
        with_ingress["status"]["loadBalancer"]["ingress"] = json!([{"ip": "1.2.3.4"}]);
        assert!(service(&with_ingress, &mut |_, _| {}));
        let job_of = |failed: i64, succeeded: i64| {
            json!({"metadata": {"namespace": "n", "name": "j"}, "spec": {"backoffLimit": 1, "completions": 1},
                "status": {"failed": failed, "succeeded": succeeded}})
        };
        assert_eq!(job(&job_of(0, 0), &mut |_, _| {}), Ok(false));
        assert_eq!(job(&job_of(0, 1), &mut |_, _| {}), Ok(true));
        assert_eq!(job(&job_of(2, 0), &mut |_, _| {}), Err("job is failed: n/j".into()));
    }

    #[test]
    fn selectors() {
        let sel = json!({"matchLabels": {"b": "2", "a": "1"}, "matchExpressions": [{"key": "c", "operator": "In", "values": ["y", "x"]}]});
        assert_eq!(label_selector(Some(&sel)).as_deref(), Some("a=1,b=2,c in (x,y)"));
        assert_eq!(label_selector(None), None);
        assert_eq!(set_selector(Some(&json!({"app": "x"}))), "app=x");
    }
}
