//! `--wait=legacy` on the test cluster, helm 4.3.1 against rhelm: Helm 3's
//! polling waiter (`pkg/kube/ready.go`), whose rules differ from kstatus's.
//! Each case is one where the two disagree, so a legacy wait judged by
//! kstatus fails here. The cluster runs no workload controllers and no
//! kubelet; where a case needs one, the test plays it (a Deployment's new
//! ReplicaSet, status written through the status subresource).

mod common;
mod support;

use std::time::Duration;

use common::{normalize, release_chart, Env, Tool};
use support::{compare_env, patch_status_later, play_deployment_controller, Diffs, FAILED_JOB_STATUS};

/// One tool's `install --wait=legacy` of a Deployment of 2 replicas that
/// may lose 1, made to have 1 ready pod by the played controller.
fn install_partly_ready(env: &Env, tool: Tool, ns: &str) -> String {
    let chart = release_chart("legacy-wait");
    let player = play_deployment_controller(env, ns, "dr-web", Some(1));
    let run = env.run(
        tool,
        &[
            "install",
            "dr",
            &chart,
            "-n",
            ns,
            "--wait=legacy",
            "--timeout",
            "40s",
            "--set",
            "deployment=true,replicas=2,maxUnavailable=1",
        ],
    );
    player.join().unwrap().unwrap();
    format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&run.stderr(), &[ns]))
}

/// One tool's `install NAME CHART --wait=legacy --timeout 4s` with the rest
/// of `args`, while `status` is written to `what`.
fn install_with_status(env: &Env, tool: Tool, ns: &str, args: &[&str], what: &str, status: &str) -> String {
    let chart = release_chart("legacy-wait");
    let player = patch_status_later(env, ns, what, status, Duration::from_millis(200));
    let head = ["install", args[0], &chart, "-n", ns, "--wait=legacy", "--timeout", "4s"];
    let run = env.run(tool, &[&head[..], &args[1..]].concat());
    assert!(player.join().unwrap(), "could not write the status of {what}");
    format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&run.stderr(), &[ns]))
}

/// One tool's `install --wait=legacy` whose post-install Job fails.
fn install_failing_hook(env: &Env, tool: Tool, ns: &str) -> String {
    let chart = release_chart("legacy-wait");
    let player = patch_status_later(env, ns, "job/hf-post", FAILED_JOB_STATUS, Duration::from_millis(500));
    let run = env
        .run(tool, &["install", "hf", &chart, "-n", ns, "--wait=legacy", "--timeout", "30s", "--set", "hookJob=true"]);
    assert!(player.join().unwrap(), "could not fail the hook Job");
    format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&run.stderr(), &[ns]))
}

fn namespaces(env: &Env) -> (String, String) {
    let (hns, rns) = (env.namespace("lwh"), env.namespace("lwr"));
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
    }
    (hns, rns)
}

#[test]
fn legacy_deployment_counts_the_new_replica_set() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env);
    let mut d = Diffs::default();
    // Ready replicas 1 of 2 with maxUnavailable 1: enough for Helm 3's
    // rule, while kstatus would wait for both.
    let h = install_partly_ready(&env, Tool::Helm, &hns);
    let r = install_partly_ready(&env, Tool::Rhelm, &rns);
    assert!(h.starts_with("exit 0"), "helm: {h}");
    d.equal("install of a partly ready Deployment", &h, &r);
    d.records(&env, &hns, &rns, "dr", &[1]);
    // No ReplicaSet at all: legacy never calls it ready, and times out with
    // the bare context error (kstatus would name the Deployment).
    let chart = release_chart("legacy-wait");
    let deployment = ["--set", "deployment=true,replicas=1,maxUnavailable=0"];
    let (h, _) = d.step(
        &env,
        &hns,
        &rns,
        &[&["install", "dn", &chart, "-n", "{ns}", "--wait=legacy", "--timeout", "3s"][..], &deployment].concat(),
    );
    assert_eq!(h.stderr(), "Error: INSTALLATION FAILED: context deadline exceeded\n");
    d.step(&env, &hns, &rns, &["status", "dn", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "dn", &[1]);
    d.assert_none();
}

#[test]
fn legacy_services_volumes_jobs_and_pods() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env);
    let chart = release_chart("legacy-wait");
    let mut d = Diffs::default();
    let legacy = ["-n", "{ns}", "--wait=legacy", "--timeout", "3s"];
    let install = |name: &'static str, set: &'static str, extra: &[&'static str]| -> Vec<String> {
        let mut a: Vec<String> = vec!["install".into(), name.into(), chart.clone()];
        a.extend(legacy.iter().map(|s| s.to_string()));
        a.extend(["--set".to_string(), set.to_string()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let step = |d: &mut Diffs, args: Vec<String>| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        d.step(&env, &hns, &rns, &a).0
    };
    // A LoadBalancer without an ingress: kstatus is content with the
    // cluster IP, legacy waits for the balancer and times out.
    let h = step(&mut d, install("lb", "loadBalancer=true", &[]));
    assert_eq!(h.code(), 1, "helm: {}", h.stderr());
    step(
        &mut d,
        install("lw", "loadBalancer=true", &[])
            .into_iter()
            .map(|a| if a == "--wait=legacy" { "--wait=watcher".into() } else { a })
            .collect(),
    );
    // An unbound claim: both wait; legacy's error does not name it.
    step(&mut d, install("pv", "pvc=true", &[]));
    // A Job no controller starts: legacy ignores Jobs without
    // --wait-for-jobs (kstatus waits for it to start), and with it waits
    // for the completion.
    let h = step(&mut d, install("jb", "job=true", &[]));
    assert_eq!(h.code(), 0, "helm: {}", h.stderr());
    step(&mut d, install("jw", "job=true", &["--wait-for-jobs"]));
    // A failed Job is an error the legacy waiter retries 30 times, 2 s
    // apart, so a shorter wait ends with the deadline (kstatus fails at once).
    let failed = [&hns, &rns].map(|ns| {
        let tool = if ns == &hns { Tool::Helm } else { Tool::Rhelm };
        let args = ["jf", "--set", "job=true", "--wait-for-jobs"];
        install_with_status(&env, tool, ns, &args, "job/jf-task", FAILED_JOB_STATUS)
    });
    assert!(failed[0].ends_with("Error: INSTALLATION FAILED: context deadline exceeded\n"), "helm: {}", failed[0]);
    d.equal("install with a failed Job", &failed[0], &failed[1]);
    // A Pod that ran and failed: kstatus calls it current, legacy waits for
    // a Ready condition.
    let pod = [&hns, &rns].map(|ns| {
        let tool = if ns == &hns { Tool::Helm } else { Tool::Rhelm };
        install_with_status(&env, tool, ns, &["pf", "--set", "pod=true"], "pod/pf-once", r#"{"phase":"Failed"}"#)
    });
    assert!(pod[0].starts_with("exit 1"), "helm: {}", pod[0]);
    d.equal("install with a failed Pod", &pod[0], &pod[1]);
    // The Services' node ports are the server's choice.
    let node_port = regex::Regex::new(r"\d+:\d+/TCP").unwrap();
    let mask = |s: &str| node_port.replace_all(s, "PORT:NODEPORT/TCP").into_owned();
    for name in ["lb", "lw", "pv", "jb", "jw", "jf", "pf"] {
        if let (_, _, Some(diff)) = compare_env(&env, &hns, &rns, &["status", name, "-n", "{ns}"], &[], &mask) {
            d.0.push(diff);
        }
        d.records(&env, &hns, &rns, name, &[1]);
    }
    // Upgrade and rollback wait the same way: the Job release gains the
    // balancer and fails, and rolling back to the Job alone succeeds.
    d.step(
        &env,
        &hns,
        &rns,
        &[
            "upgrade",
            "jb",
            &chart,
            "-n",
            "{ns}",
            "--wait=legacy",
            "--timeout",
            "3s",
            "--set",
            "job=true,loadBalancer=true",
        ],
    );
    d.step(&env, &hns, &rns, &["rollback", "jb", "1", "-n", "{ns}", "--wait=legacy", "--timeout", "3s"]);
    d.step(&env, &hns, &rns, &["history", "jb", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "jb", &[2, 3]);
    d.assert_none();
}

#[test]
fn legacy_hooks_and_uninstall() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env);
    let chart = release_chart("legacy-wait");
    let mut d = Diffs::default();
    // A hook Job that fails: Helm's legacy watch logs it and names the
    // reason; one never finishing times out with the watch's own words.
    let h = install_failing_hook(&env, Tool::Helm, &hns);
    assert!(h.contains("job hf-post failed: BackoffLimitExceeded"), "helm: {h}");
    d.equal("install with a failing hook Job", &h, &install_failing_hook(&env, Tool::Rhelm, &rns));
    d.records(&env, &hns, &rns, "hf", &[1]);
    d.step(
        &env,
        &hns,
        &rns,
        &["install", "ht", &chart, "-n", "{ns}", "--wait=legacy", "--timeout", "3s", "--set", "hookJob=true"],
    );
    d.records(&env, &hns, &rns, "ht", &[1]);
    // A finalizer holds the ConfigMap: the legacy deletion wait times out
    // without naming what is left.
    d.step(&env, &hns, &rns, &["install", "ud", &chart, "-n", "{ns}", "--set", "heldConfigMap=true"]);
    let (h, _) = d.step(&env, &hns, &rns, &["uninstall", "ud", "-n", "{ns}", "--wait=legacy", "--timeout", "3s"]);
    assert_eq!(h.stderr(), "Error: uninstallation completed with 1 error(s): context deadline exceeded\n");
    for ns in [&hns, &rns] {
        env.kubectl_ok(&[
            "-n",
            ns,
            "patch",
            "configmap",
            "ud-held",
            "--type=merge",
            "-p",
            r#"{"metadata":{"finalizers":null}}"#,
        ]);
    }
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "--all"]);
    d.assert_none();
}

#[test]
fn legacy_daemon_stateful_and_replica_sets() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env);
    let chart = release_chart("legacy-wait");
    let mut d = Diffs::default();
    // A DaemonSet with every pod updated, one of two ready and one allowed
    // unavailable: legacy is content, kstatus waits for both.
    let ds = r#"{"observedGeneration":1,"desiredNumberScheduled":2,"currentNumberScheduled":2,"updatedNumberScheduled":2,"numberReady":1,"numberAvailable":1}"#;
    let out = [&hns, &rns].map(|ns| {
        let tool = if ns == &hns { Tool::Helm } else { Tool::Rhelm };
        install_with_status(&env, tool, ns, &["ds", "--set", "daemonSet=true"], "daemonset/ds-agent", ds)
    });
    assert!(out[0].starts_with("exit 0"), "helm: {}", out[0]);
    d.equal("install of a partly ready DaemonSet", &out[0], &out[1]);
    // A StatefulSet updated on deletion: kstatus does not wait for it;
    // legacy still wants its controller to have observed it, and times out.
    let (h, _) = d.step(
        &env,
        &hns,
        &rns,
        &["install", "ss", &chart, "-n", "{ns}", "--wait=legacy", "--timeout", "3s", "--set", "statefulSet=true"],
    );
    assert_eq!(h.stderr(), "Error: INSTALLATION FAILED: context deadline exceeded\n");
    // A ReplicaSet its controller has observed: legacy then asks that the
    // pods its selector finds be ready; none at all will do (kstatus wants
    // its replicas), a stray unready one with its label will not.
    let observed = r#"{"observedGeneration":1,"replicas":0}"#;
    let out = [&hns, &rns].map(|ns| {
        let tool = if ns == &hns { Tool::Helm } else { Tool::Rhelm };
        let bare =
            install_with_status(&env, tool, ns, &["rs", "--set", "replicaSet=true"], "replicaset/rs-workers", observed);
        let pod = ["run", "stray", "-n", ns, "--image=busybox:1.36", "--restart=Never", "--labels=app=rp-workers"];
        env.kubectl_ok(&pod);
        let stray =
            install_with_status(&env, tool, ns, &["rp", "--set", "replicaSet=true"], "replicaset/rp-workers", observed);
        format!("{bare}{stray}")
    });
    assert!(out[0].starts_with("exit 0") && out[0].contains("exit 1"), "helm: {}", out[0]);
    d.equal("install of ReplicaSets", &out[0], &out[1]);
    for name in ["ds", "ss", "rs", "rp"] {
        d.step(&env, &hns, &rns, &["status", name, "-n", "{ns}"]);
        d.records(&env, &hns, &rns, name, &[1]);
    }
    d.assert_none();
}
