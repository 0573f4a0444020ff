//! uninstall and status on the test cluster, helm 4.3.1 against rhelm:
//! `--keep-history`, `--dry-run`, `--no-hooks`, `--ignore-not-found`,
//! `--cascade`, several names, kept resources; `status --show-resources`
//! and `status -o json|yaml` with the live objects.

mod common;
mod support;

use common::{release_chart, Env};
use support::Diffs;

#[test]
fn uninstall_variants_match_helm() {
    let env = Env::new();
    let hns = env.namespace("uh");
    let rns = env.namespace("ur");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    d.step(&env, &hns, &rns, &["install", "u1", &chart, "-n", "{ns}", "--create-namespace", "--set", "keep=true,hookConfigMap=true"]);
    for name in ["u2", "u3", "u4", "u5"] {
        d.step(&env, &hns, &rns, &["install", name, &chart, "-n", "{ns}", "--set", "hookConfigMap=true,keep=true"]);
    }
    d.step(&env, &hns, &rns, &["uninstall", "u1", "-n", "{ns}", "--dry-run"]);
    d.live(&env, &hns, &rns, "configmap/u1-cm");
    d.step(&env, &hns, &rns, &["uninstall", "u1", "-n", "{ns}", "--keep-history"]);
    d.step(&env, &hns, &rns, &["status", "u1", "-n", "{ns}"]);
    d.records(&env, &hns, &rns, "u1", &[1]);
    d.live(&env, &hns, &rns, "configmap/u1-kept");
    d.live(&env, &hns, &rns, "configmap/u1-post-install");
    d.step(&env, &hns, &rns, &["uninstall", "u1", "-n", "{ns}", "--keep-history"]);
    d.step(&env, &hns, &rns, &["uninstall", "u1", "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["uninstall", "u2", "u3", "-n", "{ns}", "--no-hooks", "--cascade", "foreground"]);
    d.live(&env, &hns, &rns, "configmap/u2-post-install");
    d.step(&env, &hns, &rns, &["uninstall", "nope", "-n", "{ns}"]);
    d.step(&env, &hns, &rns, &["uninstall", "nope", "u4", "-n", "{ns}", "--ignore-not-found"]);
    d.step(&env, &hns, &rns, &["uninstall", "u5", "-n", "{ns}", "--cascade", "sideways"]);
    d.step(&env, &hns, &rns, &["uninstall", "u5", "-n", "{ns}", "--cascade", "orphan", "--wait", "--timeout", "20s"]);
    // rhelm's usage line names itself.
    let usage = |s: &str| s.replace("rhelm uninstall", "helm uninstall");
    let (_, _, diff) = support::compare_env(&env, &hns, &rns, &["uninstall", "-n", "{ns}"], &[], &usage);
    d.0.extend(diff);
    d.step(&env, &hns, &rns, &["list", "-n", "{ns}", "-a"]);
    d.assert_none();
}

#[test]
fn status_with_resources_matches_helm() {
    let env = Env::new();
    let hns = env.namespace("sh");
    let rns = env.namespace("sr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    d.step(&env, &hns, &rns, &["install", "st", &chart, "-n", "{ns}", "--create-namespace", "--set", "secret=true,extra=st-extra"]);
    d.step(&env, &hns, &rns, &["status", "st", "-n", "{ns}", "--show-resources"]);
    let mask = |s: &str| support::mask_server_fields(s);
    for out in ["json", "yaml"] {
        let (_, _, diff) = support::compare_env(&env, &hns, &rns, &["status", "st", "-n", "{ns}", "-o", out], &[], &mask);
        d.0.extend(diff);
    }
    d.step(&env, &hns, &rns, &["upgrade", "st", &chart, "-n", "{ns}", "--set", "deployment=true"]);
    d.step(&env, &hns, &rns, &["status", "st", "-n", "{ns}", "--show-resources"]);
    let (_, _, diff) = support::compare_env(&env, &hns, &rns, &["status", "st", "-n", "{ns}", "-o", "json"], &[], &mask);
    d.0.extend(diff);
    d.step(&env, &hns, &rns, &["status", "st", "-n", "{ns}", "--revision", "1", "--show-resources"]);
    d.assert_none();
}
