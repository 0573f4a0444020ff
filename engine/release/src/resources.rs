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

// ---------------------------------------------------------------------------
// The table form: `helm status` (table output) lists the objects as the API
// server renders them (`as=Table`), printed with kubectl's table printer.

const TABLE_ACCEPT: &str =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/// The text Helm prints after `RESOURCES:` (before its final newline):
/// `==> VERSION/KIND` and the tables of that kind's objects, each section
/// followed by a blank line. Helm walks a Go map here, so its section order
/// varies between runs; ours is the manifest's.
pub fn live_tables(kube: &rhelm_kube::Kube, manifest: &str, namespace: &str) -> Result<String, String> {
    let resources = kube.build(manifest, namespace).map_err(|e| e.to_string())?;
    let mut order: Vec<String> = Vec::new();
    let mut tables: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut seen_selectors: Vec<BTreeMap<String, String>> = Vec::new();
    let client = kube.client();
    for r in &resources {
        let (group, version) = match r.api_version.rsplit_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), r.api_version.clone()),
        };
        let gvk = kube::api::GroupVersionKind::gvk(&group, &version, &r.kind);
        let Ok((ar, caps)) = kube.block_on(kube::discovery::pinned_kind(&client, &gvk)) else { continue };
        let base = if group.is_empty() { format!("/api/{version}") } else { format!("/apis/{group}/{version}") };
        let ns = r.namespace.clone().unwrap_or_else(|| namespace.to_string());
        let url = if caps.scope == kube::discovery::Scope::Namespaced {
            format!("{base}/namespaces/{ns}/{}/{}?includeObject=Object", ar.plural, r.name)
        } else {
            format!("{base}/{}/{}?includeObject=Object", ar.plural, r.name)
        };
        let Ok(table) = get_table(kube, &url) else { continue };
        let key = format!("{version}/{}", r.kind);
        if !tables.contains_key(&key) {
            order.push(key.clone());
        }
        // The live object rides along in the row (includeObject=Object).
        let live = table.pointer("/rows/0/object").cloned();
        tables.entry(key).or_default().push(table);
        let Some(selector) = live.as_ref().and_then(selector_of) else { continue };
        if seen_selectors.contains(&selector) {
            continue;
        }
        seen_selectors.push(selector.clone());
        let sel = selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
        let sel = sel.replace('/', "%2F").replace('=', "%3D").replace(',', "%2C");
        let url = format!("/api/v1/namespaces/{ns}/pods?includeObject=Object&labelSelector={sel}");
        if let Ok(t) = get_table(kube, &url) {
            let key = "v1/Pod(related)".to_string();
            if !tables.contains_key(&key) {
                order.push(key.clone());
            }
            tables.entry(key).or_default().push(t);
        }
    }
    let mut out = String::new();
    let mut last_columns: Option<serde_json::Value> = None;
    for key in order {
        out.push_str(&format!("==> {key}\n"));
        for t in &tables[&key] {
            out.push_str(&print_table(t, &mut last_columns));
        }
        out.push('\n');
    }
    Ok(out)
}

fn get_table(kube: &rhelm_kube::Kube, url: &str) -> Result<serde_json::Value, String> {
    let req = http::Request::get(url)
        .header(http::header::ACCEPT, TABLE_ACCEPT)
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    kube.block_on(kube.client().request::<serde_json::Value>(req)).map_err(|e| e.to_string())
}

/// kubectl's `HumanReadablePrinter.PrintObj` for a server-side Table: the
/// priority-0 columns, headers only when the columns differ from the last
/// table printed (and there are rows), laid out by a fresh tabwriter
/// (min width 6, padding 3) per table.
fn print_table(t: &serde_json::Value, last_columns: &mut Option<serde_json::Value>) -> String {
    let columns = t.get("columnDefinitions").cloned().unwrap_or(serde_json::Value::Null);
    let cols: Vec<&serde_json::Value> = columns.as_array().map(|c| c.iter().collect()).unwrap_or_default();
    let rows: Vec<&serde_json::Value> = t.get("rows").and_then(|r| r.as_array()).map(|r| r.iter().collect()).unwrap_or_default();
    let same = last_columns.as_ref() == Some(&columns);
    let no_headers = cols.is_empty() || same;
    if !cols.is_empty() && !same {
        *last_columns = Some(columns.clone());
    }
    let shown: Vec<usize> =
        cols.iter().enumerate().filter(|(_, c)| c.get("priority").and_then(|p| p.as_i64()).unwrap_or(0) == 0).map(|(i, _)| i).collect();
    let mut lines: Vec<Vec<String>> = Vec::new();
    if !no_headers && !rows.is_empty() {
        lines.push(shown.iter().map(|&i| cols[i].get("name").and_then(|n| n.as_str()).unwrap_or("").to_uppercase()).collect());
    }
    for row in rows {
        let cells = row.get("cells").and_then(|c| c.as_array()).cloned().unwrap_or_default();
        lines.push(shown.iter().map(|&i| cells.get(i).map(cell_text).unwrap_or_default()).collect());
    }
    tabwrite(&lines)
}

/// A cell as Go's `fmt.Fprint` prints the decoded JSON value.
fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "<none>".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => rhelm_template::strconv::format_float(n.as_f64().unwrap_or(0.0), b'g', -1),
        },
        other => other.to_string(),
    }
}

/// Go's text/tabwriter with minwidth 6, padding 3, spaces: every cell but
/// a line's last is padded to its column's width.
fn tabwrite(lines: &[Vec<String>]) -> String {
    let ncols = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; ncols];
    for l in lines {
        for (i, c) in l.iter().enumerate() {
            if i + 1 < l.len() {
                widths[i] = widths[i].max((c.chars().count() + 3).max(6));
            }
        }
    }
    let mut out = String::new();
    for l in lines {
        for (i, c) in l.iter().enumerate() {
            out.push_str(c);
            if i + 1 < l.len() {
                for _ in c.chars().count()..widths[i] {
                    out.push(' ');
                }
            }
        }
        out.push('\n');
    }
    out
}
