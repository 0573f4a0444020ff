//! Hooks on the test cluster, helm 4.3.1 against rhelm: weights, delete
//! policies, the events of install, upgrade, rollback and uninstall, and
//! `test` with a test Pod whose success the test reports (no kubelet runs).

mod common;

use std::time::Duration;

use common::{compare, normalize, release_chart, Env};

/// The hook ConfigMaps left in a namespace, by name without the release prefix.
fn hook_objects(env: &Env, ns: &str) -> Vec<String> {
    let out = env.kubectl_ok(&["-n", ns, "get", "configmaps", "-o", "jsonpath={.items[*].metadata.name}"]);
    let mut names: Vec<String> = out.split_whitespace().filter(|n| *n != "kube-root-ca.crt").map(str::to_string).collect();
    names.sort();
    names
}

fn record(env: &Env, ns: &str, rev: u32) -> String {
    normalize(&serde_json::to_string_pretty(&env.release_record(ns, "hk", rev)).unwrap(), &[ns])
}

/// Plays the kubelet: marks the release's test pod as succeeded once it exists.
fn succeed_test_pod(env: &Env, ns: &str) -> std::thread::JoinHandle<()> {
    let kubeconfig = env.kubeconfig.clone();
    let ns = ns.to_string();
    std::thread::spawn(move || {
        let kubectl = common::kubectl_path();
        for _ in 0..200 {
            let ok = std::process::Command::new(&kubectl)
                .args(["-n", &ns, "patch", "pod", "hk-test", "--subresource=status", "--type=merge"])
                .args(["-p", r#"{"status":{"phase":"Succeeded"}}"#])
                .env("KUBECONFIG", &kubeconfig)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            if ok {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

#[test]
fn hooks_run_like_helms() {
    let env = Env::new();
    let hns = env.namespace("hh");
    let rns = env.namespace("hr");
    let chart = release_chart("hooks");
    let mut diffs = Vec::new();
    let step = |args: &[&str], diffs: &mut Vec<String>| {
        if let (_, _, Some(d)) = compare(&env, &hns, &rns, args) {
            diffs.push(d);
        }
        let (h, r) = (hook_objects(&env, &hns), hook_objects(&env, &rns));
        if h != r {
            diffs.push(format!("after `{}`: objects differ: helm {h:?}, rhelm {r:?}", args.join(" ")));
        }
    };
    step(&["install", "hk", &chart, "-n", "{ns}", "--create-namespace"], &mut diffs);
    step(&["upgrade", "hk", &chart, "-n", "{ns}", "--set", "data=two"], &mut diffs);
    step(&["rollback", "hk", "1", "-n", "{ns}"], &mut diffs);
    step(&["get", "hooks", "hk", "-n", "{ns}"], &mut diffs);
    let mut outputs = Vec::new();
    for ns in [&hns, &rns] {
        let waiter = succeed_test_pod(&env, ns);
        let tool = if ns == &hns { common::Tool::Helm } else { common::Tool::Rhelm };
        let run = env.run(tool, &["test", "hk", "-n", ns]);
        waiter.join().unwrap();
        assert_eq!(run.code(), 0, "{tool:?} test: {}", run.stderr());
        outputs.push(normalize(&run.stdout(), &[ns]));
    }
    if outputs[0] != outputs[1] {
        diffs.push(format!("`test` prints differently:\n--- helm\n{}\n--- rhelm\n{}", outputs[0], outputs[1]));
    }
    for rev in 1..=3 {
        let (h, r) = (record(&env, &hns, rev), record(&env, &rns, rev));
        if h != r {
            diffs.push(format!("release record v{rev} differs:\n--- helm\n{h}\n--- rhelm\n{r}"));
        }
    }
    step(&["status", "hk", "-n", "{ns}"], &mut diffs);
    step(&["uninstall", "hk", "-n", "{ns}"], &mut diffs);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n\n"));
}
