//! Patch metadata from the API server's OpenAPI v2 document: which lists
//! merge by which key (`x-kubernetes-patch-merge-key`) and with which
//! strategies (`x-kubernetes-patch-strategy`). Helm reads the same facts
//! from client-go's Go structs (`strategicpatch.NewPatchMetaFromStruct`);
//! the server publishes them from those very struct tags, so asking it
//! needs no table of our own and follows the server's version.
//!
//! OpenAPI v2 and not v3: v3 only exists from Kubernetes 1.23 (beta 1.24),
//! and v2 is still served by every version.

use std::collections::HashMap;

use serde_json::Value;

/// The parsed `/openapi/v2` document.
pub struct OpenApi {
    definitions: serde_json::Map<String, Value>,
    /// (group, version, kind) → definition name.
    by_kind: HashMap<(String, String, String), String>,
    /// (group, version, kind) → whether the PATCH operation of its path
    /// takes the `fieldValidation` query parameter.
    field_validation: HashMap<(String, String, String), bool>,
}

/// How a field is patched: its strategies (`merge`, `replace`,
/// `retainKeys`, possibly two of them) and the merge key of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchMeta {
    pub strategies: Vec<String>,
    pub merge_key: String,
}

/// A place in a schema: what is known about the value found there. `None`
/// for a field the schema does not describe.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    api: &'a OpenApi,
    schema: Option<&'a Value>,
    /// The definition the schema came from: a Go struct (or a type with
    /// its own JSON form) in the API server, which Helm looks fields up in.
    name: Option<&'a str>,
}

impl OpenApi {
    pub fn parse(doc: Value) -> OpenApi {
        let field_validation = field_validation_support(&doc);
        let definitions = match doc {
            Value::Object(mut m) => match m.remove("definitions") {
                Some(Value::Object(d)) => d,
                _ => Default::default(),
            },
            _ => Default::default(),
        };
        let mut by_kind = HashMap::new();
        for (name, def) in &definitions {
            let Some(gvks) = def.get("x-kubernetes-group-version-kind").and_then(Value::as_array) else {
                continue;
            };
            for gvk in gvks {
                let field = |k: &str| gvk.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                by_kind.entry((field("group"), field("version"), field("kind"))).or_insert_with(|| name.clone());
            }
        }
        OpenApi { definitions, by_kind, field_validation }
    }

    /// The definition of a kind with its name, if the server describes it.
    pub(crate) fn kind_definition(&self, group: &str, version: &str, kind: &str) -> Option<(&str, &Value)> {
        let name = self.by_kind.get(&(group.to_string(), version.to_string(), kind.to_string()))?;
        self.definitions.get_key_value(name).map(|(n, s)| (n.as_str(), s))
    }

    /// A definition by name (the target of a `$ref`).
    pub(crate) fn definition(&self, name: &str) -> Option<(&str, &Value)> {
        self.definitions.get_key_value(name).map(|(n, s)| (n.as_str(), s))
    }

    /// Whether Helm validates objects of this kind against the schema on
    /// the client: kubectl's `paramVerifyingSchema` does so only when the
    /// server cannot be asked to (`fieldValidation=Strict`), which its
    /// `QueryParamVerifier` reads from the PATCH operations of the
    /// OpenAPI paths. Its v3 verifier comes first, but servers without
    /// `/openapi/v3` (before 1.23/1.24) fall back to this v2 reading, and
    /// the two agree on servers that have both.
    pub fn validates_client_side(&self, group: &str, version: &str, kind: &str) -> bool {
        // `v1 List` is always unsupported: its items are checked one by one.
        if (group, version, kind) == ("", "v1", "List") {
            return true;
        }
        let key = |g: &str, v: &str, k: &str| (g.to_string(), v.to_string(), k.to_string());
        match self.field_validation.get(&key(group, version, kind)) {
            Some(supported) => !supported,
            // A kind without a path: kubectl asks whether Namespaces take
            // the parameter, and if they do whether a CRD defines the kind
            // (then the server validates). Such a kind has no definition
            // either (the server publishes paths and definitions of a CRD
            // together), so the schema check it would get finds nothing:
            // validating "client-side" is the same as not validating.
            None => true,
        }
    }

    /// The schema of a kind, if the server describes it.
    pub fn kind(&self, group: &str, version: &str, kind: &str) -> Option<Node<'_>> {
        let name = self.by_kind.get(&(group.to_string(), version.to_string(), kind.to_string()))?;
        let (name, schema) = self.definitions.get_key_value(name)?;
        Some(Node { api: self, schema: Some(schema), name: Some(name) })
    }

    /// Whether Helm patches the kind with a strategic merge patch: Helm
    /// does for the types compiled into client-go's scheme (the built-in
    /// `io.k8s.api.*` groups, and the apiextensions types it adds), and
    /// sends a JSON merge patch for everything else (custom resources,
    /// aggregated APIs), as well as for `apiextensions.k8s.io/v1beta1`
    /// CustomResourceDefinitions, which it singles out (pkg/kube/client.go
    /// `createPatch`).
    pub fn is_strategic(&self, group: &str, version: &str, kind: &str) -> bool {
        let Some(name) = self.by_kind.get(&(group.to_string(), version.to_string(), kind.to_string())) else {
            return false;
        };
        if name == "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinition" {
            return false;
        }
        name.starts_with("io.k8s.api.") || name.starts_with("io.k8s.apiextensions-apiserver.")
    }

    /// Follows `$ref`s (a few levels: definitions refer to each other one
    /// step at a time), with the name of the last definition reached.
    fn resolve<'a>(&'a self, mut schema: &'a Value) -> (&'a Value, Option<&'a str>) {
        let mut name = None;
        for _ in 0..8 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match r.strip_prefix("#/definitions/").and_then(|n| self.definitions.get_key_value(n)) {
                Some((n, s)) => {
                    schema = s;
                    name = Some(n.as_str());
                }
                None => break,
            }
        }
        (schema, name)
    }

    fn node<'a>(&'a self, schema: &'a Value) -> Node<'a> {
        let (schema, name) = self.resolve(schema);
        Node { api: self, schema: Some(schema), name }
    }
}

impl<'a> Node<'a> {
    /// A node that knows nothing: every field patches by default rules.
    pub fn unknown(api: &'a OpenApi) -> Node<'a> {
        Node { api, schema: None, name: None }
    }

    /// `LookupPatchMetadataForStruct`: the field `key` of an object (a
    /// struct property, or the value type of a map). Helm looks fields up
    /// in the Go structs of client-go, so a field a built-in type does not
    /// have is an error there, which the whole object's patch fails with;
    /// a named definition is such a struct, and its Go name is the last
    /// part of the definition's name. (Helm lets the error pass when the
    /// old and new values are equal: the callers decide that.)
    pub fn field(&self, key: &str) -> Result<(Node<'a>, PatchMeta), String> {
        let Some(schema) = self.schema else {
            return Ok((Node::unknown(self.api), PatchMeta::default()));
        };
        if let Some(prop) = schema.get("properties").and_then(|p| p.get(key)) {
            return Ok((self.api.node(prop), patch_meta(prop)));
        }
        if let Some(elem) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            return Ok((self.api.node(elem), PatchMeta::default()));
        }
        // Only for the kinds of k8s.io/api and their apimachinery parts: a
        // CustomResourceDefinition whose schema changes inside a field the
        // OpenAPI document leaves undescribed still patches with Helm 4.3.1.
        if let Some(name) = self.name.filter(|n| n.starts_with("io.k8s.api.") || n.starts_with("io.k8s.apimachinery."))
        {
            let go_name = name.rsplit('.').next().unwrap_or(name);
            return Err(format!("unable to find api field in struct {go_name} for the json field {key:?}"));
        }
        Ok((Node::unknown(self.api), PatchMeta::default()))
    }

    /// `LookupPatchMetadataForSlice`: the field `key` holding a list, with
    /// the node of its elements.
    pub fn slice(&self, key: &str) -> Result<(Node<'a>, PatchMeta), String> {
        let (node, meta) = self.field(key)?;
        let items = node.schema.and_then(|s| s.get("items")).map(|i| self.api.node(i));
        Ok((items.unwrap_or(Node::unknown(self.api)), meta))
    }
}

/// cli-runtime's `supportsQueryParam` for every kind at once: the first
/// path whose PATCH operation names the kind decides, by whether one of
/// that operation's parameters (inline or a `#/parameters/` reference) is
/// the query parameter `fieldValidation`. (Paths are read in the order of
/// the parsed document; the paths of one kind, e.g. `.../pods/{name}` and
/// `.../pods/{name}/status`, take the same parameters.)
fn field_validation_support(doc: &Value) -> HashMap<(String, String, String), bool> {
    let is_field_validation = |p: &Value| {
        p.get("in").and_then(Value::as_str) == Some("query")
            && p.get("name").and_then(Value::as_str) == Some("fieldValidation")
    };
    let globals = doc.get("parameters").and_then(Value::as_object);
    let mut out = HashMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for item in paths.values() {
        let Some(patch) = item.get("patch") else { continue };
        let Some(gvk) = patch.get("x-kubernetes-group-version-kind").filter(|g| g.is_object()) else {
            continue;
        };
        let field = |k: &str| gvk.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let supported = patch.get("parameters").and_then(Value::as_array).is_some_and(|params| {
            params.iter().any(|p| {
                if is_field_validation(p) {
                    return true;
                }
                let global = p
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/parameters/"))
                    .and_then(|n| globals?.get(n));
                global.is_some_and(is_field_validation)
            })
        });
        out.entry((field("group"), field("version"), field("kind"))).or_insert(supported);
    }
    out
}

fn patch_meta(prop: &Value) -> PatchMeta {
    let strategies = prop
        .get("x-kubernetes-patch-strategy")
        .and_then(Value::as_str)
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let merge_key = prop.get("x-kubernetes-patch-merge-key").and_then(Value::as_str).unwrap_or("").to_string();
    PatchMeta { strategies, merge_key }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> OpenApi {
        OpenApi::parse(json!({"definitions": {
            "io.k8s.api.core.v1.PodSpec": {"properties": {
                "containers": {"type": "array", "items": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"},
                    "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
                "volumes": {"type": "array", "items": {"type": "object"},
                    "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge,retainKeys"},
                "nodeSelector": {"type": "object", "additionalProperties": {"type": "string"}}
            }},
            "io.k8s.api.core.v1.Container": {"properties": {
                "env": {"type": "array", "items": {"type": "object"},
                    "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}
            }},
            "io.k8s.api.core.v1.Pod": {"properties": {"spec": {"$ref": "#/definitions/io.k8s.api.core.v1.PodSpec"}},
                "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Pod"}]},
            "com.example.v1.Widget": {"x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}]}
        }}))
    }

    #[test]
    fn follows_refs_to_list_metadata() {
        let api = doc();
        let pod = api.kind("", "v1", "Pod").unwrap();
        let (spec, _) = pod.field("spec").unwrap();
        let (container, meta) = spec.slice("containers").unwrap();
        assert_eq!(meta, PatchMeta { strategies: vec!["merge".into()], merge_key: "name".into() });
        let (_, env) = container.slice("env").unwrap();
        assert_eq!(env.merge_key, "name");
        let (_, volumes) = spec.slice("volumes").unwrap();
        assert_eq!(volumes.strategies, vec!["merge".to_string(), "retainKeys".to_string()]);
        let (selector, _) = spec.field("nodeSelector").unwrap();
        assert_eq!(selector.field("any").unwrap().1, PatchMeta::default());
        assert_eq!(
            container.field("bogus").err().unwrap(),
            "unable to find api field in struct Container for the json field \"bogus\""
        );
        let (inline, _) = spec.slice("volumes").unwrap();
        assert!(inline.field("anything").is_ok(), "an inline schema is no Go struct");
    }

    #[test]
    fn strategic_only_for_built_in_kinds() {
        let api = doc();
        assert!(api.is_strategic("", "v1", "Pod"));
        assert!(!api.is_strategic("example.com", "v1", "Widget"));
        assert!(!api.is_strategic("example.com", "v1", "Unknown"));
    }
}
