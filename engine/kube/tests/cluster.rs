//! rhelm-kube against the real test cluster (`scripts/test-cluster up`,
//! kubeconfig in RHELM_TEST_KUBECONFIG). Fails, never skips, without one.

use std::path::PathBuf;
use std::time::Duration;

use rhelm_kube::{ApplyOptions, Kube, KubeOptions, Propagation, WaitKind};

fn kube(namespace: &str) -> Kube {
    let path = std::env::var_os("RHELM_TEST_KUBECONFIG").map(PathBuf::from).unwrap_or_else(|| {
        panic!("no test cluster: run `scripts/test-cluster up` and set RHELM_TEST_KUBECONFIG to the path it prints")
    });
    let k = Kube::connect(&KubeOptions {
        kubeconfig: Some(path),
        namespace: Some(namespace.into()),
        ..KubeOptions::default()
    })
    .expect("connect");
    k.server_version().expect("the test cluster does not answer; is `scripts/test-cluster up` running?");
    k
}

fn unique(prefix: &str) -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() % 1_000_000_000;
    format!("{prefix}-{}-{t}", std::process::id())
}

struct Ns<'a>(&'a Kube, String);

impl Drop for Ns<'_> {
    fn drop(&mut self) {
        if let Ok(rs) = self.0.build(&format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n", self.1), "") {
            let _ = self.0.delete_all(&rs, Propagation::Background);
        }
    }
}

#[test]
fn discovery_lists_versions_and_kinds() {
    let k = kube("default");
    let v = k.server_version().unwrap();
    assert_eq!((v.major.as_str(), v.minor.as_str()), ("1", "20"));
    let apis = k.api_versions().unwrap();
    for want in ["v1", "apps/v1", "apps/v1/Deployment", "v1/ConfigMap", "batch/v1/Job"] {
        assert!(apis.iter().any(|a| a == want), "{want} missing from {apis:?}");
    }
}

#[test]
fn apply_get_conflict_delete() {
    let ns = unique("kt");
    let k = kube(&ns);
    k.ensure_namespace(&ns).unwrap();
    let _guard = Ns(&k, ns.clone());
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n---\n\
                    apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
    let rs = k.build(manifest, &ns).unwrap();
    assert_eq!(rs.len(), 2);
    assert_eq!(rs[0].namespace.as_deref(), Some(ns.as_str()));
    // Integers stay integers on the way to the server.
    assert_eq!(rs[1].object.pointer("/spec/replicas").and_then(|v| v.as_i64()), Some(2));
    for r in k.apply_all(&rs, &ApplyOptions::default()) {
        r.unwrap();
    }
    let live = k.get(&rs[0]).unwrap().expect("applied");
    assert_eq!(live.pointer("/data/x").and_then(|v| v.as_str()), Some("1"));
    let managers: Vec<&str> = live.pointer("/metadata/managedFields").unwrap().as_array().unwrap().iter()
        .map(|m| m["manager"].as_str().unwrap()).collect();
    assert_eq!(managers, ["helm"]);

    // Another manager owning the field conflicts unless forced.
    let mut other = rs[0].clone();
    other.object["data"]["x"] = "2".into();
    let by_other = ApplyOptions { field_manager: "other".into(), ..ApplyOptions::default() };
    let err = k.apply(&other, &by_other).unwrap_err();
    assert!(err.is_conflict(), "{err}");
    k.apply(&other, &ApplyOptions { force: true, ..by_other }).unwrap();

    // Dry run stores nothing.
    let dry = k.build("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n", &ns).unwrap();
    k.apply(&dry[0], &ApplyOptions { dry_run: true, ..ApplyOptions::default() }).unwrap();
    assert!(k.get(&dry[0]).unwrap().is_none());

    // A Deployment is not ready until its status says so (we play the controller).
    let err = k.wait_ready(&rs[1..], WaitKind::Resources { jobs: false }, Duration::from_millis(600), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("deadline"), "{err}");

    assert!(k.delete(&rs[0], Propagation::Background).unwrap());
    assert!(!k.delete(&rs[0], Propagation::Background).unwrap());
    k.wait_deleted(&rs[..1], Duration::from_secs(10)).unwrap();
}

#[test]
fn unknown_kind_is_helms_mapping_error() {
    let k = kube("default");
    let err = k.build("apiVersion: example.com/v1\nkind: Nope\nmetadata:\n  name: nope-1\n", "default").unwrap_err();
    assert_eq!(
        err.to_string(),
        "resource mapping not found for name: \"nope-1\" namespace: \"\" from \"\": no matches for kind \"Nope\" in version \"example.com/v1\"\nensure CRDs are installed first"
    );
}
