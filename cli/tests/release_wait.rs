//! `--wait` on the test cluster, helm 4.3.1 against rhelm. No controller
//! runs a Deployment here, so the test plays it: it writes a ready status
//! through the status subresource after a delay, and the install must
//! finish only then; without it the wait times out and the release fails.

mod common;
mod support;

use std::time::{Duration, Instant};

use common::{normalize, release_chart, Env, Tool};
use support::{patch_status_later, ready_deployment_status, Diffs};

/// One tool's `install --wait...` with the Deployment made ready after 3 s.
fn install_made_ready(env: &Env, tool: Tool, ns: &str, name: &str, wait: &str) -> (String, Duration) {
    let chart = release_chart("features");
    let what = format!("deployment/{name}-web");
    let player = patch_status_later(env, ns, &what, &ready_deployment_status(1), Duration::from_secs(3));
    let start = Instant::now();
    let run = env.run(tool, &["install", name, &chart, "-n", ns, wait, "--timeout", "60s", "--set", "deployment=true"]);
    let took = start.elapsed();
    assert!(player.join().unwrap(), "could not write the Deployment's status");
    (format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&run.stderr(), &[ns])), took)
}

#[test]
fn wait_for_a_deployment_matches_helm() {
    let env = Env::new();
    let hns = env.namespace("wh");
    let rns = env.namespace("wr");
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
    }
    let mut d = Diffs::default();
    // `--wait=legacy` is left out: Helm's legacy checker wants the
    // Deployment's new ReplicaSet, which no controller creates here
    // (wait_legacy.rs plays that controller).
    for (name, wait) in [("wa", "--wait"), ("wb", "--wait=watcher"), ("wc", "--wait=true")] {
        let (h, htook) = install_made_ready(&env, Tool::Helm, &hns, name, wait);
        let (r, rtook) = install_made_ready(&env, Tool::Rhelm, &rns, name, wait);
        d.equal(&format!("install {wait}"), &h, &r);
        assert!(htook >= Duration::from_secs(3), "helm did not wait ({htook:?})");
        assert!(rtook >= Duration::from_secs(3), "rhelm did not wait ({rtook:?})");
        d.records(&env, &hns, &rns, name, &[1]);
    }
    let chart = release_chart("features");
    // Nobody reports the Deployment ready: the wait times out.
    d.step(&env, &hns, &rns, &["install", "wt", &chart, "-n", "{ns}", "--wait", "--timeout", "3s", "--set", "deployment=true"]);
    d.step(&env, &hns, &rns, &["status", "wt", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "wt", &[1]);
    d.step(&env, &hns, &rns, &["upgrade", "wa", &chart, "-n", "{ns}", "--wait", "--timeout", "3s", "--set", "deployment=true,data=two"]);
    d.step(&env, &hns, &rns, &["history", "wa", "-n", "{ns}"]);
    // Without --wait the Deployment is not waited for (hookOnly).
    d.step(&env, &hns, &rns, &["install", "wn", &chart, "-n", "{ns}", "--timeout", "3s", "--set", "deployment=true"]);
    d.step(&env, &hns, &rns, &["install", "wx", &chart, "-n", "{ns}", "--wait=bogus"]);
    d.assert_none();
}
