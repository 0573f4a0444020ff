//! Moving an object from client-side to server-side apply
//! (client-go's util/csaupgrade, which Helm calls before a server-side
//! apply of a release that was applied client-side): the fields the
//! client-side manager `helm` owns with operation `Update` become owned by
//! the server-side manager `helm` with operation `Apply`. Without this the
//! first server-side apply would leave the old entry owning fields the
//! chart has since dropped, so they would never be removed.

use serde_json::{json, Value};

const UPDATE: &str = "Update";
const APPLY: &str = "Apply";

/// `UpgradeManagedFieldsPatch(obj, {manager}, manager)`: a JSON patch
/// replacing the live object's managed fields (and checking its
/// resourceVersion), or `None` when there is nothing to move.
pub(crate) fn upgrade_patch(live: &Value, manager: &str) -> Option<Value> {
    let fields = live.pointer("/metadata/managedFields")?.as_array()?;
    let upgraded = upgraded(fields, manager)?;
    if &upgraded == fields {
        return None;
    }
    let rv = live.pointer("/metadata/resourceVersion").cloned().unwrap_or(Value::Null);
    Some(json!([
        {"op": "replace", "path": "/metadata/managedFields", "value": upgraded},
        {"op": "replace", "path": "/metadata/resourceVersion", "value": rv},
    ]))
}

fn is(entry: &Value, manager: &str, operation: &str) -> bool {
    entry["manager"] == manager
        && entry["operation"] == operation
        && entry.get("subresource").and_then(Value::as_str).unwrap_or("") == ""
}

/// `upgradedManagedFields`: the Apply entry of `manager` (or, lacking one,
/// its Update entry turned into it) takes the union of both field sets,
/// and the Update entry goes. `None` when the result would be no entries
/// at all (client-go sends `null` then; nothing here makes that case).
fn upgraded(fields: &[Value], manager: &str) -> Option<Vec<Value>> {
    let mut fields = fields.to_vec();
    let target = match fields.iter().position(|e| is(e, manager, APPLY)) {
        Some(i) => i,
        None => {
            let Some(i) = fields.iter().position(|e| is(e, manager, UPDATE)) else {
                return Some(fields);
            };
            fields[i]["operation"] = json!(APPLY);
            i
        }
    };
    let api_version = fields[target]["apiVersion"].clone();
    let update = fields.iter().position(|e| is(e, manager, UPDATE) && e["apiVersion"] == api_version);
    if let Some(u) = update {
        let extra = fields[u].get("fieldsV1").cloned().unwrap_or(json!({}));
        let mut set = fields[target].get("fieldsV1").cloned().unwrap_or(json!({}));
        union(&mut set, &extra);
        fields[target]["fieldsV1"] = set;
    }
    fields.retain(|e| !is(e, manager, UPDATE));
    if fields.is_empty() {
        None
    } else {
        Some(fields)
    }
}

/// The union of two `FieldsV1` sets: each key is a path element and each
/// value the set below it (`"."` marks the element itself), so the union
/// is a deep merge.
fn union(into: &mut Value, other: &Value) {
    let (Some(a), Some(b)) = (into.as_object_mut(), other.as_object()) else {
        return;
    };
    for (k, v) in b {
        match a.get_mut(k) {
            Some(existing) => union(existing, v),
            None => {
                a.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_entry_becomes_apply_with_the_union() {
        let live = json!({"metadata": {"resourceVersion": "7", "managedFields": [
            {"manager": "helm", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1",
             "fieldsV1": {"f:data": {".": {}, "f:a": {}}}},
            {"manager": "kubectl-patch", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1",
             "fieldsV1": {"f:data": {"f:mine": {}}}}
        ]}});
        let patch = upgrade_patch(&live, "helm").unwrap();
        assert_eq!(patch[0]["value"][0]["manager"], "helm");
        assert_eq!(patch[0]["value"][0]["operation"], "Apply");
        assert_eq!(patch[0]["value"][1]["manager"], "kubectl-patch");
        assert_eq!(patch[1]["value"], "7");
    }

    #[test]
    fn existing_apply_entry_absorbs_the_update_entry() {
        let fields = vec![
            json!({"manager": "helm", "operation": "Apply", "apiVersion": "v1", "fieldsV1": {"f:data": {"f:a": {}}}}),
            json!({"manager": "helm", "operation": "Update", "apiVersion": "v1", "fieldsV1": {"f:data": {"f:b": {}}}}),
        ];
        let out = upgraded(&fields, "helm").unwrap();
        assert_eq!(
            out,
            vec![json!({"manager": "helm", "operation": "Apply", "apiVersion": "v1",
            "fieldsV1": {"f:data": {"f:a": {}, "f:b": {}}}})]
        );
    }

    #[test]
    fn nothing_to_move_is_no_patch() {
        let live =
            json!({"metadata": {"managedFields": [{"manager": "helm", "operation": "Apply", "apiVersion": "v1"}]}});
        assert!(upgrade_patch(&live, "helm").is_none());
    }
}
