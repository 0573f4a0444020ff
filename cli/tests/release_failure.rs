//! Failed operations on the test cluster, helm 4.3.1 against rhelm:
//! `--rollback-on-failure` (and its old name `--atomic`) purging a failed
//! install and rolling a failed upgrade back, and `--cleanup-on-fail`
//! deleting what the failed upgrade created. Failures come from a
//! pre-upgrade Job the test marks Failed, or from a `--wait` timeout.

mod common;
mod support;

use std::time::Duration;

use common::{normalize, release_chart, Env, Tool};
use support::{patch_status_later, Diffs, FAILED_JOB_STATUS};

/// `upgrade` of `name` by each tool while the test fails its pre-upgrade Job.
fn upgrade_with_failing_hook(d: &mut Diffs, env: &Env, hns: &str, rns: &str, name: &str, extra: &[&str]) {
    let chart = release_chart("features");
    let mut outs = Vec::new();
    for (tool, ns) in [(Tool::Helm, hns), (Tool::Rhelm, rns)] {
        let job = format!("job/{name}-pre-upgrade");
        // The player must fail the new Job, not the one a previous step left.
        env.kubectl_ok(&["-n", ns, "delete", &job, "--ignore-not-found", "--wait=true"]);
        let player = patch_status_later(env, ns, &job, FAILED_JOB_STATUS, Duration::from_millis(500));
        let mut args = vec!["upgrade", name, &chart, "-n", ns, "--set", "hookJob=true,data=two", "--timeout", "60s"];
        args.extend(extra);
        let run = env.run(tool, &args);
        assert!(player.join().unwrap(), "{tool:?}: could not fail the hook Job");
        outs.push(format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&run.stderr(), &[ns])));
    }
    d.equal(&format!("upgrade {name} with a failing hook {extra:?}"), &outs[0], &outs[1]);
}

#[test]
fn rollback_on_failure_matches_helm() {
    let env = Env::new();
    let hns = env.namespace("fh");
    let rns = env.namespace("fr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
    }
    // A failed install is purged.
    d.step(&env, &hns, &rns, &["install", "p1", &chart, "-n", "{ns}", "--rollback-on-failure", "--timeout", "3s", "--set", "deployment=true"]);
    d.step(&env, &hns, &rns, &["install", "p2", &chart, "-n", "{ns}", "--atomic", "--timeout", "3s", "--set", "deployment=true"]);
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "-a"]);
    d.live(&env, &hns, &rns, "deployment/p1-web");
    d.live(&env, &hns, &rns, "configmap/p2-cm");
    // A failed upgrade without the flag stays failed...
    d.step(&env, &hns, &rns, &["install", "u", &chart, "-n", "{ns}", "--set", "hookJob=true"]);
    upgrade_with_failing_hook(&mut d, &env, &hns, &rns, "u", &[]);
    d.step(&env, &hns, &rns, &["history", "u", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "u", &[1, 2]);
    // ... and with it is rolled back to the last good revision.
    upgrade_with_failing_hook(&mut d, &env, &hns, &rns, "u", &["--rollback-on-failure"]);
    d.step(&env, &hns, &rns, &["history", "u", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "u", &[3, 4]);
    upgrade_with_failing_hook(&mut d, &env, &hns, &rns, "u", &["--atomic"]);
    d.step(&env, &hns, &rns, &["history", "u", "-n", "{ns}"]);
    d.live(&env, &hns, &rns, "configmap/u-cm");
    // A wait timeout with --rollback-on-failure.
    d.step(&env, &hns, &rns, &["upgrade", "u", &chart, "-n", "{ns}", "--rollback-on-failure", "--timeout", "3s", "--set", "deployment=true"]);
    d.step(&env, &hns, &rns, &["history", "u", "-n", "{ns}"]);
    d.live(&env, &hns, &rns, "deployment/u-web");
    d.assert_none();
}

#[test]
fn cleanup_on_fail_matches_helm() {
    let env = Env::new();
    let hns = env.namespace("kh");
    let rns = env.namespace("kr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    d.step(&env, &hns, &rns, &["install", "c", &chart, "-n", "{ns}", "--create-namespace", "--set", "extra=c-old"]);
    // The upgrade creates a Deployment and a ConfigMap, changes one and
    // drops one; it fails waiting for the Deployment.
    let args = ["upgrade", "c", &chart, "-n", "{ns}", "--cleanup-on-fail", "--wait", "--timeout", "3s", "--set", "deployment=true,extra=c-new,data=two"];
    d.step(&env, &hns, &rns, &args);
    for what in ["deployment/c-web", "configmap/c-new", "configmap/c-old", "configmap/c-cm"] {
        d.live(&env, &hns, &rns, what);
    }
    d.step(&env, &hns, &rns, &["history", "c", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "c", &[1, 2]);
    // Without it the created objects stay.
    d.step(&env, &hns, &rns, &["upgrade", "c", &chart, "-n", "{ns}", "--wait", "--timeout", "3s", "--set", "deployment=true,extra=c-new"]);
    for what in ["deployment/c-web", "configmap/c-new"] {
        d.live(&env, &hns, &rns, what);
    }
    d.assert_none();
}

/// An install where two objects fail: Helm tries every object, the kinds
/// after the failed group included, and reports all the errors joined by
/// newlines. Helm joins one kind group's errors in the order its requests
/// complete, so the lines are compared as a set.
#[test]
fn install_reports_every_failed_object_as_helm() {
    let env = Env::new();
    let hns = env.namespace("jh");
    let rns = env.namespace("jr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    let args = [
        "install",
        "j",
        &chart,
        "-n",
        "{ns}",
        "--create-namespace",
        "--set",
        "name=Bad_A,extra=Bad_B,deployment=true,secret=true",
    ];
    let error_lines = |s: &str| {
        let s = s.replace("Error: INSTALLATION FAILED: ", "");
        let mut lines: Vec<&str> = s.lines().collect();
        lines.sort_unstable();
        lines.join("\n")
    };
    let (_, r, diff) = support::compare_env(&env, &hns, &rns, &args, &[], &error_lines);
    d.0.extend(diff);
    let stderr = r.stderr();
    assert!(
        stderr.contains("\"Bad_A\" is invalid") && stderr.contains("\"Bad_B\" is invalid"),
        "rhelm should report both failed ConfigMaps:\n{stderr}"
    );
    // The Secret before the failed group and the Deployment after it exist.
    d.live(&env, &hns, &rns, "secret/j-secret");
    d.live(&env, &hns, &rns, "deployment/j-web");
    // The release is recorded failed (its description holds the joined
    // errors, in Helm's completion order, so it is not compared).
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "--failed"]);
    d.assert_none();
}
