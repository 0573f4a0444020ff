//! Ownership on the test cluster, helm 4.3.1 against rhelm: an object
//! created by kubectl blocks an install until `--take-ownership` adopts it,
//! and objects of another release block both an install and an upgrade
//! that adds them.

mod common;
mod support;

use common::{release_chart, Env};
use support::Diffs;

#[test]
fn ownership_conflicts_and_adoption_match_helm() {
    let env = Env::new();
    let hns = env.namespace("oh");
    let rns = env.namespace("or");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
        env.kubectl_ok(&["-n", ns, "create", "configmap", "taken", "--from-literal=data=kubectl"]);
        env.kubectl_ok(&["-n", ns, "create", "configmap", "same", "--from-literal=data=one"]);
    }
    // Not owned by any release: refused, then adopted.
    d.step(&env, &hns, &rns, &["install", "a", &chart, "-n", "{ns}", "--set", "name=taken"]);
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "-a"]);
    // Adopting is applying: a field kubectl set differently conflicts...
    d.step(&env, &hns, &rns, &["install", "a", &chart, "-n", "{ns}", "--set", "name=taken", "--take-ownership"]);
    d.live(&env, &hns, &rns, "configmap/taken");
    d.records(&env, &hns, &rns, "a", &[1]);
    // ... unless it has the same value or conflicts are forced.
    d.step(&env, &hns, &rns, &["install", "a2", &chart, "-n", "{ns}", "--set", "name=same", "--take-ownership"]);
    d.live(&env, &hns, &rns, "configmap/same");
    d.step(&env, &hns, &rns, &["install", "a3", &chart, "-n", "{ns}", "--set", "name=taken", "--take-ownership", "--force-conflicts"]);
    d.live(&env, &hns, &rns, "configmap/taken");
    d.records(&env, &hns, &rns, "a3", &[1]);
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "-a"]);
    // Owned by release a: another release can neither install nor add it.
    d.step(&env, &hns, &rns, &["install", "b", &chart, "-n", "{ns}", "--set", "name=taken"]);
    d.step(&env, &hns, &rns, &["install", "c", &chart, "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["upgrade", "c", &chart, "-n", "{ns}", "--set", "extra=taken"]);
    d.step(&env, &hns, &rns, &["history", "c", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "c", &[1, 2]);
    // ... unless it takes ownership.
    d.step(&env, &hns, &rns, &["upgrade", "c", &chart, "-n", "{ns}", "--set", "extra=taken", "--take-ownership"]);
    d.live(&env, &hns, &rns, "configmap/taken");
    d.step(&env, &hns, &rns, &["history", "c", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "c", &[3]);
    d.assert_none();
}
