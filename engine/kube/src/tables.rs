//! Objects as the API server prints them (server-side `Table`s), grouped as
//! Helm's `KubeClient.Get(resources, related=true)` groups them for
//! `helm status`: by `version/Kind`, with the pods a workload selects
//! under `v1/Pod(related)`.

use serde_json::Value;

use crate::connect::Kube;
use crate::error::KubeError;
use crate::resource::Resource;

const TABLE_ACCEPT: &str =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/// One group of objects: its key (`v1/ConfigMap`) and one Table per GET.
pub type TableGroup = (String, Vec<Value>);

impl Kube {
    /// The live objects of `rs` as Tables, in first-seen key order. Objects
    /// that cannot be read are left out, as Helm leaves them out.
    pub fn resource_tables(&self, rs: &[Resource]) -> Vec<TableGroup> {
        let mut groups: Vec<TableGroup> = Vec::new();
        let mut selectors: Vec<serde_json::Map<String, Value>> = Vec::new();
        let push = |groups: &mut Vec<TableGroup>, key: String, v: Option<Value>| {
            let i = match groups.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    groups.push((key, Vec::new()));
                    groups.len() - 1
                }
            };
            if let Some(v) = v {
                groups[i].1.push(v);
            }
        };
        for r in rs {
            let path = object_path(r);
            let Ok(table) = self.get_table(&path) else { continue };
            push(&mut groups, format!("{}/{}", r.api.version, r.kind), Some(table));
            let selector = match r.kind.as_str() {
                "ReplicaSet" | "Deployment" | "StatefulSet" | "DaemonSet" | "Job" => {
                    r.object.pointer("/spec/selector/matchLabels")
                }
                "ReplicationController" => r.object.pointer("/spec/selector"),
                _ => None,
            };
            let Some(Value::Object(sel)) = selector else { continue };
            if selectors.contains(sel) {
                continue;
            }
            selectors.push(sel.clone());
            let label_selector: Vec<String> =
                sel.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect();
            let ns = r.namespace.as_deref().unwrap_or("default");
            let query = url_encode(&label_selector.join(","));
            let pods = self.get_table(&format!("/api/v1/namespaces/{ns}/pods?labelSelector={query}")).ok();
            push(&mut groups, "v1/Pod(related)".into(), pods);
        }
        groups
    }

    fn get_table(&self, path: &str) -> Result<Value, KubeError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let req = http::Request::get(format!("{path}{sep}includeObject=Object"))
            .header("Accept", TABLE_ACCEPT)
            .body(Vec::new())
            .map_err(|e| KubeError::new(e.to_string()))?;
        Ok(self.block_on(self.client.request::<Value>(req))?)
    }
}

fn object_path(r: &Resource) -> String {
    let base = if r.api.group.is_empty() {
        format!("/api/{}", r.api.version)
    } else {
        format!("/apis/{}/{}", r.api.group, r.api.version)
    };
    match &r.namespace {
        Some(ns) => format!("{base}/namespaces/{ns}/{}/{}", r.api.plural, r.name),
        None => format!("{base}/{}/{}", r.api.plural, r.name),
    }
}

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
