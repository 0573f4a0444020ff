//! What `--debug` logs while the status waiter (`--wait`, kstatus) waits,
//! `--rollback-on-failure` waiting for the uninstalled objects to go, and
//! the legacy waiter (`--wait=legacy`) judging objects and watching hooks,
//! helm 4.3.1 against rhelm on the test cluster. No controller runs a
//! Deployment or a Job here, so the tests play them by writing status
//! through the status subresource; a finalizer removed late holds a deletion.

mod common;
mod support;

use std::time::{Duration, Instant};

use common::{normalize, release_chart, Env, Tool};
use support::{
    patch_status_later, play_deployment_controller, ready_deployment_status, run_reacting, Diffs, Reaction,
    COMPLETE_JOB_STATUS, FAILED_JOB_STATUS,
};

/// The status waiter's debug lines of `stderr`. Helm logs one line per
/// watch event, so a line repeats as often as events happen to come;
/// repeats are collapsed. Helm's first line may name an object whose
/// informer has not reported yet (`actualStatus=Unknown`), depending on
/// which informer answers first: such lines are left out.
fn wait_lines(stderr: &str, ns: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for l in stderr.lines() {
        let waiter = l.starts_with("level=DEBUG msg=\"waiting for resource")
            || l.starts_with("level=DEBUG msg=\"all resources achieved desired status\"");
        if waiter && !l.ends_with("actualStatus=Unknown") && out.last() != Some(&l) {
            out.push(l);
        }
    }
    normalize(&(out.join("\n") + "\n"), &[ns])
}

/// Exit code and output without the debug lines (compared on their own).
fn plain(run: &common::Run, ns: &str) -> String {
    let err: String = run.stderr().split_inclusive('\n').filter(|l| !l.starts_with("level=DEBUG")).collect();
    format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&err, &[ns]))
}

fn namespaces(env: &Env, h: &str, r: &str) -> (String, String) {
    let (hns, rns) = (env.namespace(h), env.namespace(r));
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
    }
    (hns, rns)
}

#[test]
fn status_waiter_debug_lines_match_helm() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env, "dwh", "dwr");
    let chart = release_chart("features");
    let mut seen = Vec::new();
    for (tool, ns) in [(Tool::Helm, &hns), (Tool::Rhelm, &rns)] {
        // Made ready after 3 s: the wait sees InProgress, then Current.
        let player =
            patch_status_later(&env, ns, "deployment/dw-web", &ready_deployment_status(1), Duration::from_secs(3));
        let run = env.run(
            tool,
            &["install", "dw", &chart, "-n", ns, "--wait", "--timeout", "60s", "--set", "deployment=true", "--debug"],
        );
        assert!(player.join().unwrap(), "could not write the Deployment's status");
        // Never made ready: the wait times out.
        let late = env.run(
            tool,
            &["install", "dt", &chart, "-n", ns, "--wait", "--timeout", "3s", "--set", "deployment=true", "--debug"],
        );
        seen.push(format!(
            "{}{}--- timed out\n{}{}",
            plain(&run, ns),
            wait_lines(&run.stderr(), ns),
            plain(&late, ns),
            wait_lines(&late.stderr(), ns)
        ));
    }
    let (h, r) = (&seen[0], &seen[1]);
    let mut d = Diffs::default();
    assert!(h.contains("msg=\"all resources achieved desired status\""), "helm logged no end of the wait:\n{h}");
    d.equal("install --wait --debug", h, r);
    d.assert_none();
}

/// One tool's failing `install --rollback-on-failure` of a Deployment
/// nobody makes ready and a ConfigMap held by a finalizer, which the test
/// removes `release` after the start (or only after the command returns).
fn failed_install(
    env: &Env,
    tool: Tool,
    ns: &str,
    name: &str,
    timeout: &str,
    release: Option<Duration>,
) -> (String, Duration) {
    let chart = release_chart("features");
    let cm = format!("configmap/{name}-cm");
    let unhold = |env: &Env| {
        let ok = env
            .kubectl(&["-n", ns, "patch", &cm, "--type=merge", "-p", r#"{"metadata":{"finalizers":null}}"#])
            .status
            .success();
        assert!(ok, "could not remove the finalizer of {cm}");
    };
    let start = Instant::now();
    let run = std::thread::scope(|s| {
        let remover = release.map(|delay| {
            s.spawn(move || {
                std::thread::sleep(delay);
                unhold(env);
            })
        });
        let run = env.run(
            tool,
            &[
                "install",
                name,
                &chart,
                "-n",
                ns,
                "--rollback-on-failure",
                "--timeout",
                timeout,
                "--set",
                "deployment=true,finalizer=example.com/hold",
                "--debug",
            ],
        );
        let took = start.elapsed();
        if let Some(r) = remover {
            r.join().unwrap();
        }
        (run, took)
    });
    let (run, took) = run;
    if release.is_none() {
        unhold(env);
    }
    assert!(env.wait_gone(ns, &cm, Duration::from_secs(20)), "{cm} was not deleted");
    let records = env.kubectl_ok(&["-n", ns, "get", "secrets", "-l", &format!("owner=helm,name={name}"), "-o", "name"]);
    (format!("{}{}records: [{}]\n", plain(&run, ns), wait_lines(&run.stderr(), ns), records.trim()), took)
}

#[test]
fn rollback_on_failure_waits_for_the_deletion_like_helm() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env, "rfh", "rfr");
    let mut d = Diffs::default();
    // The install waits 6 s and fails; the uninstall then waits up to 6 s
    // more for the ConfigMap, whose finalizer goes at 9 s: the command
    // returns only after that, and succeeds in uninstalling.
    let hold = Duration::from_secs(9);
    let (h, htook) = failed_install(&env, Tool::Helm, &hns, "rf", "6s", Some(hold));
    let (r, rtook) = failed_install(&env, Tool::Rhelm, &rns, "rf", "6s", Some(hold));
    assert!(htook >= hold, "helm did not wait for the deletion ({htook:?})");
    assert!(rtook >= hold, "rhelm did not wait for the deletion ({rtook:?})");
    d.equal("install --rollback-on-failure, deletion awaited", &h, &r);
    // The finalizer stays: the deletion wait times out, which the error
    // tells after the install's, and the records are purged all the same.
    let (h, _) = failed_install(&env, Tool::Helm, &hns, "rg", "3s", None);
    let (r, _) = failed_install(&env, Tool::Rhelm, &rns, "rg", "3s", None);
    assert!(h.contains("still exists"), "helm's deletion wait did not time out:\n{h}");
    d.equal("install --rollback-on-failure, deletion timed out", &h, &r);
    d.assert_none();
}

/// What the legacy waiter logs (pkg/kube/wait.go and ready.go): its start
/// and end, each object's verdict, the retries, and the hook watches.
const LEGACY_MESSAGES: &str = r#"beginning wait for resources|beginning wait for resources to be deleted|wait for resources (succeeded|failed)|[A-Za-z]+ is not ready.*|[A-Za-z]+ is (ready|completed|failed|bound)|[A-Za-z]+ is not (bound|completed)|[A-Za-z]+ does(n't| not) have .*|Service has external IP addresses|StatefulSet skipped ready check|error received when checking resource status|status code received|retryable error assumed|retrying resource readiness|max number of retries reached|watching for resource changes|add/modify event received|deleted event received|job status update|job failed|pod (succeeded|failed|pending|running|unknown)"#;

/// The legacy waiter's (`--wait=legacy`) lines of `stderr`, the time taken
/// and the Services' cluster IPs (the server's choice) masked. Both tools
/// poll every 2 s and log every check, so a line repeats until a status
/// write lands, as often as the timing has it: repeats are collapsed. Hook
/// watches log per event in Helm and per observed change in rhelm, which
/// collapsing makes alike too.
fn legacy_lines(stderr: &str, ns: &str) -> String {
    let line = regex::Regex::new(&format!(r#"^level=(DEBUG|ERROR) msg="({LEGACY_MESSAGES})"( |$)"#)).unwrap();
    let elapsed = regex::Regex::new(r"elapsed=\d+s").unwrap();
    let ip = regex::Regex::new(r"clusterIP=\S+").unwrap();
    let mut out: Vec<String> = Vec::new();
    for l in stderr.lines().filter(|l| line.is_match(l)) {
        let l = elapsed.replace(l, "elapsed=ELAPSED");
        let l = ip.replace(&l, "clusterIP=IP").into_owned();
        if out.last() != Some(&l) {
            out.push(l);
        }
    }
    normalize(&(out.join("\n") + "\n"), &[ns])
}

/// One tool's `install NAME legacy-wait -n NS --wait=legacy --debug` with
/// `args`, playing the controllers by `reactions`: its output without
/// debug lines, then the legacy waiter's lines.
fn legacy_install(env: &Env, tool: Tool, ns: &str, name: &str, args: &[&str], reactions: &[Reaction]) -> String {
    let chart = release_chart("legacy-wait");
    let head = ["install", name, &chart, "-n", ns, "--wait=legacy", "--debug"];
    let run = run_reacting(env, tool, &[&head[..], args].concat(), ns, reactions);
    format!("{}{}", plain(&run, ns), legacy_lines(&run.stderr(), ns))
}

/// Runs `case` for helm and for rhelm, each in its own namespace, and
/// compares what they return; `expect` must be in helm's, so the case
/// cannot pass by both logging nothing.
fn legacy_case(env: &Env, d: &mut Diffs, what: &str, expect: &str, case: &dyn Fn(Tool, &str) -> String) {
    let (hns, rns) = namespaces(env, "ldh", "ldr");
    let (h, r) = (case(Tool::Helm, &hns), case(Tool::Rhelm, &rns));
    assert!(h.contains(expect), "helm's {what} lacks {expect}:\n{h}");
    d.equal(what, &h, &r);
}

/// A status written when a line containing `after` is logged.
fn on<'a>(after: &'a str, what: &'a str, status: &'a str) -> Reaction<'a> {
    Reaction { after, what, status }
}

#[test]
fn legacy_deployment_debug_lines_match_helm() {
    let env = Env::new();
    let mut d = Diffs::default();
    let set = ["--set", "deployment=true,replicas=1,maxUnavailable=0"];
    let rs = "replicaset/dr-web-5d4f8c7b9";
    // The played controller's ReplicaSet, unobserved; then observed with
    // no pod ready, before the Deployment's own status says it observed
    // the spec; then the pod ready.
    legacy_case(&env, &mut d, "Deployment made ready", "msg=\"Deployment is ready\"", &|tool, ns| {
        let player = play_deployment_controller(&env, ns, "dr-web", None);
        let reactions = [
            on("ReplicaSet is not ready", rs, r#"{"observedGeneration":1,"replicas":1,"readyReplicas":0}"#),
            on("Deployment is not ready", "deployment/dr-web", r#"{"observedGeneration":1}"#),
            on("Deployment does not have enough pods ready", rs, r#"{"readyReplicas":1}"#),
        ];
        let out = legacy_install(&env, tool, ns, "dr", &[&["--timeout", "30s"][..], &set].concat(), &reactions);
        player.join().unwrap().unwrap();
        out
    });
    // No pod ever ready: the wait times out.
    legacy_case(&env, &mut d, "Deployment timed out", "enough pods ready", &|tool, ns| {
        let rs = "replicaset/dt-web-5d4f8c7b9";
        let player = play_deployment_controller(&env, ns, "dt-web", None);
        let reactions = [
            on("ReplicaSet is not ready", rs, r#"{"observedGeneration":1,"replicas":1,"readyReplicas":0}"#),
            on("ReplicaSet is not ready", "deployment/dt-web", r#"{"observedGeneration":1}"#),
        ];
        let out = legacy_install(&env, tool, ns, "dt", &[&["--timeout", "7s"][..], &set].concat(), &reactions);
        player.join().unwrap().unwrap();
        out
    });
    d.assert_none();
}

#[test]
fn legacy_volume_service_and_job_debug_lines_match_helm() {
    let env = Env::new();
    let mut d = Diffs::default();
    // The claim is bound, the balancer gets an address and the Job
    // completes, each once the waiter has said it waits for it.
    legacy_case(&env, &mut d, "claim, balancer and Job", "msg=\"Job is completed\"", &|tool, ns| {
        let reactions = [
            on("PersistentVolumeClaim is not bound", "pvc/vs-data", r#"{"phase":"Bound"}"#),
            on("load balancer ingress", "service/vs-lb", r#"{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"}]}}"#),
            on("Job is not completed", "job/vs-task", COMPLETE_JOB_STATUS),
        ];
        let args = ["--timeout", "30s", "--wait-for-jobs", "--set", "pvc=true,loadBalancer=true,job=true"];
        legacy_install(&env, tool, ns, "vs", &args, &reactions)
    });
    // External IPs let a balancer pass without an ingress; slog prints
    // the list as Go's %+v does, quoted for its space.
    legacy_case(&env, &mut d, "balancer with external IPs", "externalIPs=\"[192.0.2.7 192.0.2.8]\"", &|tool, ns| {
        let args = ["--timeout", "30s", "--set", "loadBalancer=true,externalIPs={192.0.2.7,192.0.2.8}"];
        legacy_install(&env, tool, ns, "ex", &args, &[])
    });
    // A failed Job is an error the waiter logs and retries until the
    // deadline.
    legacy_case(&env, &mut d, "failed Job", "msg=\"retrying resource readiness\"", &|tool, ns| {
        let args = ["--timeout", "5s", "--wait-for-jobs", "--set", "job=true"];
        legacy_install(&env, tool, ns, "jf", &args, &[on("Job is not completed", "job/jf-task", FAILED_JOB_STATUS)])
    });
    d.assert_none();
}

#[test]
fn legacy_workload_debug_lines_match_helm() {
    let env = Env::new();
    let mut d = Diffs::default();
    // Checked in install order, each until ready: the DaemonSet through
    // every stage, the Pod, the ReplicaSet (no pods of its own), and the
    // StatefulSet updated on deletion, which is then not checked further.
    legacy_case(&env, &mut d, "workloads", "msg=\"StatefulSet skipped ready check\"", &|tool, ns| {
        let ds = "daemonset/ws-agent";
        let reactions = [
            on(
                "DaemonSet is not ready",
                ds,
                r#"{"observedGeneration":1,"desiredNumberScheduled":2,"updatedNumberScheduled":1,"numberReady":0}"#,
            ),
            on("DaemonSet does not have enough Pods scheduled", ds, r#"{"updatedNumberScheduled":2}"#),
            on("DaemonSet does not have enough Pods ready", ds, r#"{"numberReady":1}"#),
            on(
                "Pod is not ready",
                "pod/ws-once",
                r#"{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}"#,
            ),
            on("ReplicaSet is not ready", "replicaset/ws-workers", r#"{"observedGeneration":1,"replicas":0}"#),
            on("StatefulSet is not ready", "statefulset/ws-db", r#"{"observedGeneration":1}"#),
        ];
        let args = ["--timeout", "60s", "--set", "daemonSet=true,pod=true,replicaSet=true,statefulSet=true"];
        legacy_install(&env, tool, ns, "ws", &args, &reactions)
    });
    d.assert_none();
}

#[test]
fn legacy_hook_watch_debug_lines_match_helm() {
    let env = Env::new();
    let mut d = Diffs::default();
    // The post-install Job is seen running (no status yet), then complete.
    legacy_case(&env, &mut d, "hook Job completed", "eventType=MODIFIED", &|tool, ns| {
        let args = ["--timeout", "30s", "--set", "hookJob=true"];
        legacy_install(&env, tool, ns, "hk", &args, &[on("job status update", "job/hk-post", COMPLETE_JOB_STATUS)])
    });
    // Failed: the error record follows the event's debug line.
    legacy_case(&env, &mut d, "hook Job failed", "level=ERROR msg=\"job failed\"", &|tool, ns| {
        let args = ["--timeout", "30s", "--set", "hookJob=true"];
        legacy_install(&env, tool, ns, "hx", &args, &[on("job status update", "job/hx-post", FAILED_JOB_STATUS)])
    });
    // A hook Pod through its phases, each logged as it is seen; then one
    // that fails, which is an error record.
    legacy_case(&env, &mut d, "hook Pod succeeded", "msg=\"pod succeeded\"", &|tool, ns| {
        let args = ["--timeout", "30s", "--set", "hookPod=true"];
        let reactions = [
            on("pod pending", "pod/hp-probe", r#"{"phase":"Running"}"#),
            on("pod running", "pod/hp-probe", r#"{"phase":"Succeeded"}"#),
        ];
        legacy_install(&env, tool, ns, "hp", &args, &reactions)
    });
    legacy_case(&env, &mut d, "hook Pod failed", "level=ERROR msg=\"pod failed\"", &|tool, ns| {
        let args = ["--timeout", "30s", "--set", "hookPod=true"];
        legacy_install(&env, tool, ns, "hq", &args, &[on("pod pending", "pod/hq-probe", r#"{"phase":"Failed"}"#)])
    });
    d.assert_none();
}

#[test]
fn legacy_waiter_debug_lines_match_helm() {
    let env = Env::new();
    let (hns, rns) = namespaces(&env, "dlh", "dlr");
    let chart = release_chart("features");
    let mut seen = Vec::new();
    for (tool, ns) in [(Tool::Helm, &hns), (Tool::Rhelm, &rns)] {
        let mut out = String::new();
        let set = "finalizer=example.com/hold";
        let install = env.run(tool, &["install", "dl", &chart, "-n", ns, "--wait=legacy", "--set", set, "--debug"]);
        out += &format!("{}{}", plain(&install, ns), legacy_lines(&install.stderr(), ns));
        // The finalizer goes after 3 s: the deletion wait succeeds then.
        let unhold = std::thread::spawn({
            let kubeconfig = env.kubeconfig.clone();
            let ns = ns.to_string();
            move || {
                std::thread::sleep(Duration::from_secs(3));
                std::process::Command::new(common::kubectl_path())
                    .args(["-n", &ns, "patch", "configmap/dl-cm", "--type=merge", "-p"])
                    .arg(r#"{"metadata":{"finalizers":null}}"#)
                    .env("KUBECONFIG", &kubeconfig)
                    .output()
                    .is_ok_and(|o| o.status.success())
            }
        });
        let start = Instant::now();
        let gone = env.run(tool, &["uninstall", "dl", "-n", ns, "--wait=legacy", "--debug"]);
        assert!(start.elapsed() >= Duration::from_secs(3), "{tool:?} did not wait for the deletion");
        assert!(unhold.join().unwrap(), "could not remove the finalizer");
        out += &format!("{}{}", plain(&gone, ns), legacy_lines(&gone.stderr(), ns));
        // Held for good: the deletion wait times out.
        let install = env.run(tool, &["install", "dm", &chart, "-n", ns, "--set", set]);
        assert_eq!(install.code(), 0, "{}", install.stderr());
        let late = env.run(tool, &["uninstall", "dm", "-n", ns, "--wait=legacy", "--timeout", "2s", "--debug"]);
        out += &format!("{}{}", plain(&late, ns), legacy_lines(&late.stderr(), ns));
        env.kubectl_ok(&[
            "-n",
            ns,
            "patch",
            "configmap/dm-cm",
            "--type=merge",
            "-p",
            r#"{"metadata":{"finalizers":null}}"#,
        ]);
        seen.push(out);
    }
    let mut d = Diffs::default();
    assert!(seen[0].contains("msg=\"wait for resources succeeded\""), "helm logged no end of the wait:\n{}", seen[0]);
    d.equal("--wait=legacy --debug", &seen[0], &seen[1]);
    d.assert_none();
}

#[test]
fn legacy_crd_wait_debug_lines_match_helm() {
    let env = Env::new();
    let mut d = Diffs::default();
    // The chart's crds/ are awaited by the release's waiter for a minute,
    // before the release's own objects.
    legacy_case(&env, &mut d, "CRDs", "count=1 timeout=1m0s", &|tool, ns| {
        let run = env.run(tool, &["install", "cr", &release_chart("crds"), "-n", ns, "--wait=legacy", "--debug"]);
        format!("{}{}", plain(&run, ns), legacy_lines(&run.stderr(), ns))
    });
    d.assert_none();
}
