//! The tutorial's release flow on the test cluster, run step by step with
//! the real helm 4.3.1 in one namespace and rhelm in another: every step
//! must print the same (times and namespace names masked) and leave release
//! records of the same content.

mod common;

use common::{compare, normalize, release_chart, Env};

/// A stored release record with what differs by design masked: times,
/// namespaces and file modification times.
fn record(env: &Env, ns: &str, name: &str, rev: u32) -> String {
    let v = env.release_record(ns, name, rev);
    normalize(&serde_json::to_string_pretty(&v).unwrap(), &[ns])
}

#[test]
fn tutorial_flow_matches_helm() {
    let env = Env::new();
    let hns = env.namespace("th");
    let rns = env.namespace("tr");
    let chart = release_chart("hello");
    let dev = format!("{chart}/values-dev.yaml");
    let steps: Vec<Vec<&str>> = vec![
        vec!["install", "hello", &chart, "-f", &dev, "-n", "{ns}", "--create-namespace"],
        vec!["upgrade", "hello", &chart, "-n", "{ns}", "--set", "replicaCount=2"],
        vec!["upgrade", "hello", &chart, "-n", "{ns}", "--reuse-values", "--set", "message=third"],
        vec!["history", "hello", "-n", "{ns}"],
        vec!["rollback", "hello", "1", "-n", "{ns}"],
        vec!["history", "hello", "-n", "{ns}"],
        vec!["history", "hello", "-n", "{ns}", "-o", "json"],
        vec!["history", "hello", "-n", "{ns}", "--show-rollback-revision"],
        vec!["status", "hello", "-n", "{ns}"],
        vec!["get", "values", "hello", "-n", "{ns}"],
        vec!["get", "values", "hello", "-n", "{ns}", "-a"],
        vec!["get", "values", "hello", "-n", "{ns}", "--revision", "3", "-o", "json"],
        vec!["get", "manifest", "hello", "-n", "{ns}"],
        vec!["get", "notes", "hello", "-n", "{ns}"],
        vec!["get", "hooks", "hello", "-n", "{ns}"],
        vec!["get", "all", "hello", "-n", "{ns}"],
        vec!["list", "-n", "{ns}"],
        vec!["upgrade", "hello", &chart, "-n", "{ns}", "--set", "extra.enabled=true"],
        vec!["upgrade", "hello", &chart, "-n", "{ns}"],
        vec!["uninstall", "hello", "-n", "{ns}", "--keep-history"],
        vec!["list", "-n", "{ns}", "--uninstalled"],
        vec!["history", "hello", "-n", "{ns}"],
        vec!["status", "hello", "-n", "{ns}"],
    ];
    let mut diffs = Vec::new();
    for step in &steps {
        if let (_, _, Some(d)) = compare(&env, &hns, &rns, step) {
            diffs.push(d);
        }
    }
    for rev in 1..=6 {
        let (h, r) = (record(&env, &hns, "hello", rev), record(&env, &rns, "hello", rev));
        if h != r {
            diffs.push(format!("release record v{rev} differs:\n--- helm\n{h}\n--- rhelm\n{r}"));
        }
    }
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n\n"));
    // The resource kept by its policy outlives the uninstall in both.
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["-n", ns, "get", "configmap", "hello-kept"]);
        assert!(env.wait_gone(ns, "configmap/hello-extra", std::time::Duration::from_secs(10)));
        assert!(env.wait_gone(ns, "deployment/hello", std::time::Duration::from_secs(10)));
    }
}
