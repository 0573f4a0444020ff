//! CRDs from crds/ on the test cluster, helm 4.3.1 against rhelm: installed
//! and established before the objects that use them, left out with
//! `--skip-crds`, and never touched by an upgrade.
//!
//! The CRD is cluster-wide, so the two tools cannot both meet it absent in
//! one step: each install runs after the CRD has been deleted.

mod common;
mod support;

use std::time::Duration;

use common::{normalize, release_chart, Env, Tool};
use support::Diffs;

const CRD: &str = "crd/widgets.features.example.com";

fn delete_crd(env: &Env) {
    let _ = env.kubectl(&["delete", CRD, "--ignore-not-found", "--wait=true", "--timeout=60s"]);
    assert!(env.wait_gone("default", CRD, Duration::from_secs(60)), "CRD not deleted");
}

#[test]
fn crds_are_installed_first_and_skipped_like_helm() {
    let env = Env::new();
    let hns = env.namespace("ch");
    let rns = env.namespace("cr");
    let chart = release_chart("features-crds");
    let mut d = Diffs::default();
    // Each tool installs with the CRD absent.
    let (mut outs, mut lives) = (Vec::new(), Vec::new());
    for (tool, ns) in [(Tool::Helm, &hns), (Tool::Rhelm, &rns)] {
        delete_crd(&env);
        let run = env.run(tool, &["install", "w", &chart, "-n", ns, "--create-namespace"]);
        outs.push(format!("exit {}\n{}{}", run.code(), normalize(&run.stdout(), &[ns]), normalize(&run.stderr(), &[ns])));
        let crd = env.kubectl_ok(&["get", CRD, "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"]);
        assert_eq!(crd, "True", "{tool:?}: the CRD is not established");
        lives.push(support::live(&env, ns, "widgets.features.example.com/w-widget"));
    }
    d.equal("install with the CRD absent", &outs[0], &outs[1]);
    d.equal("the Widget", &lives[0], &lives[1]);
    d.records(&env, &hns, &rns, "w", &[1]);
    // With the CRD present both apply it again: a field kubectl changed
    // since is a conflict, unless conflicts are forced.
    d.step(&env, &hns, &rns, &["install", "w2", &chart, "-n", "{ns}"]);
    env.kubectl_ok(&["patch", CRD, "--type=merge", "-p", r#"{"spec":{"names":{"singular":"widgetx"}}}"#]);
    d.step(&env, &hns, &rns, &["install", "w5", &chart, "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["install", "w6", &chart, "-n", "{ns}", "--force-conflicts"]);
    let singular = env.kubectl_ok(&["get", CRD, "-o", "jsonpath={.spec.names.singular}"]);
    assert_eq!(singular, "widget", "the forced install did not restore the CRD");
    // An upgrade leaves crds/ alone: without the CRD the Widget cannot be built.
    delete_crd(&env);
    d.step(&env, &hns, &rns, &["upgrade", "w", &chart, "-n", "{ns}", "--set", "size=big"]);
    assert!(!support::exists(&env, "default", CRD), "an upgrade installed the CRD");
    d.step(&env, &hns, &rns, &["history", "w", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "w", &[2]);
    // --skip-crds: the Widget has no kind to map to.
    d.step(&env, &hns, &rns, &["install", "w3", &chart, "-n", "{ns}", "--skip-crds"]);
    assert!(!support::exists(&env, "default", CRD), "--skip-crds installed the CRD");
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "-a"]);
    d.step(&env, &hns, &rns, &["install", "w4", &chart, "-n", "{ns}", "--skip-crds", "--dry-run"]);
    d.assert_none();
}
