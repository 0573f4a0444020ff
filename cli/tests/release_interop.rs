//! helm and rhelm take turns on one release, in both directions: each reads
//! what the other wrote and carries the history on.

mod common;

use common::{release_chart, Env, Tool};

fn turns(first: Tool, second: Tool) {
    let env = Env::new();
    let ns = env.namespace("io");
    let chart = release_chart("hello");
    let run = |t: Tool, args: &[&str]| env.run(t, args).ok();
    run(first, &["install", "web", &chart, "-n", &ns, "--create-namespace", "--set", "message=one"]);
    run(second, &["upgrade", "web", &chart, "-n", &ns, "--set", "message=two"]);
    let h = run(first, &["history", "web", "-n", &ns]).stdout();
    assert!(h.contains("Upgrade complete") && h.contains("superseded"), "history by {first:?}:\n{h}");
    run(first, &["upgrade", "web", &chart, "-n", &ns, "--reuse-values", "--set", "replicaCount=3"]);
    run(second, &["rollback", "web", "1", "-n", &ns]);
    for (a, b) in [("manifest", "manifest"), ("values", "values"), ("notes", "notes")] {
        let x = run(first, &["get", a, "web", "-n", &ns]).stdout();
        let y = run(second, &["get", b, "web", "-n", &ns]).stdout();
        assert_eq!(x, y, "get {a} differs between {first:?} and {second:?}");
    }
    let cm = env.kubectl_ok(&["-n", &ns, "get", "configmap", "web-config", "-o", "jsonpath={.data.message}"]);
    assert_eq!(cm, "one", "rollback to 1 restores the first message");
    let hist = run(second, &["history", "web", "-n", &ns, "-o", "json"]).stdout();
    let v: serde_json::Value = serde_json::from_str(&hist).unwrap();
    let statuses: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["superseded", "superseded", "superseded", "deployed"]);
    run(first, &["uninstall", "web", "-n", &ns]);
    let l = run(second, &["list", "-n", &ns, "--uninstalled", "-q"]).stdout();
    assert_eq!(l, "", "nothing left after {first:?} uninstalled");
    assert!(env.wait_gone(&ns, "configmap/web-config", std::time::Duration::from_secs(10)));
}

#[test]
fn rhelm_continues_a_helm_release() {
    turns(Tool::Helm, Tool::Rhelm);
}

#[test]
fn helm_continues_an_rhelm_release() {
    turns(Tool::Rhelm, Tool::Helm);
}
