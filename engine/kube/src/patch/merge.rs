//! JSON merge patches (RFC 7386), which Helm sends on a client-side update
//! of kinds without strategic-merge metadata (custom resources): lists
//! are replaced whole, and a removed field is `null`.

use serde_json::{Map, Value};

/// `jsonpatch.CreateMergePatch(original, modified)` (evanphx/json-patch):
/// the previous release's object against the new one. The live object
/// plays no part, so a field someone else added stays unless the chart
/// itself removes it.
pub fn two_way(original: &Value, modified: &Value) -> Map<String, Value> {
    match (original.as_object(), modified.as_object()) {
        (Some(o), Some(m)) => diff(o, m),
        (_, Some(m)) => m.clone(),
        _ => Map::new(),
    }
}

/// `jsonmergepatch.CreateThreeWayJSONMergePatch`, which Helm uses for
/// custom resources when an install takes ownership of existing objects
/// client-side: additions and changes against the live object, deletions
/// against the original.
pub fn three_way(original: &Value, modified: &Value, current: &Value) -> Map<String, Value> {
    let add_and_change = keep_or_drop_nulls(two_way(current, modified), false);
    let deletions = keep_or_drop_nulls(two_way(original, modified), true);
    merge(deletions, add_and_change)
}

fn diff(a: &Map<String, Value>, b: &Map<String, Value>) -> Map<String, Value> {
    let mut into = Map::new();
    for (key, bv) in b {
        let Some(av) = a.get(key) else {
            into.insert(key.clone(), bv.clone());
            continue;
        };
        match (av, bv) {
            (Value::Object(ao), Value::Object(bo)) => {
                let d = diff(ao, bo);
                if !d.is_empty() {
                    into.insert(key.clone(), Value::Object(d));
                }
            }
            _ if same(av, bv) => {}
            _ => {
                into.insert(key.clone(), bv.clone());
            }
        }
    }
    for key in a.keys() {
        if !b.contains_key(key) {
            into.insert(key.clone(), Value::Null);
        }
    }
    into
}

/// Equality as the Go library sees it: `encoding/json` decodes every
/// number as float64, so `1` and `1.0` are the same value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `keepOrDeleteNullInObj`: only the `null`s (deletions), or everything
/// but them. An explicitly empty object is a value, not an empty patch.
fn keep_or_drop_nulls(m: Map<String, Value>, keep_null: bool) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, val) in m {
        match val {
            Value::Null if keep_null => {
                out.insert(key, Value::Null);
            }
            Value::Null => {}
            Value::Object(sub) if sub.is_empty() => {
                if !keep_null {
                    out.insert(key, Value::Object(sub));
                }
            }
            Value::Object(sub) => {
                let filtered = keep_or_drop_nulls(sub, keep_null);
                if !filtered.is_empty() {
                    out.insert(key, Value::Object(filtered));
                }
            }
            other => {
                if !keep_null {
                    out.insert(key, other);
                }
            }
        }
    }
    out
}

/// `jsonpatch.MergePatch(deletions, additions)`: the additions (which hold
/// no nulls) merged into the deletion patch.
fn merge(mut doc: Map<String, Value>, patch: Map<String, Value>) -> Map<String, Value> {
    for (key, pv) in patch {
        let merged = match (doc.remove(&key), pv) {
            (Some(Value::Object(d)), Value::Object(p)) => Value::Object(merge(d, p)),
            (_, pv) => pv,
        };
        doc.insert(key, merged);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn two_way_replaces_lists_and_nulls_removed_fields() {
        let o = json!({"spec": {"size": 1, "tags": ["a"], "old": true}, "kind": "W"});
        let m = json!({"spec": {"size": 2, "tags": ["a", "b"]}, "kind": "W"});
        assert_eq!(Value::Object(two_way(&o, &m)), json!({"spec": {"size": 2, "tags": ["a", "b"], "old": null}}));
        assert!(two_way(&o, &o).is_empty());
        assert!(two_way(&json!({"n": 1}), &json!({"n": 1.0})).is_empty());
    }

    #[test]
    fn three_way_keeps_live_additions() {
        let o = json!({"spec": {"a": 1, "gone": 1}});
        let m = json!({"spec": {"a": 2}});
        let c = json!({"spec": {"a": 1, "gone": 1, "user": 3}});
        assert_eq!(Value::Object(three_way(&o, &m, &c)), json!({"spec": {"a": 2, "gone": null}}));
    }
}
