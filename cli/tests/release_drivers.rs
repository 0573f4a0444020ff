//! HELM_DRIVER on the test cluster, helm 4.3.1 against rhelm: ConfigMap
//! records that the other tool reads and continues, and the memory driver,
//! whose records live only as long as the command.

mod common;
mod support;

use common::{release_chart, Env, Tool};
use support::Diffs;

const CM: &[(&str, &str)] = &[("HELM_DRIVER", "configmap")];

#[test]
fn configmap_driver_matches_helm_both_ways() {
    let env = Env::new();
    let hns = env.namespace("dh");
    let rns = env.namespace("dr");
    let chart = release_chart("features");
    let mut d = Diffs::default();
    d.step_env(&env, &hns, &rns, &["install", "cmd", &chart, "-n", "{ns}", "--create-namespace", "--labels", "team=x"], CM);
    d.step_env(&env, &hns, &rns, &["upgrade", "cmd", &chart, "-n", "{ns}", "--set", "data=two"], CM);
    let (h, r) = (support::storage_labels(&env, &hns, "cmd", "configmap"), support::storage_labels(&env, &rns, "cmd", "configmap"));
    d.equal("record ConfigMaps", &h, &r);
    assert!(!h.is_empty(), "helm wrote no ConfigMap records");
    assert_eq!(support::storage_labels(&env, &rns, "cmd", "secret"), "", "rhelm wrote Secrets");
    for rev in [1, 2] {
        let (h, r) = (support::configmap_record(&env, &hns, "cmd", rev), support::configmap_record(&env, &rns, "cmd", rev));
        d.equal(&format!("ConfigMap record v{rev}"), &h, &r);
    }
    // Each tool continues the other's release.
    for (tool, ns) in [(Tool::Helm, &rns), (Tool::Rhelm, &hns)] {
        let mut c = env.command(tool, &["rollback", "cmd", "1", "-n", ns]);
        c.env("HELM_DRIVER", "configmap");
        let o = c.output().unwrap();
        assert!(o.status.success(), "{tool:?} rollback of the other's release: {}", common::text(&o.stderr));
    }
    d.step_env(&env, &hns, &rns, &["history", "cmd", "-n", "{ns}"], CM);
    d.step_env(&env, &hns, &rns, &["get", "values", "cmd", "-n", "{ns}", "--revision", "2"], CM);
    d.step_env(&env, &hns, &rns, &["status", "cmd", "-n", "{ns}"], CM);
    d.step_env(&env, &hns, &rns, &["list", "-n", "{ns}"], CM);
    let (h, r) = (support::configmap_record(&env, &hns, "cmd", 3), support::configmap_record(&env, &rns, "cmd", 3));
    d.equal("ConfigMap record v3 (written by the other tool)", &h, &r);
    d.step_env(&env, &hns, &rns, &["uninstall", "cmd", "-n", "{ns}"], CM);
    d.equal(
        "record ConfigMaps after uninstall",
        &support::storage_labels(&env, &hns, "cmd", "configmap"),
        &support::storage_labels(&env, &rns, "cmd", "configmap"),
    );
    d.assert_none();
}

/// Helm's memory driver always reads HELM_MEMORY_DRIVER_DATA and swaps in
/// a printing client: records live for the command only and no object is
/// created, though the server is still asked for its capabilities.
#[test]
fn memory_driver_install_matches_helm() {
    let env = Env::new();
    let hns = env.namespace("mh");
    let rns = env.namespace("mr");
    let chart = release_chart("features");
    let data = env.home.join("releases.yaml");
    std::fs::write(&data, "[]\n").unwrap();
    let data = data.display().to_string();
    let mem = &[("HELM_DRIVER", "memory"), ("HELM_MEMORY_DRIVER_DATA", data.as_str())];
    let mut d = Diffs::default();
    // Without the data variable both stop before doing anything.
    d.step_env(&env, &hns, &rns, &["install", "mem", &chart, "-n", "{ns}"], &[("HELM_DRIVER", "memory")]);
    d.step_env(&env, &hns, &rns, &["install", "mem", &chart, "-n", "{ns}", "--create-namespace"], mem);
    for ns in [&hns, &rns] {
        assert!(!support::exists(&env, "default", &format!("namespace/{ns}")), "the namespace was created");
    }
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
    }
    d.step_env(&env, &hns, &rns, &["install", "mem", &chart, "-n", "{ns}", "--set", "hookConfigMap=true", "--wait"], mem);
    d.live(&env, &hns, &rns, "configmap/mem-cm");
    for ns in [&hns, &rns] {
        assert_eq!(support::storage_labels(&env, ns, "mem", "secret"), "");
        assert_eq!(support::storage_labels(&env, ns, "mem", "configmap"), "");
    }
    d.step_env(&env, &hns, &rns, &["list", "-n", "{ns}"], mem);
    d.step_env(&env, &hns, &rns, &["upgrade", "mem", &chart, "-n", "{ns}"], mem);
    d.step_env(&env, &hns, &rns, &["upgrade", "--install", "mem", &chart, "-n", "{ns}"], mem);
    d.assert_none();
}
