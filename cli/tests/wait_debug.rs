//! What `--debug` logs while the status waiter (`--wait`, kstatus) waits,
//! and `--rollback-on-failure` waiting for the uninstalled objects to go,
//! helm 4.3.1 against rhelm on the test cluster. No controller runs a
//! Deployment here, so the test plays it by writing its status through the
//! status subresource; a finalizer it removes late holds a deletion.

mod common;
mod support;

use std::time::{Duration, Instant};

use common::{normalize, release_chart, Env, Tool};
use support::{patch_status_later, ready_deployment_status, Diffs};

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

/// The legacy waiter's (`--wait=legacy`) start and end lines of `stderr`,
/// the time taken masked. Its per-object readiness lines (ready.go) are not
/// compared: rhelm does not log them yet.
fn legacy_lines(stderr: &str, ns: &str) -> String {
    let elapsed = regex::Regex::new(r"elapsed=\d+s").unwrap();
    let out: Vec<String> = stderr
        .lines()
        .filter(|l| {
            l.starts_with("level=DEBUG msg=\"beginning wait for resources")
                || l.starts_with("level=DEBUG msg=\"wait for resources ")
        })
        .map(|l| elapsed.replace(l, "elapsed=ELAPSED").into_owned())
        .collect();
    normalize(&(out.join("\n") + "\n"), &[ns])
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
