//! The live objects of a release as `helm status -o json|yaml` reports them
//! in `info.resources` (pkg/kube/client.go `Get` with related pods): each
//! object of the manifest fetched from the cluster, keyed `VERSION/KIND`
//! (the group is left out), plus a `PodList` of the Pods each workload's
//! `matchLabels` selects, under `v1/Pod(related)`.

use std::collections::BTreeMap;
use std::sync::Arc;

use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use rhelm_template::Value;

/// Objects that cannot be fetched are left out, as Helm does.
pub fn live_resources(kube: &rhelm_kube::Kube, manifest: &str, namespace: &str) -> Result<Value, String> {
    let resources = kube.build(manifest, namespace).map_err(|e| e.to_string())?;
    let mut objs: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut seen_selectors: Vec<BTreeMap<String, String>> = Vec::new();
    for r in &resources {
        let Ok(Some(obj)) = kube.get(r) else { continue };
        let version = r.api_version.rsplit('/').next().unwrap_or("");
        objs.entry(format!("{version}/{}", r.kind)).or_default().push(to_value(&obj)?);
        let Some(selector) = selector_of(&obj) else { continue };
        if seen_selectors.contains(&selector) {
            continue;
        }
        seen_selectors.push(selector.clone());
        let ns = r.namespace.clone().unwrap_or_else(|| namespace.to_string());
        objs.entry("v1/Pod(related)".into()).or_default().push(related_pods(kube, &ns, &selector)?);
    }
    Ok(Value::map(objs.into_iter().map(|(k, v)| (Arc::from(k.as_str()), Value::list(v))).collect()))
}

/// `getSelectorFromObject`: workloads' `spec.selector.matchLabels`, a
/// ReplicationController's `spec.selector`.
fn selector_of(obj: &serde_json::Value) -> Option<BTreeMap<String, String>> {
    let path = match obj.get("kind")?.as_str()? {
        "ReplicaSet" | "Deployment" | "StatefulSet" | "DaemonSet" | "Job" => "/spec/selector/matchLabels",
        "ReplicationController" => "/spec/selector",
        _ => return None,
    };
    let m = obj.pointer(path)?.as_object()?;
    m.iter().map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect()
}

/// The Pods a selector picks, as one `PodList` object: Helm's builder query
/// is not flattened, so the list itself (even an empty one) is the object.
fn related_pods(kube: &rhelm_kube::Kube, ns: &str, selector: &BTreeMap<String, String>) -> Result<Value, String> {
    let ar = ApiResource {
        group: String::new(),
        version: "v1".into(),
        api_version: "v1".into(),
        kind: "Pod".into(),
        plural: "pods".into(),
    };
    let api: Api<DynamicObject> = Api::namespaced_with(kube.client(), ns, &ar);
    let sel = selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    let list = kube.block_on(api.list(&ListParams::default().labels(&sel))).map_err(|e| e.to_string())?;
    let mut items = Vec::new();
    for mut pod in list.items {
        // List items carry no type; client-go's list decoder fills it in.
        pod.types = Some(kube::api::TypeMeta { api_version: "v1".into(), kind: "Pod".into() });
        items.push(serde_json::to_value(&pod).map_err(|e| e.to_string())?);
    }
    let obj = serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "PodList",
        "metadata": serde_json::to_value(&list.metadata).map_err(|e| e.to_string())?,
    });
    to_value(&obj)
}

/// An object as Go's generic JSON decoding holds it.
fn to_value(obj: &serde_json::Value) -> Result<Value, String> {
    rhelm_functions::json::from_str(&obj.to_string()).map_err(|e| e.to_string())
}
