//! Waits as Helm 4's status waiter judges them. The cluster runs no
//! controllers for workloads and no kubelet, so each test writes status
//! through the status subresource, playing their part.

mod common;

use std::time::{Duration, Instant};

use rhelm_kube::{ApplyOptions, Propagation, WaitKind};
use serde_json::json;

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

fn job(name: &str) -> String {
    format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n")
}

#[test]
fn deployment_waits_for_the_status_the_controller_writes() {
    let ns = common::Ns::new("kt-wait");
    let k = &ns.kube;
    let manifest = format!("{DEPLOYMENT}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    let rs = k.build(&manifest, &ns.name).unwrap();
    for r in k.apply_all(&rs, &ApplyOptions::default()) {
        r.unwrap();
    }
    // The controller, a second later, in a thread with its own connection.
    let name = ns.name.clone();
    let deployment = rs[0].clone();
    let controller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1200));
        let k = common::kube(&name);
        common::write_status(
            &k,
            &deployment,
            json!({
                "observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
                "conditions": [
                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "ok"},
                    {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": "ok"}]
            }),
        );
    });
    let mut lines = Vec::new();
    let start = Instant::now();
    k.wait_ready(
        &rs,
        WaitKind::Resources { jobs: false },
        Duration::from_secs(30),
        &mut |l| lines.push(l.to_string()),
        &mut |_, _| {},
    )
    .unwrap();
    controller.join().unwrap();
    assert!(start.elapsed() >= Duration::from_millis(1200));
    assert_eq!(lines, [format!("Waiting for Deployment {}/d: Replicas: 0/2 (1 of 2 ready)", ns.name)]);
}

#[test]
fn timeouts_name_what_is_not_ready() {
    let ns = common::Ns::new("kt-timeout");
    let k = &ns.kube;
    let rs = k.build(DEPLOYMENT, &ns.name).unwrap();
    k.apply(&rs[0], &ApplyOptions::default()).unwrap();
    let start = Instant::now();
    let err = k
        .wait_ready(&rs, WaitKind::Resources { jobs: false }, Duration::from_millis(800), &mut |_| {}, &mut |_, _| {})
        .unwrap_err();
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(800) && took < Duration::from_secs(5), "{took:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "resource Deployment/{}/d not ready. status: InProgress, message: Replicas: 0/2\ncontext deadline exceeded",
            ns.name
        )
    );
    // Half-way: the controller saw it but pods are not available.
    common::write_status(
        k,
        &rs[0],
        json!({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 1, "availableReplicas": 1}),
    );
    let err = k
        .wait_ready(&rs, WaitKind::Resources { jobs: false }, Duration::from_millis(300), &mut |_| {}, &mut |_, _| {})
        .unwrap_err();
    assert!(err.to_string().contains("status: InProgress, message: Available: 1/2\n"), "{err}");

    // An object that is never created.
    let missing = k.build("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: never\n", &ns.name).unwrap();
    let err =
        k.wait_ready(&missing, WaitKind::Hook, Duration::from_millis(300), &mut |_| {}, &mut |_, _| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("resource ConfigMap/{}/never not ready. status: NotFound, message: Resource not found\ncontext deadline exceeded", ns.name)
    );

    // Deletion held by a finalizer.
    let held = k
        .build("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [rhelm.test/hold]\n", &ns.name)
        .unwrap();
    k.apply(&held[0], &ApplyOptions::default()).unwrap();
    k.delete(&held[0], Propagation::Background).unwrap();
    let err = k.wait_deleted(&held, Duration::from_millis(300), &mut |_, _| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "resource ConfigMap/{}/held still exists. status: Terminating, message: Resource scheduled for deletion\ncontext deadline exceeded",
            ns.name
        )
    );
    let mut release = held[0].clone();
    release.object["metadata"]["finalizers"] = json!([]);
    k.apply(&release, &ApplyOptions { force: true, ..ApplyOptions::default() }).unwrap();
    k.wait_deleted(&held, Duration::from_secs(10), &mut |_, _| {}).unwrap();
}

#[test]
fn hook_jobs_complete_or_fail() {
    let ns = common::Ns::new("kt-hook");
    let k = &ns.kube;
    let rs = k.build(&format!("{}---\n{}", job("ok"), job("bad")), &ns.name).unwrap();
    for r in k.apply_all(&rs, &ApplyOptions::default()) {
        r.unwrap();
    }
    // Not complete yet: a hook waits; plain --wait counts a started Job as ready.
    let err = k.wait_hook(&rs[0], Duration::from_millis(300)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "resource Job/{}/ok not ready. status: InProgress, message: Job in progress\ncontext deadline exceeded",
            ns.name
        )
    );
    let now = "2026-01-01T00:00:00Z";
    common::write_status(k, &rs[0], json!({"startTime": now, "active": 1}));
    k.wait_ready(&rs[..1], WaitKind::Resources { jobs: false }, Duration::from_secs(5), &mut |_| {}, &mut |_, _| {})
        .unwrap();
    assert!(k
        .wait_ready(
            &rs[..1],
            WaitKind::Resources { jobs: true },
            Duration::from_millis(200),
            &mut |_| {},
            &mut |_, _| {}
        )
        .is_err());

    common::write_status(
        k,
        &rs[0],
        json!({"startTime": now, "completionTime": now, "active": 0, "succeeded": 1,
        "conditions": [{"type": "Complete", "status": "True", "lastProbeTime": now, "lastTransitionTime": now}]}),
    );
    k.wait_hook(&rs[0], Duration::from_secs(5)).unwrap();

    common::write_status(
        k,
        &rs[1],
        json!({"startTime": now, "failed": 1,
        "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": now, "lastTransitionTime": now}]}),
    );
    // A failure ends the wait at once, long before the timeout.
    let start = Instant::now();
    let err = k.wait_hook(&rs[1], Duration::from_secs(60)).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(
        err.to_string(),
        format!("resource Job/{}/bad not ready. status: Failed, message: Job Failed. failed: 1/1", ns.name)
    );
}

#[test]
fn hook_pods_succeed_or_fail() {
    let ns = common::Ns::new("kt-pod");
    let k = &ns.kube;
    let pod = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox\n")
    };
    let rs = k.build(&format!("{}---\n{}", pod("good"), pod("bad")), &ns.name).unwrap();
    for r in k.apply_all(&rs, &ApplyOptions::default()) {
        r.unwrap();
    }
    common::write_status(k, &rs[0], json!({"phase": "Succeeded"}));
    common::write_status(k, &rs[1], json!({"phase": "Failed"}));
    k.wait_hook(&rs[0], Duration::from_secs(5)).unwrap();
    let err = k.wait_hook(&rs[1], Duration::from_secs(5)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("resource Pod/{}/bad not ready. status: Failed, message: pod bad failed", ns.name)
    );
    // For --wait a finished pod is current, failed or not (kstatus).
    k.wait_ready(&rs, WaitKind::Resources { jobs: false }, Duration::from_secs(5), &mut |_| {}, &mut |_, _| {})
        .unwrap();
    // Pods never run here: each container is listed with an empty log.
    assert_eq!(k.pod_logs(&ns.name, "good").unwrap(), [("c".to_string(), String::new())]);
    assert_eq!(k.pod_log(&ns.name, "good", None).unwrap(), "");
    assert_eq!(k.pod_log(&ns.name, "missing", Some("c")).unwrap_err().code, Some(404));
}
