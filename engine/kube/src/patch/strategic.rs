//! `strategicpatch.CreateThreeWayMergePatch` (k8s.io/apimachinery), as Helm
//! calls it for built-in kinds on a client-side update: with `overwrite`,
//! so changes made on the cluster never stop the update, and with
//! `$setElementOrder` lists, so the server keeps the chart's order of
//! merged lists and puts other writers' elements where they were.
//!
//! The patch is the sum of two diffs: what the new object adds or changes
//! against the live one (deletions ignored: fields other writers added
//! stay), and what it removes against the previous release's object
//! (only deletions: a field the chart never had is not the chart's to
//! remove).

use serde_json::{json, Map, Value};

use super::openapi::{Node, PatchMeta};

const DIRECTIVE: &str = "$patch";
const DELETE: &str = "delete";
const REPLACE: &str = "replace";
const MERGE: &str = "merge";
const RETAIN_KEYS_STRATEGY: &str = "retainKeys";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER: &str = "$setElementOrder";

#[derive(Debug, Clone, Copy, Default)]
struct DiffOptions {
    set_element_order: bool,
    ignore_changes_and_additions: bool,
    ignore_deletions: bool,
    build_retain_keys: bool,
}

/// The patch taking `current` to `modified`, deleting what `original` had
/// and `modified` dropped. An empty object means nothing to send.
pub fn three_way(
    original: &Value,
    modified: &Value,
    current: &Value,
    schema: Node,
) -> Result<Map<String, Value>, String> {
    let empty = Map::new();
    let as_map = |v: &Value| v.as_object().cloned().unwrap_or_else(|| empty.clone());
    let (original, modified, current) = (as_map(original), as_map(modified), as_map(current));
    let delta = diff_maps(
        &current,
        &modified,
        schema,
        DiffOptions { ignore_deletions: true, set_element_order: true, ..DiffOptions::default() },
    )?;
    let deletions = diff_maps(
        &original,
        &modified,
        schema,
        DiffOptions { ignore_changes_and_additions: true, set_element_order: true, ..DiffOptions::default() },
    )?;
    combine(deletions, delta, schema)
}

/// Go's dynamic type of a decoded JSON value, which decides whether two
/// values are compared field by field or replaced (apimachinery decodes
/// whole numbers as int64 and others as float64).
fn type_of(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(n) if n.is_f64() => 3,
        Value::Number(_) => 2,
        Value::String(_) => 4,
        Value::Array(_) => 5,
        Value::Object(_) => 6,
    }
}

/// `fmt.Sprintf("%v", v)`, which orders list elements and merge keys.
fn go_string(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn diff_maps(
    original: &Map<String, Value>,
    modified: &Map<String, Value>,
    schema: Node,
    opts: DiffOptions,
) -> Result<Map<String, Value>, String> {
    let mut patch = Map::new();
    let mut retain_keys = Vec::new();
    for (key, mv) in modified {
        if opts.build_retain_keys && !mv.is_null() {
            retain_keys.push(Value::String(key.clone()));
        }
        let Some(ov) = original.get(key) else {
            if !opts.ignore_changes_and_additions {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        };
        if key == DIRECTIVE {
            let (Some(o), Some(m)) = (ov.as_str(), mv.as_str()) else {
                return Err(format!("invalid value for special key: {DIRECTIVE}"));
            };
            if o != m {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        }
        if type_of(ov) != type_of(mv) {
            if !opts.ignore_changes_and_additions {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        }
        match (ov, mv) {
            (Value::Object(o), Value::Object(m)) => handle_map_diff(key, o, m, &mut patch, schema, opts)?,
            (Value::Array(o), Value::Array(m)) => handle_slice_diff(key, o, m, &mut patch, schema, opts)?,
            _ => replace_if_not_equal(key, ov, mv, &mut patch, opts),
        }
    }
    if !opts.ignore_deletions {
        for key in original.keys() {
            if !modified.contains_key(key) {
                patch.insert(key.clone(), Value::Null);
            }
        }
    }
    if !retain_keys.is_empty() && (!patch.is_empty() || has_additional_new_field(original, modified)) {
        patch.insert(RETAIN_KEYS.into(), Value::Array(sort_scalars(retain_keys)));
    }
    Ok(patch)
}

fn handle_map_diff(
    key: &str,
    original: &Map<String, Value>,
    modified: &Map<String, Value>,
    patch: &mut Map<String, Value>,
    schema: Node,
    mut opts: DiffOptions,
) -> Result<(), String> {
    // A field Helm cannot look up only matters if it changed.
    let (sub, meta) = match schema.field(key) {
        Ok(found) => found,
        Err(_) if original == modified => return Ok(()),
        Err(e) => return Err(e),
    };
    let (retain, strategy) = retain_keys_strategy(&meta)?;
    opts.build_retain_keys = retain;
    if strategy == REPLACE {
        if !opts.ignore_changes_and_additions {
            patch.insert(key.to_string(), Value::Object(modified.clone()));
        }
        return Ok(());
    }
    let value = diff_maps(original, modified, sub, opts)?;
    if !value.is_empty() {
        patch.insert(key.to_string(), Value::Object(value));
    }
    Ok(())
}

fn handle_slice_diff(
    key: &str,
    original: &[Value],
    modified: &[Value],
    patch: &mut Map<String, Value>,
    schema: Node,
    mut opts: DiffOptions,
) -> Result<(), String> {
    let (sub, meta) = match schema.slice(key) {
        Ok(found) => found,
        Err(_) if original == modified => return Ok(()),
        Err(e) => return Err(e),
    };
    let (retain, strategy) = retain_keys_strategy(&meta)?;
    if strategy != MERGE {
        replace_if_not_equal(key, &Value::Array(original.to_vec()), &Value::Array(modified.to_vec()), patch, opts);
        return Ok(());
    }
    opts.build_retain_keys = retain;
    let (add, delete, order) = diff_lists(original, modified, sub, &meta.merge_key, opts)?;
    if !add.is_empty() {
        patch.insert(key.to_string(), Value::Array(add));
    }
    if !delete.is_empty() {
        patch.insert(format!("{DELETE_FROM_PRIMITIVE_LIST}/{key}"), Value::Array(delete));
    }
    if !order.is_empty() {
        patch.insert(format!("{SET_ELEMENT_ORDER}/{key}"), Value::Array(order));
    }
    Ok(())
}

fn replace_if_not_equal(
    key: &str,
    original: &Value,
    modified: &Value,
    patch: &mut Map<String, Value>,
    opts: DiffOptions,
) {
    if !opts.ignore_changes_and_additions && original != modified {
        patch.insert(key.to_string(), modified.clone());
    }
}

/// `extractRetainKeysPatchStrategy`: whether `retainKeys` is among the
/// strategies, and the other one.
fn retain_keys_strategy(meta: &PatchMeta) -> Result<(bool, &str), String> {
    let s = &meta.strategies;
    match s.len() {
        0 => Ok((false, "")),
        1 if s[0] == RETAIN_KEYS_STRATEGY => Ok((true, "")),
        1 => Ok((false, &s[0])),
        2 if s[0] == RETAIN_KEYS_STRATEGY => Ok((true, &s[1])),
        2 if s[1] == RETAIN_KEYS_STRATEGY => Ok((true, &s[0])),
        _ => Err(format!("unexpected patch strategy: {s:?}")),
    }
}

fn has_additional_new_field(original: &Map<String, Value>, modified: &Map<String, Value>) -> bool {
    original.iter().any(|(k, v)| !v.is_null() && !modified.contains_key(k))
}

#[derive(PartialEq)]
enum Elements {
    Maps,
    Scalars,
}

/// `sliceElementType`: every element of the lists must be of one type,
/// and lists of lists cannot be merged.
fn element_type(lists: &[&[Value]]) -> Result<Elements, String> {
    let mut seen: Option<u8> = None;
    for v in lists.iter().flat_map(|l| l.iter()) {
        let t = type_of(v);
        match seen {
            None if t == 5 => return Err("lists of lists are not supported".into()),
            None => seen = Some(t),
            Some(p) if p != t => return Err("list element types are not identical".into()),
            Some(_) => {}
        }
    }
    match seen {
        Some(6) => Ok(Elements::Maps),
        Some(_) => Ok(Elements::Scalars),
        None => Err("no elements in any of the given slices".into()),
    }
}

type Lists = (Vec<Value>, Vec<Value>, Vec<Value>);

/// `diffLists`: the patch list, the deletions (scalars only; deleted maps
/// are `$patch: delete` entries of the patch list) and the order list.
fn diff_lists(
    original: &[Value],
    modified: &[Value],
    schema: Node,
    merge_key: &str,
    opts: DiffOptions,
) -> Result<Lists, String> {
    if original.is_empty() {
        if modified.is_empty() || opts.ignore_changes_and_additions {
            return Ok((Vec::new(), Vec::new(), Vec::new()));
        }
        return Ok((modified.to_vec(), Vec::new(), Vec::new()));
    }
    match element_type(&[original, modified])? {
        Elements::Maps => {
            let (patch, deletions) = diff_lists_of_maps(original, modified, schema, merge_key, opts)?;
            let mut patch = normalize_order(patch, modified, merge_key, true)?;
            let order_same = is_order_same(original, modified, merge_key);
            patch.extend(deletions);
            let mut order = Vec::new();
            if opts.set_element_order
                && ((!opts.ignore_changes_and_additions && (!patch.is_empty() || !order_same))
                    || (!opts.ignore_deletions && !patch.is_empty()))
            {
                order = modified
                    .iter()
                    .map(|v| json!({ merge_key: v.get(merge_key).cloned().unwrap_or(Value::Null) }))
                    .collect();
            }
            Ok((patch, Vec::new(), order))
        }
        Elements::Scalars => {
            let (add, deletions) = diff_lists_of_scalars(original, modified, opts);
            let add = normalize_order(add, modified, merge_key, false)?;
            let mut order = Vec::new();
            if opts.set_element_order
                && ((!opts.ignore_deletions && !deletions.is_empty())
                    || (!opts.ignore_changes_and_additions && original != modified))
            {
                order = modified.to_vec();
            }
            Ok((add, deletions, order))
        }
    }
}

fn is_order_same(original: &[Value], modified: &[Value], merge_key: &str) -> bool {
    original.len() == modified.len() && original.iter().zip(modified).all(|(o, m)| o.get(merge_key) == m.get(merge_key))
}

/// `normalizeSliceOrder`: the patch list in the order of `order`, with
/// `$patch: delete` entries last.
fn normalize_order(list: Vec<Value>, order: &[Value], merge_key: &str, maps: bool) -> Result<Vec<Value>, String> {
    let key_of = |v: &Value| if maps { v.get(merge_key).cloned() } else { Some(v.clone()) };
    let (mut keep, deletes): (Vec<Value>, Vec<Value>) = if maps {
        for v in list.iter().chain(order) {
            if v.get(merge_key).is_none() {
                return Err(no_merge_key(v, merge_key));
            }
        }
        list.into_iter().partition(|v| v.get(DIRECTIVE).and_then(Value::as_str) != Some(DELETE))
    } else {
        (list, Vec::new())
    };
    let position = |v: &Value| {
        let k = key_of(v);
        order.iter().position(|o| key_of(o) == k).unwrap_or(usize::MAX)
    };
    keep.sort_by_key(|v| position(v));
    keep.extend(deletes);
    Ok(keep)
}

/// `ErrNoMergeKey`, with the element as JSON rather than Go's map syntax.
fn no_merge_key(v: &Value, merge_key: &str) -> String {
    format!("map: {v} does not contain declared merge key: {merge_key}")
}

fn diff_lists_of_scalars(original: &[Value], modified: &[Value], opts: DiffOptions) -> (Vec<Value>, Vec<Value>) {
    let original = sort_scalars(original.to_vec());
    let modified = sort_scalars(modified.to_vec());
    let (mut oi, mut mi) = (0, 0);
    let mut add = Vec::new();
    let mut deletions = Vec::new();
    while oi < original.len() || mi < modified.len() {
        let o = original.get(oi).map(go_string);
        let m = modified.get(mi).map(go_string);
        match (o, m) {
            (Some(o), Some(m)) if o == m => {
                oi += 1;
                mi += 1;
            }
            (None, Some(_)) => {
                add_unless(&mut add, &modified[mi], opts.ignore_changes_and_additions);
                mi += 1;
            }
            (Some(o), Some(m)) if o > m => {
                add_unless(&mut add, &modified[mi], opts.ignore_changes_and_additions);
                mi += 1;
            }
            _ => {
                add_unless(&mut deletions, &original[oi], opts.ignore_deletions);
                oi += 1;
            }
        }
    }
    (add, dedup(deletions))
}

fn add_unless(list: &mut Vec<Value>, v: &Value, ignore: bool) {
    if !ignore {
        list.push(v.clone());
    }
}

fn diff_lists_of_maps(
    original: &[Value],
    modified: &[Value],
    schema: Node,
    merge_key: &str,
    opts: DiffOptions,
) -> Result<(Vec<Value>, Vec<Value>), String> {
    let sorted = |l: &[Value]| -> Result<Vec<(String, Value)>, String> {
        let mut out = Vec::with_capacity(l.len());
        for v in l {
            let Some(k) = v.get(merge_key) else {
                return Err(no_merge_key(v, merge_key));
            };
            out.push((go_string(k), v.clone()));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    };
    let (original, modified) = (sorted(original)?, sorted(modified)?);
    let (mut oi, mut mi) = (0, 0);
    let mut patch = Vec::new();
    let mut deletions = Vec::new();
    while oi < original.len() || mi < modified.len() {
        match (original.get(oi), modified.get(mi)) {
            (Some((ok, ov)), Some((mk, mv))) if ok == mk => {
                let (Some(o), Some(m)) = (ov.as_object(), mv.as_object()) else {
                    return Err("list elements are not objects".into());
                };
                let mut value = diff_maps(o, m, schema, opts)?;
                if !value.is_empty() {
                    value.insert(merge_key.to_string(), m[merge_key].clone());
                    patch.push(Value::Object(value));
                }
                oi += 1;
                mi += 1;
            }
            (None, Some((_, mv))) => {
                add_unless(&mut patch, mv, opts.ignore_changes_and_additions);
                mi += 1;
            }
            (Some((ok, _)), Some((mk, mv))) if ok > mk => {
                add_unless(&mut patch, mv, opts.ignore_changes_and_additions);
                mi += 1;
            }
            (Some((_, ov)), _) => {
                if !opts.ignore_deletions {
                    deletions.push(json!({ merge_key: ov[merge_key].clone(), DIRECTIVE: DELETE }));
                }
                oi += 1;
            }
            (None, None) => break,
        }
    }
    Ok((patch, deletions))
}

fn sort_scalars(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(go_string);
    v
}

fn dedup(v: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(v.len());
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// `mergeMap(deletionsMap, deltaMap)` without parallel-list merging, for
/// the two maps the diffs above make: their directive lists are equal
/// where both have them, elements of merged lists with the same key are
/// combined, and otherwise the delta's value wins. (The order of elements
/// inside patch lists does not matter to the server: the
/// `$setElementOrder` lists decide it.)
fn combine(mut out: Map<String, Value>, delta: Map<String, Value>, schema: Node) -> Result<Map<String, Value>, String> {
    for (key, dv) in delta {
        if key == RETAIN_KEYS || key.starts_with(SET_ELEMENT_ORDER) {
            match out.get(&key) {
                Some(existing) if existing != &dv => {
                    return Err(format!(
                        "{existing} and {dv} are not deep equal: this may happen when calculating the 3-way diff patch"
                    ));
                }
                Some(_) => {}
                None => {
                    out.insert(key, dv);
                }
            }
            continue;
        }
        let merged = match (out.remove(&key), dv) {
            (Some(Value::Object(o)), Value::Object(p)) => {
                let (sub, meta) = schema.field(&key)?;
                if retain_keys_strategy(&meta)?.1 == REPLACE {
                    Value::Object(p)
                } else {
                    Value::Object(combine(o, p, sub)?)
                }
            }
            (Some(Value::Array(o)), Value::Array(p)) => {
                let (sub, meta) = schema.slice(&key)?;
                if retain_keys_strategy(&meta)?.1 == MERGE {
                    Value::Array(combine_lists(o, p, sub, &meta.merge_key)?)
                } else {
                    Value::Array(p)
                }
            }
            (_, dv) => dv,
        };
        out.insert(key, merged);
    }
    Ok(out)
}

fn combine_lists(mut out: Vec<Value>, delta: Vec<Value>, schema: Node, merge_key: &str) -> Result<Vec<Value>, String> {
    if out.is_empty() && delta.is_empty() {
        return Ok(out);
    }
    if element_type(&[&out, &delta])? == Elements::Scalars {
        out.extend(delta);
        return Ok(dedup(out));
    }
    if merge_key.is_empty() {
        return Err("cannot merge lists without merge key".into());
    }
    for item in delta {
        let Some(k) = item.get(merge_key).cloned() else {
            return Err(no_merge_key(&item, merge_key));
        };
        match out.iter().position(|o| o.get(merge_key) == Some(&k)) {
            Some(i) => {
                let (Value::Object(o), Value::Object(p)) = (out[i].take(), item) else {
                    return Err("list elements are not objects".into());
                };
                out[i] = Value::Object(combine(o, p, schema)?);
            }
            None => out.push(item),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::openapi::OpenApi;
    use super::*;

    /// Enough of the core/v1 and apps/v1 schemas for a Deployment's
    /// containers, env and volumes, as the API server publishes them.
    fn api() -> OpenApi {
        OpenApi::parse(json!({"definitions": {
            "io.k8s.api.apps.v1.Deployment": {"properties": {"spec": {"$ref": "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"},
                "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}},
                "x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "Deployment"}]},
            "io.k8s.api.apps.v1.DeploymentSpec": {"properties": {
                "template": {"$ref": "#/definitions/io.k8s.api.core.v1.PodTemplateSpec"},
                "strategy": {"$ref": "#/definitions/io.k8s.api.apps.v1.DeploymentStrategy", "x-kubernetes-patch-strategy": "retainKeys"}}},
            "io.k8s.api.apps.v1.DeploymentStrategy": {"properties": {"type": {"type": "string"}, "rollingUpdate": {"type": "object"}}},
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"properties": {"name": {"type": "string"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "io.k8s.api.core.v1.PodTemplateSpec": {"properties": {"spec": {"$ref": "#/definitions/io.k8s.api.core.v1.PodSpec"}}},
            "io.k8s.api.core.v1.PodSpec": {"properties": {
                "containers": {"type": "array", "items": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"},
                    "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}}},
            "io.k8s.api.core.v1.Container": {"properties": {
                "args": {"type": "array", "items": {"type": "string"}},
                "env": {"type": "array", "items": {"type": "object"},
                    "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}}}
        }}))
    }

    fn deployment(env: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx", "env": env}]}}}})
    }

    #[test]
    fn merges_env_by_name_keeping_live_additions() {
        let api = api();
        let schema = api.kind("apps", "v1", "Deployment").unwrap();
        let original = deployment(json!([{"name": "MSG", "value": "hello"}, {"name": "OLD", "value": "1"}]));
        let modified = deployment(json!([{"name": "MSG", "value": "bye"}, {"name": "EXTRA", "value": "yes"}]));
        let current = deployment(
            json!([{"name": "USERVAR", "value": "u"}, {"name": "MSG", "value": "hello"}, {"name": "OLD", "value": "1"}]),
        );
        let patch = three_way(&original, &modified, &current, schema).unwrap();
        let containers = &patch["spec"]["template"]["spec"]["containers"];
        assert_eq!(patch["spec"]["template"]["spec"]["$setElementOrder/containers"], json!([{"name": "web"}]));
        let web = &containers[0];
        assert_eq!(web["name"], "web");
        assert_eq!(web["$setElementOrder/env"], json!([{"name": "MSG"}, {"name": "EXTRA"}]));
        let env = web["env"].as_array().unwrap();
        assert!(env.contains(&json!({"name": "MSG", "value": "bye"})));
        assert!(env.contains(&json!({"name": "EXTRA", "value": "yes"})));
        assert!(env.contains(&json!({"name": "OLD", "$patch": "delete"})));
        assert_eq!(env.len(), 3, "USERVAR is not the chart's to remove: {env:?}");
    }

    /// Helm 4.3.1 fails a Deployment whose container has a map field the
    /// Container type lacks, once that field changes.
    #[test]
    fn a_changed_field_the_type_lacks_is_an_error() {
        let api = api();
        let schema = api.kind("apps", "v1", "Deployment").unwrap();
        let with = |v: &str| {
            let mut d = deployment(json!([]));
            d["spec"]["template"]["spec"]["containers"][0]["bogus"] = json!({"v": v});
            d
        };
        let live = deployment(json!([]));
        assert_eq!(
            three_way(&with("1"), &with("2"), &live, schema).unwrap_err(),
            "unable to find api field in struct Container for the json field \"bogus\""
        );
        assert!(three_way(&with("1"), &with("1"), &live, schema).is_ok(), "unchanged, it is not looked up");
    }

    #[test]
    fn unchanged_objects_make_an_empty_patch() {
        let api = api();
        let schema = api.kind("apps", "v1", "Deployment").unwrap();
        let d = deployment(json!([{"name": "MSG", "value": "x"}]));
        let mut live = d.clone();
        live["status"] = json!({"replicas": 1});
        live["metadata"]["uid"] = json!("u");
        assert!(three_way(&d, &d, &live, schema).unwrap().is_empty());
    }

    #[test]
    fn atomic_lists_are_replaced_and_removed_fields_nulled() {
        let api = api();
        let schema = api.kind("apps", "v1", "Deployment").unwrap();
        let mut original = deployment(json!([]));
        original["spec"]["template"]["spec"]["containers"][0]["args"] = json!(["a", "b"]);
        original["metadata"]["labels"] = json!({"gone": "x", "kept": "y"});
        let mut modified = deployment(json!([]));
        modified["spec"]["template"]["spec"]["containers"][0]["args"] = json!(["b"]);
        modified["metadata"]["labels"] = json!({"kept": "y"});
        let mut current = original.clone();
        current["metadata"]["labels"]["user"] = json!("z");
        let patch = three_way(&original, &modified, &current, schema).unwrap();
        assert_eq!(patch["metadata"], json!({"labels": {"gone": null}}));
        assert_eq!(patch["spec"]["template"]["spec"]["containers"][0]["args"], json!(["b"]));
    }

    #[test]
    fn retain_keys_strategy_lists_the_kept_fields() {
        let api = api();
        let schema = api.kind("apps", "v1", "Deployment").unwrap();
        let mut original = deployment(json!([]));
        original["spec"]["strategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}});
        let mut modified = deployment(json!([]));
        modified["spec"]["strategy"] = json!({"type": "Recreate"});
        let patch = three_way(&original, &modified, &original, schema).unwrap();
        assert_eq!(
            patch["spec"]["strategy"],
            json!({"type": "Recreate", "rollingUpdate": null, "$retainKeys": ["type"]})
        );
    }

    #[test]
    fn primitive_merge_lists_get_deletion_lists() {
        let api = OpenApi::parse(json!({"definitions": {
            "io.k8s.api.core.v1.ConfigMap": {"properties": {"metadata": {"$ref": "#/definitions/meta"}},
                "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "ConfigMap"}]},
            "meta": {"properties": {"finalizers": {"type": "array", "items": {"type": "string"}, "x-kubernetes-patch-strategy": "merge"}}}
        }}));
        let schema = api.kind("", "v1", "ConfigMap").unwrap();
        let original = json!({"metadata": {"finalizers": ["a", "b"]}});
        let modified = json!({"metadata": {"finalizers": ["b", "c"]}});
        let current = json!({"metadata": {"finalizers": ["a", "b", "z"]}});
        let patch = three_way(&original, &modified, &current, schema).unwrap();
        assert_eq!(
            Value::Object(patch),
            json!({"metadata": {"finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["a"], "$setElementOrder/finalizers": ["b", "c"]}})
        );
    }
}
