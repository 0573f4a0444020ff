//! The real test cluster (`scripts/test-cluster up`; kubeconfig in
//! RHELM_TEST_KUBECONFIG). A test fails, never skips, without one.
#![allow(dead_code)]

use std::path::PathBuf;

use rhelm_kube::{Kube, KubeOptions, Propagation};

pub fn kubeconfig() -> PathBuf {
    let path = std::env::var_os("RHELM_TEST_KUBECONFIG").map(PathBuf::from).unwrap_or_else(|| {
        panic!("no test cluster: run `scripts/test-cluster up` and set RHELM_TEST_KUBECONFIG to the kubeconfig path it prints")
    });
    assert!(
        path.is_file(),
        "RHELM_TEST_KUBECONFIG={} does not exist: run `scripts/test-cluster up`",
        path.display()
    );
    path
}

pub fn connect(opts: KubeOptions) -> Kube {
    let k = Kube::connect(&opts).expect("connect");
    if let Err(e) = k.is_reachable() {
        panic!("the test cluster does not answer ({e}); start it with `scripts/test-cluster up`");
    }
    k
}

pub fn kube(namespace: &str) -> Kube {
    connect(KubeOptions { kubeconfig: Some(kubeconfig()), namespace: Some(namespace.into()), ..KubeOptions::default() })
}

pub fn unique(prefix: &str) -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() % 1_000_000_000;
    format!("{prefix}-{}-{t}", std::process::id())
}

/// A namespace of the test's own, deleted when the test ends.
pub struct Ns {
    pub kube: Kube,
    pub name: String,
}

impl Ns {
    pub fn new(prefix: &str) -> Ns {
        let name = unique(prefix);
        let kube = kube(&name);
        kube.ensure_namespace(&name).expect("create the test namespace");
        Ns { kube, name }
    }
}

impl Drop for Ns {
    fn drop(&mut self) {
        if let Ok(rs) = self.kube.build(&format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n", self.name), "") {
            let _ = self.kube.delete_all(&rs, Propagation::Background);
        }
    }
}

/// A copy of the test kubeconfig with `edit` applied to its text.
pub fn edited_kubeconfig(tag: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = std::fs::read_to_string(kubeconfig()).unwrap();
    let dir = std::env::temp_dir().join(unique(&format!("rhelm-kube-{tag}")));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kubeconfig");
    std::fs::write(&path, edit(&text)).unwrap();
    path
}

/// Writes an object's status through the status subresource, playing the
/// controller or kubelet this cluster does not run.
pub fn write_status(k: &Kube, r: &rhelm_kube::Resource, status: serde_json::Value) {
    k.patch_status(r, &status).expect("write status");
}
