//! The Secrets and ConfigMaps drivers on a real kube-apiserver, and
//! interoperability with helm 4.3.1 through them. Needs the test cluster
//! (`scripts/test-cluster up`, kubeconfig in RHELM_TEST_KUBECONFIG; scripts/test
//! sets it up):
//! without a cluster the test fails and says how to start one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret};
use kube::api::{Api, DeleteParams, PostParams};
use rhelm_release::model::{Release, Status};
use rhelm_release::storage::{Driver, KubeDriver, Storage, StorageError};

mod support;

const REL1_V3: &str = include_str!("rel1.v3.json");

fn kubeconfig() -> PathBuf {
    let p = std::env::var("RHELM_TEST_KUBECONFIG").map(PathBuf::from).unwrap_or_else(|_| {
        panic!("no test cluster: run `scripts/test-cluster up` and set RHELM_TEST_KUBECONFIG to the path it prints")
    });
    assert!(p.exists(), "no test cluster: {} does not exist (scripts/test-cluster up)", p.display());
    p
}

struct Ns {
    name: String,
    api: Api<Namespace>,
    rt: Arc<tokio::runtime::Runtime>,
}

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = self.rt.block_on(self.api.delete(&self.name, &DeleteParams::default()));
    }
}

fn sample(name: &str, version: i64, status: Status) -> Release {
    let mut r = Release::from_json(REL1_V3).unwrap();
    r.name = name.into();
    r.version = version;
    r.info_mut().status = status;
    r
}

fn helm_cmd(kc: &Path, driver: &str, args: &[&str]) -> (i32, String, String) {
    support::run_helm(&[("KUBECONFIG", kc.to_str().unwrap()), ("HELM_DRIVER", driver)], args)
}

#[test]
fn drivers_on_a_real_api_server() {
    std::env::set_var("TZ", "UTC");
    let kc = kubeconfig();
    let conn = rhelm_release::kubeconfig::connect(Some(kc.clone()), None, None).expect("connect to the test cluster");
    let rt = conn.runtime.clone();
    let ns_name = format!("rhelm-storage-{}", std::process::id());
    let ns_api: Api<Namespace> = Api::all(conn.client.clone());
    let ns_obj: Namespace = serde_json::from_value(serde_json::json!({"metadata": {"name": ns_name}})).unwrap();
    rt.block_on(ns_api.create(&PostParams::default(), &ns_obj)).expect("create test namespace");
    let ns = Ns { name: ns_name.clone(), api: ns_api, rt: rt.clone() };

    for (driver_name, helm_driver) in [("Secret", "secret"), ("ConfigMap", "configmap")] {
        let mk = || {
            if driver_name == "Secret" {
                KubeDriver::secrets(conn.client.clone(), rt.clone(), &ns.name)
            } else {
                KubeDriver::config_maps(conn.client.clone(), rt.clone(), &ns.name)
            }
        };
        let d = mk();
        let rel = format!("interop-{helm_driver}");
        let mut r1 = sample(&rel, 1, Status::Deployed);
        r1.namespace = ns.name.clone();
        r1.labels.insert("team".into(), "x".into());
        d.create(&format!("sh.helm.release.v1.{rel}.v1"), &r1).unwrap();
        assert_eq!(d.create(&format!("sh.helm.release.v1.{rel}.v1"), &r1), Err(StorageError::AlreadyExists));

        // The stored object as Helm writes it.
        let key = format!("sh.helm.release.v1.{rel}.v1");
        let labels = if driver_name == "Secret" {
            let s: Secret = rt.block_on(Api::<Secret>::namespaced(conn.client.clone(), &ns.name).get(&key)).unwrap();
            assert_eq!(s.type_.as_deref(), Some("helm.sh/release.v1"));
            let data = s.data.unwrap();
            assert_eq!(data.len(), 1);
            assert!(data["release"].0.starts_with(b"H4sIAAAAAAAC/"));
            s.metadata.labels.unwrap()
        } else {
            let c: ConfigMap = rt.block_on(Api::<ConfigMap>::namespaced(conn.client.clone(), &ns.name).get(&key)).unwrap();
            assert!(c.data.unwrap()["release"].starts_with("H4sIAAAAAAAC/"));
            c.metadata.labels.unwrap()
        };
        let keys: Vec<&str> = labels.keys().map(String::as_str).collect();
        assert_eq!(keys, ["createdAt", "name", "owner", "status", "team", "version"]);
        assert_eq!(labels["status"], "deployed");
        assert_eq!(labels["owner"], "helm");

        // Get filters system labels; List keeps them.
        let got = d.get(&key).unwrap();
        assert_eq!(got.labels.keys().collect::<Vec<_>>(), ["team"]);
        assert_eq!(got.to_json().unwrap(), r1.to_json().unwrap());
        let listed = d.list(&|r| r.name == rel).unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].labels.contains_key("createdAt"));

        // Update replaces the object: createdAt goes, modifiedAt comes.
        let mut r1b = r1.clone();
        r1b.info_mut().status = Status::Superseded;
        d.update(&key, &r1b).unwrap();
        let l = d.list(&|r| r.name == rel).unwrap().remove(0).labels;
        assert!(l.contains_key("modifiedAt") && !l.contains_key("createdAt"), "{l:?}");
        assert_eq!(l["status"], "superseded");

        // Claiming a revision is atomic: of concurrent creators one wins.
        let winners: Vec<bool> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..6)
                .map(|i| {
                    let d = mk();
                    let mut r = sample(&rel, 2, Status::PendingUpgrade);
                    r.namespace = ns.name.clone();
                    r.info_mut().description = format!("writer {i}");
                    let key = format!("sh.helm.release.v1.{rel}.v2");
                    s.spawn(move || match d.create(&key, &r) {
                        Ok(()) => true,
                        Err(StorageError::AlreadyExists) => false,
                        Err(e) => panic!("unexpected: {e}"),
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(winners.iter().filter(|w| **w).count(), 1, "{winners:?}");
        let mut r2 = d.get(&format!("sh.helm.release.v1.{rel}.v2")).unwrap();
        r2.info_mut().status = Status::Deployed;
        r2.info_mut().description = "Upgrade complete".into();
        d.update(&format!("sh.helm.release.v1.{rel}.v2"), &r2).unwrap();

        // helm reads what we wrote.
        let (code, out, err) = helm_cmd(&kc, helm_driver, &["history", &rel, "-n", &ns.name]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            out,
            "REVISION\tUPDATED                 \tSTATUS    \tCHART   \tAPP VERSION\tDESCRIPTION     \n\
             1       \tSun Nov 22 20:20:52 2026\tsuperseded\trc-0.1.0\t1.0        \tRollback to 1   \n\
             2       \tSun Nov 22 20:20:52 2026\tdeployed  \trc-0.1.0\t1.0        \tUpgrade complete\n"
        );
        let (code, out, err) = helm_cmd(&kc, helm_driver, &["get", "values", &rel, "-n", &ns.name, "-o", "json"]);
        assert_eq!((code, out.as_str()), (0, "{\"a\":2}\n"), "{err}");

        // Storage on top: history, last, deployed, max-history pruning.
        let mut store = Storage::new(Box::new(mk()));
        assert_eq!(store.history(&rel).unwrap().len(), 2);
        assert_eq!(store.last(&rel).unwrap().version, 2);
        assert_eq!(store.deployed(&rel).unwrap().version, 2);
        store.max_history = 2;
        let mut r3 = sample(&rel, 3, Status::PendingUpgrade);
        r3.namespace = ns.name.clone();
        store.create(&r3).unwrap();
        let mut versions: Vec<i64> = store.history(&rel).unwrap().iter().map(|r| r.version).collect();
        versions.sort();
        assert_eq!(versions, [2, 3]);
        assert_eq!(store.delete(&rel, 1).unwrap_err(), StorageError::NotFound);

        // We read what helm wrote: its uninstall --keep-history rewrites
        // our records, and the JSON it stores re-encodes byte for byte.
        let (code, _, err) = helm_cmd(&kc, helm_driver, &["uninstall", &rel, "-n", &ns.name, "--keep-history"]);
        assert_eq!(code, 0, "{err}");
        let last = store.last(&rel).unwrap();
        assert_eq!(last.status(), Status::Uninstalled);
        let raw = if driver_name == "Secret" {
            let s: Secret = rt
                .block_on(Api::<Secret>::namespaced(conn.client.clone(), &ns.name).get(&format!("sh.helm.release.v1.{rel}.v3")))
                .unwrap();
            String::from_utf8(s.data.unwrap()["release"].0.clone()).unwrap()
        } else {
            let c: ConfigMap = rt
                .block_on(Api::<ConfigMap>::namespaced(conn.client.clone(), &ns.name).get(&format!("sh.helm.release.v1.{rel}.v3")))
                .unwrap();
            c.data.unwrap()["release"].clone()
        };
        let helm_json = rhelm_release::codec::decode_json(&raw).unwrap();
        assert!(helm_json.contains("\"status\":\"uninstalled\""));
        assert_eq!(Release::from_json(&helm_json).unwrap().to_json().unwrap(), helm_json);
    }
    drop(ns);
}
